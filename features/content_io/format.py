"""The JSON content format: which fields of each model travel, and how values are written.

Exports (export_json), imports (validate, write) and the JSON Schema (schema) all read these
shapes, so a field added here travels both ways and is described. Rows are identified by
natural keys (slugs, session codes, URLs, positions), never by database IDs. Bookkeeping
timestamps (created/updated) and the change history stay in the database they belong to.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sessions.models import Event, KeyPoint, Session, SessionSpeaker, Speaker, SpeakerLink

from ..models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    MaterialUpdate,
    StatusChange,
)

# Version 2 added provenance (each status entry's source, date precision and "as of"), material
# updates, permanent identifiers and translation-review marks. Version 1 files still import:
# they say nothing of those, so existing rows keep theirs and new rows get the defaults.
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
# Translation-review marks ("summary.ja") travel under this key, only when there are any: a
# row without it has none to restore, and a changed text then marks the other language.
REVIEW_KEY = "stale_translations"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PUBLICATION_FIELDS = ("state", "first_published_at")
# Scheduled publishing: written for every publishable row, optional when read (a file from
# before scheduling leaves the database's schedule as it is; a new row gets none).
SCHEDULE_FIELDS = ("publish_at", "unpublish_at")

# The longest text a field of the file may hold, in characters. The models' Markdown fields are
# to get the same limit (20,000) as validators; a longer text is reported, never written.
MAX_TEXT_LENGTH = 20_000


@dataclass(frozen=True)
class Shape:
    """The fields of one model that the JSON carries, in the order they are written."""

    model: type[models.Model]
    plain: tuple[str, ...] = ()
    translated: tuple[str, ...] = ()
    # Fields a version-1 file does not have.
    added_in_2: tuple[str, ...] = ()
    version: int = SCHEMA_VERSION

    def at(self, version: int) -> Shape:
        """The shape as a file of `version` writes it."""
        if version >= 2:
            return self
        return replace(
            self,
            plain=tuple(name for name in self.plain if name not in self.added_in_2),
            translated=tuple(name for name in self.translated if name not in self.added_in_2),
            added_in_2=(),
            version=version,
        )

    @property
    def reviewed(self) -> bool:
        """Whether rows of this shape carry translation-review marks (version 2 on)."""
        return bool(self.translated) and self.version >= 2

    @property
    def publishable(self) -> bool:
        return hasattr(self.model, "publish")

    @property
    def field_names(self) -> tuple[str, ...]:
        """The fields every row of this shape must write."""
        extra = PUBLICATION_FIELDS if self.publishable else ()
        return (*self.plain, *extra, *self.translated)

    @property
    def optional_names(self) -> tuple[str, ...]:
        """The fields a row may leave out (its schedule; version 1 knows none)."""
        return SCHEDULE_FIELDS if self.publishable and self.version >= 2 else ()

    def dump(self, obj: models.Model) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in (*self.plain, *(PUBLICATION_FIELDS if self.publishable else ())):
            data[name] = to_json_value(getattr(obj, name))
        for name in self.optional_names:
            data[name] = to_json_value(getattr(obj, name))
        for name in self.translated:
            data[name] = {lang: getattr(obj, f"{name}_{lang}") or "" for lang in LANGUAGES}
        if self.reviewed and getattr(obj, REVIEW_KEY, None):
            data[REVIEW_KEY] = sorted(getattr(obj, REVIEW_KEY))
        return data

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)


def site_url(path: str) -> str:
    """An address on the public site (DJANGO_SITE_DOMAIN), for files read away from it."""
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{path}"


def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class ValueProblem(ValueError):
    """A value in the file that cannot go into the field."""


# The spellings of dates the file uses, shared with the JSON Schema ([0-9], not \d, which
# would also take other scripts' digits).
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATE_TIME_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DATE = re.compile(DATE_PATTERN)
DATE_TIME = re.compile(DATE_TIME_PATTERN)
UUID = re.compile(UUID_PATTERN)


def from_json_value(field: models.Field, raw: Any) -> Any:
    """Convert a JSON value for `field`, raising ValueProblem with a reader-facing message."""
    if isinstance(field, models.DateTimeField):
        try:
            parsed = parse_datetime(raw) if _matches(DATE_TIME, raw) else None
        except ValueError:  # well formed but impossible, e.g. month 13
            parsed = None
        if parsed is None:
            raise ValueProblem("expected a date and time such as 2025-11-17T09:00:00Z")
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)
    if isinstance(field, models.DateField):
        try:
            parsed = parse_date(raw) if _matches(DATE, raw) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueProblem("expected a date such as 2025-11-17")
        return parsed
    if isinstance(field, models.UUIDField):
        if not (isinstance(raw, str) and UUID.fullmatch(raw)):
            raise ValueProblem(
                "expected an identifier such as 3f2a1c9e-7b4d-4e1a-9c2b-0d5e6f7a8b9c"
            )
        return uuid.UUID(raw)
    if isinstance(field, models.BooleanField):
        if not isinstance(raw, bool):
            raise ValueProblem("expected true or false")
        return raw
    if isinstance(field, models.IntegerField):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueProblem("expected a whole number")
        # The portable range (what PostgreSQL enforces), not the connection's: SQLite would take
        # any 64-bit number, and a file must load on every database the site runs on.
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        if not low <= raw <= high:
            raise ValueProblem(f"expected a whole number from {low} to {high}")
        return raw
    return text_value(raw, text_limit(field))


def text_limit(field: models.Field) -> int:
    """How many characters a text for `field` may have: its max_length, or MAX_TEXT_LENGTH."""
    return min(field.max_length or MAX_TEXT_LENGTH, MAX_TEXT_LENGTH)


def too_long(length: int, limit: int) -> str:
    """The message for a text over its limit."""
    return f"is {length:,} characters long; the limit is {limit:,}"


def text_value(raw: Any, limit: int = MAX_TEXT_LENGTH) -> str:
    """A JSON string within `limit` characters that every supported database can store."""
    if not isinstance(raw, str):
        raise ValueProblem("expected text")
    if len(raw) > limit:
        raise ValueProblem(too_long(len(raw), limit))
    if "\x00" in raw:
        raise ValueProblem("contains a NUL character, which cannot be stored")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueProblem("contains a lone surrogate, which is not a character") from None
    return raw


def json_name(field_name: str) -> str:
    """summary_ja → summary.ja, so a problem points at the place in the file."""
    for language in LANGUAGES:
        if field_name.endswith(f"_{language}"):
            return f"{field_name.removesuffix(f'_{language}')}.{language}"
    return field_name


def _matches(pattern: re.Pattern, raw: Any) -> bool:
    return isinstance(raw, str) and pattern.fullmatch(raw) is not None


AREA = Shape(Area, plain=("slug", "order"), translated=("name",))
EVENT = Shape(
    Event,
    plain=("slug", "start_date", "end_date", "url", "preview_terms_url"),
    translated=("name", "city", "intro", "highlights", "sources"),
    added_in_2=("preview_terms_url", "highlights", "sources"),
)
SPEAKER = Shape(Speaker, plain=("slug", "name", "affiliation"), translated=("role", "bio"))
SPEAKER_LINK = Shape(SpeakerLink, plain=("url", "order"), translated=("label",))
SESSION = Shape(
    Session,
    plain=("slug", "code", "title", "japanese_title", "kind", "url", "repository_url"),
    translated=("summary",),
    added_in_2=("japanese_title",),
)
SESSION_SPEAKER = Shape(SessionSpeaker, plain=("role", "order"))
KEY_POINT = Shape(KeyPoint, plain=("order",), translated=("heading", "text"))
FEATURE = Shape(
    Feature,
    plain=("slug", "uid", "name", "japanese_name", "status"),
    translated=("topic", "summary", "body", "editors_note"),
    added_in_2=("uid", "japanese_name"),
)
DOC_LINK = Shape(DocLink, plain=("url", "kind", "order"), translated=("title",))
# Where a status came from travels with it; "event" and "source_session" are references (slugs).
STATUS_CHANGE = Shape(
    StatusChange,
    plain=(
        "uid",
        "status",
        "date",
        "date_precision",
        "is_correction",
        "source_kind",
        "source_title",
        "source_url",
        "source_label",
        "checked_on",
        "recorded_at",
    ),
    translated=("note",),
    added_in_2=(
        "uid",
        "date_precision",
        "is_correction",
        "source_kind",
        "source_title",
        "source_url",
        "source_label",
        "checked_on",
        "recorded_at",
    ),
)
STATUS_CHANGE_REFERENCES = ("event", "source_session")
MATERIAL_UPDATE = Shape(MaterialUpdate, plain=("uid", "date", "recorded_at"), translated=("note",))
COMPARISON = Shape(Comparison, plain=("slug",), translated=("title", "intro", "notes"))
COLUMN = Shape(ComparisonColumn, plain=("order",), translated=("label",))
ROW = Shape(ComparisonRow, plain=("order",), translated=("label",))
CELL = Shape(ComparisonCell, translated=("text",))
# Old addresses of renamed pages (see ignite.publishing.keep_old_urls), keyed by the old path.
REDIRECT = Shape(Redirect, plain=("old_path", "new_path"))

SHAPE_NAMES = (
    "AREA",
    "EVENT",
    "SPEAKER",
    "SPEAKER_LINK",
    "SESSION",
    "SESSION_SPEAKER",
    "KEY_POINT",
    "FEATURE",
    "DOC_LINK",
    "STATUS_CHANGE",
    "MATERIAL_UPDATE",
    "COMPARISON",
    "COLUMN",
    "ROW",
    "CELL",
    "REDIRECT",
)


def shapes(version: int) -> SimpleNamespace:
    """Every shape as a file of `version` writes it (AREA, EVENT …)."""
    return SimpleNamespace(**{name: globals()[name].at(version) for name in SHAPE_NAMES})


def review_marks(shape: Shape, raw: Any) -> list[str]:
    """The translation-review marks of a row, checked: each "field.language" of the shape.
    Raises ValueProblem."""
    if not isinstance(raw, list) or not all(isinstance(mark, str) for mark in raw):
        raise ValueProblem('expected a list such as ["summary.ja"]')
    known = {f"{name}.{language}" for name in shape.translated for language in LANGUAGES}
    unknown = [mark for mark in raw if mark not in known]
    if unknown:
        raise ValueProblem(
            f"unknown mark {unknown[0]!r} (expected field.language, e.g. summary.ja)"
        )
    return sorted(set(raw))


# Top-level sections in the order they are written and imported (referenced before referencing).
SECTIONS = ("areas", "events", "speakers", "sessions", "features", "comparisons", "redirects")
