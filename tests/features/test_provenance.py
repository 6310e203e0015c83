"""Every status claim says who made it and when; previews carry their caveat."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from features.models import ChangeKind, SourceKind, StatusChange
from ignite.dates import DatePrecision
from tests.factories import (
    EventFactory,
    FeatureFactory,
    SessionFactory,
    StatusChangeFactory,
    refused_by_database,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db

IGNITE = {"name_en": "Microsoft Ignite 2025", "name_ja": "Microsoft Ignite 2025"}


def ignite_event(**kwargs):
    return EventFactory(
        **IGNITE,
        start_date=datetime.date(2025, 11, 17),
        end_date=datetime.date(2025, 11, 21),
        **kwargs,
    )


def announced_at_ignite(feature, session, **kwargs):
    return StatusChangeFactory(
        feature=feature,
        status=kwargs.pop("status", "public-preview"),
        date=session.event.start_date,
        date_precision=DatePrecision.EVENT,
        event=session.event,
        source_kind=SourceKind.SESSION,
        source_session=session,
        source_label="Public Preview",
        **kwargs,
    )


# Dates no more precise than the source ----------------------------------------------------


def test_a_date_known_to_the_month_is_stored_as_the_first_of_the_month():
    entry = StatusChangeFactory(date=datetime.date(2026, 3, 18), date_precision="month")
    entry.refresh_from_db()
    assert entry.date == datetime.date(2026, 3, 1)
    assert entry.when == "March 2026"
    with translation.override("ja"):
        assert entry.when == "2026年3月"


def test_a_date_known_only_as_during_an_event_is_written_as_the_event():
    event = ignite_event()
    entry = StatusChangeFactory(
        date=datetime.date(2025, 11, 19), date_precision="event", event=event
    )
    entry.refresh_from_db()
    assert entry.date == datetime.date(2025, 11, 17)  # sorts with the event's first day
    assert entry.when == "during Microsoft Ignite 2025 (17–21 November 2025)"
    with translation.override("ja"):
        assert entry.when == "Microsoft Ignite 2025 期間中（2025年11月17日〜21日）"


def test_a_day_is_written_as_a_day():
    entry = StatusChangeFactory(date=datetime.date(2026, 3, 18))
    assert entry.when == "18 March 2026"


@pytest.mark.parametrize(
    "values",
    [
        {"date_precision": "event"},  # no event named
        {"date_precision": "day", "event": "event"},  # an event but not its precision
        {"date_precision": "week"},
        {"source_kind": "rumour"},
        {"source_kind": "documentation", "source_session": "session"},
        {"source_url": "javascript:alert(1)"},
    ],
)
def test_the_database_refuses_an_inconsistent_source_or_precision(values):
    values = dict(values)
    if values.get("event") == "event":
        values["event"] = EventFactory()
    if values.get("source_session") == "session":
        values["source_session"] = SessionFactory()
    refused_by_database(StatusChangeFactory, **values)


def test_model_validation_explains_each_inconsistency():
    entry = StatusChangeFactory.build(
        feature=FeatureFactory(),
        date=datetime.date(2025, 11, 17),
        date_precision="event",
        source_kind="session",
        checked_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert set(refused.value.message_dict) == {"event", "source_session", "checked_on"}


# Kinds of change --------------------------------------------------------------------------


def _kinds(feature):
    return [
        (change.status, change.kind)
        for change in StatusChange.objects.filter(feature=feature).with_kind().order_by("date")
    ]


def test_each_entry_knows_what_kind_of_change_it_is():
    feature = FeatureFactory(status="preview")
    day = datetime.date(2025, 1, 1)
    for offset, status, correction in [
        (0, "preview", False),
        (30, "public-preview", False),
        (60, "preview", False),
        (75, "preview", False),
        (90, "ga", False),
        (120, "public-preview", True),
        (150, "retired", False),
    ]:
        StatusChangeFactory(
            feature=feature,
            status=status,
            date=day + datetime.timedelta(days=offset),
            is_correction=correction,
        )
    assert _kinds(feature) == [
        ("preview", ChangeKind.NEW),
        ("public-preview", ChangeKind.PROMOTED),
        ("preview", ChangeKind.CHANGED),
        ("preview", ChangeKind.CONFIRMED),
        ("ga", ChangeKind.PROMOTED),
        ("public-preview", ChangeKind.CORRECTED),
        ("retired", ChangeKind.RETIRED),
    ]


def test_an_entry_backdated_before_the_first_becomes_the_new_announcement():
    feature = FeatureFactory(status="ga")
    StatusChangeFactory(feature=feature, status="ga", date=datetime.date(2026, 3, 1))
    StatusChangeFactory(feature=feature, status="preview", date=datetime.date(2025, 6, 1))
    assert _kinds(feature) == [("preview", ChangeKind.NEW), ("ga", ChangeKind.PROMOTED)]


# What readers see ---------------------------------------------------------------------------


def test_the_feature_page_says_who_claims_the_status_and_as_of_when(client):
    session = SessionFactory(code="BRK120", slug="brk120", event=ignite_event())
    feature = FeatureFactory(status="public-preview", session=session)
    announced_at_ignite(feature, session, checked_on=datetime.date(2026, 11, 24))
    html = client.get(feature.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert (
        f"Public Preview as of 24 Nov 2026 · announced in BRK120 {session.title} during "
        "Microsoft Ignite 2025 (17–21 November 2025)" in text
    )
    assert f'<a href="{session.get_absolute_url()}" lang="en"><span class="session-code">' in html
    assert "Source (Conference session): BRK120 · as written there: “" in text
    assert 'as written there: “<span lang="en">Public Preview</span>”' in html
    assert "Checked on 24 Nov 2026" in text


def test_a_later_status_names_its_own_source(client):
    session = SessionFactory(event=ignite_event())
    feature = FeatureFactory(status="public-preview", session=session)
    announced_at_ignite(feature, session)
    feature.record_status(
        "ga",
        datetime.date(2026, 3, 1),
        date_precision="month",
        source_kind="documentation",
        source_title="What is AKS?",
        source_url="https://learn.microsoft.com/azure/aks/what-is-aks",
        checked_on=datetime.date(2026, 11, 24),
    )
    html = client.get(feature.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert "GA as of 24 Nov 2026" in text
    assert "GA according to What is AKS?" in text
    assert (
        'href="https://learn.microsoft.com/azure/aks/what-is-aks" rel="external noopener"' in html
    )
    assert "Promoted March 2026" in text


def test_a_draft_session_is_named_but_not_linked(client):
    session = SessionFactory(code="BRK999", draft=True, event=ignite_event())
    feature = FeatureFactory(session=None)
    announced_at_ignite(feature, session)
    html = client.get(feature.get_absolute_url()).content.decode()
    assert (
        f'<span lang="en"><span class="session-code">BRK999</span> {session.title}</span>' in html
    )
    assert session.get_absolute_url() not in html


def test_an_entry_without_a_source_says_so(client):
    feature = FeatureFactory()
    StatusChangeFactory(feature=feature, status="ga")
    assert "No source recorded." in visible_text(
        client.get(feature.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("status", "caveat"),
    [("public-preview", True), ("preview", True), ("private-preview", True), ("ga", False)],
)
def test_previews_carry_a_caveat_in_both_languages(client, status, caveat):
    feature = FeatureFactory(status=status)
    english = visible_text(client.get(feature.get_absolute_url()).content.decode())
    japanese = visible_text(client.get(f"/ja{feature.get_absolute_url()[3:]}").content.decode())
    assert ("service-level agreement" in english) is caveat
    assert ("SLA" in japanese) is caveat


def test_the_caveat_links_the_preview_terms_only_where_the_content_has_them(client):
    terms = "https://azure.microsoft.com/support/legal/preview-supplemental-terms/"
    without = FeatureFactory(status="preview")
    with_terms = FeatureFactory(
        status="preview", session=SessionFactory(event=EventFactory(preview_terms_url=terms))
    )
    assert terms not in client.get(without.get_absolute_url()).content.decode()
    assert f'href="{terms}"' in client.get(with_terms.get_absolute_url()).content.decode()


def test_the_japanese_page_writes_the_claim_in_japanese(client):
    session = SessionFactory(code="BRK120", event=ignite_event())
    feature = FeatureFactory(status="public-preview", session=session)
    announced_at_ignite(feature, session, checked_on=datetime.date(2026, 11, 24))
    with translation.override("ja"):
        url = feature.get_absolute_url()
    text = visible_text(client.get(url).content.decode())
    assert "2026年11月24日時点でパブリック プレビュー" in text
    assert (
        f"Microsoft Ignite 2025 期間中（2025年11月17日〜21日）に BRK120 {session.title} で発表"
        in text
    )


# Editors record the source -----------------------------------------------------------------


def test_the_change_status_action_records_the_source(editor_client):
    session = SessionFactory(event=ignite_event())
    features = [FeatureFactory(status="preview"), FeatureFactory(status="preview")]
    response = editor_client.post(
        reverse("admin:features_feature_changelist"),
        {
            "action": "change_status",
            "_selected_action": [f.pk for f in features],
            "apply": "1",
            "status": "public-preview",
            "date": "2025-11-19",
            "date_precision": "event",
            "event": session.event.pk,
            "source_kind": "session",
            "source_session": session.pk,
            "source_label": "Public Preview",
            "checked_on": "2026-11-24",
        },
    )
    assert response.status_code == 302
    for feature in features:
        entry = feature.status_changes.get()
        assert (entry.date, entry.source_session, entry.checked_on) == (
            datetime.date(2025, 11, 17),
            session,
            datetime.date(2026, 11, 24),
        )
        feature.refresh_from_db()
        assert feature.status == "public-preview"


def test_the_change_status_action_has_no_default_status(editor_client):
    feature = FeatureFactory()
    response = editor_client.post(
        reverse("admin:features_feature_changelist"),
        {"action": "change_status", "_selected_action": [feature.pk]},
    )
    form = response.context["form"]
    assert form["status"].value() in ("", None)
    refused = editor_client.post(
        reverse("admin:features_feature_changelist"),
        {
            "action": "change_status",
            "_selected_action": [feature.pk],
            "apply": "1",
            "date": "2026-01-01",
        },
    )
    assert refused.status_code == 200 and "status" in refused.context["form"].errors
    assert feature.status_changes.count() == 0


def test_the_action_refuses_a_session_source_without_a_session(editor_client):
    feature = FeatureFactory()
    response = editor_client.post(
        reverse("admin:features_feature_changelist"),
        {
            "action": "change_status",
            "_selected_action": [feature.pk],
            "apply": "1",
            "status": "ga",
            "date": "2026-01-01",
            "source_kind": "session",
        },
    )
    assert "source_session" in response.context["form"].errors
    assert feature.status_changes.count() == 0
