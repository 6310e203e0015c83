"""The JSON content format: which fields of each model travel, and how values are written.

Exports (export_json), imports (validate, write) and the JSON Schema (schema) all read these
shapes, so a field added here travels both ways and is described. Rows are identified by
natural keys (slugs, session codes, URLs, positions), never by database IDs. Bookkeeping
timestamps (created/updated) and the change history stay in the database they belong to.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
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
    StatusChange,
)

SCHEMA_VERSION = 1
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PUBLICATION_FIELDS = ("state", "first_published_at")

# The longest text a field of the file may hold, in characters. The models' Markdown fields are
# to get the same limit (20,000) as validators; a longer text is reported, never written.
MAX_TEXT_LENGTH = 20_000


@dataclass(frozen=True)
class Shape:
    """The fields of one model that the JSON carries, in the order they are written."""

    model: type[models.Model]
    plain: tuple[str, ...] = ()
    translated: tuple[str, ...] = ()

    @property
    def publishable(self) -> bool:
        return hasattr(self.model, "publish")

    @property
    def field_names(self) -> tuple[str, ...]:
        extra = PUBLICATION_FIELDS if self.publishable else ()
        return (*self.plain, *extra, *self.translated)

    def dump(self, obj: models.Model) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in (*self.plain, *(PUBLICATION_FIELDS if self.publishable else ())):
            data[name] = to_json_value(getattr(obj, name))
        for name in self.translated:
            data[name] = {lang: getattr(obj, f"{name}_{lang}") or "" for lang in LANGUAGES}
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
DATE = re.compile(DATE_PATTERN)
DATE_TIME = re.compile(DATE_TIME_PATTERN)


def from_json_value(field: models.Field, raw: Any) -> Any:
    """Convert a JSON value for `field`, raising ValueProblem with a reader-facing message."""
    if isinstance(field, models.DateTimeField):
        if raw is None:
            return None
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
    Event, plain=("slug", "start_date", "end_date", "url"), translated=("name", "city", "intro")
)
SPEAKER = Shape(Speaker, plain=("slug", "name", "affiliation"), translated=("role", "bio"))
SPEAKER_LINK = Shape(SpeakerLink, plain=("url", "order"), translated=("label",))
SESSION = Shape(
    Session,
    plain=("slug", "code", "title", "kind", "url", "repository_url"),
    translated=("summary",),
)
SESSION_SPEAKER = Shape(SessionSpeaker, plain=("role", "order"))
KEY_POINT = Shape(KeyPoint, plain=("order",), translated=("heading", "text"))
FEATURE = Shape(
    Feature,
    plain=("slug", "name", "status"),
    translated=("topic", "summary", "body", "editors_note"),
)
DOC_LINK = Shape(DocLink, plain=("url", "kind", "order"), translated=("title",))
STATUS_CHANGE = Shape(StatusChange, plain=("status", "date"), translated=("note",))
COMPARISON = Shape(Comparison, plain=("slug",), translated=("title", "intro", "notes"))
COLUMN = Shape(ComparisonColumn, plain=("order",), translated=("label",))
ROW = Shape(ComparisonRow, plain=("order",), translated=("label",))
CELL = Shape(ComparisonCell, translated=("text",))
# Old addresses of renamed pages (see ignite.publishing.keep_old_urls), keyed by the old path.
REDIRECT = Shape(Redirect, plain=("old_path", "new_path"))

# Top-level sections in the order they are written and imported (referenced before referencing).
SECTIONS = ("areas", "events", "speakers", "sessions", "features", "comparisons", "redirects")
