"""Search reads one folded column kept up on every write; facet counts come from one tally."""

import random
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from features import search
from features.filters import FACETS, FacetTally, FeatureFilterSet, facet_options
from features.models import Feature, ReleaseStatus
from tests.factories import AreaFactory, EventFactory, FeatureFactory, SessionFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    return sorted(Feature.objects.search(text).values_list("name", flat=True))


def test_search_finds_words_inside_japanese_text_without_spaces():
    FeatureFactory(name="Policy", summary_ja="ネットワークポリシーを一か所で管理します。")
    FeatureFactory(name="Other", summary_ja="監視の改善。")
    assert found("ネットワーク") == ["Policy"]
    assert found("ポリシー 管理") == ["Policy"]
    assert found("ネットワーク 監視") == []


def test_full_width_letters_and_case_match_either_way():
    FeatureFactory(name="LocalDNS", summary_en="DNS on every node.")
    FeatureFactory(name="Other", summary_ja="ＡＫＳ のＧＰＵ")
    assert found("ｌｏｃａｌｄｎｓ") == ["LocalDNS"]
    assert found("localdns") == ["LocalDNS"]
    assert found("aks gpu") == ["Other"]


def test_the_japanese_name_is_searched_too():
    FeatureFactory(name="Pod Sandboxing", japanese_name="ポッド サンドボックス")
    assert found("サンドボックス") == ["Pod Sandboxing"]


def test_every_save_keeps_the_search_text_up_including_saves_of_some_fields():
    feature = FeatureFactory(name="Before", topic_en="")
    feature.topic_en = "Observability"
    feature.save(update_fields=["topic_en"])  # the column comes along even when not named
    feature.refresh_from_db()
    assert "observability" in feature.search_text
    assert found("observability") == ["Before"]


def test_a_save_of_other_columns_leaves_the_search_text_and_the_area_alone():
    """A bulk status change saves only status: no area query per feature."""
    feature = Feature.objects.get(pk=FeatureFactory().pk)
    feature.status = ReleaseStatus.PREVIEW
    with CaptureQueriesContext(connection) as queries:
        feature.save(update_fields=["status", "updated_at"])
    assert not any("features_area" in query["sql"] for query in queries)


def test_renaming_an_area_refreshes_the_search_text_of_its_features():
    area = AreaFactory(name_en="Networking", name_ja="ネットワーク")
    FeatureFactory(name="In it", area=area)
    FeatureFactory(name="Elsewhere")
    assert found("networking") == ["In it"]
    area.name_en, area.name_ja = "Connectivity", "接続"
    area.save()
    assert found("networking") == []
    assert found("connectivity") == ["In it"]
    assert found("接続") == ["In it"]


def test_the_search_text_is_not_kept_in_history():
    feature = FeatureFactory()
    record = feature.history.first()
    assert not hasattr(record, "search_text")
    restored = record.instance
    restored.save()  # a revert works the column out again
    restored.refresh_from_db()
    assert restored.search_text == search.feature_document(restored)


def test_wildcards_in_search_are_plain_characters():
    FeatureFactory(name="Hundred", summary_en="100% managed")
    FeatureFactory(name="Any", summary_en="no percent sign here")
    assert found("100%") == ["Hundred"]
    assert found("%") == ["Hundred"]
    assert found("_") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_on_postgresql_a_trigram_index_answers_search():
    FeatureFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search.TRIGRAM_INDEX]
        )
        (definition,) = cursor.fetchone()
        assert "gin_trgm_ops" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")  # as with many rows: use the index
    plan = Feature.objects.search("ネットワーク network").explain()
    assert search.TRIGRAM_INDEX in plan


# Facets ---------------------------------------------------------------------------------


def _counts_one_query_each(filterset: FeatureFilterSet) -> dict[str, dict[str, int]]:
    """What each facet's counts are by the definition: the filterset's own filters applied
    again, one facet left out at a time, counted in the database."""
    cleaned = filterset.form.cleaned_data
    counts = {}
    for name, lookup in FACETS.items():
        narrowed = filterset.queryset
        for other, value in cleaned.items():
            if other not in (name, "sort"):
                narrowed = filterset.filters[other].filter(narrowed, value)
        rows = narrowed.order_by().values(lookup).annotate(n=Count("pk"))
        counts[name] = {(row[lookup] or "").lower(): row["n"] for row in rows if row[lookup]}
    return counts


