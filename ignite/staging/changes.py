"""Staging, previewing and publishing staged edits.

A staged edit is published by replaying its stored form data through the object's ModelAdmin
form and inline formsets, as the user who publishes it: the same validation, the same role
checks (ignite.rules) and the same history as a save in the change form, all or nothing. A
status change staged for a feature is recorded through its ModelAdmin's `apply_staged_entry`.
"""

from __future__ import annotations

import copy
import datetime
import logging
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.formsets import all_valid
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from ignite import rules, schedule
from ignite.models import ContentRevision
from ignite.staging.models import StagedEdit, StagedState

logger = logging.getLogger(__name__)

# Submitted keys that are not the object's data: the CSRF token, which button was pressed.
NOT_DATA = ("csrfmiddlewaretoken",)


class StagingError(Exception):
    """Why a staged edit cannot be staged, published, scheduled or discarded (for the editor)."""


class LiveVersionChanged(StagingError):
    """The live object changed after the edit was staged: publishing would overwrite that."""


@dataclass
class Replay:
    """The outcome of running submitted form data through a ModelAdmin's form and inlines."""

    form: object
    formsets: list
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


class _CollectedMessages(BaseStorage):
    """Messages the ModelAdmin adds while no browser is there to read them (a scheduled edit)."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def model_admin_for(model: type[models.Model]):
    """The ModelAdmin that edits this model, or None when the admin has none."""
    return admin.site._registry.get(model)


def submitted_data(post: QueryDict) -> dict[str, list[str]]:
    """The object's data in a change form's POST: every field and inline, not the buttons."""
    return {
        key: post.getlist(key)
        for key in post
        if key not in NOT_DATA and not (key.startswith("_") and not key.startswith("__"))
    }


def replay_request(user, data: dict[str, list[str]], base: HttpRequest | None = None):
    """A POST request carrying `data`, made by `user`: from the request being served if there is
    one (its messages reach the user), else a bare one (a scheduled edit)."""
    request = copy.copy(base) if base is not None else HttpRequest()
    request.method = "POST"
    post = QueryDict(mutable=True)
    for key, values in data.items():
        post.setlist(key, values)
    request.POST = post
    request._files = MultiValueDict()
    request.user = user
    if base is None:
        request._messages = _CollectedMessages(request)
    return request


def run_form(model_admin, request: HttpRequest, obj: models.Model) -> Replay:
    """Validate request.POST as the change form would, the form and every inline."""
    fieldsets = model_admin.get_fieldsets(request, obj)
    form_class = model_admin.get_form(
        request, obj, change=True, fields=flatten_fieldsets(fieldsets)
    )
    form = form_class(request.POST, request.FILES, instance=obj)
    formsets, _inlines = model_admin._create_formsets(request, form.instance, change=True)
    form_valid = form.is_valid()
    sets_valid = all_valid(formsets)
    replay = Replay(form, formsets)
    if not (form_valid and sets_valid):
        replay.errors = _error_lines(form, formsets)
    return replay


def _error_lines(form, formsets) -> list[str]:
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        lines += [f"{label}: {error}" if label else str(error) for error in errors]
    for formset in formsets:
        lines += [str(error) for error in formset.non_form_errors()]
        for index, errors in enumerate(formset.errors, start=1):
            for name, messages_ in errors.items():
                where = f"{formset.prefix} #{index}"
                lines += [f"{where} {name}: {message}" for message in messages_]
    return lines or [_("The form did not validate.")]


def save_replay(model_admin, request: HttpRequest, replay: Replay, reason: str):
    """Save a valid replay the way the change form saves, with `reason` in the history."""
    new_obj = model_admin.save_form(request, replay.form, change=True)
    new_obj._change_reason = reason
    model_admin.save_model(request, new_obj, replay.form, True)
    model_admin.save_related(request, replay.form, replay.formsets, True)
    message = model_admin.construct_change_message(request, replay.form, replay.formsets, False)
    model_admin.log_change(request, new_obj, message)
    return new_obj


def stage_form(model_admin, request: HttpRequest, obj: models.Model, note: str = ""):
    """Keep the change form's submission aside for `obj` (published), or return the Replay
    whose errors say why it would not save; nothing of the live object changes."""
    _require_published(obj)
    replay = run_form(model_admin, request, obj)
    if not replay.valid:
        return replay
    return _create(obj, request.user, form_data=submitted_data(request.POST), note=note)


def stage_entry(obj: models.Model, entry: dict, user, note: str = "") -> StagedEdit:
    """Keep a status change (a JSON-ready dict) aside for `obj`, which must be published."""
    _require_published(obj)
    return _create(obj, user, status_entry=entry, note=note)


def _require_published(obj: models.Model) -> None:
    if not getattr(obj, "is_published", False):
        raise StagingError(
            _("Only changes to published content are staged; save a draft directly.")
        )


def _create(obj, user, **values) -> StagedEdit:
    edit = StagedEdit(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_label=str(obj)[:300],
        base_updated_at=obj.updated_at,
        created_by=user,
        **values,
    )
    edit._history_user = user
    edit._change_reason = "staged"
    edit.save()
    return edit


def _live(edit: StagedEdit):
    obj = edit.live_object()
    if obj is None:
        raise StagingError(_("The object of this staged change no longer exists."))
    model_admin = model_admin_for(type(obj))
    if model_admin is None:
        raise StagingError(_("This kind of content cannot be edited in the admin."))
    return obj, model_admin


def apply(edit: StagedEdit, user, request: HttpRequest | None = None, reason: str = ""):
    """Write the staged change to the live object as `user` (in the caller's transaction);
    raise StagingError, with the reasons, when it does not validate or the role refuses it."""
    obj, model_admin = _live(edit)
    data = dict(edit.form_data)
    if data and "state" not in data:  # staged by an editor, whose form shows the state read-only
        data["state"] = [obj.state]
    replaying = replay_request(user, data, request)
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = replaying  # every history row names the publisher
    try:
        with rules.acting_as(user):
            if edit.form_data:
                if not model_admin.has_change_permission(replaying, obj):
                    raise StagingError(_("You may not change this object."))
                replay = run_form(model_admin, replaying, obj)
                if not replay.valid:
                    raise StagingError("\n".join(replay.errors))
                obj = save_replay(model_admin, replaying, replay, reason)
            if edit.status_entry:
                obj._change_reason = reason
                model_admin.apply_staged_entry(replaying, obj, edit.status_entry)
    except (PermissionDenied, ValidationError) as error:
        raise StagingError(_error_text(error)) from error
    finally:
        HistoricalRecords.context.request = previous
    return obj


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or _("Refused by your role.")


def publication_reason(edit: StagedEdit) -> str:
    author = edit.created_by.get_username() if edit.created_by else "?"
    return f"Published staged change #{edit.pk} (prepared by {author})"


def check_publishable(edit: StagedEdit, override: bool = False) -> None:
    if not edit.is_open:
        raise StagingError(
            _("Staged change #%(number)s is %(state)s: it can no longer be published.")
            % {"number": edit.pk, "state": edit.get_state_display().lower()}
        )
    obj, _model_admin = _live(edit)
    if not override and obj.updated_at != edit.base_updated_at:
        raise LiveVersionChanged(
            _(
                "The live version changed after this was staged; publishing would undo that "
                "change. Review the live version and stage again, or publish anyway."
            )
        )


def publish_now(edit: StagedEdit, user, request=None, override: bool = False):
    """Publish a staged edit at once as `user`, all or nothing; a refused or invalid edit is
    marked failed with the reasons, and StagingError raised."""
    check_publishable(edit, override)
    try:
        with transaction.atomic():
            obj = apply(edit, user, request, publication_reason(edit))
            _mark(edit, StagedState.PUBLISHED, user, published_by=user, published_at=timezone.now())
    except StagingError as error:
        _mark(edit, StagedState.FAILED, user, message=str(error))
        raise
    return obj


def _mark(edit: StagedEdit, state: str, user, reason: str = "", **values) -> None:
    edit.state = state
    edit.message = values.pop("message", "")
    for name, value in values.items():
        setattr(edit, name, value)
    edit._history_user = user
    edit._change_reason = reason or state
    edit.save()


def schedule_publication(
    edit: StagedEdit, user, when: datetime.datetime, override: bool = False
) -> None:
    """Set the moment the edit goes live: a publisher's decision; an editor may only propose.
    With `override` the publisher accepts replacing the live version as it is now."""
    obj, _model_admin = _live(edit)
    if not rules.may_publish(user, type(obj)):
        raise StagingError(_("Only a publisher may schedule a staged change."))
    check_publishable(edit, override)
    if when <= timezone.now():
        raise StagingError(_("Choose a moment in the future, or publish now."))
    _mark(
        edit,
        StagedState.SCHEDULED,
        user,
        publish_at=when,
        scheduled_by=user,
        base_updated_at=obj.updated_at,
    )
    ContentRevision.reschedule()


def propose_time(edit: StagedEdit, user, when: datetime.datetime | None) -> None:
    if not edit.is_open:
        raise StagingError(_("This staged change is no longer open."))
    edit.proposed_publish_at = when
    edit._history_user = user
    edit._change_reason = "proposed a time"
    edit.save()


def discard(edit: StagedEdit, user) -> None:
    if not edit.is_open:
        raise StagingError(_("This staged change is no longer open."))
    was_scheduled = edit.state == StagedState.SCHEDULED
    _mark(edit, StagedState.DISCARDED, user)
    if was_scheduled:
        ContentRevision.reschedule()


# The schedule source (ignite.schedule): scheduled edits applied by the first request after
# their moment, in whichever process.


def next_moment(now: datetime.datetime) -> datetime.datetime | None:
    # An overdue edit counts too (it may have been missed by a recomputation after its moment),
    # so the next request applies it.
    return (
        StagedEdit.objects.filter(state=StagedState.SCHEDULED)
        .aggregate(first=models.Min("publish_at"))
        .get("first")
    )


def apply_due(now: datetime.datetime) -> list[StagedEdit]:
    """Publish every scheduled edit due by `now`, each all or nothing, as the publisher who
    scheduled it; an edit is claimed first, so it is applied once even with many processes."""
    applied = []
    for edit in StagedEdit.objects.due(now).select_related("scheduled_by", "created_by"):
        claimed = StagedEdit.objects.filter(pk=edit.pk, state=StagedState.SCHEDULED).update(
            state=StagedState.PUBLISHED, published_at=now, published_by=edit.scheduled_by
        )
        if not claimed:
            continue
        edit.refresh_from_db()
        try:
            live = edit.live_object()
            if live is not None and live.updated_at != edit.base_updated_at:
                raise LiveVersionChanged(
                    _(
                        "The live version changed after this was scheduled; it was not "
                        "published. Review the live version and stage again."
                    )
                )
            with transaction.atomic():
                apply(edit, edit.scheduled_by, None, publication_reason(edit))
                edit._history_user = edit.scheduled_by
                edit._change_reason = "published at its scheduled time"
                edit.save()
            applied.append(edit)
        except Exception as error:  # one failing edit must not keep the others from going live
            logger.warning("Scheduled staged change #%s failed.", edit.pk, exc_info=True)
            message = str(error) if isinstance(error, StagingError) else repr(error)
            _mark(
                edit,
                StagedState.FAILED,
                edit.scheduled_by,
                message=message,
                published_at=None,
                published_by=None,
            )
    return applied


def register() -> None:
    schedule.register(schedule.Scheduled("staged edits", next_moment, apply_due))
