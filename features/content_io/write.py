"""Writing a validated Plan into the database through the models.

Each write goes through the model (and so into the history, with the reason "import_content").
Changed rows are saved one by one; new rows wait and are inserted in batches
(ignite.bulk.insert_as_saved: the same save logic, signals and history, in one INSERT per model
and batch), parents before their children. Should a batch fail, its rows are saved one by one
so that the problem names the row.
Rows are matched by natural keys and saved only when something changed, so writing the same
plan twice changes nothing. A parent in the file is described completely: its children (links,
key points, cells …) are made to match the file. Top-level rows missing from the file are only
removed with `prune=True`. The caller holds the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import models, transaction
from django.db.models import prefetch_related_objects

from ignite.bulk import insert_as_saved
from ignite.history import IMPORT_REASON
from sessions.models import Event, KeyPoint, Session, SessionSpeaker, Speaker, SpeakerLink

from ..models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    MaterialUpdate,
    SourceKind,
    StatusChange,
)
from . import format as fmt
from .items import Item, Plan
from .report import REPORTED_MODELS, ImportReport

Progress = Callable[[str, int, int], None]

# The top-level sections whose rows are matched by slug (and pruned when the file drops them).
SECTION_MODELS = {
    "areas": Area,
    "events": Event,
    "speakers": Speaker,
    "sessions": Session,
    "features": Feature,
    "comparisons": Comparison,
}


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, str | type(None)) and isinstance(wanted, str | type(None)):
        return (current or "") == (wanted or "")
    return current == wanted


def _created_here(obj: models.Model) -> bool:
    """Whether this import creates the row (so it has no stored children to read)."""
    return getattr(obj, "_created_by_import", False)


class Writer:
    """Writes a validated plan and reports what it did.

    In a partial file (drafts or filtered rows left out), a link to a row the file does not
    contain is not the file's to change, so it is kept.
    """

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
        # New rows waiting to be inserted, by model in the order they first came (parents
        # first), each with the file path it comes from.
        self.waiting: dict[type[models.Model], list[tuple[models.Model, str]]] = {}

    def write(self) -> None:
        for model in SECTION_MODELS.values():
            self.by_slug[model] = {obj.slug: obj for obj in model.objects.all()}
        self._section("areas", fmt.AREA, lambda obj, item: None)
        self._section("events", fmt.EVENT, lambda obj, item: None)
        self._section("speakers", fmt.SPEAKER, self._speaker_children, prefetch=("links",))
        self._free_session_codes()
        self._section(
            "sessions",
            fmt.SESSION,
            self._session_children,
            before=self._session_refs,
            prefetch=("key_points",),
        )
        self._section(
            "features",
            fmt.FEATURE,
            self._feature_children,
            before=self._feature_refs,
            prefetch=("doc_links", "status_changes", "material_updates"),
            new=self._new_feature,
        )
        self._related()
        self._section(
            "comparisons",
            fmt.COMPARISON,
            self._comparison_children,
            before=self._comparison_refs,
            prefetch=("columns", "rows"),
        )
        self._redirects()
        self._insert_waiting()
        # Last, once every row the file keeps points where the file says (a feature moved to
        # another area no longer holds on to the area that goes).
        if self.prune:
            self._prune()

    # Saving with history ---------------------------------------------------------------------

    def _sign(self, obj: models.Model) -> None:
        obj._change_reason = IMPORT_REASON
        if self.user is not None:
            obj._history_user = self.user

    def _save(self, obj: models.Model) -> None:
        self._sign(obj)
        obj.save()

    def _insert_later(self, obj: models.Model, path: str) -> None:
        self._sign(obj)
        self.waiting.setdefault(type(obj), []).append((obj, path))
        obj._created_by_import = True  # on the row itself: an id() could be reused

    def _insert_waiting(self) -> None:
        """Insert the new rows waiting, model by model in the order they came."""
        while self.waiting:
            model = next(iter(self.waiting))
            rows = self.waiting.pop(model)
            for start in range(0, len(rows), 2000):
                self._insert_batch(model, rows[start : start + 2000])

    def _insert_batch(self, model, rows: list[tuple[models.Model, str]]) -> None:
        self.where = rows[-1][1]
        try:
            with transaction.atomic():
                insert_as_saved(model, [obj for obj, _path in rows])
        except Exception:
            # Say which row: save them one by one (the first refused one stops the import;
            # if none is, they are written so, each with its history, and the import goes on).
            for obj, path in rows:
                self.where = path
                obj.pk, obj._state.adding = None, True
                self._save(obj)

    def _existing(self, parent: models.Model, children: Callable[[], Any]) -> Any:
        """A parent's children as stored (`children()`): none for a parent this import creates."""
        return [] if _created_here(parent) else children()

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
                changed.append(fmt.json_name(name))
        return changed

    def _upsert(self, obj: models.Model, item: Item, fks: dict[str, Any], label: str) -> bool:
        """Save obj if it is new or differs from item; count it. True when something changed."""
        self.where = item.path
        is_new = obj.pk is None
        changed = self._apply(obj, item.values)
        if fmt.REVIEW_KEY in item.values:
            obj._stale_translations_given = True  # the file's marks, not ones worked out anew
        for name, target in fks.items():
            target_id = target.pk if target is not None else None
            if getattr(obj, f"{name}_id") != target_id:
                setattr(obj, name, target)
                changed.append(name)
        counts = self.report.counts[type(obj)]
        if is_new or changed:
            self.touched.add((type(obj), item.key))
        if is_new:
            self._insert_later(obj, item.path)
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

    def _section(self, section, shape, children, before=None, prefetch=(), new=None) -> None:
        """The section's rows first (new ones inserted together), then their children; the
        stored children named in `prefetch` are read for all rows in a few queries; `new` sees
        each row this import creates before it is written."""
        model = shape.model
        items = self.plan[section]
        for item in items:
            obj = self.by_slug[model].get(item.key)
            if obj is None:
                obj = model()
                if new:
                    new(obj, item)
            fks = before(item) if before else {}
            label = f"{model._meta.model_name} “{item.key}”"
            self._upsert(obj, item, fks, label)
            self.by_slug[model][item.key] = obj
        self._insert_waiting()
        if prefetch:
            stored = [self.by_slug[model][item.key] for item in items]
            stored = [obj for obj in stored if not _created_here(obj)]
            for start in range(0, len(stored), 500):
                prefetch_related_objects(stored[start : start + 500], *prefetch)
        for index, item in enumerate(items, start=1):
            children(self.by_slug[model][item.key], item)
            if self.progress:
                self.progress(section, index, len(items))
        self._insert_waiting()

    def _session_refs(self, item: Item) -> dict[str, Any]:
        return {"event": self.by_slug[Event][item.refs["event"]]}

    def _new_feature(self, feature: Feature, item: Item) -> None:
        """A new feature's `followed_at` as the file tells it (its publication, its status
        entries and material updates recorded), so that the row is written once: the refresh
        at the end writes only where the database's own reckoning differs (a publication date
        the publishing rule moves, an entry the file gives no recording time)."""
        published = item.values.get("first_published_at")
        recorded = [
            child.values.get("recorded_at")
            for name in ("status_history", "material_updates")
            for child in item.children.get(name, [])
        ]
        if published is not None and None not in recorded:
            feature.followed_at = max([published, *recorded])

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
            self._existing(speaker, lambda: speaker.links.all()),
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
            self._existing(session, lambda: appearances),
            item.children["speakers"],
            key=lambda values, refs: refs["speaker"],
            key_of=lambda appearance: appearance.speaker.slug,
            fks=lambda child: {"speaker": speakers[child.refs["speaker"]]},
        )
        self._sync_positional(
            KeyPoint,
            "session",
            session,
            self._existing(session, lambda: session.key_points.all()),
            item.children["key_points"],
        )

    def _feature_children(self, feature: Feature, item: Item) -> None:
        self._sync_children(
            DocLink,
            "feature",
            feature,
            self._existing(feature, lambda: feature.doc_links.all()),
            item.children["doc_links"],
            key=lambda values, refs: values["url"],
            key_of=lambda link: link.url,
        )
        self._sync_children(
            StatusChange,
            "feature",
            feature,
            self._existing(feature, lambda: feature.status_changes.all()),
            item.children["status_history"],
            key=lambda values, refs: values["date"],
            key_of=lambda change: change.date,
            fks=self._status_change_refs,
            delete_first=True,
        )
        if "material_updates" in item.children:  # a version-1 file says nothing of them
            self._sync_children(
                MaterialUpdate,
                "feature",
                feature,
                self._existing(feature, lambda: feature.material_updates.all()),
                item.children["material_updates"],
                key=lambda values, refs: values["uid"],
                key_of=lambda update: update.uid,
                delete_first=True,
            )

    def _status_change_refs(self, item: Item) -> dict[str, Any]:
        """The event and session a status entry names (a version-1 file names neither)."""
        if not set(fmt.STATUS_CHANGE_REFERENCES) & set(item.refs):
            return {}
        event, session = item.refs.get("event"), item.refs.get("source_session")
        refs = {"event": self._event(event) if event else None}
        if session:
            refs["source_session"] = self.by_slug[Session][session]
        elif item.values.get("source_kind") != SourceKind.SESSION:
            refs["source_session"] = None
        # else: a session source a partial file left out (a draft) stays as it is
        return refs

    def _event(self, slug: str) -> Event:
        if slug not in self.by_slug[Event]:
            self.by_slug[Event][slug] = Event.objects.get(slug=slug)
        return self.by_slug[Event][slug]

    def _comparison_children(self, comparison: Comparison, item: Item) -> None:
        columns = self._sync_positional(
            ComparisonColumn,
            "comparison",
            comparison,
            self._existing(comparison, lambda: comparison.columns.all()),
            item.children["columns"],
        )
        rows = self._sync_positional(
            ComparisonRow,
            "comparison",
            comparison,
            self._existing(comparison, lambda: comparison.rows.all()),
            item.children["rows"],
        )
        self._insert_waiting()  # the rows and columns this comparison gains: cells name them
        for row, row_item in zip(rows, item.children["rows"], strict=True):
            existing = {
                cell.column_id: cell
                for cell in self._existing(row, lambda row=row: row.cells.all())
            }
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

    def _sync_children(
        self,
        model,
        parent_fk,
        parent,
        existing,
        wanted,
        *,
        key,
        key_of,
        fks=None,
        delete_first=False,
    ):
        """Make the parent's children match the file. With `delete_first`, children the file
        drops go before any is written, so that a row whose permanent identifier moves to
        another key (a status entry moved to another day) never meets its old self."""
        current = {key_of(child): child for child in existing}
        wanted_keys = {key(child_item.values, child_item.refs) for child_item in wanted}
        leftovers = [obj for k, obj in current.items() if k not in wanted_keys]
        if delete_first:
            for obj in leftovers:
                self._delete(obj, f"{model._meta.model_name} of “{parent}”")
        for child_item in wanted:
            wanted_key = key(child_item.values, child_item.refs)
            obj = current.get(wanted_key) or model(**{parent_fk: parent})
            self._upsert(obj, child_item, fks(child_item) if fks else {}, child_item.path)
        if not delete_first:
            for obj in leftovers:
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
