"""The site in Japanese and English: complete catalogue, language URLs, fallbacks, search."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from features.models import Feature
from tests.factories import FeatureFactory
from tests.html import outline, visible_text

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.po")
SOURCES = ("manage.py", "ignite", "features", "sessions", "archive", "templates", "locale")
JA_PAGES = [
    "/ja/",
    "/ja/features/",
    "/ja/features/?status=bogus&page=x",
    "/ja/features/?q=zzzz-nothing",
    "/ja/features/acns-container-network-logs/",
    "/ja/sessions/",
    "/ja/sessions/brk120/",
    "/ja/sessions/lab517/",
    "/ja/speakers/",
    "/ja/speakers/paul-yu/",
    "/ja/comparisons/",
    "/ja/comparisons/aks-standard-vs-automatic/",
    "/ja/no-such-page/",
]


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_every_interface_string_is_in_the_japanese_catalogue(tmp_path):
    """Extract the strings afresh (makemessages) and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is needed to check the catalogue: apt-get install gettext")
    for name in SOURCES:
        source = Path(settings.BASE_DIR, name)
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ja", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale/ja/LC_MESSAGES/django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if _translated(e)}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
    assert missing == [], "Run `make messages` and translate these: " + repr(missing)
    fuzzy = [e.msgid for e in polib.pofile(str(CATALOGUE)) if "fuzzy" in e.flags]
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    in_mo = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in compiled if e.msgid}
    in_po = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0))
        for e in polib.pofile(str(CATALOGUE))
        if _translated(e)
    }
    assert in_po <= in_mo, "Run `make messages` to compile the catalogue"


def _english_interface_strings() -> set[str]:
    strings = set()
    for entry in polib.pofile(str(CATALOGUE)):
        for english in (entry.msgid, entry.msgid_plural):
            if not english or "%" in english or "<" in english:
                continue
            if entry.msgstr == english or len(english) < 8:
                continue  # product terms kept as they are (GA, Preview …) and tiny words
            strings.add(english)
    return strings


@pytest.mark.parametrize("path", JA_PAGES)
def test_japanese_pages_show_no_english_interface_text(client, launch_content, path):
    response = client.get(path)
    html = response.content.decode()
    assert outline(html).find_all("html")[0]["lang"] == "ja"
    text = visible_text(html, skip_english=True)
    leaks = sorted(s for s in _english_interface_strings() if s in text)
    assert leaks == []


def test_the_leak_check_catches_english_interface_text(client, launch_content):
    """The check above is not vacuous: the English pages are full of these strings."""
    text = visible_text(client.get("/en/features/").content.decode())
    assert len([s for s in _english_interface_strings() if s in text]) >= 8


def test_root_and_unprefixed_urls_follow_the_browser_language(client, launch_content):
    assert client.get("/", headers={"Accept-Language": "ja-JP,ja;q=0.9"})["Location"] == "/ja/"
    assert client.get("/", headers={"Accept-Language": "de-DE"})["Location"] == "/en/"
    assert client.get("/")["Location"] == "/en/"


def test_switcher_keeps_the_page_and_its_filters(client, settings, launch_content):
    settings.SITE_DOMAIN = "recap.example.com"  # links name the site, not the request's Host
    response = client.get("/en/features/", {"status": "ga", "area": "security"})
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links == {
        "en": "/en/features/?status=ga&area=security",
        "ja": "/ja/features/?status=ga&area=security",
    }
    html = response.content.decode()
    assert 'href="/ja/features/?status=ga&amp;area=security" hreflang="ja" lang="ja"' in html
    page = outline(html)
    alternates = {
        link["hreflang"]: link["href"]
        for link in page.find_all("link", rel="alternate")
        if "hreflang" in link
    }
    # The switcher keeps the filters; the head describes the canonical page, unfiltered.
    assert (
        page.find_all("link", rel="canonical")[0]["href"] == "http://recap.example.com/en/features/"
    )
    assert alternates == {
        "en": "http://recap.example.com/en/features/",
        "ja": "http://recap.example.com/ja/features/",
        "x-default": "http://recap.example.com/features/",
    }


