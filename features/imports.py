"""Content into the database from the JSON format, all or nothing.

`import_content` first validates the whole file and reports every problem with where it is
(`features[3].status`); only a file without problems is written, in one transaction, row by row
through the models so that every change lands in the history with the reason "import_content".
Rows are matched by natural keys and saved only when something changed, so importing the same
file twice changes nothing. A parent in the file is described completely: its children (links,
key points, cells …) are made to match the file. Top-level rows missing from the file are only
removed with `prune=True`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from ignite.history import IMPORT_REASON
from ignite.page_cache import one_revision_for_many_changes
from sessions.models import Event, KeyPoint, Session, SessionSpeaker, Speaker, SpeakerLink

from . import content_format as fmt
from .models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    ReleaseStatus,
    StatusChange,
)

Progress = Callable[[str, int, int], None]

# Order of the summary, parents before their children.
REPORTED_MODELS = (
    Redirect,
    Area,
    Event,
    Speaker,
    SpeakerLink,
    Session,
    SessionSpeaker,
    KeyPoint,
    Feature,
    DocLink,
    StatusChange,
    Comparison,
    ComparisonColumn,
    ComparisonRow,
    ComparisonCell,
)
SECTION_MODELS = {
    "areas": Area,
    "events": Event,
    "speakers": Speaker,
    "sessions": Session,
    "features": Feature,
    "comparisons": Comparison,
}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportFailed(Exception):
    """The file was refused; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.created or self.updated or self.unchanged or self.removed)


@dataclass
class ImportReport:
    counts: dict[type[models.Model], Counts] = field(
        default_factory=lambda: {model: Counts() for model in REPORTED_MODELS}
    )
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary_lines(self) -> list[str]:
        lines = []
        for model, counts in self.counts.items():
            if counts.touched:
                lines.append(
                    f"{model._meta.verbose_name_plural}: {counts.created} created, "
                    f"{counts.updated} updated, {counts.unchanged} unchanged, "
                    f"{counts.removed} removed"
                )
        return lines or ["nothing to import"]

    @property
    def changed_anything(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.counts.values())


class _DryRun(Exception):
    pass


def import_content(
    source: str | Path,
    *,
    prune: bool = False,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a JSON content file; raise ImportFailed (database untouched) on any problem."""
    document = read_document(source)
    plan = _Validator(document, prune=prune).validate()
    writer = _Writer(plan, prune=prune, user=user, progress=progress)
    writer.report.dry_run = dry_run
    try:
        with transaction.atomic(), one_revision_for_many_changes():
            writer.write()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (DatabaseError, ValidationError) as error:
        raise ImportFailed([Problem(writer.where, f"the database refused it: {error}")]) from None
    return writer.report


class JSONObject(dict):
    """A JSON object as read from the file, remembering keys it held more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> JSONObject:
    result = JSONObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicates = tuple(
            dict.fromkeys(key for key, _value in pairs if key in seen or seen.add(key))
        )
    return result


def read_document(source: str | Path) -> dict:
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark is harmless
    except FileNotFoundError:
        raise ImportFailed([Problem(str(path), "no such file")]) from None
    except IsADirectoryError:
        raise ImportFailed([Problem(str(path), "is a directory, not a file")]) from None
    except UnicodeDecodeError as error:
        raise ImportFailed([Problem(str(path), f"not UTF-8 text (byte {error.start})")]) from None
    except OSError as error:
        raise ImportFailed([Problem(str(path), error.strerror or str(error))]) from None
    try:
        document = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [
                Problem(
                    f"line {error.lineno}, column {error.colno}",
                    f"not valid JSON: {error.msg}",
                )
            ]
        ) from None
    except RecursionError:
        raise ImportFailed([Problem("$", "not a content file: nested too deeply")]) from None
    except ValueError as error:  # e.g. a number with thousands of digits
        raise ImportFailed([Problem("$", f"not valid JSON: {error}")]) from None
    if not isinstance(document, dict):
        raise ImportFailed([Problem("$", "expected a JSON object with a schema_version")])
    return document


# Validation ------------------------------------------------------------------------------------


