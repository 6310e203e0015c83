"""Content out of the database: JSON (complete), CSV (the catalog) and Markdown (the article).

Every format selects features through the catalog's FeatureFilterSet, so `--status ga` means
exactly what `?status=ga` means on the site. Output is deterministic: the same content exports
to the same bytes.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from ignite.dates import date_range
from sessions.models import Event, Session, SessionSpeaker, Speaker

from . import content_format as fmt
from .filters import FeatureFilterSet
from .models import Area, Comparison, Feature, ReleaseStatus

FORMATS = ("json", "csv", "markdown")


class ExportError(Exception):
    """The export was asked for something that does not exist (reported, not raised as 500)."""


@dataclass
class Selection:
    """What one export covers: the chosen features and whether drafts count."""

    features: list[Feature]
    include_drafts: bool
    filtered: bool
    event: Event | None
    sessions: list[str]  # the codes asked for with --session
    left_out_drafts: dict[str, int]  # drafts this export would have held with --include-drafts

    @property
    def complete(self) -> bool:
        """Whether the file holds everything: only then may an import prune with it."""
        return self.include_drafts and not self.filtered

    def left_out_note(self) -> str:
        counts = [f"{kind}: {n}" for kind, n in self.left_out_drafts.items() if n]
        if not counts:
            return ""
        return (
            f"Note: drafts left out ({', '.join(counts)}); "
            "add --include-drafts for a complete backup."
        )


def select_features(filters: dict[str, Any], *, include_drafts: bool = False) -> Selection:
    """Apply the catalog's filters; raise ExportError naming every invalid filter."""
    data = QueryDict(mutable=True)
    for name in ("status", "area", "session"):
        data.setlist(name, list(filters.get(name) or []))
    for name in ("q", "event"):
        if filters.get(name):
            data[name] = filters[name]
    filterset = FeatureFilterSet(
        data, queryset=Feature.objects.for_catalog(include_drafts), preview=include_drafts
    )
    filterset.is_valid()
    if filterset.problems:
        raise ExportError("\n".join(f"--{name}: {message}" for name, message in filterset.problems))
    features = sorted(
        filterset.qs.prefetch_related("doc_links", "status_changes", "related"),
        key=lambda feature: (feature.status_rank, feature.name.casefold(), feature.slug),
    )
    event = None
    if filters.get("event"):
        event = Event.objects.get(slug=filters["event"])
    filtered = any(data.get(name) for name in data)
    return Selection(
        features=features,
        include_drafts=include_drafts,
        filtered=filtered,
        event=event,
        sessions=[code.upper() for code in filterset.form.cleaned_data.get("session") or []],
        left_out_drafts={} if include_drafts else _left_out_drafts(data, filtered),
    )


def _left_out_drafts(data: QueryDict, filtered: bool) -> dict[str, int]:
    """How many drafts an export without --include-drafts leaves out, by kind."""
    everything = Feature.objects.for_catalog(preview=True)
    matching = FeatureFilterSet(data, queryset=everything, preview=True).qs
    counts = {"features": matching.drafts().count()}
    if not filtered:  # a filtered file carries features and what they need, nothing more
        counts |= {
            "events": Event.objects.drafts().count(),
            "speakers": Speaker.objects.drafts().count(),
            "sessions": Session.objects.drafts().count(),
            "comparisons": Comparison.objects.drafts().count(),
        }
    return counts


# JSON ------------------------------------------------------------------------------------------


def _by_slug(rows: Iterable) -> list:
    """In slug order as Python sorts it: the same on every database, whatever its collation."""
    return sorted(rows, key=lambda row: row.slug)


