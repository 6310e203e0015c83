"""The catalog's plain facet tally is counted once per content revision, and only that one."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from features.filters import FacetTally, FeatureFilterSet
from features.models import Feature, ReleaseStatus
from tests.factories import AreaFactory, FeatureFactory

pytestmark = pytest.mark.django_db

CATALOG = "/en/features/"


def tally_queries(client, address: str, **headers) -> int:
    """How many grouped counts the page ran (the tally is the catalog's only GROUP BY)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, headers=headers)
    assert response.status_code == 200
    return sum("GROUP BY" in query["sql"] for query in queries)


def result_count(client, address: str) -> int:
    return client.get(address).context["page"].paginator.count


@pytest.fixture
def catalog(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    area = AreaFactory(slug="networking")
    FeatureFactory.create_batch(3, area=area, status=ReleaseStatus.GA)
    FeatureFactory.create_batch(2, status=ReleaseStatus.PREVIEW)
    return area


def test_the_plain_tally_is_counted_once_per_revision_facets_included(client, catalog):
    assert tally_queries(client, CATALOG) == 1
    assert tally_queries(client, CATALOG) == 0
    # Facets are left out of the tally: the same counts serve every combination of them.
    assert tally_queries(client, f"{CATALOG}?area=networking&status=ga") == 0
    assert result_count(client, f"{CATALOG}?area=networking&status=ga") == 3


def test_a_search_is_counted_each_time(client, catalog):
    tally_queries(client, CATALOG)
    assert tally_queries(client, f"{CATALOG}?q=zzzz") == 1
    assert tally_queries(client, f"{CATALOG}?q=zzzz") == 1
    assert result_count(client, f"{CATALOG}?q=zzzz") == 0


def test_a_filter_besides_the_facets_is_counted_each_time(catalog):
    """The API and the exports share the filters; only the plain tally may be kept."""

    def tally(query: str) -> FacetTally:
        filterset = FeatureFilterSet(QueryDict(query), queryset=Feature.objects.for_catalog())
        return FacetTally.of(filterset, kept_as="test")

    assert tally("").total == 5
    older = FeatureFactory.create_batch(2)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Feature.objects.filter(pk__in=[f.pk for f in older]).update(updated_at=long_ago)
    with CaptureQueriesContext(connection) as queries:
        since = tally(urlencode({"updated_since": timezone.now() - datetime.timedelta(days=30)}))
    assert sum("GROUP BY" in query["sql"] for query in queries) == 1
    assert since.total == 5
    assert tally("").total == 7


def test_a_save_moves_the_counts_on(client, catalog):
    assert result_count(client, CATALOG) == 5
    FeatureFactory(area=catalog, status=ReleaseStatus.GA)
    assert tally_queries(client, CATALOG) == 1  # a new revision: counted again
    assert result_count(client, CATALOG) == 6
    assert result_count(client, f"{CATALOG}?area=networking") == 4
    Feature.objects.filter(area=catalog).delete()
    assert result_count(client, CATALOG) == 2


def test_previews_are_counted_each_time_with_their_drafts(editor_client, catalog):
    client = Client()  # a reader, beside the editor
    FeatureFactory(state="draft")
    assert result_count(client, CATALOG) == 5  # the readers' tally, kept
    assert tally_queries(editor_client, CATALOG) == 1
    assert tally_queries(editor_client, CATALOG) == 1
    assert editor_client.get(CATALOG).context["page"].paginator.count == 6
    assert result_count(client, CATALOG) == 5
