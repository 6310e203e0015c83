"""The complete export: every row the selection covers, in the JSON content format.

Output is deterministic (rows in slug order as Python sorts them), so the same content exports
to the same bytes and a complete export imports back byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Prefetch, Q

from sessions.models import Event, Session, SessionSpeaker, Speaker

from ..models import Area, Comparison, Feature, StatusChange
from . import format as fmt
from .selection import Selection


def _by_slug(rows: Iterable) -> list:
    """In slug order as Python sorts it: the same on every database, whatever its collation."""
    return sorted(rows, key=lambda row: row.slug)


def export_json(selection: Selection) -> str:
    """The selection and everything it needs as one JSON document (see format)."""
    visible = selection.include_drafts
    features = _by_slug(selection.features)
    sessions = Session.objects.visible(visible).select_related("event")
    comparisons = Comparison.objects.visible(visible).select_related("session").with_grid()
    if selection.filtered:
        # The features, and what they name: their sessions, the sessions and events their
        # status entries cite, and those sessions' events.
        entries = [entry for feature in features for entry in feature.status_changes.all()]
        session_ids = {feature.session_id for feature in features if feature.session_id}
        cited_sessions = {entry.source_session_id for entry in entries if entry.source_session_id}
        sessions = sessions.filter(pk__in=session_ids | cited_sessions)
        comparisons = comparisons.filter(session__in=session_ids)
        cited_events = {entry.event_id for entry in entries if entry.event_id}
        events = (
            Event.objects.visible(visible)
            .filter(Q(sessions__in=sessions) | Q(pk__in=cited_events))
            .distinct()
        )
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
            _status_change_json(change, exported_sessions)
            for change in feature.status_changes.all()
        ],
        "material_updates": [
            fmt.MATERIAL_UPDATE.dump(update) for update in feature.material_updates.all()
        ],
    }


def _status_change_json(change: StatusChange, exported_sessions: set[int]) -> dict:
    """An entry with its references; a session the file leaves out (a draft) is null, and an
    import keeps the one it has (see write)."""
    session = change.source_session if change.source_session_id in exported_sessions else None
    return {
        **fmt.STATUS_CHANGE.dump(change),
        # The event dates the entry: named even if the file leaves the event itself out.
        "event": change.event.slug if change.event_id else None,
        "source_session": session.slug if session else None,
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
