"""Staging a release status change for a published feature: prepared now, recorded in its
status history only when the staged change is published (ignite.staging)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ignite.staging import changes
from ignite.staging.models import StagedEdit

from .models import Feature

DATE_FIELDS = ("date", "checked_on")


def entry_to_json(entry: dict) -> dict:
    """A status entry (form values: dates, related objects) as JSON: dates in ISO, objects by
    their key (`event` becomes `event_id`)."""
    data = {}
    for name, value in entry.items():
        if isinstance(value, models.Model):
            data[f"{name}_id"] = value.pk
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is None and name in ("event", "source_session"):
            data[f"{name}_id"] = None
        else:
            data[name] = value
    return data


def entry_from_json(data: dict) -> dict:
    entry = dict(data)
    for name in DATE_FIELDS:
        if entry.get(name):
            entry[name] = datetime.date.fromisoformat(entry[name])
    return entry


def stage_status_change(feature: Feature, entry: dict, user, note: str = "") -> StagedEdit:
    """Keep a status change to a published feature aside until it is published.

    `entry` holds `status`, `date` and the entry's other fields as ChangeStatusForm cleans them
    (source, precision, event, note_en/note_ja, is_correction).
    """
    if not entry.get("status") or not entry.get("date"):
        raise changes.StagingError(_("A status change needs a status and a date."))
    return changes.stage_entry(feature, entry_to_json(entry), user, note)


def record_staged_status(feature: Feature, data: dict) -> None:
    entry = entry_from_json(data)
    status, date = entry.pop("status"), entry.pop("date")
    if feature.record_status(status, date, **entry) is None:
        raise changes.StagingError(
            _("The status history already has an entry on %(date)s; nothing was recorded.")
            % {"date": date}
        )


class StatusStagingMixin:
    """For FeatureAdmin: a page to stage a status change to a published feature."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/stage-status/",
                self.admin_site.admin_view(self.stage_status_view),
                name="features_feature_stage_status",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None and request.method == "GET":
            url = reverse("admin:features_feature_stage_status", args=[object_id])
            extra_context = {**(extra_context or {}), "stage_status_url": url}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def apply_staged_entry(self, request, obj: Feature, entry: dict) -> None:
        record_staged_status(obj, entry)

    def stage_status_view(self, request, object_id):
        from .admin import ChangeStatusForm  # the status-change form, wherever it is recorded

        feature = self.get_object(request, unquote(object_id))
        if feature is None:
            self.message_user(request, _("That feature does not exist."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:features_feature_changelist"))
        if not self.has_change_permission(request, feature):
            raise PermissionDenied
        change_url = reverse("admin:features_feature_change", args=[feature.pk])
        if not feature.is_published:
            self.message_user(
                request,
                _("Only changes to published content are staged; save a draft directly."),
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        form = ChangeStatusForm(
            request.POST if request.method == "POST" else None,
            initial={"date": timezone.localdate()},
        )
        if form.is_valid():
            edit = stage_status_change(
                feature, dict(form.cleaned_data), request.user, request.POST.get("staged_note", "")
            )
            self.message_user(
                request,
                _("Staged status change #%(number)s: readers see it once it is published.")
                % {"number": edit.pk},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Stage a release status change"),
            "subtitle": str(feature),
            "opts": self.opts,
            "original": feature,
            "form": form,
        }
        return TemplateResponse(request, "admin/features/feature/stage_status.html", context)
