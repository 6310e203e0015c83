"""Staged edits: a change to published content stays unseen until it is published, now or at
its scheduled moment, as one change recorded in history."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from features.models import DocLink, Feature, ReleaseStatus
from features.staging import stage_status_change
from ignite.models import ContentRevision
from ignite.staging import changes
from ignite.staging.models import StagedEdit, StagedState
from tests.admin_forms import admin_url, page_data
from tests.factories import DocLinkFactory, FeatureFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """A fixed time that a test moves on by hand."""
    fixed = Clock(NOW)
    monkeypatch.setattr(timezone, "now", fixed)
    return fixed


@pytest.fixture
def feature(db):
    feature = FeatureFactory(summary_en="The live summary.")
    DocLinkFactory(feature=feature, title_en="Live link", url="https://example.com/live")
    return feature


def stage(client, obj, **changes_):
    url = admin_url(obj, "change")
    return client.post(url, {**page_data(client.get(url)), **changes_, "_stage": "1"})


def public_text(obj) -> str:
    return Client().get(obj.get_absolute_url()).content.decode()


def test_staging_a_published_feature_leaves_the_public_page_and_the_row_unchanged(
    editor_client, feature
):
    before = Feature.objects.get(pk=feature.pk)
    revision = ContentRevision.current().number

    response = stage(editor_client, feature, summary_en="The staged summary.")

    assert response.status_code == 302
    edit = StagedEdit.objects.get()
    assert edit.state == StagedState.PENDING
    assert edit.form_data["summary_en"] == ["The staged summary."]
    assert "_stage" not in edit.form_data and "csrfmiddlewaretoken" not in edit.form_data
    after = Feature.objects.get(pk=feature.pk)
    assert (after.summary_en, after.updated_at) == (before.summary_en, before.updated_at)
    assert ContentRevision.current().number == revision
    assert "The live summary." in public_text(feature)
    assert "The staged summary." not in public_text(feature)
    assert edit.history.count() == 1


def test_an_invalid_staged_change_shows_the_errors_and_keeps_nothing(editor_client, feature):
    response = stage(editor_client, feature, name="")

    assert response.status_code == 200
    assert response.context["errors"]
    assert StagedEdit.objects.count() == 0
    assert Feature.objects.get(pk=feature.pk).name == feature.name


def test_the_change_form_offers_staging_only_for_published_content(editor_client, feature):
    assert b'name="_stage"' in editor_client.get(admin_url(feature, "change")).content
    draft = FeatureFactory(draft=True)
    assert b'name="_stage"' not in editor_client.get(admin_url(draft, "change")).content


def test_staging_a_draft_is_refused_with_a_message(editor_client):
    draft = FeatureFactory(draft=True)
    response = stage(editor_client, draft, summary_en="Staged.")
    assert response.status_code == 302
    assert StagedEdit.objects.count() == 0
    assert "save a draft directly" in Client.get(editor_client, response.url).content.decode()


def test_the_preview_shows_the_staged_text_and_keeps_nothing(editor_client, feature):
    stage(editor_client, feature, summary_en="The staged summary.")
    edit = StagedEdit.objects.get()
    revision = ContentRevision.objects.get()
    history = feature.history.count()

    response = editor_client.get(reverse("admin:ignite_stagededit_preview", args=[edit.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Preview of staged change #{edit.pk} — not public" in page
    assert "The staged summary." in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert Feature.objects.get(pk=feature.pk).summary_en == "The live summary."
    stored = ContentRevision.objects.get()
    assert (stored.number, stored.changed_at) == (revision.number, revision.changed_at)
    assert feature.history.count() == history
    assert "The staged summary." not in public_text(feature)


def test_only_previewers_who_may_change_the_object_see_a_preview(client, editor_client, feature):
    stage(editor_client, feature, summary_en="Secret staged text.")
    url = reverse("admin:ignite_stagededit_preview", args=[StagedEdit.objects.get().pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_publishing_now_applies_fields_and_inlines_and_records_history(
    editor_client, publisher, feature
):
    url = admin_url(feature, "change")
    data = page_data(editor_client.get(url))
    data.update(summary_en="Published summary.", **{"doc_links-0-title_en": "Renamed link"})
    editor_client.post(url, {**data, "_stage": "1"})
    edit = StagedEdit.objects.get()

    publisher_client = Client()
    publisher_client.force_login(publisher)
    response = publisher_client.post(reverse("admin:ignite_stagededit_publish", args=[edit.pk]))

    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.summary_en == "Published summary."
    assert DocLink.objects.get(feature=feature).title_en == "Renamed link"
    edit.refresh_from_db()
    assert (edit.state, edit.published_by) == (StagedState.PUBLISHED, publisher)
    latest = feature.history.first()
    assert latest.history_change_reason.startswith(f"Published staged change #{edit.pk}")
    assert latest.history_user == publisher
    assert [record.history_change_reason for record in edit.history.all()][:1] == ["published"]
    assert "Published summary." in public_text(feature)


def test_a_failing_replay_saves_nothing_and_marks_the_edit_failed(editor_client, feature):
    stage(editor_client, feature, summary_en="Staged.", **{"doc_links-0-title_en": "Renamed"})
    edit = StagedEdit.objects.get()
    DocLink.objects.filter(feature=feature).delete()  # the inline row the edit changes is gone
    Feature.objects.filter(pk=feature.pk).update(updated_at=edit.base_updated_at)

    response = editor_client.post(reverse("admin:ignite_stagededit_publish", args=[edit.pk]))

    assert response.status_code == 302
    edit.refresh_from_db()
    assert edit.state == StagedState.FAILED and edit.message
    assert Feature.objects.get(pk=feature.pk).summary_en == "The live summary."


def test_a_live_change_since_staging_is_refused_unless_overridden(editor_client, feature):
    stage(editor_client, feature, summary_en="Staged summary.")
    edit = StagedEdit.objects.get()
    Feature.objects.filter(pk=feature.pk).update(
        summary_en="Changed meanwhile.", updated_at=timezone.now() + datetime.timedelta(seconds=5)
    )
    url = reverse("admin:ignite_stagededit_publish", args=[edit.pk])

    response = editor_client.post(url, follow=True)

    assert "The live version changed after this was staged" in response.content.decode()
    assert Feature.objects.get(pk=feature.pk).summary_en == "Changed meanwhile."
    assert StagedEdit.objects.get().state == StagedState.PENDING

    editor_client.post(url, {"_override": "1"})
    assert Feature.objects.get(pk=feature.pk).summary_en == "Staged summary."


def test_an_editor_cannot_schedule_but_may_propose_a_time(editor_client, editor, feature):
    stage(editor_client, feature, summary_en="Staged.")
    edit = StagedEdit.objects.get()
    when = timezone.localtime() + datetime.timedelta(days=1)
    field = f"{edit.pk}-publish_at"

    editor_client.post(
        reverse("admin:ignite_stagededit_schedule", args=[edit.pk]),
        {field: when.strftime("%Y-%m-%dT%H:%M")},
    )

    edit.refresh_from_db()
    assert edit.state == StagedState.PENDING and edit.publish_at is None
    assert edit.proposed_publish_at is not None
    with pytest.raises(changes.StagingError):
        changes.schedule_publication(edit, editor, when)
    assert StagedEdit.objects.get().state == StagedState.PENDING


def test_a_publisher_schedules_a_staged_change(editor_client, publisher, feature):
    stage(editor_client, feature, summary_en="Staged.")
    edit = StagedEdit.objects.get()
    when = timezone.localtime() + datetime.timedelta(days=1)
    publisher_client = Client()
    publisher_client.force_login(publisher)

    publisher_client.post(
        reverse("admin:ignite_stagededit_schedule", args=[edit.pk]),
        {f"{edit.pk}-publish_at": when.strftime("%Y-%m-%dT%H:%M")},
    )

    edit.refresh_from_db()
    assert (edit.state, edit.scheduled_by) == (StagedState.SCHEDULED, publisher)
    assert ContentRevision.objects.get().next_change_at == edit.publish_at
    assert Feature.objects.get(pk=feature.pk).summary_en == "The live summary."


def test_a_scheduled_change_goes_live_with_the_first_request_after_its_moment(
    clock, editor, publisher, feature, settings
):
    settings.PAGE_CACHE_SECONDS = 3600
    url = feature.get_absolute_url()
    editor_client = Client()
    editor_client.force_login(editor)
    stage(editor_client, feature, summary_en="Scheduled summary.")
    edit = StagedEdit.objects.get()
    changes.schedule_publication(edit, publisher, NOW + datetime.timedelta(hours=1))

    reader = Client()
    assert "The live summary." in reader.get(url).content.decode()
    assert reader.get(url).headers["X-Page-Cache"] == "hit"

    clock.now = NOW + datetime.timedelta(hours=1, seconds=1)
    response = reader.get(url)

    assert response.headers["X-Page-Cache"] == "miss"
    assert "Scheduled summary." in response.content.decode()
    edit.refresh_from_db()
    assert (edit.state, edit.published_by) == (StagedState.PUBLISHED, publisher)
    assert feature.history.first().history_user == publisher
    assert reader.get(url).headers["X-Page-Cache"] == "hit"


def test_applying_due_changes_twice_publishes_once(clock, editor_client, publisher, feature):
    stage(editor_client, feature, summary_en="Once.")
    edit = StagedEdit.objects.get()
    changes.schedule_publication(edit, publisher, NOW + datetime.timedelta(minutes=5))
    clock.now = NOW + datetime.timedelta(minutes=6)

    assert [e.pk for e in changes.apply_due(clock.now)] == [edit.pk]
    history = feature.history.count()
    assert changes.apply_due(clock.now) == []
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "0 scheduled" in out.getvalue()
    assert feature.history.count() == history


def test_a_scheduled_change_whose_live_version_moved_on_fails_with_a_message(
    clock, editor_client, publisher, feature
):
    stage(editor_client, feature, summary_en="Stale.")
    edit = StagedEdit.objects.get()
    changes.schedule_publication(edit, publisher, NOW + datetime.timedelta(minutes=5))
    Feature.objects.filter(pk=feature.pk).update(
        summary_en="Newer.", updated_at=NOW + datetime.timedelta(minutes=1)
    )
    clock.now = NOW + datetime.timedelta(minutes=6)

    assert changes.apply_due(clock.now) == []

    edit.refresh_from_db()
    assert edit.state == StagedState.FAILED and "live version changed" in edit.message
    assert Feature.objects.get(pk=feature.pk).summary_en == "Newer."


def test_a_staged_status_change_reaches_the_timeline_and_changelog_only_once_published(
    editor_client, editor, feature
):
    assert feature.status == ReleaseStatus.GA
    response = editor_client.post(
        reverse("admin:features_feature_record_status", args=[feature.pk]),
        {
            "status": ReleaseStatus.RETIRED,
            "date": "2026-11-20",
            "date_precision": "day",
            "note_en": "Retired in favour of something newer",
            "staged_note": "For the publisher",
            "_stage": "Stage for later",
        },
    )
    assert response.status_code == 302
    edit = StagedEdit.objects.get()
    assert (edit.note, edit.status_entry["status"]) == ("For the publisher", ReleaseStatus.RETIRED)
    changelog = reverse("features:changes")
    assert "Retired in favour of something newer" not in public_text(feature)
    assert "Retired in favour of something newer" not in Client().get(changelog).content.decode()
    assert Feature.objects.get(pk=feature.pk).status == ReleaseStatus.GA

    changes.publish_now(edit, editor)

    assert Feature.objects.get(pk=feature.pk).status == ReleaseStatus.RETIRED
    assert "Retired in favour of something newer" in public_text(feature)
    assert "Retired in favour of something newer" in Client().get(changelog).content.decode()


def test_stage_status_change_is_callable_from_other_views(editor, feature):
    edit = stage_status_change(
        feature,
        {"status": ReleaseStatus.RETIRED, "date": datetime.date(2026, 11, 20), "event": None},
        editor,
        note="From elsewhere",
    )
    assert edit.status_entry == {"status": "retired", "date": "2026-11-20", "event_id": None}
    with pytest.raises(changes.StagingError):
        stage_status_change(FeatureFactory(draft=True), {"status": "ga", "date": NOW}, editor)


def test_bad_input_gets_a_clear_answer_never_a_500(editor_client, editor, feature):
    missing = reverse("admin:ignite_stagededit_preview", args=[9999])
    response = editor_client.get(missing, follow=True)
    assert response.status_code == 200
    assert "Staged change #9999 does not exist." in response.content.decode()

    stage(editor_client, feature, summary_en="Staged.")
    edit = StagedEdit.objects.get()
    editor_client.post(reverse("admin:ignite_stagededit_discard", args=[edit.pk]))
    assert StagedEdit.objects.get().state == StagedState.DISCARDED
    response = editor_client.post(
        reverse("admin:ignite_stagededit_publish", args=[edit.pk]), follow=True
    )
    assert "can no longer be published" in response.content.decode()
    assert Feature.objects.get(pk=feature.pk).summary_en == "The live summary."
    preview = editor_client.get(
        reverse("admin:ignite_stagededit_preview", args=[edit.pk]), follow=True
    )
    assert preview.status_code == 200
    assert editor_client.get(reverse("admin:ignite_stagededit_changelist")).status_code == 200
    assert (
        editor_client.get(reverse("admin:ignite_stagededit_change", args=[edit.pk])).status_code
        == 200
    )


def test_the_one_status_form_offers_staging_only_for_a_published_feature(editor_client, feature):
    published = editor_client.get(
        reverse("admin:features_feature_record_status", args=[feature.pk])
    )
    assert 'name="_stage"' in published.content.decode()
    draft = FeatureFactory(draft=True)
    page = editor_client.get(reverse("admin:features_feature_record_status", args=[draft.pk]))
    assert 'name="_stage"' not in page.content.decode()
    response = editor_client.post(
        reverse("admin:features_feature_record_status", args=[draft.pk]),
        {
            "status": ReleaseStatus.RETIRED,
            "date": "2026-11-20",
            "date_precision": "day",
            "_stage": "Stage for later",
        },
    )
    # A draft's change is recorded directly: readers do not see drafts anyway.
    assert response.status_code == 302
    assert not StagedEdit.objects.exists()
    assert Feature.objects.get(pk=draft.pk).status == ReleaseStatus.RETIRED
