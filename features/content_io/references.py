"""Checks across rows: every slug a row names exists, relations go both ways, codes are free.

Run once every section is read, so a row may name one that comes later in the file.
"""

from __future__ import annotations

from collections.abc import Callable

from sessions.models import Event, Session, Speaker

from ..models import Area, Feature
from .items import Item

Report = Callable[[str, str], None]


def check_references(sections: dict[str, list[Item]], *, prune: bool, problem: Report) -> None:
    """Report references to rows that neither the file nor (without prune) the database has."""

    def known(section: str, model) -> set[str]:
        in_file = {item.key for item in sections[section] if item.key}
        if prune:
            return in_file
        return in_file | set(model.objects.values_list("slug", flat=True))

    def ref(item: Item, name: str, known: set[str]) -> None:
        slug = item.refs.get(name)
        if slug is not None and slug not in known:
            problem(f"{item.path}.{name}", f"no {name} “{slug}”{where}")

    where = " in the file" if prune else " in the file or the database"
    events, speakers = known("events", Event), known("speakers", Speaker)
    sessions, areas = known("sessions", Session), known("areas", Area)
    features = known("features", Feature)
    for item in sections["sessions"]:
        ref(item, "event", events)
        for child in item.children["speakers"]:
            ref(child, "speaker", speakers)
    related_in_file = {item.key: set(item.refs["related"]) for item in sections["features"]}
    for item in sections["features"]:
        ref(item, "area", areas)
        ref(item, "session", sessions)
        for j, slug in enumerate(item.refs["related"]):
            if slug == item.key:
                problem(f"{item.path}.related[{j}]", "a feature cannot relate to itself")
            elif slug not in features:
                problem(f"{item.path}.related[{j}]", f"no feature “{slug}”{where}")
            elif slug in related_in_file and item.key not in related_in_file[slug]:
                problem(
                    f"{item.path}.related[{j}]",
                    f"“{slug}” does not list “{item.key}” back; a relation goes both ways, "
                    "so write it on both features (or on neither)",
                )
    starts = _event_starts(sections["events"])
    for item in sections["features"]:
        for entry in item.children["status_history"]:
            ref(entry, "event", events)
            ref(entry, "source_session", sessions)
            start = starts.get(entry.refs.get("event"))
            date = entry.values.get("date")
            if start and date and date != start:
                problem(
                    f"{entry.path}.date",
                    f"is {date}; with the precision “event” write the event's first day, {start}",
                )
    for item in sections["comparisons"]:
        ref(item, "session", sessions)
    if not prune:
        _check_codes_against_database(sections["sessions"], problem)


def _event_starts(events: list[Item]) -> dict:
    """Each event's first day, as the file says or else as the database has it."""
    starts = dict(Event.objects.values_list("slug", "start_date"))
    starts |= {item.key: item.values.get("start_date") for item in events if item.key}
    return starts


def _check_codes_against_database(sessions: list[Item], problem: Report) -> None:
    """A session code another session of the event holds, one the file does not contain."""
    in_file = {item.key for item in sessions}
    taken = {
        (event_slug, code): slug
        for event_slug, code, slug in Session.objects.exclude(slug__in=in_file).values_list(
            "event__slug", "code", "slug"
        )
    }
    for item in sessions:
        other = taken.get((item.refs.get("event"), item.values.get("code")))
        if other:
            problem(
                f"{item.path}.code",
                f"{item.values['code']} is already used in event {item.refs['event']} "
                f"by session “{other}”, which the file does not contain",
            )
