"""Scheduled publishing: content appears and leaves by itself at its minute, everywhere, in
every process, and no cached page outlives a scheduled moment."""

import datetime
import json
from io import StringIO

import feedparser
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from features.models import Feature
from ignite import rules
from ignite.models import ContentRevision
from ignite.page_cache import _lifetime
from ignite.publishing import PublicationState
from ignite.schedule_admin import upcoming_changes
from sessions.models import Session
from tests.admin_forms import admin_url, page_data, post_change_form
from tests.factories import EventFactory, FeatureFactory, SessionFactory

pytestmark = pytest.mark.django_db

KEYNOTE = datetime.datetime(2026, 11, 18, 17, 0, tzinfo=datetime.UTC)  # 09:00 in Los Angeles
BEFORE = KEYNOTE - datetime.timedelta(minutes=5)
JUST_BEFORE = KEYNOTE - datetime.timedelta(seconds=1)
AT = KEYNOTE
LATER = KEYNOTE + datetime.timedelta(hours=2)


@pytest.fixture
def keynote_feature(db):
    """A feature published ahead of time, scheduled to appear at the keynote minute."""
    with time_machine.travel(BEFORE, tick=False):
        feature = FeatureFactory(
            name="Keynote Feature",
            slug="keynote-feature",
            summary_en="Announced at the keynote.",
            publish_at=KEYNOTE,
            first_published_at=None,
        )
    return feature


def catalog_slugs(client, query: str = "") -> list[str]:
    response = client.get(f"/en/features/export.json{query}")
    assert response.status_code == 200
    return [item["slug"] for item in json.loads(response.content)["features"]]


def visible_everywhere(client, slug: str) -> dict[str, bool]:
    """Where readers would find the feature: page, catalog, feed, sitemap, export, API."""
    sitemap = "".join(
        client.get(f"/sitemap-features.xml?p={page}").content.decode() for page in (1,)
    )
    feed = feedparser.parse(client.get("/en/features/feed.atom").content)
    api = client.get("/api/v1/features/").json()
    return {
        "page": client.get(f"/en/features/{slug}/").status_code == 200,
        "catalog": slug in client.get("/en/features/").content.decode(),
        "export": slug in catalog_slugs(client),
        "feed": any(slug in entry.link for entry in feed.entries),
        "sitemap": f"/features/{slug}/" in sitemap,
        "api": slug in [item["slug"] for item in api["results"]],
    }


def test_a_scheduled_feature_is_invisible_until_its_minute_then_everywhere(client, keynote_feature):
    with time_machine.travel(JUST_BEFORE, tick=False):
        assert set(visible_everywhere(client, "keynote-feature").values()) == {False}
    with time_machine.travel(AT, tick=False):
        assert visible_everywhere(client, "keynote-feature") == dict.fromkeys(
            ("page", "catalog", "export", "feed", "sitemap", "api"), True
        )


def test_the_feed_dates_a_scheduled_feature_at_its_moment(client, keynote_feature):
    keynote_feature.refresh_from_db()
    assert keynote_feature.first_published_at == KEYNOTE
    with time_machine.travel(LATER, tick=False):
        feed = feedparser.parse(client.get("/en/features/feed.atom").content)
    entry = next(e for e in feed.entries if "keynote-feature" in e.link)
    assert entry.published.startswith("2026-11-18T17:00:00")


def test_moving_the_moment_before_it_passes_moves_the_publication_date(keynote_feature):
    with time_machine.travel(BEFORE, tick=False):
        keynote_feature.publish_at = KEYNOTE + datetime.timedelta(hours=1)
        keynote_feature.save()
    keynote_feature.refresh_from_db()
    assert keynote_feature.first_published_at == KEYNOTE + datetime.timedelta(hours=1)


def test_unpublishing_can_be_scheduled(client, db):
    with time_machine.travel(BEFORE, tick=False):
        FeatureFactory(slug="retiring", unpublish_at=KEYNOTE)
    with time_machine.travel(JUST_BEFORE, tick=False):
        assert client.get("/en/features/retiring/").status_code == 200
        assert "retiring" in catalog_slugs(client)
    with time_machine.travel(AT, tick=False):
        assert client.get("/en/features/retiring/").status_code == 404
        assert "retiring" not in catalog_slugs(client)


