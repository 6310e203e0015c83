"""The admin's list of upcoming scheduled changes: what appears, leaves or is proposed, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ignite.publishing import Publishable
from ignite.staging.models import StagedEdit, StagedState

# More rows than an editor reads; the page says when there are more.
LIMIT = 200


@dataclass(frozen=True)
class Upcoming:
    moment: datetime
    what: str  # "appears", "leaves", "proposed", "staged" or "staged-proposed"
    obj: object
    kind: str
    url: str

    @property
    def label(self) -> str:
        return {
            "appears": _("Appears"),
            "leaves": _("Leaves"),
            "proposed": _("Proposed time (draft)"),
            "staged": _("Staged change published"),
            "staged-proposed": _("Proposed time (staged change)"),
        }[self.what]


def upcoming_changes(user, now: datetime | None = None) -> list[Upcoming]:
    """Every scheduled or proposed moment still to come, over the content this user may view."""
    now = now or timezone.now()
    found: list[Upcoming] = []
    for model in admin.site._registry:
        if not issubclass(model, Publishable):
            continue
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        rows = model._base_manager.filter(Q(publish_at__gt=now) | Q(unpublish_at__gt=now))
        for obj in rows.order_by("publish_at", "pk")[:LIMIT]:
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            except NoReverseMatch:  # pragma: no cover - every registered model has one
                url = ""
            kind = str(opts.verbose_name)
            if obj.publish_at and obj.publish_at > now:
                what = "appears" if obj.is_published else "proposed"
                found.append(Upcoming(obj.publish_at, what, obj, kind, url))
            if obj.unpublish_at and obj.unpublish_at > now:
                what = "leaves" if obj.is_published else "proposed"
                found.append(Upcoming(obj.unpublish_at, what, obj, kind, url))
    if user.has_perm("ignite.view_stagededit"):
        found += _staged_changes(now)
    return sorted(found, key=lambda item: (item.moment, item.kind, str(item.obj)))


def _staged_changes(now: datetime) -> list[Upcoming]:
    """Staged edits to published content with a time still to come (scheduled or proposed)."""
    kind = str(StagedEdit._meta.verbose_name)
    rows = StagedEdit.objects.open().filter(
        Q(state=StagedState.SCHEDULED, publish_at__gt=now) | Q(proposed_publish_at__gt=now)
    )
    found = []
    for edit in rows.order_by("publish_at", "pk")[:LIMIT]:
        url = reverse("admin:ignite_stagededit_change", args=[edit.pk])
        if edit.state == StagedState.SCHEDULED and edit.publish_at and edit.publish_at > now:
            found.append(Upcoming(edit.publish_at, "staged", edit, kind, url))
        elif edit.proposed_publish_at and edit.proposed_publish_at > now:
            found.append(Upcoming(edit.proposed_publish_at, "staged-proposed", edit, kind, url))
    return found


def upcoming_schedule(request: HttpRequest) -> HttpResponse:
    changes = upcoming_changes(request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Upcoming scheduled changes"),
        "changes": changes,
        "zone": timezone.get_current_timezone_name(),
    }
    return TemplateResponse(request, "admin/upcoming_schedule.html", context)
