"""One path for a release status change: the record form, from a feature's page (one feature,
or one entry being fixed) and as the bulk action, always through `Feature.record_status`."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from features.models import Feature, StatusChange
from ignite.dates import DatePrecision
from tests.admin_forms import admin_url, page_data
from tests.factories import (
    EventFactory,
    FeatureFactory,
    SessionFactory,
    StatusChangeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def record_url(feature, entry=None) -> str:
    if entry is None:
        return reverse("admin:features_feature_record_status", args=[feature.pk])
    return reverse("admin:features_feature_fix_status", args=[feature.pk, entry.pk])


def ignite_session():
    event = EventFactory(
        start_date=datetime.date(2025, 11, 17), end_date=datetime.date(2025, 11, 21)
    )
    return SessionFactory(code="BRK120", event=event)


def test_the_record_view_records_an_entry_with_every_field(editor_client, editor):
    session = ignite_session()
    feature = FeatureFactory(status="preview")
    response = editor_client.post(
        record_url(feature),
        {
            "status": "public-preview",
            "is_correction": "on",
            "date": "2025-11-19",
            "date_precision": "event",
            "event": session.event.pk,
            "source_kind": "session",
            "source_session": session.pk,
            "source_label": "Public Preview",
            "checked_on": "2026-11-24",
            "note_en": "Announced at Ignite",
            "note_ja": "Ignite で発表",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url(feature, "change")
    entry = feature.status_changes.get()
    assert (
        entry.status,
        entry.is_correction,
        entry.date,
        entry.date_precision,
        entry.event,
        entry.source_session,
        entry.source_label,
        entry.checked_on,
        entry.note_en,
        entry.note_ja,
    ) == (
        "public-preview",
        True,
        datetime.date(2025, 11, 17),  # the event's first day: the date known to the event
        DatePrecision.EVENT,
        session.event,
        session,
        "Public Preview",
        datetime.date(2026, 11, 24),
        "Announced at Ignite",
        "Ignite で発表",
    )
    feature.refresh_from_db()
    assert feature.status == "public-preview"
    record = feature.history.first()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "public-preview",
        editor,
        "change release status",
    )
    assert entry.history.get().history_user == editor


def test_a_month_is_stored_as_its_first_day(editor_client):
    feature = FeatureFactory()
    editor_client.post(
        record_url(feature), {"status": "ga", "date": "2026-02-17", "date_precision": "month"}
    )
    entry = feature.status_changes.get()
    assert (entry.date, entry.date_precision) == (datetime.date(2026, 2, 1), "month")


def test_the_record_form_has_no_default_status(editor_client):
    feature = FeatureFactory(status="preview")
    form = editor_client.get(record_url(feature)).context["form"]
    assert form["status"].value() in ("", None)
    response = editor_client.post(record_url(feature), {"date": "2026-01-01"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["status"]
    assert "Please correct the error below." in response.content.decode()
    assert feature.status_changes.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "ga", "date": "not a date"}, "date"),
        ({"status": "ga", "date": "2026-01-01", "source_kind": "session"}, "source_session"),
        ({"status": "ga", "date": "2026-01-01", "date_precision": "event"}, "event"),
        ({"status": "ga", "date": "2026-01-01", "source_url": "javascript:alert(1)"}, "source_url"),
        ({"status": "bogus", "date": "2026-01-01"}, "status"),
    ],
)
def test_bad_input_is_named_by_its_field_and_nothing_is_saved(editor_client, data, field):
    feature = FeatureFactory(status="preview")
    response = editor_client.post(record_url(feature), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert feature.status_changes.count() == 0
    feature.refresh_from_db()
    assert feature.status == "preview"


def test_a_second_entry_on_a_day_is_refused_and_points_to_fix(editor_client):
    feature = FeatureFactory(status="preview")
    feature.record_status("preview", datetime.date(2026, 1, 1))
    response = editor_client.post(record_url(feature), {"status": "ga", "date": "2026-01-01"})
    assert response.status_code == 200
    message = str(response.context["form"].errors["date"])
    assert "use “Fix” on that entry in the status history" in message
    assert list(feature.status_changes.values_list("status", flat=True)) == ["preview"]


def test_fixing_an_entry_rewrites_it_through_the_same_form(editor_client):
    feature = FeatureFactory(status="preview")
    wrong = feature.record_status("ga", datetime.date(2026, 1, 1), note_en="Typo")
    form = editor_client.get(record_url(feature, wrong)).context["form"]
    assert form["status"].value() == "ga"
    response = editor_client.post(
        record_url(feature, wrong),
        {"status": "public-preview", "date": "2026-01-05", "note_en": "Fixed"},
    )
    assert response.status_code == 302
    entry = feature.status_changes.get()
    assert (entry.pk, entry.status, entry.date, entry.note_en) == (
        wrong.pk,
        "public-preview",
        datetime.date(2026, 1, 5),
        "Fixed",
    )
    feature.refresh_from_db()
    assert feature.status == "public-preview"


def test_an_entry_of_another_feature_cannot_be_fixed_from_this_one(editor_client):
    feature, other = FeatureFactory(), FeatureFactory()
    entry = other.record_status("ga", datetime.date(2026, 1, 1))
    response = editor_client.get(record_url(feature, entry))
    assert response.status_code == 404


def test_the_status_field_is_not_a_second_path(editor_client):
    feature = FeatureFactory(status="preview")
    feature.record_status("preview", datetime.date(2025, 11, 17))
    url = admin_url(feature, "change")
    page = editor_client.get(url)
    assert "status" not in page.context["adminform"].form.fields
    response = editor_client.post(url, {**page_data(page), "status": "ga"})
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.status == "preview"
    assert list(feature.status_changes.values_list("status", flat=True)) == ["preview"]


def test_a_history_revert_keeps_the_status_the_history_gives(editor_client):
    feature = FeatureFactory(status="preview")
    old_version = feature.history.first()
    feature.record_status("ga", datetime.date(2026, 1, 1))
    url = admin_url(feature, "simple_history", old_version.history_id)
    response = editor_client.post(url, page_data(editor_client.get(url)))
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.status == "ga"


def test_a_new_feature_gets_its_first_status_recorded(editor_client):
    area = FeatureFactory().area
    form = editor_client.get(reverse("admin:features_feature_add")).context["adminform"].form
    assert form["status"].value() in ("", None)
    assert "Record a status change" in str(form.fields["status"].help_text)
    data = {
        "name": "Brand new",
        "slug": "brand-new",
        "status": "preview",
        "area": area.pk,
        "summary_en": "New.",
        **{
            f"{prefix}-{key}": value
            for prefix in ("doc_links", "material_updates")
            for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    }
    response = editor_client.post(reverse("admin:features_feature_add"), data)
    assert response.status_code == 302
    feature = Feature.objects.get(slug="brand-new")
    entry = feature.status_changes.get()
    assert (feature.status, entry.status) == ("preview", "preview")


def test_the_timeline_comes_before_the_form(editor_client):
    session = ignite_session()
    feature = FeatureFactory(status="ga")
    StatusChangeFactory(
        feature=feature,
        status="public-preview",
        date=session.event.start_date,
        date_precision="event",
        event=session.event,
        source_kind="session",
        source_session=session,
        source_label="Public Preview",
    )
    StatusChangeFactory(
        feature=feature,
        status="ga",
        date=datetime.date(2026, 2, 1),
        date_precision="month",
        source_url="https://example.com/ga",
        source_title="GA post",
    )
    html = editor_client.get(admin_url(feature, "change")).content.decode()
    timeline = html.index('class="module status-summary"')
    assert timeline < html.index('name="name"') < html.index('name="summary_en"')
    assert html.index("Record a status change") > timeline
    assert record_url(feature) in html
    for entry in feature.status_changes.all():
        assert record_url(feature, entry) in html
    assert f"during {session.event.name} (17–21 November 2025)" in html  # known to the event
    assert "February 2026" in html  # the month, not a day it is not known to
    assert "GA post" in html and "Public Preview" in html


def test_the_bulk_action_uses_the_same_form(editor_client):
    features = [FeatureFactory(status="preview"), FeatureFactory(status="preview")]
    response = editor_client.post(
        reverse("admin:features_feature_changelist"),
        {"action": "change_status", "_selected_action": [f.pk for f in features]},
    )
    html = response.content.decode()
    assert response.templates[0].name == "admin/features/feature/status_form.html"
    assert type(response.context["form"]).__name__ == "StatusChangeForm"
    assert response.context["form"]["status"].value() in ("", None)
    assert all(feature.name in html for feature in features)
    assert 'class="breadcrumbs"' in html and "cancel-link" in html
    assert 'class="module aligned' in html


# Who may record -------------------------------------------------------------------------------


def test_someone_who_may_only_view_features_is_refused(client):
    viewer = UserFactory()
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_feature", "view_statuschange"])
    )
    client.force_login(viewer)
    feature = FeatureFactory(status="preview")
    entry = feature.record_status("preview", datetime.date(2026, 1, 1))
    assert client.get(record_url(feature)).status_code == 403
    assert (
        client.post(record_url(feature), {"status": "ga", "date": "2026-02-01"}).status_code == 403
    )
    assert (
        client.post(record_url(feature, entry), {"status": "ga", "date": "2026-01-01"}).status_code
        == 403
    )
    assert list(StatusChange.objects.values_list("status", flat=True)) == ["preview"]
    html = client.get(admin_url(feature, "change")).content.decode()
    assert record_url(feature) not in html


def test_someone_signed_out_is_sent_to_the_login(client):
    feature = FeatureFactory()
    response = client.post(record_url(feature), {"status": "ga", "date": "2026-02-01"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert feature.status_changes.count() == 0
