"""Who may change what the public sees: one rule, asked by every path that writes content.

Only a Publisher (a user with the model's `publish_<model>` permission; superusers have every
permission) changes what the public can see: publishing, unpublishing, deleting published
content, or an edit that moves a row on or off the site without touching its state (a published
session moved into or out of a draft event) and scheduling a published row (`publish_at`,
`unpublish_at`; on a draft those times are an editor's proposal). Editing everything else is an
Editor's job.

`refusal()` compares the row as it is STORED with the row about to be written, never with where
the new values came from (a form, a historical version being reverted to, an import file). It is
asked:

- by the admin's forms (add and change forms, history reverts), to show the reason by the field;
- by the admin's publish/unpublish actions (`may_publish`) and deletions (`may_delete`);
- underneath every path, by `check_write` on each content row saved or deleted (cascades
  included) while a user is `acting_as`: each request by a signed-in user acts as that user
  (ignite.middleware.ActingUserMiddleware) and `import_content --user NAME` acts as NAME.

A future API or scheduled publishing must write inside `acting_as(user)` (or ask `refusal`
itself). Code run by an operator (a shell, `import_content` without `--user`, migrations) acts
as nobody and is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from ignite.history import is_history_model
from ignite.publishing import Publishable

CONTENT_APPS = ("ignite_sessions", "features")
SCHEDULE_FIELDS = ("publish_at", "unpublish_at")

_acting_user: ContextVar = ContextVar("ignite_acting_user", default=None)


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Check every content write inside this block against `user`'s role."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def acting_user():
    return _acting_user.get()


class Refused(PermissionDenied):
    """A write the acting user's role does not allow (raised before anything of it is saved)."""


@dataclass(frozen=True)
class Refusal:
    message: str
    field: str | None = None  # the form field whose change made the difference, if any

    def __str__(self) -> str:
        return self.message


def may_publish(user, model: type[models.Model]) -> bool:
    """Whether `user` may change what the public sees of this kind of content."""
    opts = model._meta
    return bool(user and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"))


def stored_version(obj: models.Model) -> models.Model | None:
    """The row as the database holds it now (None for a row not saved yet)."""
    if obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def refusal(user, stored: models.Model | None, proposed: models.Model | None) -> Refusal | None:
    """Why `user` may not replace `stored` by `proposed`, or None when the role allows it.

    `stored` is None for a new row, `proposed` is None for a deletion.
    """
    model = type(proposed if proposed is not None else stored)
    if not issubclass(model, Publishable) or may_publish(user, model):
        return None
    name = model._meta.verbose_name
    if proposed is None:
        if stored.is_published:
            return Refusal(_("Only a publisher may delete published content."))
        return None
    was_published = stored is not None and stored.is_published
    if proposed.is_published != was_published:
        return Refusal(_("Only a publisher may publish or unpublish."), "state")
    if proposed.is_published:
        # On a draft, a time is an editor's proposal; once published, it is the schedule.
        for field in SCHEDULE_FIELDS:
            if stored is None or _value(stored, field) != _value(proposed, field):
                if stored is None and _value(proposed, field) is None:
                    continue
                return Refusal(
                    _(
                        "Only a publisher may schedule published content; on a draft, an "
                        "editor may propose a time."
                    ),
                    field,
                )
    if stored is not None and stored.is_visible() != proposed.is_visible():
        field = next(
            (
                name
                for name in model.visibility_fields
                if _value(stored, name) != _value(proposed, name)
            ),
            None,
        )
        if stored.is_visible():
            message = _(
                "This %(name)s is on the public site; this change would take it off, which only "
                "a publisher may decide."
            )
        else:
            message = _(
                "This %(name)s is not on the public site; this change would put it there, "
                "which only a publisher may decide."
            )
        return Refusal(message % {"name": name}, field)
    return None


def _value(obj: models.Model, name: str):
    return getattr(obj, obj._meta.get_field(name).attname)


def may_delete(user, stored: models.Model) -> bool:
    return refusal(user, stored, None) is None


def _permission_refusal(user, model: type[models.Model], action: str) -> Refusal | None:
    opts = model._meta
    if user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return None
    messages = {
        "add": _("%(user)s may not add %(name)s."),
        "change": _("%(user)s may not change %(name)s."),
        "delete": _("%(user)s may not delete %(name)s."),
    }
    return Refusal(
        messages[action] % {"user": user.get_username(), "name": opts.verbose_name_plural}
    )


def check_write(user, stored: models.Model | None, proposed: models.Model | None) -> None:
    """Raise Refused when `user`'s role does not allow this write: the model permission it
    needs (add, change or delete) and the publication rule."""
    obj = proposed if proposed is not None else stored
    if proposed is None:
        action = "delete"
    elif stored is None:
        action = "add"
    else:
        action = "change"
    reason = _permission_refusal(user, type(obj), action) or refusal(user, stored, proposed)
    if reason is not None:
        raise Refused(f"{obj._meta.verbose_name} “{obj}”: {reason}")


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    user = acting_user()
    if user is None or raw:
        return
    if issubclass(sender, Publishable) and not may_publish(user, sender):
        stored = stored_version(instance)  # the publication rule compares with the stored row
    else:  # only the model permission matters: no need to read the row
        stored = None if instance._state.adding else instance
    check_write(user, stored, instance)


def _before_delete(sender, instance, **kwargs) -> None:
    user = acting_user()
    if user is not None:
        check_write(user, stored_version(instance) or instance, None)


def enforce_on_every_write() -> None:
    """Connect the check to every content model (not their history records)."""
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if is_history_model(model) or model._meta.auto_created:
                continue
            uid = f"rules:{model._meta.label}"
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:save")
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}:delete")
