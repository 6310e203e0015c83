"""The queries behind list pages read indexes in order and stop early, whatever the size."""

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from features.filters import tally_query
from features.models import Feature, ReleaseStatus, followed_moment
from sessions.models import Session
from tests.factories import EventFactory, FeatureFactory, SessionFactory

pytestmark = pytest.mark.django_db


def stale_followed_at() -> list[str]:
    """Slugs of the features whose stored `followed_at` is not the database's own reckoning."""
    stale = Feature.objects.annotate(moment=followed_moment()).exclude(followed_at=F("moment"))
    return list(stale.values_list("slug", flat=True))


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's query plans (PostgreSQL's depend on size)"
)


def test_the_status_rank_is_kept_by_the_database_from_the_status():
    feature = FeatureFactory(status=ReleaseStatus.PREVIEW)
    feature.refresh_from_db()
    assert feature.status_rank == ReleaseStatus.values.index("preview")
    Feature.objects.filter(pk=feature.pk).update(status=ReleaseStatus.GA)  # any write path
    feature.refresh_from_db()
    assert feature.status_rank == 0
    ranks = list(Feature.objects.values_list("status_rank", flat=True))
    assert ranks == [0]


def test_the_catalog_lists_by_status_then_name():
    for name, status in [("B", "preview"), ("A", "preview"), ("C", "ga"), ("D", "retired")]:
        FeatureFactory(name=name, status=status)
    assert [f.name for f in Feature.objects.for_catalog()] == ["C", "A", "B", "D"]


def test_status_groups_hold_the_first_few_of_each_status_by_name_and_count_the_rest():
    event = EventFactory()
    session, other = SessionFactory.create_batch(2, event=event)
    names = {"ga": [f"G{i:02}" for i in range(9)], "preview": ["P1", "P0"], "retired": ["R0"]}
    for status, listed in names.items():
        for name in listed:
            FeatureFactory(name=name, status=status, session=session)
    FeatureFactory(name="A-other-session", status="ga", session=other)
    FeatureFactory(name="A-draft", status="ga", session=session, draft=True)
    groups = Feature.objects.visible().filter(session=session).status_groups(limit=4)
    assert [(g.status, g.count, [f.name for f in g.features], g.more) for g in groups] == [
        ("ga", 9, ["G00", "G01", "G02", "G03"], 5),
        ("preview", 2, ["P0", "P1"], 0),
        ("retired", 1, ["R0"], 0),
    ]
    with CaptureQueriesContext(connection) as queries:
        Feature.objects.visible().filter(session=session).status_groups(limit=4)
    assert len(queries) == 3  # the tallies, the first keys of each status, their rows


def test_session_feature_counts_count_only_what_readers_see():
    session, empty = SessionFactory.create_batch(2, event=EventFactory())
    FeatureFactory.create_batch(3, session=session)
    FeatureFactory(session=session, draft=True)
    counts = dict(
        Session.objects.filter(pk__in=[session.pk, empty.pk])
        .with_feature_counts()
        .values_list("pk", "feature_count")
    )
    assert counts == {session.pk: 3, empty.pk: 0}
    previewed = Session.objects.filter(pk=session.pk).with_feature_counts(preview=True).get()
    assert previewed.feature_count == 4


def query_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@sqlite_only
def test_a_catalog_page_reads_the_order_index_instead_of_sorting_every_feature():
    plan = query_plan(Feature.objects.for_catalog()[:20])
    assert "feature_catalog_order" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


@sqlite_only
def test_the_facet_tally_reads_only_its_index_in_order():
    plan = query_plan(tally_query(Feature.objects.for_catalog()))
    assert "COVERING INDEX feature_facet_tally" in plan
    assert "TEMP B-TREE" not in plan  # grouped in index order, not sorted


def test_the_facet_tally_counts_rows_not_ids():
    """PostgreSQL's facet index holds no id: counting ids made it read the wider status index
    (EXPLAIN ANALYZE with 10,000 features after VACUUM: 4.4 ms against 1.2 ms counting rows).
    The plan itself depends on the table's statistics, which a test transaction cannot give
    (its rows are never all-visible), so this checks the query asks for what the index holds."""
    sql, _params = tally_query(Feature.objects.for_catalog()).query.sql_with_params()
    assert "COUNT(*)" in sql and '."id")' not in sql.split("FROM")[0]


@sqlite_only
def test_the_status_tally_reads_only_the_covering_index():
    tally = Feature.objects.visible().order_by().values("status").annotate(n=Count("pk"))
    assert "COVERING INDEX feature_status_tally" in query_plan(tally)


