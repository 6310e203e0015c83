"""The static archive of the launch content: complete, navigable offline, draft-free and
the same bytes every time."""

import re
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.utils import translation

from archive import documents
from archive.export import export_site
from archive.registry import named
from features.filters import FeatureFilterSet
from features.models import Feature
from tests.archive.linkcheck import broken_links, internal_links
from tests.factories import (
    ComparisonFactory,
    EventFactory,
    FeatureFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

# The archive is made from the database (launch_archive, once per session).
pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ja")
LAUNCH_STATUSES = ("ga", "public-preview", "preview")
LAUNCH_AREAS = (
    "networking",
    "security",
    "scaling",
    "fleet",
    "multi-tenancy",
    "reliability",
    "developer-experience",
    "operations",
)
CARD_LINK = re.compile(r'class="feature-card__title"><a href="([^"]+)/index\.html"')


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _html(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def _listed_slugs(page: Path) -> list[str]:
    return [href.rsplit("/", 1)[-1] for href in CARD_LINK.findall(page.read_text())]


# Links ------------------------------------------------------------------------------------


def test_every_link_of_the_launch_archive_names_a_file_in_it(launch_archive):
    assert broken_links(launch_archive) == []
    for language in LANGUAGES:
        assert internal_links(launch_archive, language) > 2000, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_the_site_is_archived_in_each_language(launch_archive, language):
    root = launch_archive / language
    for page in [
        "index.html",
        "features/index.html",
        "features/localdns/index.html",
        "sessions/index.html",
        "sessions/brk120/index.html",
        "sessions/lab517/index.html",
        "speakers/index.html",
        "speakers/brendan-burns/index.html",
        "comparisons/index.html",
        "comparisons/aks-standard-vs-automatic/index.html",
        "events/ignite-2025/index.html",
        "features/feed.atom",
        "features/feed.json",
        "features/search-index.js",
        "404.html",
    ]:
        assert (root / page).is_file(), page
    assert len(list((root / "features").glob("*/index.html"))) > 13 + len(LAUNCH_AREAS)


def test_both_languages_hold_the_same_pages(launch_archive):
    english = {p.relative_to(launch_archive / "en") for p in (launch_archive / "en").rglob("*")}
    japanese = {p.relative_to(launch_archive / "ja") for p in (launch_archive / "ja").rglob("*")}
    assert english == japanese


def test_the_site_wide_files_are_archived(launch_archive):
    for name in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "downloads/ignite-recap.json",
        "downloads/ignite-recap-en.csv",
        "downloads/ignite-recap-ja.md",
    ]:
        assert (launch_archive / name).is_file(), name


def test_language_neutral_addresses_lead_to_the_default_language(launch_archive):
    stub = (launch_archive / "features/localdns/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../../en/features/localdns/index.html">' in (
        stub
    )


# Pages as production renders them, without a server ---------------------------------------


def test_no_page_carries_a_nonce_htmx_or_a_server_address(launch_archive):
    for page in _html(launch_archive):
        text = page.read_text()
        assert "nonce" not in text, page
        assert " hx-" not in text and "htmx" not in text.replace("htmx-indicator", ""), page
        assert 'href="/' not in text or page.name == "404.html", page


def test_every_page_allows_exactly_its_inline_scripts_by_hash(launch_archive):
    for page in _html(launch_archive):
        text = page.read_text()
        parsed = documents.parse_html(text)
        policies = [
            dict(tag.attrs)["content"]
            for tag in parsed.tags
            if dict(tag.attrs).get("http-equiv") == "Content-Security-Policy"
        ]
        assert len(policies) == 1, page
        assert "'nonce-" not in policies[0] and "frame-ancestors" not in policies[0]
        for block in parsed.inline:
            if block.tag == "script" and "type" not in block.attrs:
                assert documents.csp_hash(block.text) in policies[0], page


def test_static_files_keep_their_hashed_names_and_only_what_pages_use(launch_archive):
    names = sorted(
        p.relative_to(launch_archive / "static").as_posix()
        for p in (launch_archive / "static").rglob("*")
        if p.is_file()
    )
    assert names
    assert all(re.search(r"\.[0-9a-f]{12}\.\w+$", name) for name in names), names
    assert not [name for name in names if name.startswith(("admin/", "django-htmx/"))]


def test_error_pages_link_from_the_root_because_hosts_show_them_anywhere(launch_archive):
    english = (launch_archive / "404.html").read_text()
    assert '<a href="/en/features/index.html">' in english
    assert (launch_archive / "en/404.html").read_bytes() == (
        launch_archive / "404.html"
    ).read_bytes()
    assert 'lang="ja"' in (launch_archive / "ja/404.html").read_text()


# The catalog without a server ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_status_area_and_combination_has_its_page_listing_what_the_site_lists(
    launch_archive, launch_content, language
):
    queries = [{"status": status} for status in LAUNCH_STATUSES]
    queries += [{"area": area} for area in LAUNCH_AREAS]
    queries += [{"area": a, "status": s} for s in LAUNCH_STATUSES for a in LAUNCH_AREAS]
    assert len(queries) == 3 + 8 + 24
    for query in queries:
        folder = "&".join(f"{name}={value}" for name, value in sorted(query.items()))
        page = launch_archive / language / "features" / folder / "index.html"
        data = QueryDict(mutable=True)
        data.update(query)
        expected = FeatureFilterSet(data, queryset=Feature.objects.for_catalog()).qs
        assert _listed_slugs(page) == [feature.slug for feature in expected], folder


