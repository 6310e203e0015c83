"""The catalog's small tables (areas, sessions, events) are read once per content revision
for readers, and every change, scheduled moment and preview still shows at once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from features.filters import Reference, reference
from features.models import Area, Feature
from ignite import per_revision
from ignite.models import ContentRevision
from ignite.publishing import PublicationState
from sessions.models import Session
from tests.factories import AreaFactory, EventFactory, FeatureFactory, SessionFactory

pytestmark = pytest.mark.django_db

CATALOG = "/en/features/"
NO_PAGE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
KEYNOTE = datetime.datetime(2026, 11, 18, 17, 0, tzinfo=datetime.UTC)


def get(client, url: str = CATALOG, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response, len(queries)


def site_event(area):
    return area.features.first().session.event


@pytest.fixture
def site(db):
    event = EventFactory(name_en="Ignite 2025")
    session = SessionFactory(event=event, code="BRK120", title="What is new in AKS")
    area = AreaFactory(name_en="Networking", slug="networking")
    FeatureFactory.create_batch(3, area=area, session=session)
    return area


def test_readers_read_the_tables_once_per_revision(client, settings, site):
    settings.CACHES = NO_PAGE_CACHE
    _first, first = get(client)
    second_response, second = get(client)
    assert second == first - 4  # areas, sessions, events, and the facet tally
    assert "Networking" in second_response.content.decode()

    site.name_en = "Networking and DNS"
    site.save()  # a new revision: the next page reads the tables again
    renamed, third = get(client)
    assert third == first
    page = renamed.content.decode()
    assert "Networking and DNS" in page
    assert page.count("Networking and DNS") >= 4  # the filter option and each of 3 cards


def test_the_value_is_kept_until_the_revision_moves_on(db):
    loads = []
    ContentRevision.bump()  # content exists: there is a revision to keep the value for

    def load():
        loads.append(1)
        return object()

    first = per_revision.remembered("test", load)
    assert per_revision.remembered("test", load) is first
    ContentRevision.bump()
    assert per_revision.remembered("test", load) is not first
    assert len(loads) == 2


def test_a_feature_newer_than_the_kept_tables_still_shows_its_area_and_session(
    client, settings, site
):
    """Within PAGE_CACHE_REVISION_SECONDS this process may not have seen a change another
    server made: a listed feature whose area or session the kept tables lack gets it from the
    database, in one query each, rather than failing. (A search: the plain catalog's counts
    are kept for the revision too, and would not count the new feature yet.)"""
    settings.CACHES = NO_PAGE_CACHE  # the page cache would serve the page of the revision
    listed = f"{CATALOG}?q=feature&sort=name"
    get(client, listed)  # the tables are kept for this revision (and the search index checked)
    _kept, steady = get(client, listed)
    revision = ContentRevision.objects.get().number
    # Rows written without save signals, so no new revision: as if another server had just
    # written them and this process had not yet looked at the revision again.
    (session,) = Session.objects.bulk_create(
        [SessionFactory.build(code="LAB517", title="Hands-on lab", event=site_event(site))]
    )
    (area,) = Area.objects.bulk_create(
        [AreaFactory.build(name_en="Observability", slug="observability")]
    )
    Feature.objects.bulk_create(
        [
            Feature(
                name="Fresh Feature",
                slug="fresh-feature",
                area=area,
                session=session,
                status="ga",
                status_rank=0,
                state=PublicationState.PUBLISHED,
                first_published_at=timezone.now(),
                summary_en="Just in.",
                search_text="fresh feature just in.",  # save() works it out; bulk_create does not
            )
        ]
    )
    assert ContentRevision.objects.get().number == revision
    response, count = get(client, listed)
    assert count == steady + 2  # the new area, and the new session with its event
    page = response.content.decode()
    assert "Fresh Feature" in page
    card = page[page.index("Fresh Feature") :]
    card = card[: card.index("</article>")]
    assert "Observability" in card and "LAB517" in card


def test_a_preview_reads_the_tables_every_time(editor_client, site):
    """An editor previewing sees a draft session among the filters at once, and readers
    never get the preview's tables."""
    reader = Client()
    event = site.features.first().session.event
    get(reader)  # a reader's tables are kept for this revision
    draft = SessionFactory(code="DRAFT1", state=PublicationState.DRAFT, event=event)
    FeatureFactory(session=draft, area=site, state=PublicationState.DRAFT)
    _r, first = get(editor_client)
    preview, second = get(editor_client)
    assert "DRAFT1" in preview.content.decode()
    assert second == first  # nothing kept for previews
    page, _count = get(reader)
    assert "DRAFT1" not in page.content.decode()


def test_a_session_scheduled_with_its_event_joins_the_filters_at_its_moment(client, db):
    with time_machine.travel(KEYNOTE - datetime.timedelta(minutes=5), tick=False):
        AreaFactory(name_en="Networking", slug="networking")
        shown = SessionFactory(code="BRK120")
        FeatureFactory(session=shown)
        later = SessionFactory(code="BRK999", event=EventFactory(publish_at=KEYNOTE))
        FeatureFactory(session=later)
    with time_machine.travel(KEYNOTE - datetime.timedelta(seconds=1), tick=False):
        before = client.get(CATALOG).context["facets"]["session"]
        client.get(CATALOG)  # kept for this revision
    with time_machine.travel(KEYNOTE, tick=False):
        after = client.get(CATALOG).context["facets"]["session"]
    assert [o.value for o in before] == ["brk120"]
    assert sorted(o.value for o in after) == ["brk120", "brk999"]


def test_the_kept_tables_are_one_database_s(db):
    """The key names the database too: the bench switches databases in one process."""
    ContentRevision.bump()
    kept = reference(False)
    assert isinstance(kept, Reference)
    assert reference(False) is kept
    assert per_revision.revision_key()[0] == connection.settings_dict["NAME"]
    assert Area.objects.count() == len(kept.areas)


def test_the_feed_names_each_area_from_the_kept_tables(client, settings, site):
    import feedparser

    settings.CACHES = NO_PAGE_CACHE
    get(client, "/en/features/feed.atom")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/features/feed.atom")
    entries = feedparser.parse(response.content).entries
    assert len(entries) == 3
    assert all("Networking" in [tag.term for tag in entry.tags] for entry in entries)
    (listed,) = [q["sql"] for q in queries if '"followed_at" DESC' in q["sql"]]
    assert "features_area" not in listed  # the feature rows alone, no join
    # Besides the content revision (read on every request here: the tests' settings trust it
    # for no time at all), only that list: nothing per entry, nothing for the filters.
    others = [q["sql"] for q in queries if "ignite_contentrevision" not in q["sql"]]
    assert others == [listed]
