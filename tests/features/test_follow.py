"""Every filtered view can be followed (Atom, JSON Feed) and downloaded (CSV, JSON, Markdown),
and selects exactly what the page shows."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone

from features.models import Feature
from tests.factories import FeatureFactory, MaterialUpdateFactory, StatusChangeFactory
from tests.features.conftest import export

pytestmark = pytest.mark.django_db


def ORIGIN() -> str:
    """Feeds link to the configured public site, not to the Host a request named."""
    return f"http://{settings.SITE_DOMAIN}"


ATOM = "{http://www.w3.org/2005/Atom}"
FEED_READER = {"HTTP_ACCEPT": "application/atom+xml, application/feed+json;q=0.9, */*;q=0.1"}
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
FILTERS = [
    "status=ga",
    "area=networking",
    "status=public-preview&area=fleet",
    "q=dns",
    "session=brk120&status=preview",
    "",
]


def catalog_names(client, query: str) -> list[str]:
    response = client.get(f"/en/features/?{query}")
    return sorted(feature.name for feature in response.context["page"].paginator.object_list)


def atom_names(client, query: str) -> list[str]:
    document = feedparser.parse(
        client.get(f"/en/features/feed.atom?{query}", **FEED_READER).content
    )
    return sorted(entry.title.rsplit(" (", 1)[0] for entry in document.entries)


def json_feed_names(client, query: str) -> list[str]:
    items = json.loads(client.get(f"/en/features/feed.json?{query}", **FEED_READER).content)[
        "items"
    ]
    return sorted(item["title"].rsplit(" (", 1)[0] for item in items)


def csv_names(client, query: str) -> list[str]:
    text = client.get(f"/en/features/export.csv?{query}").content.decode()
    return sorted(row["name"] for row in csv.DictReader(io.StringIO(text)))


def json_names(client, query: str) -> list[str]:
    document = json.loads(client.get(f"/en/features/export.json?{query}").content)
    return sorted(feature["name"] for feature in document["features"])


def markdown_names(client, query: str) -> list[str]:
    text = client.get(f"/en/features/export.md?{query}").content.decode()
    names = Feature.objects.values_list("name", flat=True)
    return sorted(name for name in names if f"**{name.replace('_', '\\_')}**" in text)


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize(
    "output", [atom_names, json_feed_names, csv_names, json_names, markdown_names]
)
def test_every_output_selects_exactly_what_the_catalog_shows(client, launch_content, query, output):
    expected = catalog_names(client, query)
    assert output(client, query) == expected


DOWNLOADS = [
    (
        "/en/features/export.csv?status=ga&area=networking",
        ["--format", "csv", "--status", "ga", "--area", "networking"],
    ),
    (
        "/ja/features/export.md?session=brk120",
        ["--format", "markdown", "--session", "brk120", "--language", "ja"],
    ),
    ("/en/features/export.json?q=fleet", ["--format", "json", "--q", "fleet"]),
]


@pytest.mark.parametrize(("path", "arguments"), DOWNLOADS)
def test_downloads_are_the_bytes_export_content_writes(client, launch_content, path, arguments):
    response = client.get(path)
    assert response.status_code == 200
    assert response.content.decode() == export(*arguments)
    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_a_download_is_named_after_its_filters(client, launch_content):
    response = client.get("/en/features/export.csv?status=ga&area=networking")
    assert response["Content-Disposition"] == (
        'attachment; filename="ignite-recap-features-ga-networking.csv"'
    )


# Feeds as RFC 4287 and JSON Feed 1.1 want them ------------------------------------------------


def test_the_atom_feed_has_what_rfc_4287_requires(client, launch_content):
    address = "/en/features/feed.atom?status=public-preview&area=fleet"
    response = client.get(address, **FEED_READER)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    self_links = [link.get("href") for link in root.findall(f"{ATOM}link[@rel='self']")]
    assert self_links == [f"{ORIGIN()}{address}"]
    assert root.findtext(f"{ATOM}title") == "Ignite Recap: Public Preview features in Fleet"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://")
    assert feedparser.parse(response.content).bozo == 0


def test_the_json_feed_follows_version_1_1(client, launch_content):
    address = "/en/features/feed.json?status=ga"
    document = json.loads(client.get(address, **FEED_READER).content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{ORIGIN()}{address}"
    assert document["home_page_url"] == ORIGIN() + "/en/features/?status=ga"
    assert document["title"] == "Ignite Recap: GA features"
    assert document["authors"] == [{"name": "Ignite Recap"}]
    assert len(document["items"]) == 4
    for item in document["items"]:
        assert item["id"].startswith("tag:") and item["url"].startswith(ORIGIN() + "/en/")
        assert item["content_html"] and item["date_modified"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("", "Ignite Recap: all features"),
        ("status=ga&area=networking", "Ignite Recap: GA features in Networking"),
        ("status=ga&status=preview", "Ignite Recap: GA or Preview features"),
        ("area=networking&q=dns", "Ignite Recap: Features in Networking matching “dns”"),
    ],
)
def test_each_feed_has_a_title_built_from_its_filters(client, launch_content, query, title):
    document = json.loads(client.get(f"/en/features/feed.json?{query}", **FEED_READER).content)
    assert document["title"] == title


def test_a_japanese_feed_is_titled_in_japanese(client, launch_content):
    document = json.loads(client.get("/ja/features/feed.json?status=ga", **FEED_READER).content)
    assert document["language"] == "ja"
    assert "一般提供" in document["title"]


# Entries move only when a reader has something to learn ------------------------------------------


def _entry(client, feature) -> dict:
    items = json.loads(client.get("/en/features/feed.json", **FEED_READER).content)["items"]
    return next(item for item in items if item["url"].endswith(f"/{feature.slug}/"))


def test_a_typo_fix_does_not_reannounce_an_entry(client):
    feature = FeatureFactory(summary_en="Logs of traffic between contaners.")
    StatusChangeFactory(feature=feature, status="preview")
    before = _entry(client, feature)
    feature.summary_en = "Logs of traffic between containers."
    feature.name = feature.name  # an ordinary save, updated_at moves
    feature.save()
    after = _entry(client, feature)
    assert (after["id"], after["date_modified"]) == (before["id"], before["date_modified"])


def test_a_status_change_and_a_material_update_do(client):
    feature = FeatureFactory(status="preview")
    StatusChangeFactory(feature=feature, status="preview", date=datetime.date(2025, 11, 17))
    first = _entry(client, feature)
    feature.record_status("ga", timezone.localdate())
    second = _entry(client, feature)
    assert second["date_modified"] > first["date_modified"]
    MaterialUpdateFactory(feature=feature, note_en="Now on Windows node pools too")
    third = _entry(client, feature)
    assert third["date_modified"] > second["date_modified"]
    assert "Now on Windows node pools too" in third["content_html"]
    assert first["id"] == second["id"] == third["id"]


def test_a_renamed_feature_keeps_its_entry_id(client):
    feature = FeatureFactory()
    before = _entry(client, feature)
    feature.slug = "a-new-slug"
    feature.save()
    assert _entry(client, feature)["id"] == before["id"]


# Bad input, caching, browsers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/features/feed.atom?status=ga&status=bogus",
        "/en/features/feed.json?status=ga&status=bogus",
        "/en/features/export.csv?status=ga&status=bogus",
        "/en/features/export.json?status=ga&status=bogus",
        "/en/features/export.md?status=ga&status=bogus",
    ],
)
def test_bad_filters_apply_the_good_ones_and_name_the_rest(client, launch_content, path):
    response = client.get(path, **FEED_READER)
    assert response.status_code == 200
    body = response.content.decode()
    if "feed" in path:
        assert "bogus" in body and "LocalDNS" in body
    else:
        assert "bogus" in response["X-Filter-Problems"]
        assert "LocalDNS" in body and "AKS Desktop" not in body
    assert response["X-Page-Cache"] == "miss"
    assert client.get(path, **FEED_READER)["X-Page-Cache"] == "miss"  # never stored


@pytest.mark.parametrize(
    "query", ["status=%00", "q=" + "x" * 5000, "area=a&area=b&" * 200, "since=9999-99-99"]
)
def test_hostile_queries_never_fail(client, launch_content, query):
    for path in (
        "/en/features/feed.atom",
        "/en/features/export.csv",
        "/en/changes/",
        "/en/changes/feed.json",
    ):
        assert client.get(f"{path}?{query}", **FEED_READER).status_code in (200, 400), path


def test_feeds_answer_conditional_gets(client, launch_content):
    first = client.get("/en/features/feed.atom?status=ga", **FEED_READER)
    again = client.get(
        "/en/features/feed.atom?status=ga", HTTP_IF_NONE_MATCH=first["ETag"], **FEED_READER
    )
    assert again.status_code == 304
    assert "Accept" in first["Vary"]


def test_a_browser_opening_a_feed_gets_a_readable_page(client, launch_content):
    page = client.get("/en/features/feed.atom?status=ga", **BROWSER)
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert f'value="{ORIGIN()}/en/features/feed.atom?status=ga"' in html
    assert "LocalDNS" in html
    feed = client.get("/en/features/feed.atom?status=ga", **FEED_READER)
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert page["ETag"] != feed["ETag"]


def test_the_first_feed_address_keeps_working(client, launch_content):
    response = client.get("/en/features/feed/?status=ga&utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/en/features/feed.atom?status=ga"


# The catalog offers them ----------------------------------------------------------------------


def test_the_catalog_offers_the_outputs_of_what_it_shows(client, launch_content):
    html = client.get("/en/features/?status=ga&area=networking&sort=name").content.decode()
    for path in (
        "/en/features/feed.atom?status=ga&amp;area=networking",
        "/en/features/feed.json?status=ga&amp;area=networking",
        "/en/features/export.csv?status=ga&amp;area=networking",
        "/en/features/export.json?status=ga&amp;area=networking",
        "/en/features/export.md?status=ga&amp;area=networking",
    ):
        assert f'href="{path}"' in html, path
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Ignite Recap: GA features in '
        'Networking (Atom feed)" href="/en/features/feed.atom?status=ga&amp;area=networking">'
    ) in html


def test_the_htmx_update_carries_the_new_outputs(client, launch_content):
    html = client.get(
        "/en/features/?area=fleet", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    ).content.decode()
    assert 'href="/en/features/feed.atom?area=fleet"' in html
