"""Staging a release status change for a published feature: prepared now, recorded in its
status history only when the staged change is published (ignite.staging)."""

from __future__ import annotations

import datetime

from django.db import models
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
    """For FeatureAdmin: publishing a staged status change records it in the history. (It is
    staged from the one status-change form: "Stage for later" beside "Record the change".)"""

    def apply_staged_entry(self, request, obj: Feature, entry: dict) -> None:
        record_staged_status(obj, entry)