def test_alternates_follow_the_canonical_page_and_404s_have_none(client, settings, launch_content):
    settings.SITE_DOMAIN = "recap.example.com"  # links name the site, not the request's Host
    event = outline(client.get("/ja/events/ignite-2025/").content.decode())
    assert event.find_all("link", rel="canonical")[0]["href"] == "http://recap.example.com/ja/"
    alternates = {
        link["hreflang"]: link["href"]
        for link in event.find_all("link", rel="alternate")
        if "hreflang" in link
    }
    assert alternates == {
        "en": "http://recap.example.com/en/",
        "ja": "http://recap.example.com/ja/",
        "x-default": "http://recap.example.com/",
    }
    missing = outline(client.get("/ja/no-such-page/").content.decode())
    assert missing.find_all("link", rel="canonical") == []
    assert [link for link in missing.find_all("link", rel="alternate") if "hreflang" in link] == []


def test_each_address_is_translated_once_per_urlconf(client, settings, launch_content, monkeypatch):
    """Every page asks for its other-language addresses twice (head and switcher): the answer
    is kept, per path, language and URLconf, and stays right for each."""
    from ignite import languages

    # Every request renders (no page cache), so only the kept answers can spare the work.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    languages._translated_path.cache_clear()
    asked = []
    real = languages.translate_url
    monkeypatch.setattr(
        languages, "translate_url", lambda path, code: asked.append(path) or real(path, code)
    )
    client.get("/en/features/?status=ga")
    first = len(asked)
    assert first > 0
    response = client.get("/en/features/?status=ga")
    assert len(asked) == first  # the second rendering asked nothing
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links == {"en": "/en/features/?status=ga", "ja": "/ja/features/?status=ga"}
    client.get("/en/features/?status=preview")
    assert len(asked) > first  # another address is worked out afresh
    assert languages.translated_path("/en/sessions/", "en", "ja") == "/ja/sessions/"
    assert languages.translated_path("/ja/sessions/", "ja", "en") == "/en/sessions/"


def test_the_htmx_fragment_updates_the_switcher(client, launch_content):
    html = client.get(
        "/ja/features/", {"status": "ga"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert re.search(r'id="language-switcher"[^>]*data-hx-swap-oob="true"', html)
    assert 'href="/en/features/?status=ga"' in html


def test_dates_are_written_the_japanese_way(client, launch_content):
    assert "2025年11月17日〜21日" in visible_text(client.get("/ja/").content.decode())
    assert "17–21 November 2025" in visible_text(client.get("/en/").content.decode())
    feature_page = visible_text(client.get("/ja/features/localdns/").content.decode())
    assert "2025年11月17日" in feature_page


def test_missing_japanese_shows_english_with_a_marker(client, db):
    FeatureFactory(slug="only-english", summary_en="An English-only summary.", summary_ja="")
    html = client.get("/ja/features/only-english/").content.decode()
    assert re.search(
        r'<div lang="en" class="fallback"><span class="fallback-marker">英語のみ</span>', html
    )
    assert "An English-only summary." in html
    assert "英語のみ" not in client.get("/en/features/only-english/").content.decode()


def test_japanese_content_is_shown_in_japanese(client, launch_content):
    text = visible_text(client.get("/ja/features/localdns/").content.decode())
    assert "CoreDNS の負荷を下げ" in text
    assert "英語のみ" not in text


def test_search_in_japanese_finds_the_feature(client, launch_content):
    response = client.get("/ja/features/", {"q": "カーネル"})
    assert [f.name for f in response.context["features"]] == ["Pod Sandboxing"]
    response = client.get("/ja/features/", {"q": "kernel"})
    assert [f.name for f in response.context["features"]] == ["Pod Sandboxing"]


def test_feature_names_stay_as_products_are_named(launch_content):
    assert not hasattr(Feature, "name_ja")


def test_admin_edits_both_languages_side_by_side(superuser_client, launch_content):
    feature = Feature.objects.get(slug="localdns")
    html = superuser_client.get(f"/admin/features/feature/{feature.pk}/change/").content.decode()
    for field in ("summary", "body", "editors_note", "topic"):
        assert f'form-multiline field-{field}_en field-{field}_ja"' in html