@dataclass
class Item:
    """One validated row: field values ready for the model, plus its references and children."""

    path: str
    values: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)
    children: dict[str, list[Item]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.values.get("slug", "")


@dataclass
class Plan:
    """A validated file: its items by section, and whether it holds all the site's content."""

    sections: dict[str, list[Item]]
    complete: bool = True

    def slugs(self, section: str) -> set[str]:
        return {item.key for item in self.sections[section]}


def _required(model_field: models.Field) -> bool:
    return not (model_field.blank or model_field.null or model_field.has_default())


class _Validator:
    def __init__(self, document: dict, *, prune: bool):
        self.document = document
        self.prune = prune
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def validate(self) -> Plan:
        self._check_version()
        for key in getattr(self.document, "duplicates", ()):
            self.problem(key, "appears more than once")
        for key in self.document:
            if key not in ("schema_version", "complete") and key not in fmt.SECTIONS:
                self.problem(key, f"unknown section (expected one of: {', '.join(fmt.SECTIONS)})")
        # A file that does not say it is complete may have left rows out (older exports did,
        # without a word): it never removes anything, and --prune refuses it.
        complete = self.document.get("complete", False)
        if not isinstance(complete, bool):
            self.problem("complete", "expected true or false")
        elif self.prune and not complete:
            self.problem(
                "complete",
                "the file does not say it is complete (exported without drafts or with filters, "
                "or by an older version): --prune would remove everything it left out. Prune "
                "only with a complete export (export_content --include-drafts, no filters).",
            )
        sections: dict[str, list[Item]] = {}
        for section in fmt.SECTIONS:
            raw = self.document.get(section)
            if raw is None:
                if self.prune:
                    self.problem(section, "missing; --prune needs every section (use [] for none)")
                raw = []
            if not isinstance(raw, list):
                self.problem(section, "expected a list")
                raw = []
            sections[section] = getattr(self, f"_{section}")(raw)
        self._check_references(sections)
        if self.problems:
            raise ImportFailed(self.problems)
        return Plan(sections=sections, complete=complete is True)

    def _check_version(self) -> None:
        version = self.document.get("schema_version")
        if version is None:
            self.problem("schema_version", "missing (this site reads version 1)")
        elif isinstance(version, bool) or not isinstance(version, int):
            self.problem("schema_version", "expected a whole number")
        elif version > fmt.SCHEMA_VERSION:
            self.problem(
                "schema_version",
                f"the file is version {version}, newer than this site reads "
                f"({fmt.SCHEMA_VERSION}); upgrade the site before importing it",
            )
        elif version < 1:
            self.problem("schema_version", f"unknown version {version}")
        if self.problems:
            raise ImportFailed(self.problems)

    # Items of each kind --------------------------------------------------------------------

    def _item(self, shape: fmt.Shape, raw: Any, path: str, extra: Iterable[str] = ()) -> Item:
        item = Item(path=path, values={})
        if not isinstance(raw, dict):
            self.problem(path, "expected an object")
            return item
        for key in getattr(raw, "duplicates", ()):
            self.problem(f"{path}.{key}", "appears more than once")
        allowed = {*shape.field_names, *extra}
        for key in raw:
            if key not in allowed:
                self.problem(f"{path}.{key}", "unknown field")
        # Every field is written out, even when empty: a key left out is more likely a slip
        # than a wish to empty the field, so it is reported rather than guessed.
        for key in extra:
            if key not in raw:
                self.problem(f"{path}.{key}", "is missing (write null or [] for none)")
        failed: set[str] = set()
        names = shape.plain + (fmt.PUBLICATION_FIELDS if shape.publishable else ())
        for name in names:
            model_field = shape.field(name)
            if name not in raw:
                self.problem(f"{path}.{name}", "is missing")
                failed.add(name)
                continue
            if raw[name] is None and model_field.null:
                item.values[name] = None
                continue
            try:
                item.values[name] = fmt.from_json_value(model_field, raw[name])
            except fmt.ValueProblem as error:
                self.problem(f"{path}.{name}", str(error))
                failed.add(name)
        for name in shape.translated:
            self._translations(shape, raw, name, path, item, failed)
        self._clean(shape, item, failed)
        return item

    def _translations(self, shape, raw, name, path, item, failed) -> None:
        model_field = shape.field(name)
        if name not in raw:
            self.problem(f"{path}.{name}", "is missing")
            failed.add(name)
            return
        texts = raw[name]
        if not isinstance(texts, dict):
            self.problem(f"{path}.{name}", 'expected a text per language, e.g. {"en": "…"}')
            failed.add(name)
            return
        for key in getattr(texts, "duplicates", ()):
            self.problem(f"{path}.{name}.{key}", "appears more than once")
        for language in texts:
            if language not in fmt.LANGUAGES:
                self.problem(f"{path}.{name}.{language}", "unknown language")
        for language in fmt.LANGUAGES:
            if language not in texts:
                self.problem(f"{path}.{name}.{language}", 'is missing (write "" for none)')
                failed.add(name)
                continue
            text = texts[language]
            if text is None:
                text = ""
            try:
                item.values[f"{name}_{language}"] = fmt.text_value(text)
            except fmt.ValueProblem as error:
                self.problem(f"{path}.{name}.{language}", str(error))
                failed.add(name)
        english = item.values.get(f"{name}_{fmt.LANGUAGES[0]}", "")
        if _required(model_field) and name not in failed and not english.strip():
            self.problem(f"{path}.{name}.{fmt.LANGUAGES[0]}", "is required")
            failed.add(name)

    def _clean(self, shape: fmt.Shape, item: Item, failed: set[str]) -> None:
        """Field rules the model knows: lengths, choices, slugs, URLs."""
        model = shape.model
        values = {k: v for k, v in item.values.items() if _json_name(k).split(".")[0] not in failed}
        instance = model(**values)
        checked = set(values)
        exclude = [f.name for f in model._meta.concrete_fields if f.name not in checked]
        invalid: set[str] = set()
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            invalid = set(error.message_dict)
            for name, messages in error.message_dict.items():
                self.problem(f"{item.path}.{_json_name(name)}", " ".join(messages))
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            is_url = isinstance(model_field, models.URLField) and name not in invalid
            if is_url and value and not value.startswith(("https://", "http://")):
                self.problem(f"{item.path}.{name}", "must be an http:// or https:// address")

    def _list(self, raw: Any, path: str) -> list:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(path, "expected a list")
            return []
        return raw

    def _unique(self, items: list[Item], key: Callable[[Item], Any], what: str, label: str):
        seen: dict[Any, str] = {}
        for item in items:
            value = key(item)
            if value in (None, ""):
                continue
            if value in seen:
                self.problem(
                    item.path, f"duplicate {what} {label.format(value)} (also at {seen[value]})"
                )
            else:
                seen[value] = item.path

    def _areas(self, raw: list) -> list[Item]:
        items = [self._item(fmt.AREA, entry, f"areas[{i}]") for i, entry in enumerate(raw)]
        self._unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _events(self, raw: list) -> list[Item]:
        items = [self._item(fmt.EVENT, entry, f"events[{i}]") for i, entry in enumerate(raw)]
        for item in items:
            start, end = item.values.get("start_date"), item.values.get("end_date")
            if start and end and end < start:
                self.problem(f"{item.path}.end_date", "is before start_date")
        self._unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _speakers(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            item = self._item(fmt.SPEAKER, entry, f"speakers[{i}]", extra=("links",))
            links = self._list(_get(entry, "links"), f"{item.path}.links")
            item.children["links"] = [
                self._item(fmt.SPEAKER_LINK, link, f"{item.path}.links[{j}]")
                for j, link in enumerate(links)
            ]
            self._unique(item.children["links"], lambda c: c.values.get("url"), "URL", "{}")
            items.append(item)
        self._unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _sessions(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            path = f"sessions[{i}]"
            if isinstance(entry, dict) and isinstance(entry.get("code"), str):
                # As the model stores it (Session.clean), so " brk120" is checked as "BRK120".
                normalised = JSONObject(entry, code=entry["code"].strip().upper())
                normalised.duplicates = getattr(entry, "duplicates", ())
                entry = normalised
            item = self._item(fmt.SESSION, entry, path, extra=("event", "speakers", "key_points"))
            item.refs["event"] = self._slug_ref(entry, "event", path, required=True)
            appearances = []
            for j, appearance in enumerate(self._list(_get(entry, "speakers"), f"{path}.speakers")):
                child = self._item(
                    fmt.SESSION_SPEAKER, appearance, f"{path}.speakers[{j}]", extra=("speaker",)
                )
                child.refs["speaker"] = self._slug_ref(
                    appearance, "speaker", child.path, required=True
                )
                appearances.append(child)
            self._unique(appearances, lambda c: c.refs.get("speaker"), "speaker", "“{}”")
            item.children["speakers"] = appearances
            item.children["key_points"] = [
                self._item(fmt.KEY_POINT, point, f"{path}.key_points[{j}]")
                for j, point in enumerate(
                    self._list(_get(entry, "key_points"), f"{path}.key_points")
                )
            ]
            self._in_order(item.children["key_points"])
            items.append(item)
        self._unique(items, lambda item: item.key, "slug", "“{}”")
        self._unique(
            items,
            lambda item: (item.refs.get("event"), item.values.get("code")),
            "session code",
            "{0[1]} in event {0[0]}",
        )
        return items

    def _features(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            path = f"features[{i}]"
            item = self._item(
                fmt.FEATURE,
                entry,
                path,
                extra=("area", "session", "related", "doc_links", "status_history"),
            )
            item.refs["area"] = self._slug_ref(entry, "area", path, required=True)
            item.refs["session"] = self._slug_ref(entry, "session", path, required=False)
            related = self._list(_get(entry, "related"), f"{path}.related")
            item.refs["related"] = []
            for j, slug in enumerate(related):
                if isinstance(slug, str) and slug:
                    item.refs["related"].append(slug)
                else:
                    self.problem(f"{path}.related[{j}]", "expected a feature slug")
            links = self._list(_get(entry, "doc_links"), f"{path}.doc_links")
            item.children["doc_links"] = [
                self._item(fmt.DOC_LINK, link, f"{path}.doc_links[{j}]")
                for j, link in enumerate(links)
            ]
            self._unique(item.children["doc_links"], lambda c: c.values.get("url"), "URL", "{}")
            history = self._list(_get(entry, "status_history"), f"{path}.status_history")
            item.children["status_history"] = [
                self._item(fmt.STATUS_CHANGE, change, f"{path}.status_history[{j}]")
                for j, change in enumerate(history)
            ]
            self._unique(
                item.children["status_history"],
                lambda c: c.values.get("date"),
                "status change on",
                "{}",
            )
            self._status_agrees_with_history(item)
            items.append(item)
        self._unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _comparisons(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            path = f"comparisons[{i}]"
            item = self._item(fmt.COMPARISON, entry, path, extra=("session", "columns", "rows"))
            item.refs["session"] = self._slug_ref(entry, "session", path, required=False)
            columns = self._list(_get(entry, "columns"), f"{path}.columns")
            item.children["columns"] = [
                self._item(fmt.COLUMN, column, f"{path}.columns[{j}]")
                for j, column in enumerate(columns)
            ]
            self._in_order(item.children["columns"])
            rows = []
            for j, row in enumerate(self._list(_get(entry, "rows"), f"{path}.rows")):
                child = self._item(fmt.ROW, row, f"{path}.rows[{j}]", extra=("cells",))
                cells = _get(row, "cells")
                if not isinstance(cells, list):
                    if cells is not None:
                        self.problem(f"{child.path}.cells", "expected a list")
                    cells = []
                elif len(cells) != len(columns):
                    self.problem(
                        f"{child.path}.cells",
                        f"has {len(cells)} cell(s) for {len(columns)} column(s)",
                    )
                child.children["cells"] = [
                    None
                    if cell is None
                    else self._item(fmt.CELL, {"text": cell}, f"{child.path}.cells[{k}]")
                    for k, cell in enumerate(cells)
                ]
                rows.append(child)
            self._in_order(rows)
            item.children["rows"] = rows
            items.append(item)
        self._unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _in_order(self, items: list[Item]) -> None:
        """Items kept by position (key points, columns, rows) must be listed in their order."""
        previous = None
        for item in items:
            order = item.values.get("order")
            if not isinstance(order, int):
                continue
            if previous is not None and order < previous:
                self.problem(
                    f"{item.path}.order",
                    f"is {order}, lower than the item before it ({previous}); list items "
                    "in their order",
                )
            previous = order

    def _status_agrees_with_history(self, item: Item) -> None:
        """The current status is the latest entry of the status history, when there is one
        (Feature.follow_status_history; one entry a day, so the date decides)."""
        dated = [
            (change.values["date"], change.values["status"])
            for change in item.children["status_history"]
            if "date" in change.values and "status" in change.values
        ]
        status = item.values.get("status")
        if not dated or status not in ReleaseStatus.values:
            return
        date, latest = max(dated)
        if latest != status:
            self.problem(
                f"{item.path}.status",
                f"is “{status}”, but the latest status_history entry ({date}) says "
                f"“{latest}”; they must agree",
            )

    def _redirects(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            item = self._item(fmt.REDIRECT, entry, f"redirects[{i}]")
            old_path, new_path = item.values.get("old_path"), item.values.get("new_path")
            if isinstance(old_path, str) and not old_path.startswith("/"):
                self.problem(f"{item.path}.old_path", "must be a path on this site, e.g. /en/…")
            # An empty new_path is allowed: the old address then answers 410 Gone.
            if new_path and not new_path.startswith(("/", "https://", "http://")):
                self.problem(f"{item.path}.new_path", "must be a path or an http(s) address")
            if old_path and old_path == new_path:
                self.problem(item.path, "redirects to itself")
            items.append(item)
        self._unique(items, lambda item: item.values.get("old_path"), "old_path", "“{}”")
        return items

    def _slug_ref(self, entry: Any, name: str, path: str, *, required: bool) -> str | None:
        value = _get(entry, name)
        if value is None:
            if required:
                self.problem(f"{path}.{name}", "is required")
            return None
        if not isinstance(value, str) or not value:
            self.problem(f"{path}.{name}", "expected a slug")
            return None
        return value

    # References ----------------------------------------------------------------------------

    def _check_references(self, plan: dict[str, list[Item]]) -> None:
        def known(section: str, model) -> set[str]:
            in_file = {item.key for item in plan[section] if item.key}
            if self.prune:
                return in_file
            return in_file | set(model.objects.values_list("slug", flat=True))

        where = " in the file" if self.prune else " in the file or the database"
        events, speakers = known("events", Event), known("speakers", Speaker)
        sessions, areas = known("sessions", Session), known("areas", Area)
        features = known("features", Feature)
        for item in plan["sessions"]:
            self._ref(item, "event", events, "event", where)
            for child in item.children["speakers"]:
                self._ref(child, "speaker", speakers, "speaker", where)
        related_in_file = {item.key: set(item.refs["related"]) for item in plan["features"]}
        for item in plan["features"]:
            self._ref(item, "area", areas, "area", where)
            self._ref(item, "session", sessions, "session", where)
            for j, slug in enumerate(item.refs["related"]):
                if slug == item.key:
                    self.problem(f"{item.path}.related[{j}]", "a feature cannot relate to itself")
                elif slug not in features:
                    self.problem(f"{item.path}.related[{j}]", f"no feature “{slug}”{where}")
                elif slug in related_in_file and item.key not in related_in_file[slug]:
                    self.problem(
                        f"{item.path}.related[{j}]",
                        f"“{slug}” does not list “{item.key}” back; a relation goes both ways, "
                        "so write it on both features (or on neither)",
                    )
        for item in plan["comparisons"]:
            self._ref(item, "session", sessions, "session", where)
        if not self.prune:
            self._check_codes_against_database(plan["sessions"])

    def _ref(self, item: Item, name: str, known: set[str], what: str, where: str) -> None:
        slug = item.refs.get(name)
        if slug is not None and slug not in known:
            self.problem(f"{item.path}.{name}", f"no {what} “{slug}”{where}")

    def _check_codes_against_database(self, sessions: list[Item]) -> None:
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
                self.problem(
                    f"{item.path}.code",
                    f"{item.values['code']} is already used in event {item.refs['event']} "
                    f"by session “{other}”, which the file does not contain",
                )


def _get(entry: Any, name: str) -> Any:
    return entry.get(name) if isinstance(entry, dict) else None


def _json_name(field_name: str) -> str:
    """summary_ja → summary.ja, so a problem points at the place in the file."""
    for language in fmt.LANGUAGES:
        if field_name.endswith(f"_{language}"):
            return f"{field_name.removesuffix(f'_{language}')}.{language}"
    return field_name


# Writing ---------------------------------------------------------------------------------------


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, str | type(None)) and isinstance(wanted, str | type(None)):
        return (current or "") == (wanted or "")
    return current == wanted


class _Writer:
    """Writes a validated plan. In a partial file (drafts or filtered rows left out), a link
    to a row the file does not contain is not the file's to change, so it is kept."""

    def __init__(self, plan: Plan, *, prune: bool, user, progress):
        self.plan = plan.sections
        self.complete = plan.complete
        self.in_file = {section: plan.slugs(section) for section in SECTION_MODELS}
        self.prune = prune
        self.user = user
        self.progress = progress
        self.report = ImportReport()
        self.where = "$"
        self.by_slug: dict[type[models.Model], dict[str, models.Model]] = {}
        self.touched: set[tuple[type[models.Model], str]] = set()

    def write(self) -> None:
        for model in SECTION_MODELS.values():
            self.by_slug[model] = {obj.slug: obj for obj in model.objects.all()}
        self._section("areas", fmt.AREA, lambda obj, item: None)
        self._section("events", fmt.EVENT, lambda obj, item: None)
        self._section("speakers", fmt.SPEAKER, self._speaker_children, before=None)
        self._free_session_codes()
        self._section("sessions", fmt.SESSION, self._session_children, before=self._session_refs)
        self._section("features", fmt.FEATURE, self._feature_children, before=self._feature_refs)
        self._related()
        self._section(
            "comparisons", fmt.COMPARISON, self._comparison_children, before=self._comparison_refs
        )
        self._redirects()
        # Last, once every row the file keeps points where the file says (a feature moved to
        # another area no longer holds on to the area that goes).
        if self.prune:
            self._prune()

    # Saving with history ---------------------------------------------------------------------

    def _save(self, obj: models.Model) -> None:
        obj._change_reason = IMPORT_REASON
        if self.user is not None:
            obj._history_user = self.user
        obj.save()

    def _delete(self, obj: models.Model, path: str) -> None:
        obj._change_reason = IMPORT_REASON
        if self.user is not None:
            obj._history_user = self.user
        self.report.changes.append(f"remove {path}")
        _total, per_model = obj.delete()
        # Children go with their parent (a feature's links, a session's key points): count them.
        for model in REPORTED_MODELS:
            self.report.counts[model].removed += per_model.get(model._meta.label, 0)

    def _apply(self, obj: models.Model, values: dict[str, Any]) -> list[str]:
        changed = []
        for name, wanted in values.items():
            if name == "first_published_at" and wanted is None:
                continue  # keep the date the database already has, or let publishing set it
            if not _same(getattr(obj, name), wanted):
                setattr(obj, name, wanted)
                changed.append(_json_name(name))
        return changed

    def _upsert(self, obj: models.Model, item: Item, fks: dict[str, Any], label: str) -> bool:
        """Save obj if it is new or differs from item; count it. True when something changed."""
        self.where = item.path
        is_new = obj.pk is None
        changed = self._apply(obj, item.values)
        for name, target in fks.items():
            target_id = target.pk if target is not None else None
            if getattr(obj, f"{name}_id") != target_id:
                setattr(obj, name, target)
                changed.append(name)
        counts = self.report.counts[type(obj)]
        if is_new or changed:
            self.touched.add((type(obj), item.key))
        if is_new:
            self._save(obj)
            counts.created += 1
            self.report.changes.append(f"create {label}")
        elif changed:
            self._save(obj)
            counts.updated += 1
            self.report.changes.append(f"update {label} ({', '.join(changed)})")
        else:
            counts.unchanged += 1
        return is_new or bool(changed)

    # Sections ----------------------------------------------------------------------------------

    def _section(self, section, shape, children, before=None) -> None:
        model = shape.model
        items = self.plan[section]
        for index, item in enumerate(items, start=1):
            obj = self.by_slug[model].get(item.key) or model()
            fks = before(item) if before else {}
            label = f"{model._meta.model_name} “{item.key}”"
            self._upsert(obj, item, fks, label)
            self.by_slug[model][item.key] = obj
            children(obj, item)
            if self.progress:
                self.progress(section, index, len(items))

    def _session_refs(self, item: Item) -> dict[str, Any]:
        return {"event": self.by_slug[Event][item.refs["event"]]}

    def _feature_refs(self, item: Item) -> dict[str, Any]:
        return {
            "area": self.by_slug[Area][item.refs["area"]],
            "session": self._optional_session(Feature, item),
        }

    def _comparison_refs(self, item: Item) -> dict[str, Any]:
        return {"session": self._optional_session(Comparison, item)}

    def _optional_session(self, model, item: Item) -> Session | None:
        slug = item.refs.get("session")
        if slug:
            return self.by_slug[Session][slug]
        current = self.by_slug[model].get(item.key)
        if current is not None and current.session_id and not self.complete:
            kept = current.session
            if kept.slug not in self.in_file["sessions"]:
                return kept  # left out of a partial file (a draft), not removed from the row
        return None

    def _free_session_codes(self) -> None:
        """Let sessions trade codes (BRK120 ⇄ BRK121) without tripping over each other.

        A session whose code another session of the file takes gets a placeholder first; the
        real save that follows records the change in the history as usual. Sessions outside
        the file only hold a wanted code under --prune (validation refuses it otherwise), and
        then they are about to go.
        """
        wanted = {}
        for item in self.plan["sessions"]:
            event = self.by_slug[Event].get(item.refs["event"])
            if event is not None and event.pk is not None:
                wanted[(event.pk, item.values["code"])] = item.key
        for session in self.by_slug[Session].values():
            taker = wanted.get((session.event_id, session.code))
            if taker is not None and taker != session.slug:
                placeholder = f"~{session.pk}"
                Session.objects.filter(pk=session.pk).update(code=placeholder)
                session.code = placeholder

    # Children ----------------------------------------------------------------------------------

    def _speaker_children(self, speaker: Speaker, item: Item) -> None:
        self._sync_children(
            SpeakerLink,
            "speaker",
            speaker,
            speaker.links.all(),
            item.children["links"],
            key=lambda values, refs: values["url"],
            key_of=lambda link: link.url,
        )

    def _session_children(self, session: Session, item: Item) -> None:
        speakers = self.by_slug[Speaker]
        appearances = session.appearances.select_related("speaker")
        if not self.complete:
            # Appearances of speakers the file knows nothing about are not its to remove.
            named = {child.refs["speaker"] for child in item.children["speakers"]}
            appearances = appearances.filter(speaker__slug__in=self.in_file["speakers"] | named)
        self._sync_children(
            SessionSpeaker,
            "session",
            session,
            appearances,
            item.children["speakers"],
            key=lambda values, refs: refs["speaker"],
            key_of=lambda appearance: appearance.speaker.slug,
            fks=lambda child: {"speaker": speakers[child.refs["speaker"]]},
        )
        self._sync_positional(
            KeyPoint, "session", session, session.key_points.all(), item.children["key_points"]
        )

    def _feature_children(self, feature: Feature, item: Item) -> None:
        self._sync_children(
            DocLink,
            "feature",
            feature,
            feature.doc_links.all(),
            item.children["doc_links"],
            key=lambda values, refs: values["url"],
            key_of=lambda link: link.url,
        )
        self._sync_children(
            StatusChange,
            "feature",
            feature,
            feature.status_changes.all(),
            item.children["status_history"],
            key=lambda values, refs: values["date"],
            key_of=lambda change: change.date,
        )

    def _comparison_children(self, comparison: Comparison, item: Item) -> None:
        columns = self._sync_positional(
            ComparisonColumn,
            "comparison",
            comparison,
            comparison.columns.all(),
            item.children["columns"],
        )
        rows = self._sync_positional(
            ComparisonRow, "comparison", comparison, comparison.rows.all(), item.children["rows"]
        )
        for row, row_item in zip(rows, item.children["rows"], strict=True):
            existing = {cell.column_id: cell for cell in row.cells.all()}
            for column, cell_item in zip(columns, row_item.children["cells"], strict=False):
                cell = existing.pop(column.pk, None)
                if cell_item is None:
                    if cell is not None:
                        self._delete(cell, f"{row_item.path}.cells")
                    continue
                self._upsert(
                    cell or ComparisonCell(row=row, column=column), cell_item, {}, cell_item.path
                )
            for cell in existing.values():
                self._delete(cell, f"cell of “{comparison}”")

    def _sync_children(self, model, parent_fk, parent, existing, wanted, *, key, key_of, fks=None):
        current = {key_of(child): child for child in existing}
        for child_item in wanted:
            wanted_key = key(child_item.values, child_item.refs)
            obj = current.pop(wanted_key, None) or model(**{parent_fk: parent})
            self._upsert(obj, child_item, fks(child_item) if fks else {}, child_item.path)
        for obj in current.values():
            self._delete(obj, f"{model._meta.model_name} of “{parent}”")

    def _sync_positional(self, model, parent_fk, parent, existing, wanted) -> list[models.Model]:
        current = list(existing)
        saved = []
        for index, child_item in enumerate(wanted):
            obj = current[index] if index < len(current) else model(**{parent_fk: parent})
            self._upsert(obj, child_item, {}, child_item.path)
            saved.append(obj)
        for obj in current[len(wanted) :]:
            self._delete(obj, f"{model._meta.model_name} of “{parent}”")
        return saved

    def _related(self) -> None:
        """Set related features as the file describes them, on both sides of each pair.

        The file describes relations among the features it contains; a relation to a feature
        the file does not contain is kept as it is.
        """
        features = self.by_slug[Feature]
        in_file = {item.key for item in self.plan["features"]}
        neighbours: dict[str, set[str]] = {key: set() for key in in_file}
        for item in self.plan["features"]:
            for slug in item.refs["related"]:
                neighbours[item.key].add(slug)
                if slug in neighbours:
                    neighbours[slug].add(item.key)
        outside_ids = {feature.pk for slug, feature in features.items() if slug not in in_file}
        # Read every feature's relations before changing any: setting one side of a pair
        # changes the other side too, which must still count as a change to it.
        ids = [features[item.key].pk for item in self.plan["features"]]
        current_by_id: dict[int, set[int]] = {pk: set() for pk in ids}
        pairs = Feature.related.through.objects.filter(from_feature_id__in=ids)
        for from_id, to_id in pairs.values_list("from_feature_id", "to_feature_id"):
            current_by_id[from_id].add(to_id)
        for item in self.plan["features"]:
            self.where = f"{item.path}.related"
            feature = features[item.key]
            current = current_by_id[feature.pk]
            wanted = {features[slug].pk for slug in neighbours[item.key]}
            wanted |= current & outside_ids
            if wanted == current:
                continue
            if set(feature.related.values_list("pk", flat=True)) != wanted:
                feature.related.set(wanted)
            if (Feature, item.key) not in self.touched:
                self.touched.add((Feature, item.key))
                self.report.counts[Feature].unchanged -= 1
                self.report.counts[Feature].updated += 1
                self.report.changes.append(f"update feature “{item.key}” (related)")

    def _redirects(self) -> None:
        existing = {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(site_id=settings.SITE_ID)
        }
        for item in self.plan["redirects"]:
            old_path = item.values["old_path"]
            redirect = existing.pop(old_path, None) or Redirect(site_id=settings.SITE_ID)
            self._upsert(redirect, item, {}, f"redirect “{old_path}”")
        if self.prune:
            for redirect in existing.values():
                self.where = f"redirects (pruning “{redirect.old_path}”)"
                self._delete(redirect, f"redirect “{redirect.old_path}”")

    # Pruning -----------------------------------------------------------------------------------

    def _prune(self) -> None:
        """Remove top-level rows the file no longer has, dependants first."""
        for section in ("features", "comparisons", "sessions", "speakers", "events", "areas"):
            model = SECTION_MODELS[section]
            keep = {item.key for item in self.plan[section]}
            for obj in model.objects.exclude(slug__in=keep).order_by("slug"):
                self.where = f"{section} (pruning “{obj.slug}”)"
                self._delete(obj, f"{model._meta.model_name} “{obj.slug}”")