@pytest.fixture
def varied_features():
    """Features over two events, three sessions (one a draft), three areas and every status,
    some without a session."""
    rng = random.Random(7)
    events = [EventFactory(), EventFactory()]
    sessions = [
        SessionFactory(event=events[0]),
        SessionFactory(event=events[1]),
        SessionFactory(event=events[1], state="draft"),
        None,
    ]
    areas = [AreaFactory() for _ in range(3)]
    for n in range(60):
        FeatureFactory(
            status=rng.choice(ReleaseStatus.values),
            area=rng.choice(areas),
            session=rng.choice(sessions),
            summary_en=rng.choice(["network policy", "node pools", "fleet upgrades"]) + f" {n}",
        )
    return {"events": events, "sessions": sessions, "areas": areas}


def test_the_tally_gives_the_counts_each_facet_query_would(varied_features):
    rng = random.Random(11)
    areas = [area.slug for area in varied_features["areas"]]
    codes = [s.code.lower() for s in varied_features["sessions"] if s is not None]
    events = [event.slug for event in varied_features["events"]]
    for _ in range(40):
        query = QueryDict(mutable=True)
        for name, values in (("status", ReleaseStatus.values), ("area", areas), ("session", codes)):
            query.setlist(name, rng.sample(values, rng.randint(0, 2)))
        if rng.random() < 0.4:
            query["event"] = rng.choice(events)
        if rng.random() < 0.4:
            query["q"] = rng.choice(["network", "node", "fleet", "nothing"])
        filterset = FeatureFilterSet(query, queryset=Feature.objects.for_catalog())
        tally = FacetTally.of(filterset)
        expected = _counts_one_query_each(filterset)
        for name in FACETS:
            assert {k: v for k, v in tally.counts(name).items() if k} == expected[name], query
        assert tally.total == filterset.qs.count(), query


def test_facet_options_take_one_query_whatever_the_filters(varied_features):
    area = varied_features["areas"][0].slug
    query = QueryDict(f"status=ga&area={area}&q=network")
    filterset = FeatureFilterSet(query, queryset=Feature.objects.for_catalog())
    filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        options = facet_options(filterset)
    assert len(queries) == 1
    assert {o.value for o in options["area"] if o.selected} == {area}


def test_generated_features_are_found_by_search_like_saved_ones():
    """The scale bench searches thousands of generated features: they must hold search text."""
    from features.generated import generate_features

    generate_features(5)
    generated = Feature.objects.filter(slug__startswith="generated-")
    for feature in generated:
        assert feature.search_text == search.feature_document(feature)
    word = generated.first().name.split()[0]
    assert Feature.objects.search(word).filter(slug__startswith="generated-").exists()


# SQLite's trigram index ---------------------------------------------------------------------

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 trigram index is SQLite's"
)


