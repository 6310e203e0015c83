"""Catalog search: every word a reader types, found anywhere in a feature's text.

Each feature keeps its searchable text in one column, `search_text`: its names, area names,
topic, summary, body and editor's note in both languages, folded the way a reader's words are
(NFKC, so ＡＫＳ is AKS, then lower case, as the archive's search.js folds too). A search is
then one substring test per word on one column, the same on SQLite and PostgreSQL; on
PostgreSQL a trigram index (pg_trgm) answers it without reading every row. Trigrams rather than
PostgreSQL's full-text search because full-text search splits text into words at spaces and
Japanese has none: "ネットワーク" inside "ネットワークポリシー" would not be found, while a
substring test finds it in any language.

SQLite has no trigram index, but SQLite 3.34+ has FTS5's trigram tokenizer, which answers the
same substring test from an index: an FTS5 table, `feature_search`, kept in step with
`search_text` by triggers, so every write (save, bulk insert, bulk update, raw SQL) updates it.
`ensure_sqlite_index` creates it after each migrate (and again if a table rebuild dropped the
triggers); where SQLite lacks it, search reads every row as before. Words of one or two
characters have no trigram and are always found by reading the rows.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import TYPE_CHECKING

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from .models import Feature

# The feature's own columns that search reads (translated ones in every language).
FEATURE_FIELDS = ("name", "japanese_name")
TRANSLATED_FEATURE_FIELDS = ("topic", "summary", "body", "editors_note")
LANGUAGES = ("en", "ja")
# The trigram index on PostgreSQL (created by migration 0010 only there).
TRIGRAM_INDEX = "feature_search_text_trgm"
# SQLite's trigram index: an FTS5 table over features_feature.search_text, and its triggers.
FTS_TABLE = "feature_search"
FTS_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""AFTER INSERT ON features_feature BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"{FTS_TABLE}_delete": f"""AFTER DELETE ON features_feature BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    f"{FTS_TABLE}_update": f"""AFTER UPDATE OF search_text ON features_feature BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
}
# The shortest word the trigram index can find.
TRIGRAM = 3

logger = logging.getLogger(__name__)


def fold(text: str) -> str:
    """Text as search compares it: compatibility forms folded, then lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def source_fields() -> list[str]:
    """Every column of a feature whose change changes its search text."""
    translated = [f"{name}_{code}" for name in TRANSLATED_FEATURE_FIELDS for code in LANGUAGES]
    return [*FEATURE_FIELDS, *translated]


def document(values: dict[str, str], area_names: list[str]) -> str:
    """The search text of one feature from its column values and its area's names."""
    parts = [values.get(name) or "" for name in source_fields()] + area_names
    return fold("\n".join(part for part in parts if part))


def feature_document(feature: Feature) -> str:
    area = feature.area if feature.area_id else None
    area_names = [area.name_en or "", area.name_ja or ""] if area else []
    return document({name: getattr(feature, name) for name in source_fields()}, area_names)


def words(text: str) -> list[str]:
    return fold(text).split()


def condition(
    text: str, connection: BaseDatabaseWrapper | None = None, *, read_rows: bool = False
) -> Q:
    """Features holding every word of `text` (no words: every feature). On a SQLite database
    with the trigram index, words of three characters or more are looked up there, unless
    `read_rows` asks for each row's text to be read instead (the same results: cheaper when a
    list in order fills its page within its first rows)."""
    found = Q()
    indexed = []
    use_index = not read_rows and connection is not None and sqlite_index_ready(connection)
    for word in words(text):
        if len(word) >= TRIGRAM and use_index:
            indexed.append(word)
        else:
            found &= Q(search_text__contains=word)
    if indexed:
        # Every word as an FTS5 string (any character is literal inside double quotes), all of
        # them required: a trigram phrase matches exactly where the text holds the word.
        match = " AND ".join('"{}"'.format(word.replace('"', '""')) for word in indexed)
        lookup = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        found &= Q(pk__in=RawSQL(lookup, [match]))
    return found


def sqlite_index_ready(connection: BaseDatabaseWrapper) -> bool:
    """Whether this SQLite database has the trigram index and its triggers (asked once per
    connection object; `ensure_sqlite_index` tells it again)."""
    if connection.vendor != "sqlite":
        return False
    ready = getattr(connection, "_feature_search_ready", None)
    if ready is None:
        ready = connection._feature_search_ready = _sqlite_index_complete(connection)
    return ready


def _sqlite_index_complete(connection: BaseDatabaseWrapper) -> bool:
    names = [FTS_TABLE, *FTS_TRIGGERS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM sqlite_master WHERE name IN ({', '.join('%s' for _ in names)})",
            names,
        )
        return cursor.fetchone()[0] == len(names)


def ensure_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    """Create SQLite's trigram index of search_text and its triggers where any is missing
    (after migrate; a migration that rebuilds the feature table drops its triggers), and fill
    it from the rows. Without FTS5 or its trigram tokenizer, search reads every row."""
    if (
        connection.vendor != "sqlite"
        or "features_feature" not in connection.introspection.table_names()
    ):
        return
    connection._feature_search_ready = None
    if _sqlite_index_complete(connection):
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, "
                "content='features_feature', content_rowid='id', tokenize='trigram')"
            )
            for name, body in FTS_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} {body}")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    except DatabaseError as error:  # no FTS5, or SQLite older than 3.34 (no trigram tokenizer)
        logger.warning("SQLite search reads every row: no trigram index (%s)", error)