def test_a_session_of_a_scheduled_event_waits_for_its_event(client, db):
    with time_machine.travel(BEFORE, tick=False):
        event = EventFactory(publish_at=KEYNOTE)
        session = SessionFactory(event=event, code="BRK999")
    with time_machine.travel(JUST_BEFORE, tick=False):
        assert not Session.objects.visible().filter(pk=session.pk).exists()
        assert not Session.objects.get(pk=session.pk).is_visible()
        assert client.get(session.get_absolute_url()).status_code == 404
    with time_machine.travel(AT, tick=False):
        assert Session.objects.visible().filter(pk=session.pk).exists()
        assert client.get(session.get_absolute_url()).status_code == 200


def test_facet_counts_follow_the_schedule(client, keynote_feature):
    area = keynote_feature.area.slug
    with time_machine.travel(BEFORE, tick=False):
        FeatureFactory(area=keynote_feature.area)  # so the area is listed before the keynote

    def area_count(response) -> int:
        (option,) = [o for o in response.context["facets"]["area"] if o.value == area]
        return option.count

    with time_machine.travel(JUST_BEFORE, tick=False):
        before = client.get("/en/features/?status=ga")
    with time_machine.travel(AT, tick=False):
        after = client.get("/en/features/?status=ga")
    assert (area_count(before), area_count(after)) == (1, 2)


def test_the_page_cache_serves_nothing_stale_across_the_moment(client, keynote_feature):
    with time_machine.travel(BEFORE, tick=False):
        ContentRevision.bump()  # as the save that scheduled it did, at the time
        assert client.get("/en/features/").headers["X-Page-Cache"] == "miss"
        cached = client.get("/en/features/")
        assert cached.headers["X-Page-Cache"] == "hit"
        assert "keynote-feature" not in cached.content.decode()
        revision = ContentRevision.current()
        assert revision.next_change_at == KEYNOTE
        assert 0 < _lifetime(revision) <= 300  # stored no longer than until the keynote
    with time_machine.travel(AT, tick=False):
        fresh = client.get("/en/features/")
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert "keynote-feature" in fresh.content.decode()
    assert fresh["ETag"] != cached["ETag"]


def test_a_conditional_get_across_the_moment_gets_the_new_page(client, keynote_feature):
    with time_machine.travel(BEFORE, tick=False):
        ContentRevision.bump()
        etag = client.get("/en/features/")["ETag"]
        assert client.get("/en/features/", headers={"if-none-match": etag}).status_code == 304
    with time_machine.travel(AT, tick=False):
        assert client.get("/en/features/", headers={"if-none-match": etag}).status_code == 200


def test_the_moment_advances_the_revision_once_whoever_sees_it_first(keynote_feature):
    with time_machine.travel(BEFORE, tick=False):
        ContentRevision.bump()
        seen = ContentRevision.current()
    with time_machine.travel(AT, tick=False):
        first = ContentRevision.current()
        # A second process that read the revision before the first one advanced it.
        ContentRevision._pass_scheduled_moment(seen, timezone.now())
        second = ContentRevision.current()
    assert first.number == seen.number + 1
    assert second.number == first.number
    assert first.next_change_at is None  # nothing else is scheduled


def test_the_next_moment_is_the_earliest_of_every_kind_of_content(db):
    FeatureFactory(publish_at=LATER)
    EventFactory(unpublish_at=KEYNOTE)
    FeatureFactory(draft=True, publish_at=BEFORE)  # a proposal: nothing happens at its time
    with time_machine.travel(BEFORE - datetime.timedelta(hours=1), tick=False):
        ContentRevision.bump()
        assert ContentRevision.current().next_change_at == KEYNOTE


def test_the_next_moment_is_found_past_many_earlier_draft_proposals(db):
    """The moment is read from the index in batches: drafts ahead of it fill whole batches."""
    for minutes in range(1, 61):
        FeatureFactory(draft=True, publish_at=BEFORE + datetime.timedelta(minutes=minutes))
    FeatureFactory(publish_at=LATER)
    with time_machine.travel(BEFORE - datetime.timedelta(hours=1), tick=False):
        ContentRevision.bump()
        assert ContentRevision.current().next_change_at == LATER


