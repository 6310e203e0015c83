"""Archive mode on the live site's side: a flag no reader can set, pages never cached, and
filter options as links."""

import pytest
from django.http import QueryDict
from django.test import Client

from ignite.querystrings import query_choosing
from ignite.static_archive import ENVIRON_KEY
from tests.factories import FeatureFactory

pytestmark = pytest.mark.django_db
ARCHIVE = {ENVIRON_KEY: "1"}


@pytest.fixture
def catalog(db):
    FeatureFactory()
    return "/en/features/"


def test_an_archive_page_is_never_stored_in_nor_served_from_the_page_cache(catalog):
    client = Client()
    archived = client.get(catalog, **ARCHIVE)
    assert b"facet__option" in archived.content and "X-Page-Cache" not in archived
    live = client.get(catalog)
    assert live["X-Page-Cache"] == "miss" and b"facet__option" not in live.content
    assert client.get(catalog)["X-Page-Cache"] == "hit"
    assert b"facet__option" in client.get(catalog, **ARCHIVE).content


def test_no_request_header_turns_archive_mode_on(catalog):
    for header in ("HTTP_IGNITE_STATIC_ARCHIVE", "HTTP_IGNITE.STATIC_ARCHIVE"):
        response = Client().get(catalog, **{header: "1"})
        assert b"facet__option" not in response.content and b"htmx" in response.content


def test_archive_pages_load_no_htmx_and_offer_no_sort_or_apply_button(catalog):
    page = Client().get(catalog, **ARCHIVE).content.decode()
    assert "htmx.min.js" not in page and "htmx-config" not in page
    assert 'id="id_sort"' not in page and "Apply filters" not in page
    assert 'data-filters=""' in page and "search-index.js" in page


@pytest.mark.parametrize(
    ("query", "value", "expected"),
    [
        ("", "ga", "?status=ga"),
        ("status=ga", "ga", "?"),
        ("status=GA&area=dns", "ga", "?area=dns"),
        ("status=preview&area=dns&page=2", "ga", "?status=ga&area=dns"),
    ],
)
def test_a_filter_option_link_chooses_only_it_or_unchooses_it(query, value, expected):
    assert query_choosing(QueryDict(query), "status", value) == expected
