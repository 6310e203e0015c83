"""Every public page runs the same number of SQL queries for 10 features as for 300."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from features.search import sqlite_index_ready
from tests.factories import (
    AreaFactory,
    DocLinkFactory,
    EventFactory,
    FeatureFactory,
    KeyPointFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    StatusChangeFactory,
    comparison_grid,
)

pytestmark = pytest.mark.django_db

# Generous enough for the page's own needs, far too few for one query per feature.
MAX_QUERIES = 12


def build_site(feature_count: int) -> dict[str, str]:
    event = EventFactory()
    areas = AreaFactory.create_batch(4)
    sessions = SessionFactory.create_batch(2, event=event)
    speaker = SpeakerFactory()
    for session in sessions:
        SessionSpeakerFactory(session=session, speaker=speaker)
        SessionSpeakerFactory(session=session)
        KeyPointFactory.create_batch(3, session=session)
    comparison_grid(rows=3, columns=2, session=sessions[0])
    features = []
    for i in range(feature_count):
        feature = FeatureFactory(
            area=areas[i % 4],
            session=sessions[i % 2],
            status=["ga", "public-preview", "preview"][i % 3],
        )
        DocLinkFactory(feature=feature)
        StatusChangeFactory(feature=feature)
        features.append(feature)
    features[0].related.add(*features[1 : min(len(features), 40)])
    return {
        "recap": "/en/",
        "catalog": "/en/features/?status=ga&status=preview&q=feature&sort=area",
        "feature": features[0].get_absolute_url(),
        "session": sessions[0].get_absolute_url(),
        "sessions": "/en/sessions/",
        "speaker": speaker.get_absolute_url(),
        "speakers": "/en/speakers/",
        "comparisons": "/en/comparisons/",
        "htmx catalog": "/en/features/?status=ga",
    }


@pytest.fixture(autouse=True)
def _search_index_checked():
    """The first search on a connection asks once whether SQLite's trigram index is complete:
    ask it here, so that the first page counted does not pay a query the second does not."""
    sqlite_index_ready(connection)


def count_queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "page_name",
    ["recap", "catalog", "feature", "session", "sessions", "speaker", "speakers", "comparisons"],
)
def test_page_queries_do_not_grow_with_features(client, django_assert_max_num_queries, page_name):
    small = count_queries(client, build_site(10)[page_name])
    large_site = build_site(300)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, large_site[page_name])
    assert large == small


def test_catalog_fragment_queries_do_not_grow(client, django_assert_max_num_queries):
    small = count_queries(client, build_site(10)["htmx catalog"], HX_Request="true")
    large_site = build_site(300)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, large_site["htmx catalog"], HX_Request="true")
    assert large == small