def test_unpublishing_before_publishing_is_refused_by_the_database(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FeatureFactory(publish_at=KEYNOTE, unpublish_at=KEYNOTE)


def test_the_admin_says_unpublishing_must_come_after_publishing(superuser_client, db):
    feature = FeatureFactory(draft=True)
    response = post_change_form(
        superuser_client,
        feature,
        publish_at_0="2026-11-18",
        publish_at_1="09:00",
        unpublish_at_0="2026-11-18",
        unpublish_at_1="08:00",
    )
    assert response.status_code == 200
    assert "Unpublishing must come after the scheduled publication." in response.content.decode()
    feature.refresh_from_db()
    assert feature.publish_at is None


def test_editors_enter_times_in_their_own_time_zone(superuser_client, db):
    feature = FeatureFactory(draft=True)
    superuser_client.cookies["editor_tz"] = "America%2FLos_Angeles"  # as timezone.js sets it
    page = superuser_client.get(admin_url(feature, "change"))
    help_text = page.context["adminform"].form.fields["publish_at"].help_text
    assert "Times are in your time zone, America/Los_Angeles" in help_text
    response = post_change_form(
        superuser_client, feature, publish_at_0="2026-11-18", publish_at_1="09:00"
    )
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.publish_at == KEYNOTE  # 09:00 PST is 17:00 UTC


def test_an_unknown_time_zone_cookie_falls_back_to_the_site_zone(superuser_client, db):
    feature = FeatureFactory(draft=True)
    superuser_client.cookies["editor_tz"] = "Mars/Olympus_Mons"
    response = post_change_form(
        superuser_client, feature, publish_at_0="2026-11-18", publish_at_1="17:00"
    )
    assert response.status_code == 302
    feature.refresh_from_db()
    assert feature.publish_at == KEYNOTE


def test_an_editor_may_propose_a_time_on_a_draft(editor_client, db):
    feature = FeatureFactory(draft=True)
    response = post_change_form(
        editor_client, feature, publish_at_0="2026-11-18", publish_at_1="17:00"
    )
    assert response.status_code == 302
    feature.refresh_from_db()
    assert (feature.state, feature.publish_at) == (PublicationState.DRAFT, KEYNOTE)


def test_publishing_a_proposal_schedules_it(publisher_client, db):
    with time_machine.travel(BEFORE, tick=False):
        feature = FeatureFactory(draft=True, publish_at=KEYNOTE)
        response = publisher_client.post(
            reverse("admin:features_feature_changelist"),
            {"action": "publish_selected", "_selected_action": [feature.pk]},
        )
        assert response.status_code == 302
        feature.refresh_from_db()
        assert feature.is_published and not feature.is_visible()
        assert feature.first_published_at == KEYNOTE
    with time_machine.travel(AT, tick=False):
        assert Feature.objects.get(pk=feature.pk).is_visible()


def test_only_a_publisher_schedules_published_content(editor, publisher, db):
    feature = FeatureFactory()
    feature.publish_at = KEYNOTE
    refusal = rules.refusal(editor, rules.stored_version(feature), feature)
    assert refusal is not None and refusal.field == "publish_at"
    assert rules.refusal(publisher, rules.stored_version(feature), feature) is None
    with rules.acting_as(editor), pytest.raises(rules.Refused):
        feature.save()
    feature.refresh_from_db()
    assert feature.publish_at is None


def test_the_editor_sees_the_schedule_of_published_content_read_only(editor_client, db):
    feature = FeatureFactory(publish_at=LATER)
    page = editor_client.get(admin_url(feature, "change"))
    assert "publish_at" not in page.context["adminform"].form.fields
    data = page_data(page)
    data.update(publish_at_0="2026-11-18", publish_at_1="10:00")
    assert editor_client.post(admin_url(feature, "change"), data).status_code == 302
    feature.refresh_from_db()
    assert feature.publish_at == LATER  # a read-only field posted anyway changes nothing


def test_an_import_by_an_editor_cannot_schedule_published_content(editor, tmp_path, db):
    FeatureFactory(slug="live")
    out = tmp_path / "content.json"
    call_command("export_content", "--output", str(out), stdout=StringIO())
    document = json.loads(out.read_text())
    (item,) = [f for f in document["features"] if f["slug"] == "live"]
    item["publish_at"] = "2026-11-18T17:00:00Z"
    out.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="Only a publisher may schedule published content"):
        call_command("import_content", str(out), "--user", editor.username, stdout=StringIO())
    assert Feature.objects.get(slug="live").publish_at is None