def export_json(selection: Selection) -> str:
    visible = selection.include_drafts
    features = _by_slug(selection.features)
    sessions = Session.objects.visible(visible).select_related("event")
    comparisons = Comparison.objects.visible(visible).select_related("session").with_grid()
    if selection.filtered:
        session_ids = {feature.session_id for feature in features if feature.session_id}
        sessions = sessions.filter(pk__in=session_ids)
        comparisons = comparisons.filter(session__in=session_ids)
        events = Event.objects.filter(sessions__in=session_ids).distinct()
        areas = Area.objects.filter(pk__in={feature.area_id for feature in features})
    else:
        events = Event.objects.visible(visible)
        areas = Area.objects.all()
    sessions = _by_slug(
        sessions.prefetch_related(
            Prefetch(
                "appearances",
                queryset=SessionSpeaker.objects.select_related("speaker").order_by("order", "pk"),
            ),
            "key_points",
        )
    )
    speaker_filter = Speaker.objects.visible(visible)
    if selection.filtered:
        speaker_filter = speaker_filter.filter(appearances__session__in=sessions).distinct()
    speakers = _by_slug(speaker_filter.prefetch_related("links"))
    exported_sessions = {session.pk for session in sessions}
    exported_speakers = {speaker.pk for speaker in speakers}

    document = {
        "schema_version": fmt.SCHEMA_VERSION,
        # A partial file (no drafts, or filtered) says so, so that an import never prunes with it.
        "complete": selection.complete,
        "areas": [fmt.AREA.dump(area) for area in sorted(areas, key=lambda a: (a.order, a.slug))],
        "events": [
            fmt.EVENT.dump(event) for event in sorted(events, key=lambda e: (e.start_date, e.slug))
        ],
        "speakers": [
            {
                **fmt.SPEAKER.dump(speaker),
                "links": [fmt.SPEAKER_LINK.dump(link) for link in speaker.links.all()],
            }
            for speaker in speakers
        ],
        "sessions": [
            {
                **fmt.SESSION.dump(session),
                "event": session.event.slug,
                "speakers": [
                    {"speaker": appearance.speaker.slug, **fmt.SESSION_SPEAKER.dump(appearance)}
                    for appearance in session.appearances.all()
                    if appearance.speaker_id in exported_speakers
                ],
                "key_points": [fmt.KEY_POINT.dump(point) for point in session.key_points.all()],
            }
            for session in sessions
        ],
        "features": [
            _feature_json(feature, exported_sessions, {f.pk for f in features})
            for feature in features
        ],
        "comparisons": [
            _comparison_json(comparison, exported_sessions) for comparison in _by_slug(comparisons)
        ],
        # Old addresses of renamed pages, so that they keep working after a move. A filtered
        # file is about some features, not the site's addresses.
        "redirects": []
        if selection.filtered
        else [
            fmt.REDIRECT.dump(redirect)
            for redirect in sorted(
                Redirect.objects.filter(site_id=settings.SITE_ID), key=lambda r: r.old_path
            )
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _feature_json(feature: Feature, exported_sessions: set[int], exported: set[int]) -> dict:
    return {
        **fmt.FEATURE.dump(feature),
        "area": feature.area.slug,
        "session": feature.session.slug if feature.session_id in exported_sessions else None,
        # Relations to features outside this file are not the file's to describe (see imports).
        "related": sorted(other.slug for other in feature.related.all() if other.pk in exported),
        "doc_links": [fmt.DOC_LINK.dump(link) for link in feature.doc_links.all()],
        "status_history": [
            fmt.STATUS_CHANGE.dump(change) for change in feature.status_changes.all()
        ],
    }


def _comparison_json(comparison: Comparison, exported_sessions: set[int]) -> dict:
    session = comparison.session
    return {
        **fmt.COMPARISON.dump(comparison),
        "session": session.slug if session and session.pk in exported_sessions else None,
        "columns": [fmt.COLUMN.dump(column) for column in comparison.columns.all()],
        "rows": [
            {
                **fmt.ROW.dump(row),
                "cells": [fmt.CELL.dump(cell)["text"] if cell else None for _col, cell in cells],
            }
            for row, cells in comparison.grid()
        ],
    }


# CSV -------------------------------------------------------------------------------------------

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


def site_url(path: str) -> str:
    """An address on the public site (DJANGO_SITE_DOMAIN), for files read away from it."""
    return f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}{path}"


def export_csv(selection: Selection, language: str) -> str:
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
                    site_url(feature.get_absolute_url()),
                ]
            )
    return buffer.getvalue()


# Markdown --------------------------------------------------------------------------------------


def export_markdown(selection: Selection, language: str) -> str:
    with translation.override(language):
        return _Article(selection).render()


def _table_cell(text: str) -> str:
    return " ".join(_inline(text).split())


def _inline(text: str) -> str:
    """Plain text (a name, a title, a label) that Markdown shows as written."""
    return re.sub(r"([\\`*_\[\]|<>#])", r"\\\1", text)


