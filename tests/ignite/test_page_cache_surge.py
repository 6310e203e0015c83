"""How a change reaches readers of cached pages: within a stated bound, with no query per cached
page, one render per page per interval during a burst of edits, and exactly on a scheduled
moment."""

import datetime
import time

import pytest
import time_machine
from django.db.models import F

from features.models import Feature
from ignite import page_cache
from ignite.models import ContentRevision
from tests.factories import FeatureFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 18, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def live(db):
    return FeatureFactory(slug="live", summary_en="First words.")


def page(client, url: str = "/en/features/live/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["X-Page-Cache"], response.content.decode()


def saved_elsewhere(feature: Feature, summary: str) -> None:
    """A save made through another server: the database changes, this process is not told."""
    Feature.objects.filter(pk=feature.pk).update(summary_en=summary)
    ContentRevision.objects.filter(pk=ContentRevision.SINGLETON_ID).update(number=F("number") + 1)


def test_a_cached_page_costs_no_query_while_the_revision_is_recent(
    client, live, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_REVISION_SECONDS = 60
    assert page(client)[0] == "miss"
    with django_assert_num_queries(0):
        assert page(client)[0] == "hit"


def test_a_change_saved_through_another_server_is_served_within_the_bound(client, live, settings):
    settings.PAGE_CACHE_REVISION_SECONDS = 60
    ContentRevision.bump()
    page(client)
    saved_elsewhere(live, "Second words.")
    outcome, body = page(client)
    assert outcome == "hit" and "First words." in body  # still within the bound
    revision, _read_at = ContentRevision._recent
    ContentRevision._recent = (revision, time.monotonic() - 61)  # the bound has passed
    outcome, body = page(client)
    assert outcome == "miss" and "Second words." in body


def test_a_save_in_this_process_is_served_at_once(client, live, settings):
    settings.PAGE_CACHE_REVISION_SECONDS = 60
    page(client)
    live.summary_en = "Second words."
    live.save()
    outcome, body = page(client)
    assert outcome == "miss" and "Second words." in body


def test_during_a_burst_of_edits_a_page_is_rendered_at_most_once_per_interval(
    client, live, settings
):
    settings.PAGE_CACHE_STALE_SECONDS = 5
    with time_machine.travel(T0, tick=False) as clock:
        first = client.get("/en/features/live/")
        assert first.headers["X-Page-Cache"] == "miss"
        for second in range(1, 5):  # a save every second; readers keep the earlier page
            clock.move_to(T0 + datetime.timedelta(seconds=second))
            live.summary_en = f"Edit {second}."
            live.save()
            stale = client.get("/en/features/live/")
            assert stale.headers["X-Page-Cache"] == "stale"
            assert "First words." in stale.content.decode()
            assert stale["ETag"] == first["ETag"]  # it answers for the rendering it is
        clock.move_to(T0 + datetime.timedelta(seconds=5, milliseconds=500))
        assert page(client)[0] == "miss"
        outcome, body = page(client)
    assert outcome == "hit" and "Edit 4." in body


def test_during_a_burst_the_earlier_page_comes_from_this_process_without_the_shared_cache(
    client, live, settings, monkeypatch
):
    """A stand-in costs no cache round trip (the keynote surge's edits), and only while it is
    within the stale interval; then the shared cache is asked again, and the page rendered."""
    settings.PAGE_CACHE_STALE_SECONDS = 5
    calls = []
    real_call = page_cache._cache_call

    def counted(method, *args):
        calls.append(method)
        return real_call(method, *args)

    monkeypatch.setattr(page_cache, "_cache_call", counted)
    with time_machine.travel(T0, tick=False) as clock:
        assert page(client)[0] == "miss"
        for second in (1, 2, 4):
            clock.move_to(T0 + datetime.timedelta(seconds=second))
            live.summary_en = f"Edit {second}."
            live.save()
            calls.clear()
            outcome, body = page(client)
            assert (outcome, calls) == ("stale", [])
            assert "First words." in body
        clock.move_to(T0 + datetime.timedelta(seconds=5, milliseconds=500))
        calls.clear()
        outcome, body = page(client)
        assert outcome == "miss" and "Edit 4." in body
        assert calls[0] == "get"  # too old to stand in from here: the shared cache is asked


def test_while_one_worker_renders_the_others_serve_the_earlier_page(
    client, live, settings, monkeypatch
):
    settings.PAGE_CACHE_STALE_SECONDS = 5
    with time_machine.travel(T0, tick=False) as clock:
        page(client)
        live.summary_en = "Second words."
        live.save()
        clock.move_to(T0 + datetime.timedelta(seconds=30))
        real_call = page_cache._cache_call

        def another_worker_renders(method, *args):
            if method == "add" and args[0].endswith(":rendering"):
                return False
            return real_call(method, *args)

        monkeypatch.setattr(page_cache, "_cache_call", another_worker_renders)
        outcome, body = page(client)
        assert outcome == "stale" and "First words." in body
        monkeypatch.undo()
        outcome, body = page(client)
    assert outcome == "miss" and "Second words." in body


def test_a_failed_render_releases_the_lock(client, live, settings, monkeypatch):
    settings.PAGE_CACHE_STALE_SECONDS = 5
    with time_machine.travel(T0, tick=False) as clock:
        page(client)
        live.save()
        clock.move_to(T0 + datetime.timedelta(seconds=30))

        def broken(*args, **kwargs):
            raise RuntimeError("template exploded")

        monkeypatch.setattr(page_cache, "_render", broken)
        with pytest.raises(RuntimeError):
            client.get("/en/features/live/")
        monkeypatch.undo()
        assert page(client)[0] == "miss"  # no lock left behind: this request renders


def test_an_earlier_rendering_never_stands_in_across_a_scheduled_moment(client, settings, db):
    settings.PAGE_CACHE_STALE_SECONDS = 600
    settings.PAGE_CACHE_REVISION_SECONDS = 600
    keynote = T0 + datetime.timedelta(minutes=30)
    with time_machine.travel(T0, tick=False) as clock:
        FeatureFactory(slug="keynote", name="Keynote Feature", publish_at=keynote)
        assert "Keynote Feature" not in page(client, "/en/features/")[1]
        assert page(client, "/en/features/")[0] == "hit"
        clock.move_to(keynote)
        outcome, body = page(client, "/en/features/")
    assert outcome == "miss" and "Keynote Feature" in body
