"""/api/v1/features/: the catalog's own filters, the feature's whole story, drafts never."""

import datetime

import pytest
from django.utils import timezone

from features.models import Feature
from tests.api.conftest import problems, slugs
from tests.factories import (
    DocLinkFactory,
    EventFactory,
    FeatureFactory,
    SessionFactory,
    StatusChangeFactory,
)

pytestmark = pytest.mark.django_db

FEATURES = "/api/v1/features/"


def catalog_slugs(client, query: dict) -> list[str]:
    """What the site's catalog page lists for these parameters (13 features fit on a page)."""
    page = client.get("/en/features/", query, follow=True)
    assert page.context["problems"] == []
    return [feature.slug for feature in page.context["features"]]


def test_the_list_holds_every_published_feature_in_the_catalogs_order(api, client, launch_content):
    response = api(FEATURES, {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 13 and body["next"] is None and body["previous"] is None
    assert slugs(response) == catalog_slugs(client, {})


@pytest.mark.parametrize(
    "query",
    [
        {"status": "ga"},
        {"status": ["ga", "preview"]},
        {"status": "GA"},
        {"area": "networking"},
        {"area": ["networking", "security"]},
        {"session": "brk120"},
        {"session": "BRK120", "status": "ga"},
        {"session": ["lab517", "brk120"]},
        {"event": "ignite-2025"},
        {"q": "dns"},
        {"q": "ＤＮＳ"},
        {"q": "ネットワーク"},
        {"sort": "name"},
        {"sort": "-name"},
        {"sort": "area"},
        {"sort": "-updated"},
        {"sort": "updated"},
        {"status": "public-preview", "sort": "-name", "area": "networking"},
    ],
)
def test_every_filter_selects_what_the_catalog_shows(api, client, launch_content, query):
    response = api(FEATURES, {**query, "page_size": 100})
    assert response.status_code == 200, response.json()
    assert slugs(response) == catalog_slugs(client, query)
    assert slugs(response), "the launch content has features for every example"


def test_ga_features_of_a_session_in_japanese(api, launch_content):
    response = api(FEATURES, {"session": "brk120", "status": "ga", "lang": "ja"})
    body = response.json()
    assert response["Content-Language"] == "ja"
    assert body["count"] == 4
    assert {item["status_label"] for item in body["results"]} == {"一般提供"}
    localdns = next(item for item in body["results"] if item["slug"] == "localdns")
    assert localdns["area"]["name"] == "ネットワーク"
    assert localdns["url"] == "http://testserver/ja/features/localdns/"
    assert localdns["api_url"] == "http://testserver/api/v1/features/localdns/"
    assert "CoreDNS" in localdns["summary"] and localdns["summary_html"].startswith("<p>")


def test_updated_since_takes_a_date_or_a_moment(api, db):
    old = FeatureFactory(slug="old")
    Feature.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2025, 11, 1, 12, tzinfo=datetime.UTC)
    )
    FeatureFactory(slug="fresh")  # updated now
    assert slugs(api(FEATURES, {"updated_since": "2025-11-01"})) == ["old", "fresh"]
    assert slugs(api(FEATURES, {"updated_since": "2025-11-01T12:00:00Z"})) == ["old", "fresh"]
    assert slugs(api(FEATURES, {"updated_since": "2025-11-01T12:00:01Z"})) == ["fresh"]
    # 21:00 in Tokyo is 12:00 UTC.
    assert slugs(api(FEATURES, {"updated_since": "2025-11-01T21:00:00+09:00"})) == [
        "old",
        "fresh",
    ]
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    assert slugs(api(FEATURES, {"updated_since": tomorrow})) == []


@pytest.mark.parametrize(
    "value", ["yesterday", "2025-13-01", "2025-11-31", "0001-01-01T00:00:00+14:00", "x\x00"]
)
def test_a_bad_updated_since_is_named(api, db, value):
    response = api(FEATURES, {"updated_since": value})
    assert response.status_code == 400
    assert list(problems(response)) == ["updated_since"]


def test_pages_link_to_each_other_with_the_same_filters(api, launch_content):
    first = api(FEATURES, {"status": "public-preview", "page_size": 3, "lang": "ja"}).json()
    assert first["count"] == 8 and first["previous"] is None
    assert "page=2" in first["next"] and "status=public-preview" in first["next"]
    assert "lang=ja" in first["next"]
    second = api(first["next"].removeprefix("http://testserver")).json()
    assert second["previous"] and len(second["results"]) == 3
    everything = api(FEATURES, {"status": "public-preview", "page_size": 100})
    pages = [item["slug"] for item in first["results"] + second["results"]]
    assert pages == slugs(everything)[:6]


