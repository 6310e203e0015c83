"""Validating a whole content file before anything is written.

`validate` walks the sections in order, reports every problem with its place in the file
(`features[3].status`) and raises ImportFailed with all of them, or returns a Plan that the
writer can apply without further checks. The schema_version is the schema's to check (it
comes first); this reads any file without failing, whatever its shape.
"""

from __future__ import annotations

from typing import Any

from ignite.dates import DatePrecision

from ..models import ReleaseStatus, SourceKind
from . import format as fmt
from .items import Item, ItemChecks, Plan, get
from .problems import ImportFailed
from .read import JSONObject
from .references import check_references


def validate(document: dict, *, prune: bool) -> Plan:
    """A Plan for the document; raise ImportFailed with every problem found."""
    return _Validator(document, prune=prune).validate()


class _Validator(ItemChecks):
    def __init__(self, document: dict, *, prune: bool):
        super().__init__()
        self.document = document
        self.prune = prune
        version = document.get("schema_version")
        # A bad version is the schema's to report; the rest is read as the current version.
        self.version = version if version in fmt.READABLE_VERSIONS else fmt.SCHEMA_VERSION
        self.f = fmt.shapes(self.version)

    def validate(self) -> Plan:
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
        check_references(sections, prune=self.prune, problem=self.problem)
        if self.problems:
            raise ImportFailed(self.problems)
        return Plan(sections=sections, complete=complete is True)

    # Sections ----------------------------------------------------------------------------------

    def _areas(self, raw: list) -> list[Item]:
        items = [self.item(self.f.AREA, entry, f"areas[{i}]") for i, entry in enumerate(raw)]
        self.unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _events(self, raw: list) -> list[Item]:
        items = [self.item(self.f.EVENT, entry, f"events[{i}]") for i, entry in enumerate(raw)]
        for item in items:
            start, end = item.values.get("start_date"), item.values.get("end_date")
            if start and end and end < start:
                self.problem(f"{item.path}.end_date", "is before start_date")
        self.unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _speakers(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            item = self.item(self.f.SPEAKER, entry, f"speakers[{i}]", extra=("links",))
            links = self.as_list(get(entry, "links"), f"{item.path}.links")
            item.children["links"] = [
                self.item(self.f.SPEAKER_LINK, link, f"{item.path}.links[{j}]")
                for j, link in enumerate(links)
            ]
            self.unique(item.children["links"], lambda c: c.values.get("url"), "URL", "{}")
            items.append(item)
        self.unique(items, lambda item: item.key, "slug", "“{}”")
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
            item = self.item(self.f.SESSION, entry, path, extra=("event", "speakers", "key_points"))
            item.refs["event"] = self.slug_ref(entry, "event", path, required=True)
            appearances = []
            for j, appearance in enumerate(
                self.as_list(get(entry, "speakers"), f"{path}.speakers")
            ):
                child = self.item(
                    self.f.SESSION_SPEAKER, appearance, f"{path}.speakers[{j}]", extra=("speaker",)
                )
                child.refs["speaker"] = self.slug_ref(
                    appearance, "speaker", child.path, required=True
                )
                appearances.append(child)
            self.unique(appearances, lambda c: c.refs.get("speaker"), "speaker", "“{}”")
            item.children["speakers"] = appearances
            item.children["key_points"] = [
                self.item(self.f.KEY_POINT, point, f"{path}.key_points[{j}]")
                for j, point in enumerate(
                    self.as_list(get(entry, "key_points"), f"{path}.key_points")
                )
            ]
            self.in_order(item.children["key_points"])
            items.append(item)
        self.unique(items, lambda item: item.key, "slug", "“{}”")
        self.unique(
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
            extra = ["area", "session", "related", "doc_links", "status_history"]
            if self.version >= 2:
                extra.append("material_updates")
            item = self.item(self.f.FEATURE, entry, path, extra=extra)
            item.refs["area"] = self.slug_ref(entry, "area", path, required=True)
            item.refs["session"] = self.slug_ref(entry, "session", path, required=False)
            related = self.as_list(get(entry, "related"), f"{path}.related")
            item.refs["related"] = []
            for j, slug in enumerate(related):
                if isinstance(slug, str) and slug:
                    item.refs["related"].append(slug)
                else:
                    self.problem(f"{path}.related[{j}]", "expected a feature slug")
            links = self.as_list(get(entry, "doc_links"), f"{path}.doc_links")
            item.children["doc_links"] = [
                self.item(self.f.DOC_LINK, link, f"{path}.doc_links[{j}]")
                for j, link in enumerate(links)
            ]
            self.unique(item.children["doc_links"], lambda c: c.values.get("url"), "URL", "{}")
            history = self.as_list(get(entry, "status_history"), f"{path}.status_history")
            item.children["status_history"] = [
                self._status_change(change, f"{path}.status_history[{j}]")
                for j, change in enumerate(history)
            ]
            if self.version >= 2:
                updates = self.as_list(get(entry, "material_updates"), f"{path}.material_updates")
                item.children["material_updates"] = [
                    self.item(self.f.MATERIAL_UPDATE, update, f"{path}.material_updates[{j}]")
                    for j, update in enumerate(updates)
                ]
            self.unique(
                item.children["status_history"],
                lambda c: c.values.get("date"),
                "status change on",
                "{}",
            )
            self._status_agrees_with_history(item)
            items.append(item)
        self.unique(items, lambda item: item.key, "slug", "“{}”")
        if self.version >= 2:
            # Permanent identifiers name one row each, wherever it is in the file.
            self.unique(items, lambda item: item.values.get("uid"), "uid", "{}")
            for kind in ("status_history", "material_updates"):
                children = [child for item in items for child in item.children.get(kind, [])]
                self.unique(children, lambda child: child.values.get("uid"), "uid", "{}")
        return items

    def _status_change(self, raw: Any, path: str) -> Item:
        """A status-history entry; from version 2 on, with its source and date precision."""
        references = fmt.STATUS_CHANGE_REFERENCES if self.version >= 2 else ()
        item = self.item(self.f.STATUS_CHANGE, raw, path, extra=references)
        for name in references:
            item.refs[name] = self.slug_ref(raw, name, path, required=False)
        if self.version < 2:
            return item
        values = item.values
        precision, kind = values.get("date_precision"), values.get("source_kind")
        if precision == DatePrecision.EVENT and item.refs.get("event") is None:
            self.problem(f"{path}.event", "is required with the date precision “event”")
        if precision != DatePrecision.EVENT and item.refs.get("event") is not None:
            self.problem(f"{path}.event", "is only for the date precision “event”")
        if precision == DatePrecision.MONTH and values.get("date") and values["date"].day != 1:
            self.problem(f"{path}.date", "with the precision “month”, write the month's first day")
        session = item.refs.get("source_session")
        if session is not None and kind != SourceKind.SESSION:
            self.problem(f"{path}.source_session", "is only for the source kind “session”")
        # A partial file leaves a draft session out, and names none (the import keeps it).
        if kind == SourceKind.SESSION and session is None and self.document.get("complete"):
            self.problem(f"{path}.source_session", "is required with the source kind “session”")
        checked, date = values.get("checked_on"), values.get("date")
        if checked and date and checked < date:
            self.problem(f"{path}.checked_on", "is before the date the status took effect")
        return item

    def _comparisons(self, raw: list) -> list[Item]:
        items = []
        for i, entry in enumerate(raw):
            path = f"comparisons[{i}]"
            item = self.item(self.f.COMPARISON, entry, path, extra=("session", "columns", "rows"))
            item.refs["session"] = self.slug_ref(entry, "session", path, required=False)
            columns = self.as_list(get(entry, "columns"), f"{path}.columns")
            item.children["columns"] = [
                self.item(self.f.COLUMN, column, f"{path}.columns[{j}]")
                for j, column in enumerate(columns)
            ]
            self.in_order(item.children["columns"])
            rows = []
            for j, row in enumerate(self.as_list(get(entry, "rows"), f"{path}.rows")):
                child = self.item(self.f.ROW, row, f"{path}.rows[{j}]", extra=("cells",))
                child.children["cells"] = self._cells(get(row, "cells"), child.path, len(columns))
                rows.append(child)
            self.in_order(rows)
            item.children["rows"] = rows
            items.append(item)
        self.unique(items, lambda item: item.key, "slug", "“{}”")
        return items

    def _cells(self, cells: Any, path: str, columns: int) -> list[Item | None]:
        """A row's cells, one per column; null is an empty cell."""
        if not isinstance(cells, list):
            if cells is not None:
                self.problem(f"{path}.cells", "expected a list")
            return []
        if len(cells) != columns:
            self.problem(f"{path}.cells", f"has {len(cells)} cell(s) for {columns} column(s)")
        return [
            None if cell is None else self.item(self.f.CELL, {"text": cell}, f"{path}.cells[{k}]")
            for k, cell in enumerate(cells)
        ]

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
            item = self.item(self.f.REDIRECT, entry, f"redirects[{i}]")
            old_path, new_path = item.values.get("old_path"), item.values.get("new_path")
            if isinstance(old_path, str) and not old_path.startswith("/"):
                self.problem(f"{item.path}.old_path", "must be a path on this site, e.g. /en/…")
            # An empty new_path is allowed: the old address then answers 410 Gone.
            if new_path and not new_path.startswith(("/", "https://", "http://")):
                self.problem(f"{item.path}.new_path", "must be a path or an http(s) address")
            if old_path and old_path == new_path:
                self.problem(item.path, "redirects to itself")
            items.append(item)
        self.unique(items, lambda item: item.values.get("old_path"), "old_path", "“{}”")
        return items
