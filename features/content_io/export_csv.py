"""The catalog as CSV: one row per selected feature, in one language.

Every CSV the site writes goes through `csv_text`, whose cells cannot run as spreadsheet
formulas (OWASP's CSV injection guidance).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from defusedcsv import csv
from django.utils import translation

from ..models import Feature, ReleaseStatus
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


def _row(feature: Feature) -> list[str]:
    changes = list(feature.status_changes.all())
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
        changes[0].date.isoformat() if changes else "",
        changes[-1].date.isoformat() if changes else "",
        fmt.to_json_value(feature.first_published_at) or "",
        fmt.to_json_value(feature.updated_at),
        fmt.site_url(feature.get_absolute_url()),
    ]
