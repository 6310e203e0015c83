"""The catalog as CSV: one row per selected feature, in one language.

Every CSV the site writes goes through `csv_text`, whose cells cannot run as spreadsheet
formulas (OWASP's CSV injection guidance).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from defusedcsv import csv
from django.utils import translation

from ignite.dates import DatePrecision

from ..models import Feature, ReleaseStatus, StatusChange
from . import format as fmt
from .selection import Selection

CSV_COLUMNS = (
    "slug",
    "name",
    "status",
    "status_label",
    "area",
    "topic",
    "session",
    "event",
    "summary",
    "doc_links",
    "announced_on",
    "status_since",
    "first_published_at",
    "updated_at",
    "page",
    "status_as_of",
    "status_source",
    "status_source_url",
)


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """Rows as CSV text, each cell neutralised so that no spreadsheet runs it as a formula.

    defusedcsv puts an apostrophe before a cell that starts with = + - @ | or % (and escapes
    its |), except a plain number such as -1 or 1,000; a reader sees the apostrophe, and the
    text after it is unchanged. OWASP also lists a leading tab or carriage return, which
    spreadsheets skip before reading a formula: those cells get the apostrophe too.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([f"'{cell}" if cell[:1] in ("\t", "\r") else cell for cell in row])
    return buffer.getvalue()


def export_csv(selection: Selection, language: str) -> str:
    """One row per selected feature, texts in `language`."""
    with translation.override(language):
        return csv_text([CSV_COLUMNS, *(_row(feature) for feature in selection.features)])


def iso_date(entry: StatusChange) -> str:
    """An entry's date, ISO 8601 at its precision: 2026-03-01, 2026-03, or the event's span
    2025-11-17/2025-11-21 (never a day the source did not give)."""
    if entry.date_precision == DatePrecision.MONTH:
        return entry.date.strftime("%Y-%m")
    if entry.date_precision == DatePrecision.EVENT and entry.event_id:
        return f"{entry.event.start_date.isoformat()}/{entry.event.end_date.isoformat()}"
    return entry.date.isoformat()


def source_text(entry: StatusChange) -> str:
    """Who says so: the session's code, or the source's title, or its kind."""
    if entry.source_session_id:
        return entry.source_session.code
    return entry.source_title or (entry.get_source_kind_display() if entry.source_kind else "")


def _row(feature: Feature) -> list[str]:
    changes = list(feature.status_changes.all())
    latest = changes[-1] if changes else None
    return [
        feature.slug,
        feature.name,
        feature.status,
        str(ReleaseStatus(feature.status).label),
        feature.area.name,
        feature.topic,
        feature.session.code if feature.session else "",
        feature.session.event.name if feature.session else "",
        feature.summary,
        "\n".join(f"{link.title} <{link.url}>" for link in feature.doc_links.all()),
        iso_date(changes[0]) if changes else "",
        iso_date(latest) if latest else "",
        fmt.to_json_value(feature.first_published_at) or "",
        fmt.to_json_value(feature.updated_at),
        fmt.site_url(feature.get_absolute_url()),
        latest.checked_on.isoformat() if latest and latest.checked_on else "",
        source_text(latest) if latest else "",
        latest.source_url if latest else "",
    ]
