"""The catalog as CSV: one row per selected feature, in one language."""

from __future__ import annotations

import csv
import io

from django.utils import translation

from ..models import ReleaseStatus
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


def export_csv(selection: Selection, language: str) -> str:
    """One row per selected feature, texts in `language`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    with translation.override(language):
        for feature in selection.features:
            changes = list(feature.status_changes.all())
            writer.writerow(
                [
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
            )
    return buffer.getvalue()