def test_catalog_filters_are_links_to_the_archived_pages(launch_archive):
    page = (launch_archive / "en/features/status=ga/index.html").read_text()
    assert '<a class="facet__option" href="../index.html" aria-current="true">' in page
    assert '<a class="facet__option" href="../area=networking&amp;status=ga/index.html">' in page
    assert 'type="checkbox"' not in page and 'id="id_sort"' not in page


def test_the_search_index_holds_the_published_features_with_working_links(launch_archive):
    for language in LANGUAGES:
        folder = launch_archive / language / "features"
        script = (folder / "search-index.js").read_text()
        assert script.startswith("window.igniteSearchIndex = {base: document.currentScript.src")
        urls = re.findall(r'"url": "([^"]+)"', script)
        assert len(urls) == 13
        assert all((folder / url).is_file() for url in urls)
    japanese = (launch_archive / "ja/features/search-index.js").read_text()
    assert "13\xa0件見つかりました" in japanese and "該当する機能はありません" in japanese


# Only published content ----------------------------------------------------------------------


def test_no_draft_leaks_into_any_file(launch_content, tmp_path):
    event = EventFactory(name_en="Zqx Event", slug="zqx-event", draft=True)
    SessionFactory(event=event, code="ZQX1", slug="zqx1", title="Zqx Hidden Session")
    launch_session = Feature.objects.get(slug="localdns").session
    draft_session = SessionFactory(
        event=launch_session.event, code="ZQX2", slug="zqx2", title="Zqx Session", draft=True
    )
    FeatureFactory(name="Zqx Orphan", slug="zqx-orphan", session=draft_session, draft=True)
    draft_feature = FeatureFactory(
        name="Zqx Feature", slug="zqx-feature", session=launch_session, draft=True
    )
    Feature.objects.get(slug="localdns").related.add(draft_feature)
    speaker = SpeakerFactory(name="Zqx Speaker", slug="zqx-speaker", draft=True)
    SessionSpeakerFactory(session=launch_session, speaker=speaker)
    ComparisonFactory(
        title_en="Zqx Comparison", slug="zqx-comparison", session=launch_session, draft=True
    )
    # The control: published content with a marker of its own is archived.
    FeatureFactory(name="Qvw Feature", slug="qvw-feature", session=launch_session)

    report = export_site(tmp_path / "archive")

    files = _files(tmp_path / "archive")
    leaks = [name for name, content in files.items() if b"zqx" in content.lower() + name.encode()]
    assert leaks == []
    assert any(b"Qvw Feature" in content for content in files.values())
    assert "en/features/qvw-feature/index.html" in files
    assert report.failed == []


