"""Every API answer runs the same number of SQL queries for 10 features as for 300."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from features.models import Comparison, Feature
from sessions.models import Event
from tests.test_query_counts import build_site

# The rate limit, the content revision, the filter choices, a count and the page's own queries.
MAX_QUERIES = 12


def api_addresses(site: dict[str, str]) -> dict[str, str]:
    """The API addresses of the objects build_site made (the newest of each kind)."""

    def slug(name: str) -> str:
        return site[name].rstrip("/").rsplit("/", 1)[-1]

    feature = Feature.objects.get(slug=slug("feature"))
    return {
        "features": "/api/v1/features/?page_size=100&lang=ja",
        "filtered features": "/api/v1/features/?status=ga&status=preview&q=feature&sort=area",
        "feature": f"/api/v1/features/{feature.slug}/",
        "sessions": "/api/v1/sessions/?page_size=100",
        "session": f"/api/v1/sessions/{slug('session')}/",
        "speakers": "/api/v1/speakers/?page_size=100",
        "speaker": f"/api/v1/speakers/{slug('speaker')}/",
        "events": "/api/v1/events/",
        "event": f"/api/v1/events/{Event.objects.latest('pk').slug}/",
        "comparisons": "/api/v1/comparisons/",
        "comparison": f"/api/v1/comparisons/{Comparison.objects.latest('pk').slug}/",
        "areas": "/api/v1/areas/",
        "area": f"/api/v1/areas/{feature.area.slug}/",
        "changes": "/api/v1/changes/?page_size=100",
        "filtered changes": "/api/v1/changes/?kind=new&kind=updated&area=" + feature.area.slug,
    }


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.django_db
def test_api_queries_do_not_grow_with_features(client):
    """Both sites are built in one test (building 300 features takes a while): the small one
    first, then the large one beside it, each address measured on the newest of its kind."""
    small = api_addresses(build_site(10))
    for url in small.values():
        client.get(url)  # warm: the first answer of a process, or of a revision, may load more
    small_counts = {name: count_queries(client, url) for name, url in small.items()}
    large = api_addresses(build_site(300))
    for url in large.values():
        client.get(url)
    large_counts = {name: count_queries(client, url) for name, url in large.items()}
    assert large_counts == small_counts
    assert max(large_counts.values()) <= MAX_QUERIES, large_counts