def test_the_schedule_travels_through_export_and_import(tmp_path, keynote_feature):
    out = tmp_path / "content.json"
    call_command("export_content", "--output", str(out), stdout=StringIO())
    document = json.loads(out.read_text())
    (item,) = [f for f in document["features"] if f["slug"] == "keynote-feature"]
    assert item["publish_at"] == "2026-11-18T17:00:00Z"
    assert item["unpublish_at"] is None

    Feature.objects.filter(slug="keynote-feature").update(publish_at=None)
    call_command("import_content", str(out), stdout=StringIO())
    assert Feature.objects.get(slug="keynote-feature").publish_at == KEYNOTE

    # A file from before scheduling leaves the schedule the database has.
    for feature in document["features"]:
        del feature["publish_at"], feature["unpublish_at"]
    out.write_text(json.dumps(document))
    call_command("import_content", str(out), stdout=StringIO())
    assert Feature.objects.get(slug="keynote-feature").publish_at == KEYNOTE


def test_an_import_with_unpublishing_before_publishing_is_refused_whole(tmp_path, keynote_feature):
    out = tmp_path / "content.json"
    call_command("export_content", "--output", str(out), stdout=StringIO())
    document = json.loads(out.read_text())
    (item,) = [f for f in document["features"] if f["slug"] == "keynote-feature"]
    item["unpublish_at"] = "2026-11-18T16:00:00Z"
    item["summary"]["en"] = "Changed."
    out.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=r"unpublish_at: must come after publish_at"):
        call_command("import_content", str(out), stdout=StringIO())
    feature = Feature.objects.get(slug="keynote-feature")
    assert (feature.unpublish_at, feature.summary_en) == (None, "Announced at the keynote.")


def test_the_admin_lists_upcoming_scheduled_changes_in_order(superuser_client, superuser, db):
    with time_machine.travel(BEFORE, tick=False):
        FeatureFactory(name="Later Feature", publish_at=LATER)
        FeatureFactory(name="Keynote Feature", publish_at=KEYNOTE)
        FeatureFactory(name="Proposed Feature", draft=True, publish_at=AT)
        FeatureFactory(name="Already Out", publish_at=BEFORE - datetime.timedelta(days=1))
        changes = upcoming_changes(superuser)
        page = superuser_client.get(reverse("upcoming_schedule"))
    assert [(str(c.obj), c.what) for c in changes] == [
        ("Keynote Feature", "appears"),
        ("Proposed Feature", "proposed"),
        ("Later Feature", "appears"),
    ]
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("Keynote Feature") < body.index("Later Feature")
    assert "Already Out" not in body


def test_the_admin_list_marks_scheduled_content(superuser_client, db):
    with time_machine.travel(BEFORE, tick=False):
        FeatureFactory(name="Keynote Feature", publish_at=KEYNOTE)
        page = superuser_client.get(reverse("admin:features_feature_changelist"))
    assert "state-badge--scheduled" in page.content.decode()


def test_the_upcoming_list_shows_scheduled_and_proposed_staged_changes(superuser, publisher, db):
    from features.staging import stage_status_change
    from ignite.staging.changes import propose_time, schedule_publication

    with time_machine.travel(BEFORE, tick=False):
        feature = FeatureFactory(name="Live Feature")
        entry = {"status": "preview", "date": KEYNOTE.date(), "note_en": "At the keynote."}
        scheduled = stage_status_change(feature, entry, publisher)
        schedule_publication(scheduled, publisher, KEYNOTE)
        proposed = stage_status_change(feature, {**entry, "date": LATER.date()}, publisher)
        propose_time(proposed, publisher, LATER)
        changes = [(c.moment, c.what) for c in upcoming_changes(superuser)]
        assert ContentRevision.current().next_change_at == KEYNOTE
    assert changes == [(KEYNOTE, "staged"), (LATER, "staged-proposed")]
