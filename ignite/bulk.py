"""Inserting many new rows at once, as each row's own save() would have.

A bulk insert skips `save()` and the signals, which is where this project keeps its rules: the
publication rule and permissions (ignite.rules), blank translations (ignite.translations),
stale translation marks, the page cache revision, `Feature.followed_at` and the history.
`insert_as_saved` keeps every one of them, and only makes the writes themselves batched:

- the model's own work before a write: a model whose `save()` does any defines
  `prepare_insert()` (what that `save()` works out for a new row) and may define
  `after_insert()`; a model that overrides `save()` without them is saved row by row;
- `pre_save` and `post_save` are sent for each row, as `save()` sends them;
- one `bulk_create` for the rows, and one for their history records (`+`, with each row's
  `_history_user` and `_change_reason`), instead of one INSERT per row and per record.

The history record of a new row names no many-to-many relations (a new row has none yet), so
none are written for it, as simple-history's own record of a new row writes none.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models, router
from django.db.models.signals import post_save, pre_save

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
    model._base_manager.using(using).bulk_create(objs)
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
        history.bulk_history_create(objs)
