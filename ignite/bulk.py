"""Inserting many new rows at once, as each row's own save() would have.

A bulk insert skips `save()` and the signals, which is where this project keeps its rules: the
publication rule and permissions (ignite.rules), blank translations (ignite.translations),
stale translation marks, the page cache revision, `Feature.followed_at` and the history.
`insert_as_saved` keeps every one of them, and only makes the writes themselves batched:

- the model's own work before a write: a model whose `save()` does any defines
  `prepare_insert()` (what that `save()` works out for a new row) and may define
  `after_insert()`; a model that overrides `save()` without them is saved row by row;
- `pre_save` and `post_save` are sent for each row, as `save()` sends them;
- one bulk insert for the rows, and one for their history records (`+`, with each row's
  `_history_user` and `_change_reason`), instead of one INSERT per row and per record.

On SQLite the bulk insert writes its INSERTs itself, as many rows to a statement as SQLite
takes, each value prepared by its field as `bulk_create` prepares it (`pre_save`, then
`get_db_prep_save`): `bulk_create` spent longer writing out a placeholder per value than
SQLite spent storing the rows (5.1 of 12 s of an import of 10,000 features; preparing the
values here takes about 1.2 s, rows and history records together). The
ids are read back from SQLite, which numbers the rows of one statement in order while the
transaction holds the write lock, and checked against the table. A value that is an
expression, a model with parents or ids of its own, and every other database (PostgreSQL
returns the ids) go through `bulk_create`. History records take the same way.

The history record of a new row names no many-to-many relations (a new row has none yet), so
none are written for it, as simple-history's own record of a new row writes none.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import connections, models, router
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from ignite.history import is_history_model


def inserts_in_bulk(model: type[models.Model]) -> bool:
    """Whether rows of `model` can be inserted in bulk without skipping what its save() does:
    the class whose save() runs must say what that is for a new row (`prepare_insert`)."""
    for klass in model.__mro__:
        if "save" in vars(klass):
            return klass is models.Model or "prepare_insert" in vars(klass)
    return True


def insert_as_saved(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert new, unsaved rows of `model`, each as `obj.save()` would, with their history.

    Raises what a save would raise (a refused permission from a pre_save receiver, a database
    error for the batch); the caller holds the transaction.
    """
    if not objs:
        return
    if not inserts_in_bulk(model):
        for obj in objs:
            obj.save()
        return
    using = router.db_for_write(model)
    for obj in objs:
        if obj.pk is not None or not obj._state.adding:
            raise ValueError(f"{obj!r} is not a new row")
        # As save() does first: a parent saved since it was assigned lends its id now, so
        # that prepare_insert() and the receivers see it (bulk_create would only do it later).
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        if hasattr(obj, "prepare_insert"):
            obj.prepare_insert()
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    insert_rows(model, objs, using)
    history = getattr(model, "history", None)
    records = history is not None and is_history_model(history.model)
    for obj in objs:
        if hasattr(obj, "after_insert"):
            obj.after_insert()
        if records:  # written below for all of them at once
            obj.skip_history_when_saving = True
        try:
            post_save.send(
                sender=model,
                instance=obj,
                created=True,
                update_fields=None,
                raw=False,
                using=using,
            )
        finally:
            if records:
                del obj.skip_history_when_saving
    if records:
        insert_rows(history.model, history_records(history.model, objs), using)


def history_records(history_model, objs: Sequence[models.Model]) -> list[models.Model]:
    """The `+` history records of new rows, as simple-history's `bulk_history_create` builds
    them: each row's `_history_user` (else the default user), `_history_date` (else now) and
    `_change_reason`, and its tracked fields."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return []
    tracked = [field.attname for field in history_model.tracked_fields]
    relation = hasattr(history_model, "history_relation")
    records = []
    for obj in objs:
        record = history_model(
            history_date=getattr(obj, "_history_date", None) or timezone.now(),
            history_user=(
                obj._history_user
                if hasattr(obj, "_history_user")
                else history_model.get_default_history_user(obj)
            ),
            history_change_reason=get_change_reason_from_object(obj) or "",
            history_type="+",
            **{name: getattr(obj, name) for name in tracked},
        )
        if relation:
            record.history_relation_id = obj.pk
        records.append(record)
    return records


def insert_rows(model: type[models.Model], objs: Sequence[models.Model], using: str) -> None:
    """INSERT new rows (no signals), and give each its id, as `bulk_create` does."""
    connection = connections[using]
    opts = model._meta
    simple = (
        connection.vendor == "sqlite"
        and not opts.parents
        and isinstance(opts.pk, AutoFieldMixin)
        and all(obj.pk is None for obj in objs)
    )
    fields = _insert_fields(opts)
    rows = _values(fields, objs, connection) if simple else None
    if rows is None:
        model._base_manager.using(using).bulk_create(objs)
        return
    quote = connection.ops.quote_name
    insert = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    one_row = f"({', '.join(['%s'] * len(fields))})"
    # What the database works out (a generated column) is read back with the ids, as
    # bulk_create reads it; reading the ids back also checks them.
    returned = [field.attname for field in opts.db_returning_fields if field is not opts.pk]
    stored = model._base_manager.using(using).order_by("pk")
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            values = ", ".join([one_row] * len(batch))
            cursor.execute(f"{insert} VALUES {values}", [value for row in batch for value in row])
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            first = last - len(batch) + 1
            found = list(stored.filter(pk__range=(first, last)).values_list("pk", *returned))
            if [row[0] for row in found] != list(range(first, last + 1)):  # never seen
                raise RuntimeError(f"{opts.label}: the new rows' ids could not be read back")
            for row, obj in zip(found, objs[start : start + size], strict=True):
                obj.pk = row[0]
                for name, value in zip(returned, row[1:], strict=True):
                    setattr(obj, name, value)
                obj._state.adding = False
                obj._state.db = using


def _insert_fields(opts) -> list:
    return [
        field
        for field in opts.concrete_fields
        if field is not opts.pk and not getattr(field, "generated", False)
    ]


def _values(fields, objs, connection) -> list[list] | None:
    """Each row's values as its fields prepare them for the database (`pre_save`, then
    `get_db_prep_save`), or None if one is an expression (bulk_create compiles those)."""
    rows = []
    for obj in objs:
        row = []
        for field in fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                return None
            row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    return rows