class _Article:
    """The recap as one Markdown article, event by event.

    Unfiltered, it holds everything readers can see. Filtered, it is about the chosen features:
    the sessions that announced them (or that --session names) and those sessions' comparisons.
    """

    def __init__(self, selection: Selection):
        self.selection = selection
        self.lines: list[str] = []

    def render(self) -> str:
        visible = self.selection.include_drafts
        filtered = self.selection.filtered
        events = Event.objects.visible(visible).order_by("start_date", "slug")
        if self.selection.event:
            events = events.filter(pk=self.selection.event.pk)
        wanted_sessions = {feature.session_id for feature in self.selection.features}
        sessions_by_event: dict[int, list[Session]] = {}
        for session in sorted(Session.objects.for_page(visible), key=lambda s: s.code):
            if filtered and not (
                session.pk in wanted_sessions or session.code in self.selection.sessions
            ):
                continue
            sessions_by_event.setdefault(session.event_id, []).append(session)
        comparisons = sorted(
            Comparison.objects.for_reader(visible), key=lambda c: (c.title.casefold(), c.slug)
        )
        placed_features: set[int] = set()
        placed_comparisons: set[int] = set()
        for event in events:
            sessions = sessions_by_event.get(event.pk, [])
            features = [
                feature
                for feature in self.selection.features
                if feature.session and feature.session.event_id == event.pk
            ]
            if filtered and not (features or sessions):
                continue
            session_ids = {session.pk for session in sessions}
            event_comparisons = [
                comparison
                for comparison in comparisons
                if comparison.session_id in session_ids
                or (not filtered and comparison.session and comparison.session.event_id == event.pk)
            ]
            placed_features.update(feature.pk for feature in features)
            placed_comparisons.update(comparison.pk for comparison in event_comparisons)
            self._event(event, sessions, event_comparisons, features)
        others = [f for f in self.selection.features if f.pk not in placed_features]
        if others:
            self.heading(1, _("Other announcements"))
            self._features(others)
        loose = [c for c in comparisons if c.pk not in placed_comparisons]
        if loose and not filtered:
            self.heading(1, _("Comparisons"))
            for comparison in loose:
                self._comparison(comparison, level=2)
        return "\n".join(self.lines).rstrip() + "\n"

    def heading(self, level: int, text: str) -> None:
        self.lines += ["#" * level + " " + text, ""]

    def paragraph(self, text: str) -> None:
        if text.strip():
            self.lines += [text.strip(), ""]

    def _event(self, event, sessions, comparisons, features) -> None:
        self.heading(1, _inline(event.name))
        when = date_range(event.start_date, event.end_date)
        self.paragraph(" · ".join(part for part in (when, _inline(event.city)) if part))
        self.paragraph(event.intro)
        if sessions:
            self.heading(2, _("Sessions"))
            for session in sessions:
                self._session(session)
        if comparisons:
            self.heading(2, _("Comparisons"))
            for comparison in comparisons:
                self._comparison(comparison)
        if features:
            self.heading(2, _("Announced features"))
            self._features(features)

    def _session(self, session: Session) -> None:
        self.heading(3, f"{_inline(session.code)} — {_inline(session.title)}")
        details = [str(session.get_kind_display())]
        details += [
            f"{label}: {', '.join(_speaker_line(a) for a in appearances)}"
            for label, appearances in session.people_by_role()
        ]
        self.paragraph(" · ".join(details))
        self.paragraph(session.summary)
        links = []
        if session.url:
            links.append(_("[Session page](%(url)s)") % {"url": session.url})
        if session.repository_url:
            links.append(_("[Repository](%(url)s)") % {"url": session.repository_url})
        self.paragraph(" · ".join(links))
        groups = session.key_point_groups()
        if groups:
            self.heading(4, _("Key points"))
            for group in groups:
                if group.heading:
                    self.lines += [f"**{_inline(group.heading)}**", ""]
                self.lines += [f"- {' '.join(point.text.split())}" for point in group.points]
                self.lines.append("")

    def _comparison(self, comparison: Comparison, level: int = 3) -> None:
        self.heading(level, _inline(comparison.title))
        self.paragraph(comparison.intro)
        columns = list(comparison.columns.all())
        self.lines.append("| | " + " | ".join(_table_cell(c.label) for c in columns) + " |")
        self.lines.append("|---" * (len(columns) + 1) + "|")
        for row, cells in comparison.grid():
            texts = [_table_cell(cell.text) if cell else "" for _column, cell in cells]
            self.lines.append(f"| **{_table_cell(row.label)}** | " + " | ".join(texts) + " |")
        self.lines.append("")
        self.paragraph(comparison.notes)

    def _features(self, features: Iterable[Feature]) -> None:
        by_status: dict[str, list[Feature]] = {}
        for feature in features:
            by_status.setdefault(feature.status, []).append(feature)
        self.paragraph(
            " · ".join(
                f"{len(by_status[value])} {label}"
                for value, label in ReleaseStatus.choices
                if value in by_status
            )
        )
        for value, label in ReleaseStatus.choices:
            if value not in by_status:
                continue
            self.heading(3, f"{label} ({len(by_status[value])})")
            for feature in sorted(by_status[value], key=lambda f: (f.name.casefold(), f.slug)):
                area = feature.area.name + (f" / {feature.topic}" if feature.topic else "")
                summary = " ".join(feature.summary.split())
                self.lines.append(f"- **{_inline(feature.name)}** ({_inline(area)}): {summary}")
                for link in feature.doc_links.all():
                    self.lines.append(f"  - [{_inline(link.title)}]({link.url})")
            self.lines.append("")


def _speaker_line(appearance: SessionSpeaker) -> str:
    speaker = appearance.speaker
    about = ", ".join(_inline(part) for part in (speaker.role, speaker.affiliation) if part)
    return f"{_inline(speaker.name)} ({about})" if about else _inline(speaker.name)


# Writing ---------------------------------------------------------------------------------------


def render(format_name: str, selection: Selection, language: str) -> str:
    if format_name == "json":
        return export_json(selection)
    if format_name == "csv":
        return export_csv(selection, language)
    return export_markdown(selection, language)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it into place.

    The file keeps the permissions of the one it replaces (a new one gets the usual ones, as
    the umask has them), so an export over a shared file does not lock others out of it.
    Raises OSError.
    """
    path = path.resolve()
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        if mode is not None:
            os.chmod(temporary, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