# Deterministic -------------------------------------------------------------------------------


def test_two_exports_of_the_same_content_are_byte_identical(launch_content, tmp_path):
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        export_site(tmp_path / run / "recap", zip_path=tmp_path / run / "recap.zip")
    first, second = _files(tmp_path / "first/recap"), _files(tmp_path / "second/recap")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    zips = [(tmp_path / run / "recap.zip").read_bytes() for run in ("first", "second")]
    assert zips[0] == zips[1]
    with zipfile.ZipFile(tmp_path / "first/recap.zip") as archive:
        assert archive.namelist() == [f"recap/{name}" for name in sorted(first)]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# Serving it elsewhere ------------------------------------------------------------------------


def test_a_site_url_makes_absolute_addresses_and_error_pages_point_at_the_archive(
    launch_content, tmp_path
):
    export_site(tmp_path / "recap", site_url="https://archive.example.org/recap/")
    root = tmp_path / "recap"
    sitemap = "\n".join(path.read_text() for path in sorted(root.glob("sitemap*.xml")))
    assert (root / "sitemap-features.xml").is_file()  # a section the index lists
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(
        loc.startswith("https://archive.example.org/recap/") for loc in locations
    )
    assert "<loc>https://archive.example.org/recap/en/features/localdns/</loc>" in sitemap
    assert (
        "Sitemap: https://archive.example.org/recap/sitemap.xml"
        in (root / "robots.txt").read_text()
    )
    page = (root / "ja/features/localdns/index.html").read_text()
    assert (
        '<link rel="canonical" href="https://archive.example.org/recap/ja/features/localdns/">'
        in page
    )
    assert "127.0.0.1:8000" not in "".join(p.read_text() for p in root.rglob("*.xml"))
    assert '<a href="/recap/ja/features/index.html">' in (root / "ja/404.html").read_text()
    assert broken_links(root, base_path="/recap/") == []


def test_an_old_address_of_a_renamed_page_leads_to_its_new_page(launch_content, tmp_path):
    feature = Feature.objects.get(slug="localdns")
    feature.slug = "local-dns"
    feature.save()

    export_site(tmp_path / "archive")

    stub = (tmp_path / "archive/ja/features/localdns/index.html").read_text()
    assert 'content="0; url=../local-dns/index.html"' in stub
    assert (tmp_path / "archive/ja/features/local-dns/index.html").is_file()
    assert broken_links(tmp_path / "archive") == []


def test_a_registry_name_the_site_does_not_have_yet_is_skipped(db):
    assert list(named("features:changes-not-yet-built")()) == []


# The live site is untouched ------------------------------------------------------------------


def test_live_pages_keep_htmx_and_checkboxes_after_an_export(launch_content, tmp_path):
    client = Client()
    before = client.get("/en/features/?status=ga").content
    export_site(tmp_path / "archive")
    after = client.get("/en/features/?status=ga", HTTP_IGNITE_STATIC_ARCHIVE="1").content
    assert b'type="checkbox"' in after and b"hx-get" in after and b"facet__option" not in after
    assert re.sub(rb'nonce="[^"]+"', b"", before) == re.sub(rb'nonce="[^"]+"', b"", after)
    translation.deactivate()


def test_the_command_prints_pages_bytes_and_time(launch_content, tmp_path):
    out = StringIO()
    call_command("export_site", output=tmp_path / "archive", stdout=out, stderr=StringIO())
    assert re.match(
        r"Archived \d+ pages, \d+ redirects, \d+ feeds and downloads and \d+ static files: "
        r"\d+ files, \d+\.\d MB, in \d+\.\d s\.\n",
        out.getvalue(),
    )
