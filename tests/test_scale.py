"""The site at a thousand features: no public page grows past 100 KB of HTML. Pages that list
"everything" (the recap, a session, a speaker, an event, the changelog, the feeds) show a
bounded selection and link to the filtered catalog for the rest."""

import pytest

from features.generated import generate_features
from sessions.models import Session, Speaker

pytestmark = pytest.mark.django_db

LARGEST_PAGE = 100 * 1024
GENERATED = 1_000


def addresses() -> list[str]:
    """One address of every kind of public page, in both languages, at their fullest."""
    pages = [
        "/",
        "/features/",
        "/features/?page=2",
        "/features/?area=networking",
        "/features/?q=network",
        "/features/generated-00001/",
        "/events/ignite-2025/",
        "/sessions/",
        "/speakers/",
        "/comparisons/",
        "/changes/",
        "/features/feed.atom",
        "/features/feed.json",
        "/changes/feed.atom",
        "/changes/feed.json",
    ]
    pages += [session.get_absolute_url()[3:] for session in Session.objects.all()]
    pages += [speaker.get_absolute_url()[3:] for speaker in Speaker.objects.all()]
    return [f"/{language}{page}" for language in ("en", "ja") for page in pages]


def test_no_public_page_outgrows_100_kb_at_a_thousand_features(client, launch_content):
    assert generate_features(GENERATED) == 13 + GENERATED
    sizes = {}
    for address in addresses():
        response = client.get(address)
        assert response.status_code == 200, address
        sizes[address] = len(response.content)
    too_large = {address: size for address, size in sizes.items() if size > LARGEST_PAGE}
    assert too_large == {}, f"pages over {LARGEST_PAGE:,} bytes: {too_large}"
    # The lists are bounded, yet they say there is more and where to find it.
    session = client.get("/en/sessions/brk120/").content.decode()
    assert "/en/features/?" in session and "session=brk120" in session


def test_the_sitemap_is_an_index_of_pages_each_within_the_limits(client, launch_content):
    generate_features(GENERATED)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    body = index.content.decode()
    assert "<sitemapindex" in body
    pages = [
        loc.split("</loc>")[0].split("://", 1)[1].split("/", 1)[1]
        for loc in body.split("<loc>")[1:]
    ]
    listed = 0
    for page in pages:
        response = client.get("/" + page)
        assert response.status_code == 200, page
        assert len(response.content) <= LARGEST_PAGE * 5, (
            page
        )  # sitemaps may hold 50 MB; we keep them small
        listed += response.content.count(b"<url>")
    assert listed >= 2 * (13 + GENERATED)  # every feature, in both languages


def test_language_pairs_read_like_djangos_list():
    from ignite.sites import LanguagePairs

    items = ["a", "b", "c"]
    pairs = LanguagePairs(items, ["en", "ja"])
    expected = [(item, code) for item in items for code in ("en", "ja")]
    assert len(pairs) == 6 and list(pairs) == expected
    for start in range(7):
        for stop in range(start, 8):
            assert pairs[start:stop] == expected[start:stop], (start, stop)
    assert pairs[3] == expected[3] and pairs[-1] == expected[-1]


def test_a_sitemap_page_reads_only_its_own_features(client, launch_content, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    generate_features(GENERATED)
    per_page = settings.SITEMAP_PAGE_SIZE // 2  # both languages of each feature
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-features.xml?p=2").status_code == 200
    selects = [q["sql"] for q in queries.captured_queries if "features_feature" in q["sql"]]
    assert len(selects) == 1, selects  # the page's own rows: no count of every feature first
    assert f"LIMIT {per_page} OFFSET {per_page}" in selects[0], selects


def test_sitemap_pages_keep_their_features_when_more_are_added(client, launch_content, settings):
    """Pages list features in the order they were added: a new feature goes on the last page,
    so a crawler's earlier pages stay as they were."""
    generate_features(300)
    per_page = settings.SITEMAP_PAGE_SIZE
    first = client.get("/sitemap-features.xml").content
    assert first.count(b"<url>") == per_page
    generate_features(10)
    assert client.get("/sitemap-features.xml").content == first


@pytest.mark.parametrize(
    "page", ["0", "-1", "two", "2.5", "", "50001", "99999999999999999999999", "400"]
)
def test_a_sitemap_page_that_does_not_exist_is_not_found(client, launch_content, page):
    generate_features(300)  # 313 features, both languages: 7 pages of 100 addresses
    assert client.get(f"/sitemap-features.xml?p={page}").status_code == 404


def test_the_last_sitemap_page_holds_the_rest(client, launch_content, settings):
    generate_features(300)
    addresses = 2 * 313
    last = -(-addresses // settings.SITEMAP_PAGE_SIZE)
    response = client.get(f"/sitemap-features.xml?p={last}")
    assert response.status_code == 200
    assert response.content.count(b"<url>") == addresses - (last - 1) * settings.SITEMAP_PAGE_SIZE
    assert client.get(f"/sitemap-features.xml?p={last + 1}").status_code == 404


def test_the_sitemap_index_is_what_djangos_template_writes(client, launch_content):
    """The index writes its entries in Python; Django's sitemap_index.xml gives the same XML."""
    from django.template.loader import render_to_string

    generate_features(300)
    response = client.get("/sitemap.xml")
    ours = response.content.decode()
    djangos = render_to_string("sitemap_index.xml", {"sitemaps": response.context["sitemaps"]})
    assert ours.split() == djangos.split()
    assert ours.count("<sitemap>") == len(response.context["sitemaps"]) >= 7


def test_sitemap_entries_and_xml_are_what_djangos_own_code_gives(launch_content):
    """The faster entries (one reverse per item) hold exactly Django's, and write its XML."""
    from django.contrib.sitemaps import Sitemap
    from django.template.loader import render_to_string

    from ignite.urls import sitemaps

    generate_features(300)  # two pages of features
    for name, cls in sitemaps.items():
        pages = cls("example.org").paginator.num_pages
        assert pages >= (2 if name == "features" else 1)
        for page in range(1, pages + 1):
            ours, djangos = cls("example.org"), cls("example.org")
            fast = ours._urls(page, "https", "example.org")
            slow = Sitemap._urls(djangos, page, "https", "example.org")
            assert [{k: v for k, v in url.items() if k != "xml"} for url in fast] == slow
            assert getattr(ours, "latest_lastmod", None) == getattr(djangos, "latest_lastmod", None)
            assert render_to_string("sitemap_urls.xml", {"urlset": fast}) == render_to_string(
                "sitemap.xml", {"urlset": slow}
            )


def test_a_sitemap_without_languages_writes_djangos_xml_too(launch_content):
    from django.contrib.sitemaps import Sitemap
    from django.template.loader import render_to_string

    from features.sitemaps import FeatureSitemap

    class OneLanguage(FeatureSitemap):
        i18n = False

    fast = OneLanguage("example.org")._urls(1, "https", "example.org")
    slow = Sitemap._urls(OneLanguage("example.org"), 1, "https", "example.org")
    assert len(fast) == 13
    assert render_to_string("sitemap_urls.xml", {"urlset": fast}) == render_to_string(
        "sitemap.xml", {"urlset": slow}
    )
