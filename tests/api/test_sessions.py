"""/api/v1/sessions/, speakers/ and events/: people, key points, links to their features."""

import pytest

from tests.factories import (
    EventFactory,
    FeatureFactory,
    KeyPointFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SpeakerLinkFactory,
)

pytestmark = pytest.mark.django_db


def test_sessions_list_with_people_and_feature_counts(api, launch_content):
    body = api("/api/v1/sessions/").json()
    assert [session["code"] for session in body["results"]] == ["BRK120", "LAB517"]
    brk120 = body["results"][0]
    assert brk120["feature_count"] == 13
    assert brk120["people"][0]["speaker"]["slug"] == "brendan-burns"
    assert brk120["people"][0]["session_role"] == "speaker"
    assert brk120["event"]["slug"] == "ignite-2025"
    assert brk120["features_api_url"] == (
        "http://testserver/api/v1/features/?event=ignite-2025&session=brk120"
    )
    assert brk120["api_url"] == "http://testserver/api/v1/sessions/brk120/"
    assert brk120["url"] == "http://testserver/en/sessions/brk120/"


def test_a_sessions_features_url_lists_its_features(api, launch_content):
    session = api("/api/v1/sessions/brk120/").json()
    features = api(session["features_api_url"].removeprefix("http://testserver")).json()
    assert features["count"] == session["feature_count"]


def test_session_detail_has_key_points_under_headings(api, launch_content):
    session = api("/api/v1/sessions/brk120/", {"lang": "ja"}).json()
    assert session["kind"] == "breakout" and session["kind_label"] == "ブレイクアウト"
    groups = session["key_points"]
    assert groups and all(group["points"] for group in groups)
    assert groups[0]["heading"]
    assert groups[0]["points"][0]["text_html"].startswith("<p>")


def test_a_code_in_any_case_redirects_to_the_session(api, launch_content):
    response = api("/api/v1/sessions/BRK120/", {"lang": "ja"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/sessions/brk120/?lang=ja"
    assert api("/api/v1/sessions/xyz999/").status_code == 404


def test_drafts_and_sessions_of_draft_events_never_appear(api, db):
    public = SessionFactory(slug="public", code="PUB1")
    SessionFactory(slug="draft", code="DRF1", draft=True)
    SessionFactory(slug="hidden", code="HID1", event=EventFactory(draft=True))
    SessionSpeakerFactory(session=public, speaker=SpeakerFactory(slug="shy", draft=True))
    FeatureFactory(session=public, draft=True)
    body = api("/api/v1/sessions/").json()
    assert [session["slug"] for session in body["results"]] == ["public"]
    assert body["results"][0]["people"] == []
    assert body["results"][0]["feature_count"] == 0
    for slug in ("draft", "hidden", "DRF1"):
        assert api(f"/api/v1/sessions/{slug}/").status_code == 404
    assert api("/api/v1/speakers/shy/").status_code == 404


def test_speakers_with_links_and_sessions(api, launch_content):
    names = [speaker["name"] for speaker in api("/api/v1/speakers/").json()["results"]]
    assert names == sorted(names) and len(names) == 3
    speaker = api("/api/v1/speakers/paul-yu/", {"lang": "ja"}).json()
    assert speaker["sessions"][0]["session"]["code"] == "LAB517"
    assert speaker["sessions"][0]["session_role"] == "content-owner"
    assert speaker["url"] == "http://testserver/ja/speakers/paul-yu/"


def test_a_speakers_sessions_leave_out_the_hidden_ones(api, db):
    speaker = SpeakerFactory(slug="someone")
    SpeakerLinkFactory(speaker=speaker, label_en="GitHub", url="https://github.com/someone")
    SessionSpeakerFactory(speaker=speaker, session=SessionFactory(code="SEEN1"))
    SessionSpeakerFactory(speaker=speaker, session=SessionFactory(code="DRAFT1", draft=True))
    body = api("/api/v1/speakers/someone/").json()
    assert [item["session"]["code"] for item in body["sessions"]] == ["SEEN1"]
    assert body["links"] == [
        {"label": "GitHub", "url": "https://github.com/someone", "fallback_languages": {}}
    ]


def test_events_list_and_detail(api, launch_content):
    events = api("/api/v1/events/").json()
    assert slugs_of(events) == ["ignite-2025"]
    event = api("/api/v1/events/ignite-2025/", {"lang": "ja"}).json()
    assert event["city"] == "サンフランシスコ"
    assert [session["code"] for session in event["sessions"]] == ["BRK120", "LAB517"]
    assert event["official_url"] == "https://ignite.microsoft.com/"
    assert event["features_api_url"] == "http://testserver/api/v1/features/?event=ignite-2025"


def test_draft_events_never_appear(api, db):
    EventFactory(slug="next-year", draft=True)
    assert api("/api/v1/events/").json()["count"] == 0
    assert api("/api/v1/events/next-year/").status_code == 404


def test_an_empty_address_is_null_not_an_empty_string(api, db):
    SessionFactory(slug="plain", url="", repository_url="")
    session = api("/api/v1/sessions/plain/").json()
    assert session["official_url"] is None and session["repository_url"] is None


def test_key_points_without_a_heading_form_one_group(api, db):
    session = SessionFactory(slug="points")
    KeyPointFactory(session=session, order=1, text_en="First.")
    KeyPointFactory(session=session, order=2, text_en="Second.")
    groups = api("/api/v1/sessions/points/").json()["key_points"]
    assert [(group["heading"], [p["text"] for p in group["points"]]) for group in groups] == [
        ("", ["First.", "Second."])
    ]


def slugs_of(body: dict) -> list[str]:
    return [item["slug"] for item in body["results"]]
