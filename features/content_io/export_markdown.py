"""The recap as one Markdown article, in one language, safe to render with any Markdown tool.

Editors' Markdown goes through safe_markdown (raw HTML and script links made inert); names
and labels through plain (shown as written).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ignite.dates import date_range
from sessions.models import Event, Session, SessionSpeaker

from ..models import Comparison, Feature, ReleaseStatus
from .export_csv import source_text
from .safe_markdown import plain, safe_markdown
from .selection import Selection


def export_markdown(selection: Selection, language: str) -> str:
    """The recap article for the selection, in `language`."""
    with translation.override(language):
        return _Article(selection).render()


def _one_line(text: str) -> str:
    """Editor Markdown on one line (a list item), safe to render anywhere."""
    return safe_markdown(" ".join(text.split()))


def _table_cell(text: str) -> str:
    return " ".join(plain(text).split())


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
        self.heading(1, plain(event.name))
        when = date_range(event.start_date, event.end_date)
        self.paragraph(" · ".join(part for part in (when, plain(event.city)) if part))
        self.paragraph(safe_markdown(event.intro))
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
        if event.sources.strip():
            self.heading(2, _("Sources"))
            self.paragraph(safe_markdown(event.sources))

    def _session(self, session: Session) -> None:
        self.heading(3, f"{plain(session.code)} — {plain(session.title)}")
        details = [str(session.get_kind_display())]
        details += [
            f"{label}: {', '.join(_speaker_line(a) for a in appearances)}"
            for label, appearances in session.people_by_role()
        ]
        self.paragraph(" · ".join(details))
        self.paragraph(safe_markdown(session.summary))
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
                    self.lines += [f"**{plain(group.heading)}**", ""]
                self.lines += [f"- {_one_line(point.text)}" for point in group.points]
                self.lines.append("")

    def _comparison(self, comparison: Comparison, level: int = 3) -> None:
        self.heading(level, plain(comparison.title))
        self.paragraph(safe_markdown(comparison.intro))
        columns = list(comparison.columns.all())
        self.lines.append("| | " + " | ".join(_table_cell(c.label) for c in columns) + " |")
        self.lines.append("|---" * (len(columns) + 1) + "|")
        for row, cells in comparison.grid():
            texts = [_table_cell(cell.text) if cell else "" for _column, cell in cells]
            self.lines.append(f"| **{_table_cell(row.label)}** | " + " | ".join(texts) + " |")
        self.lines.append("")
        self.paragraph(safe_markdown(comparison.notes))

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
                summary = _one_line(feature.summary)
                self.lines.append(f"- **{plain(feature.name)}** ({plain(area)}): {summary}")
                if claim := _status_claim(feature):
                    self.lines.append(f"  - {claim}")
                for link in feature.doc_links.all():
                    self.lines.append(f"  - [{plain(link.title)}]({link.url})")
            self.lines.append("")


def _status_claim(feature: Feature) -> str:
    """Who says the feature has its status, and as of when: "announced in BRK120 during
    Microsoft Ignite 2025 (17–21 November 2025); as of 24 Nov 2026"."""
    changes = list(feature.status_changes.all())
    if not changes:
        return ""
    first, latest = changes[0], changes[-1]
    when, source = plain(first.when), plain(source_text(first))
    if first.source_session_id:
        text = _("Announced in %(session)s %(when)s") % {"session": source, "when": when}
    elif source:
        text = _("Announced %(when)s, according to %(source)s") % {"when": when, "source": source}
    else:
        text = _("Announced %(when)s") % {"when": when}
    if latest.checked_on:
        text += "; " + _("%(status)s as of %(date)s") % {
            "status": latest.get_status_display(),
            "date": date_format(latest.checked_on, "SHORT_DATE_FORMAT"),
        }
    return text


def _speaker_line(appearance: SessionSpeaker) -> str:
    speaker = appearance.speaker
    about = ", ".join(plain(part) for part in (speaker.role, speaker.affiliation) if part)
    return f"{plain(speaker.name)} ({about})" if about else plain(speaker.name)