def test_every_bad_value_is_named_at_once(api, launch_content):
    response = api(
        FEATURES,
        {
            "status": ["ga", "beta"],
            "area": "nowhere",
            "session": "XYZ999",
            "event": "no-event",
            "sort": "price",
            "q": "word " * 11,
            "page": "first",
            "page_size": "500",
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    found = problems(response)
    assert sorted(found) == [
        "area",
        "event",
        "page",
        "page_size",
        "q",
        "session",
        "sort",
        "status",
    ]
    assert found["status"] == ["There is no release status “beta”."]
    assert found["area"] == ["There is no area “nowhere”."]


def test_feature_detail_has_links_related_features_and_the_status_timeline(api, launch_content):
    response = api(f"{FEATURES}acns-container-network-logs/")
    assert response.status_code == 200
    feature = response.json()
    assert feature["status"] == "public-preview" and feature["status_label"] == "Public Preview"
    assert feature["links"][0]["url"].startswith("https://learn.microsoft.com/")
    assert feature["links"][0]["kind"] == "docs"
    assert [related["slug"] for related in feature["related"]] == ["localdns"]
    [entry] = feature["status_history"]
    assert (entry["status"], entry["status_label"]) == ("public-preview", "Public Preview")
    assert (entry["kind"], entry["kind_label"]) == ("new", "Announced")
    # Who says so and as of when: the session that announced it, during the event.
    assert (entry["date"], entry["date_precision"], entry["event"]) == (
        "2025-11-17",
        "event",
        "ignite-2025",
    )
    assert entry["date_text"] == "during Microsoft Ignite 2025 (17–21 November 2025)"
    assert entry["source"]["kind"] == "session" and entry["source"]["session"]["code"] == "BRK120"
    assert entry["source"]["status_as_written"] == "Public Preview"
    assert entry["source"]["url"] is None and entry["checked_on"] == "2026-11-24"
    assert entry["is_correction"] is False and entry["recorded_at"] == "2026-11-24T09:00:00Z"
    assert entry["id"] == str(
        Feature.objects.get(slug="acns-container-network-logs").status_changes.get().uid
    )
    assert "Ignite 2025" in feature["status_history"][0]["note"]
    assert feature["editors_note"] and feature["editors_note_html"].startswith("<p>")
    assert feature["session"]["code"] == "BRK120"


def test_the_status_timeline_is_oldest_first_and_its_last_entry_is_current(api, db):
    feature = FeatureFactory(slug="moving", status="public-preview")
    feature.record_status("public-preview", datetime.date(2025, 11, 17), note_en="Announced")
    feature.record_status("ga", datetime.date(2026, 2, 1), note_en="GA", note_ja="一般提供開始")
    body = api(f"{FEATURES}moving/", {"lang": "ja"}).json()
    assert [(e["date"], e["status"]) for e in body["status_history"]] == [
        ("2025-11-17", "public-preview"),
        ("2026-02-01", "ga"),
    ]
    assert body["status"] == "ga"
    assert body["status_history"][0]["fallback_languages"] == {"note": "en"}
    assert body["status_history"][1]["note"] == "一般提供開始"


def test_drafts_never_appear(api, db):
    published = FeatureFactory(slug="public")
    draft = FeatureFactory(slug="secret", draft=True)
    published.related.add(draft)
    StatusChangeFactory(feature=draft)
    DocLinkFactory(feature=draft)
    assert slugs(api(FEATURES)) == ["public"]
    assert api(f"{FEATURES}secret/").status_code == 404
    assert api(f"{FEATURES}public/").json()["related"] == []
    assert "secret" not in api(FEATURES, {"q": "feature"}).content.decode()


def test_drafts_stay_hidden_from_a_signed_in_editor(api, editor_client, db):
    FeatureFactory(slug="secret", draft=True)
    assert editor_client.get(f"{FEATURES}secret/").status_code == 404
    assert editor_client.get(FEATURES).json()["count"] == 0


def test_a_session_readers_cannot_see_is_left_out(api, db):
    hidden_event = SessionFactory(event=EventFactory(draft=True))
    draft_session = SessionFactory(draft=True)
    FeatureFactory(slug="in-draft-event", session=hidden_event)
    FeatureFactory(slug="in-draft-session", session=draft_session)
    FeatureFactory(slug="no-session", session=None)
    for slug in ("in-draft-event", "in-draft-session", "no-session"):
        assert api(f"{FEATURES}{slug}/").json()["session"] is None
    assert api(FEATURES, {"session": draft_session.code}).status_code == 400


def test_a_text_missing_in_japanese_falls_back_to_english_and_says_so(api, db):
    FeatureFactory(slug="half", summary_en="English summary.", summary_ja="", body_en="Body.")
    feature = api(f"{FEATURES}half/", {"lang": "ja"}).json()
    assert feature["summary"] == "English summary."
    assert feature["fallback_languages"] == {"summary": "en", "body": "en"}
    english = api(f"{FEATURES}half/", {"lang": "en"}).json()
    assert english["fallback_languages"] == {}


def test_a_text_only_in_japanese_is_given_in_english_answers(api, db):
    FeatureFactory(slug="ja-only", summary_en="Summary.", topic_en="", topic_ja="可観測性")
    feature = api(f"{FEATURES}ja-only/").json()
    assert feature["topic"] == "可観測性"
    assert feature["fallback_languages"] == {"topic": "ja"}


def test_accept_language_chooses_when_lang_is_not_given(api, launch_content):
    japanese = api(f"{FEATURES}localdns/", headers={"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8"})
    assert japanese["Content-Language"] == "ja"
    assert japanese.json()["status_label"] == "一般提供"
    french = api(f"{FEATURES}localdns/", headers={"Accept-Language": "fr-FR, de;q=0.5"})
    assert french["Content-Language"] == "en"
    chosen = api(f"{FEATURES}localdns/", {"lang": "en"}, headers={"Accept-Language": "ja"})
    assert chosen["Content-Language"] == "en"
    assert "Accept-Language" in japanese["Vary"]


def test_an_unknown_feature_is_a_404_in_the_problem_shape(api, launch_content):
    response = api(f"{FEATURES}no-such-feature/", {"lang": "ja"})
    assert response.status_code == 404
    assert response.json() == {
        "title": "Not Found",
        "status": 404,
        "detail": "「no-such-feature」という機能はありません。",
        "errors": [],
    }
