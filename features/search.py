"""Catalog search: every word a reader types, found anywhere in a feature's text.

Each feature keeps its searchable text in one column, `search_text`: its names, area names,
topic, summary, body and editor's note in both languages, folded the way a reader's words are
(NFKC, so ＡＫＳ is AKS, then lower case, as the archive's search.js folds too). A search is
then one substring test per word on one column, the same on SQLite and PostgreSQL; on
PostgreSQL a trigram index (pg_trgm) answers it without reading every row. Trigrams rather than
PostgreSQL's full-text search because full-text search splits text into words at spaces and
Japanese has none: "ネットワーク" inside "ネットワークポリシー" would not be found, while a
substring test finds it in any language.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from .models import Feature

# The feature's own columns that search reads (translated ones in every language).
FEATURE_FIELDS = ("name", "japanese_name")
TRANSLATED_FEATURE_FIELDS = ("topic", "summary", "body", "editors_note")
LANGUAGES = ("en", "ja")
# The trigram index on PostgreSQL (created by migration 0010 only there).
TRIGRAM_INDEX = "feature_search_text_trgm"


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


def condition(text: str) -> Q:
    """Features holding every word of `text` (no words: every feature)."""
    found = Q()
    for word in words(text):
        found &= Q(search_text__contains=word)
    return found
