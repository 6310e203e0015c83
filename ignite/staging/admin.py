"""Staged edits in the admin: the "Save as staged change" button of every content change form,
the box of pending changes on it, the list of staged changes, and their preview, publish,
schedule and discard views."""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, path, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ignite import rules
from ignite.publishing import can_preview
from ignite.staging import changes
from ignite.staging.models import StagedEdit, StagedState

STAGE_BUTTON = "_stage"


class TimeForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


class StagingMixin:
    """For PublishableAdmin: stage a published object's change instead of saving it."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and STAGE_BUTTON in request.POST:
            staged = self._stage(request, object_id)
            if staged is not None:
                return staged
            # Invalid: the change form shows why, as after Save; nothing of it is kept.
            with transaction.atomic():
                response = super().changeform_view(request, object_id, form_url, extra_context)
                transaction.set_rollback(True)
            return response
        obj = self.get_object(request, unquote(object_id))
        context = {**(extra_context or {}), **staging_context(request, obj, self)}
        return super().changeform_view(request, object_id, form_url, context)

    def _stage(self, request: HttpRequest, object_id: str) -> HttpResponse | None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            result = changes.stage_form(self, request, obj)
        except changes.StagingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        if not isinstance(result, StagedEdit):
            return None
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Staged change #%(number)s kept aside: the public still sees the live version.")
                % {"number": result.pk},
                reverse("admin:ignite_stagededit_preview", args=[result.pk]),
                _("Preview it"),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.path)


def staging_context(request: HttpRequest, obj, model_admin) -> dict:
    if obj is None or not getattr(obj, "is_published", False):
        return {}
    may_change = model_admin.has_change_permission(request, obj)
    edits = list(StagedEdit.objects.for_object(obj).open().select_related("created_by"))
    return {
        "can_stage": may_change,
        "staged_edits": [edit_actions(request, edit, obj) for edit in edits],
    }


def edit_actions(request: HttpRequest, edit: StagedEdit, obj=None) -> dict:
    """What the box of a staged edit shows this user."""
    obj = obj if obj is not None else edit.live_object()
    model = type(obj) if obj is not None else None
    may_publish = model is not None and rules.may_publish(request.user, model)
    return {
        "edit": edit,
        "object": obj,
        "live_changed": obj is not None and obj.updated_at != edit.base_updated_at,
        "may_publish": may_publish,
        "time_form": TimeForm(
            initial={"publish_at": edit.publish_at or edit.proposed_publish_at}, prefix=edit.pk
        ),
    }


@admin.register(StagedEdit)
class StagedEditAdmin(admin.ModelAdmin):
    list_display = ["number", "object_link", "created_by", "state", "publish_at", "created_at"]
    list_filter = ["state", "content_type"]
    search_fields = ["object_label", "note"]
    list_select_related = ["created_by", "content_type"]
    change_form_template = "admin/ignite/stagededit/change_form.html"
    fields = [
        "object_link",
        "state",
        "message",
        "note",
        "created_by",
        "created_at",
        "proposed_publish_at",
        "publish_at",
        "scheduled_by",
        "published_by",
        "published_at",
        "base_updated_at",
        "status_entry",
        "form_data",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the data is what was staged; the views below act on it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # discarded, never deleted: history keeps what happened

    @admin.display(description="#", ordering="pk")
    def number(self, edit: StagedEdit) -> str:
        return f"#{edit.pk}"

    @admin.display(description=_("object"), ordering="object_label")
    def object_link(self, edit: StagedEdit) -> str:
        obj = edit.live_object()
        if obj is None:
            return edit.object_label
        return format_html('<a href="{}">{}</a>', admin_url(obj), edit.object_label)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="ignite_stagededit_preview"),
            path("<int:pk>/publish/", view(self.publish_view), name="ignite_stagededit_publish"),
            path("<int:pk>/schedule/", view(self.schedule_view), name="ignite_stagededit_schedule"),
            path("<int:pk>/discard/", view(self.discard_view), name="ignite_stagededit_discard"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edit = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if edit is not None and edit.is_open:
            context["staged_edits"] = [edit_actions(request, edit)]
        return super().change_view(request, object_id, form_url, context)

    # The views acting on one staged edit. Each answers bad input (a missing, closed or
    # refused edit) with a message and a redirect, never an error page.

    def _edit(self, request: HttpRequest, pk: int):
        """The edit and its live object, once the user may change that object."""
        edit = StagedEdit.objects.select_related("created_by").filter(pk=pk).first()
        if edit is None:
            self.message_user(
                request,
                _("Staged change #%(number)s does not exist.") % {"number": pk},
                messages.ERROR,
            )
            return None, None
        obj = edit.live_object()
        if obj is None:
            self.message_user(
                request, _("The object of this staged change no longer exists."), messages.ERROR
            )
            return None, None
        model_admin = changes.model_admin_for(type(obj))
        if model_admin is None or not model_admin.has_change_permission(request, obj):
            raise PermissionDenied
        return edit, obj

    def _back(self, request: HttpRequest, obj=None) -> HttpResponseRedirect:
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return HttpResponseRedirect(target)
        if obj is not None:
            return HttpResponseRedirect(admin_url(obj))
        return HttpResponseRedirect(reverse("admin:ignite_stagededit_changelist"))

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        edit, obj = self._edit(request, pk)
        if edit is None:
            return self._back(request)
        if not can_preview(request.user):
            raise PermissionDenied
        if not edit.is_open:
            self.message_user(
                request,
                _("Staged change #%(number)s is %(state)s: there is nothing to preview.")
                % {"number": edit.pk, "state": edit.get_state_display().lower()},
                messages.WARNING,
            )
            return self._back(request, obj)
        try:
            response = render_preview(request, edit)
        except changes.StagingError as error:
            self.message_user(
                request,
                _("This staged change no longer applies: %(reason)s") % {"reason": error},
                messages.ERROR,
            )
            return self._back(request, obj)
        return response

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:ignite_stagededit_change", args=[pk]))
        edit, obj = self._edit(request, pk)
        if edit is None:
            return self._back(request)
        try:
            changes.publish_now(edit, request.user, request, override="_override" in request.POST)
        except changes.StagingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self._back(request, obj)
        self.message_user(
            request,
            _("Published staged change #%(number)s.") % {"number": edit.pk},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(admin_url(obj))

    def schedule_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:ignite_stagededit_change", args=[pk]))
        edit, obj = self._edit(request, pk)
        if edit is None:
            return self._back(request)
        form = TimeForm(request.POST, prefix=edit.pk)
        if not form.is_valid():
            self.message_user(request, _("Enter a valid date and time."), messages.ERROR)
            return self._back(request, obj)
        when = form.cleaned_data["publish_at"]
        try:
            if rules.may_publish(request.user, type(obj)):
                changes.schedule_publication(
                    edit, request.user, when, override="_override" in request.POST
                )
                message = _("Staged change #%(number)s will be published at %(when)s.")
            else:
                changes.propose_time(edit, request.user, when)
                message = _("Proposed %(when)s for staged change #%(number)s; a publisher decides.")
        except changes.StagingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self._back(request, obj)
        self.message_user(request, message % {"number": edit.pk, "when": when}, messages.SUCCESS)
        return self._back(request, obj)

    def discard_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:ignite_stagededit_change", args=[pk]))
        edit, obj = self._edit(request, pk)
        if edit is None:
            return self._back(request)
        if edit.state == StagedState.SCHEDULED and not rules.may_publish(request.user, type(obj)):
            self.message_user(
                request,
                _("Only a publisher may discard a scheduled change."),
                messages.ERROR,
            )
            return self._back(request, obj)
        try:
            changes.discard(edit, request.user)
        except changes.StagingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self._back(request, obj)
        self.message_user(
            request,
            _("Discarded staged change #%(number)s.") % {"number": edit.pk},
            messages.SUCCESS,
        )
        return self._back(request, obj)


def render_preview(request: HttpRequest, edit: StagedEdit) -> HttpResponse:
    """The public page of the edited object as readers would see it with the edit applied,
    rendered inside a transaction that is then rolled back: nothing of it is kept."""
    with transaction.atomic():
        obj = changes.apply(edit, request.user, reason="preview")
        page_request = copy.copy(request)
        page_request.method = "GET"
        page_request.path = page_request.path_info = obj.get_absolute_url()
        page_request.GET = QueryDict()
        page_request.POST = QueryDict()
        page_request.staged_preview = edit
        try:
            match = resolve(page_request.path_info)
        except Resolver404 as error:
            raise changes.StagingError(_("This content has no public page.")) from error
        page_request.resolver_match = match
        response = match.func(page_request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        transaction.set_rollback(True)
    for header in ("ETag", "Last-Modified", "X-Page-Cache"):
        if header in response:
            del response[header]
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response