def _in_index(text: str) -> list[str]:
    """What SQLite's index alone answers for one word (no fallback to reading rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM features_feature WHERE id IN (SELECT rowid FROM "
            f"{search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s) ORDER BY name",
            ['"{}"'.format(text.replace('"', '""'))],
        )
        return [name for (name,) in cursor.fetchall()]


@sqlite_only
def test_on_sqlite_search_reads_the_trigram_index_for_words_of_three_characters():
    FeatureFactory(name="Policy", summary_ja="ネットワークポリシー")
    assert search.sqlite_index_ready(connection)
    sql = str(Feature.objects.search("ネットワーク ab").query)
    assert "MATCH" in sql and search.FTS_TABLE in sql  # the long word from the index
    assert "LIKE" in sql  # "ab" has no trigram: read from the rows
    plan = Feature.objects.for_catalog().search("network").explain()
    assert "VIRTUAL TABLE" in plan


@sqlite_only
def test_the_index_follows_every_kind_of_write():
    """Triggers, not Python, keep it: save, bulk update, bulk insert, delete and raw SQL."""
    from features.generated import generate_features

    area = AreaFactory(name_en="Networking", name_ja="ネットワーク")
    feature = FeatureFactory(name="Saved", area=area, summary_en="first words")
    assert _in_index("first") == ["Saved"]
    feature.summary_en = "second words"
    feature.save()
    assert _in_index("first") == [] and _in_index("second") == ["Saved"]
    area.name_en = "Connectivity"
    area.save()  # refresh_search_text: a bulk update
    assert _in_index("connectivity") == ["Saved"] and _in_index("networking") == []
    generate_features(3)  # bulk_create
    assert len(_in_index("generated")) == len(found("generated")) > 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE features_feature SET search_text = 'raw text' WHERE id = %s", [feature.pk]
        )
    assert _in_index("raw text") == ["Saved"]
    feature.delete()
    assert _in_index("raw text") == []
    assert found("second") == []


@sqlite_only
def test_quotes_and_fts_syntax_in_search_are_plain_characters():
    FeatureFactory(name="Quoted", summary_en='say "hello" AND (world)* col:umn ^near')
    FeatureFactory(name="Other", summary_en="hello world")
    assert found('"hello"') == ["Quoted"]
    assert found("(world)*") == ["Quoted"]
    assert found("col:umn") == ["Quoted"]
    assert found("^near") == ["Quoted"]
    assert found("and") == ["Quoted"]
    assert found('""') == []
    assert found("hello world") == ["Other", "Quoted"]


@sqlite_only
def test_search_by_the_index_gives_what_reading_every_row_gives(varied_features):
    words = ["network", "node", "fleet", "pool", "ネットワーク", "net", "es", "nothing", "de 1"]
    for text in words:
        by_index = set(Feature.objects.search(text).values_list("pk", flat=True))
        by_rows = set(Feature.objects.filter(search.condition(text)).values_list("pk", flat=True))
        assert by_index == by_rows, text
        expected = {
            f.pk
            for f in Feature.objects.all()
            if all(word in f.search_text for word in search.words(text))
        }
        assert by_index == expected, text


def _catalog_queries(client, query: str) -> tuple[list[str], str]:
    """The names the catalog lists for `query`, and the SQL of its list query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/features/?{query}")
    assert response.status_code == 200
    ends_in_a_limit = re.compile(r"LIMIT \d+(?: OFFSET \d+)?$")
    listing = [
        q["sql"]
        for q in queries.captured_queries
        if ends_in_a_limit.search(q["sql"]) and q["sql"].startswith('SELECT "features_feature"')
    ]
    assert len(listing) == 1, listing
    return [feature.name for feature in response.context["features"]], listing[0]


@sqlite_only
def test_a_word_most_features_hold_is_listed_by_reading_rows_in_order(client, db):
    """The tally says how many features the search was tried on and how many hold the words:
    when the list's first rows will fill its page, it reads them in order rather than asking
    the index for every match; the results are the same either way."""
    for n in range(90):
        FeatureFactory(name=f"Wide {n:02}", summary_en=f"widely held words {n}")
    for n in range(4):
        FeatureFactory(name=f"Rare {n}", summary_en=f"rarely held words {n}")
    wide = [f"Wide {n:02}" for n in range(90)]
    expected = wide[:20]

    names, sql = _catalog_queries(client, "q=widely")
    assert names == expected
    assert search.FTS_TABLE not in sql and "LIKE" in sql  # read in order, stopped at 20

    names, sql = _catalog_queries(client, "q=rarely")
    assert names == [f"Rare {n}" for n in range(4)]
    assert search.FTS_TABLE in sql  # a few matches among many features: the index

    # Another order than the index's, or a page far in: the index, with the same results.
    names, sql = _catalog_queries(client, "q=widely&sort=-name")
    assert names == wide[::-1][:20]
    assert search.FTS_TABLE in sql
    names, sql = _catalog_queries(client, "q=widely&page=4")
    assert names == wide[60:80]
    assert search.FTS_TABLE in sql


@sqlite_only
def test_the_tally_counts_what_a_search_was_tried_on(varied_features):
    filterset = FeatureFilterSet(QueryDict("q=network"), queryset=Feature.objects.for_catalog())
    tally = FacetTally.of(filterset)
    assert tally.searched == Feature.objects.for_catalog().count() > tally.total > 0
    assert tally.total == Feature.objects.for_catalog().search("network").count()
    assert all(n > 0 for _values, n in tally.rows)  # groups without a match are left out


@sqlite_only
def test_a_table_rebuild_that_drops_the_triggers_is_mended_at_the_next_migrate():
    FeatureFactory(name="Kept", summary_en="kept words")
    with connection.cursor() as cursor:
        for name in search.FTS_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    connection._feature_search_ready = None
    assert not search.sqlite_index_ready(connection)
    assert found("kept") == ["Kept"]  # still found, by reading the rows
    FeatureFactory(name="Later", summary_en="kept too")  # not in the index: no trigger
    search.ensure_sqlite_index(connection)
    assert search.sqlite_index_ready(connection)
    assert _in_index("kept") == ["Kept", "Later"]  # rebuilt from the rows