@sqlite_only
def test_a_sitemap_page_reads_only_the_sitemap_index_however_deep():
    from features.sitemaps import FeatureSitemap

    plan = query_plan(FeatureSitemap().items()[9950:10000])
    assert "COVERING INDEX feature_sitemap" in plan  # skipped rows cost no table reads
    assert "TEMP B-TREE" not in plan


def test_followed_at_moves_with_status_entries_and_updates_and_back_when_they_go():
    import datetime

    from django.utils import timezone

    from features.feeds import followed
    from tests.factories import MaterialUpdateFactory, StatusChangeFactory

    earlier = timezone.now() - datetime.timedelta(days=3)
    older, newer = FeatureFactory(name="Older"), FeatureFactory(name="Newer")
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Feature.objects.filter(pk=older.pk).update(first_published_at=earlier, created_at=earlier)
    Feature.objects.filter(pk=newer.pk).update(first_published_at=yesterday)
    Feature.objects.filter(pk__in=[older.pk, newer.pk]).refresh_followed_at()
    assert [f.name for f in followed(Feature.objects.all())] == ["Newer", "Older"]
    change = StatusChangeFactory(feature=older, recorded_at=timezone.now())
    assert [f.name for f in followed(Feature.objects.all())] == ["Older", "Newer"]
    change.delete()
    older.refresh_from_db()
    assert older.followed_at == earlier
    update = MaterialUpdateFactory(feature=older)
    older.refresh_from_db()
    assert older.followed_at == update.recorded_at


@sqlite_only
def test_a_feed_reads_its_entries_in_the_followed_index_order():
    from features.feeds import followed

    plan = query_plan(followed(Feature.objects.visible())[:50])
    assert "feature_followed" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_an_import_stores_followed_at_once_for_every_feature_it_touched():
    from io import StringIO

    from django.core.management import call_command

    with CaptureQueriesContext(connection) as queries:
        call_command("load_content", stdout=StringIO(), stderr=StringIO())
    assert Feature.objects.count() == 13
    assert stale_followed_at() == []
    refreshes = [q for q in queries if q["sql"].startswith("UPDATE") and "followed_at" in q["sql"]]
    assert len(refreshes) == 1  # for all 13 at the end, not after each row


def test_a_save_of_other_columns_leaves_followed_at_alone():
    feature = FeatureFactory()
    feature.summary_en = "Shorter."
    with CaptureQueriesContext(connection) as queries:
        feature.save(update_fields=["summary_en", "updated_at"])
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "followed_at" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        feature.save()  # a full save may carry a new publication moment
    assert [q for q in queries if q["sql"].startswith("UPDATE") and "followed_at" in q["sql"]]


def test_a_refresh_writes_only_the_features_whose_moment_moved():
    import datetime

    from django.utils import timezone

    unchanged, moved = FeatureFactory(), FeatureFactory()
    assert Feature.objects.all().refresh_followed_at() == 0
    unchanged.refresh_from_db()
    earlier = timezone.now() - datetime.timedelta(days=2)
    Feature.objects.filter(pk=moved.pk).update(first_published_at=earlier, created_at=earlier)
    assert Feature.objects.all().refresh_followed_at() == 1
    moved.refresh_from_db()
    assert moved.followed_at == earlier
    assert Feature.objects.get(pk=unchanged.pk).followed_at == unchanged.followed_at


def test_generated_features_are_written_once_with_their_moment():
    from features.generated import generate_features

    EventFactory()
    generate_features(30)
    assert stale_followed_at() == []
    with CaptureQueriesContext(connection) as queries:
        assert Feature.objects.all().refresh_followed_at() == 0
    assert len(queries) == 1


@pytest.mark.parametrize(
    ("version", "rewritten"),
    [
        # Every new feature's moment is in the file: each row is written once.
        (2, 0),
        # A version-1 file records no times: the database reckons every moment at the end.
        (1, 13),
    ],
)
def test_an_import_writes_a_new_feature_once_when_the_file_tells_its_moment(
    monkeypatch, tmp_path, version, rewritten
):
    from features.content_io import import_content
    from features.models import FeatureQuerySet
    from tests.features.test_content_provenance import as_version_1
    from tests.features.test_imports import launch_document, write

    written = []
    refresh = FeatureQuerySet.refresh_followed_at

    def counted(queryset):
        written.append(refresh(queryset))
        return written[-1]

    monkeypatch.setattr(FeatureQuerySet, "refresh_followed_at", counted)
    document = launch_document() if version == 2 else as_version_1(launch_document())
    import_content(write(tmp_path, document))
    assert Feature.objects.count() == 13
    assert written == [rewritten]
    assert stale_followed_at() == []
