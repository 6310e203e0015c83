"""What every content admin shares: publication rules enforced on the server, history, previews."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from ignite import rules
from ignite.markdown import render_markdown
from ignite.publishing import PublicationState, Publishable
from ignite.staging.admin import StagingMixin

admin.site.site_header = _("Ignite Recap editorial")
admin.site.site_title = _("Ignite Recap editorial")
admin.site.index_title = _("Content")


class MarkdownTextarea(forms.Textarea):
    """A textarea with a live, sanitised preview rendered by the same code as the public site."""

    template_name = "ignite/widgets/markdown_textarea.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 6, "class": "vLargeTextField markdown-input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["preview"] = render_markdown(value or "")
        return context

    @property
    def media(self):
        # The stylesheet comes with every admin page (admin/base_site.html).
        return forms.Media(js=["django_htmx/htmx-2.min.js", "ignite/admin.js"])


def review_mark_label(mark: str, model) -> str:
    """ "summary.ja" as an editor reads it: "summary (Japanese)"."""
    field, language = mark.rsplit(".", 1)
    try:
        name = model._meta.get_field(field).verbose_name
    except Exception:  # a mark left by a field that has since gone
        name = field
    languages = dict(settings.LANGUAGES)
    return f"{name} ({languages.get(language, language)})"


class TranslationReviewForm(forms.ModelForm):
    """Marks the fields whose translation may lag behind the other language, and lets the
    editor clear a mark after checking the text (changing the text clears it too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        marks = list(getattr(self.instance, "stale_translations", None) or [])
        for mark in marks:
            field, language = mark.rsplit(".", 1)
            form_field = self.fields.get(f"{field}_{language}")
            if form_field is None:
                continue
            classes = form_field.widget.attrs.get("class", "")
            form_field.widget.attrs["class"] = f"{classes} needs-review".strip()
            form_field.help_text = format_html(
                '<span class="review-badge">{}</span> {}',
                _("Needs review: the other language changed after this was written."),
                form_field.help_text,
            )
        if marks and "reviewed_translations" not in self.fields:
            self.fields["reviewed_translations"] = forms.MultipleChoiceField(
                label=_("Translations checked"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(mark, review_mark_label(mark, self._meta.model)) for mark in marks],
                help_text=_(
                    "Tick a text you have checked against the other language and found still "
                    "right: its “needs review” mark goes."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        reviewed = cleaned.get("reviewed_translations") or []
        if reviewed:
            self.instance.mark_reviewed(*reviewed)
        return cleaned


class LabelledFormSet(BaseInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")


class LabelledInputs:
    """For tabular inlines: each input carries its label for screen readers (a table shows the
    labels only once, as column headings)."""

    formset = LabelledFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(field.label))
        return field


class LabelledTabularInline(LabelledInputs, TranslationTabularInline):
    """A tabular inline of a model with translated fields, one labelled input per language."""

    form = TranslationReviewForm


class NeedsTranslationReviewFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("stale", _("Needs review")), ("current", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.exclude(stale_translations=[])
        if self.value() == "current":
            return queryset.filter(stale_translations=[])
        return queryset


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return PublicationState.choices

    def queryset(self, request, queryset):
        if self.value() in PublicationState.values:
            return queryset.filter(state=self.value())
        return queryset


class RoleCheckedForm:
    """A content form that asks ignite.rules whether its user's role allows saving the row.

    It compares the row about to be written with the row as stored, so a history revert (whose
    form starts from an old version) is judged like any other edit. What an editor cannot edit,
    the publication state, stays as stored whatever the form started from.
    """

    acting_user = None

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the values to be saved
        if rules.may_publish(self.acting_user, type(self.instance)):
            return
        stored = rules.stored_version(self.instance)
        self.instance.state = stored.state if stored else PublicationState.DRAFT
        self.instance.first_published_at = stored.first_published_at if stored else None
        reason = rules.refusal(self.acting_user, stored, self.instance)
        if reason is not None:
            self.add_error(reason.field if reason.field in self.fields else None, reason.message)


def state_badge(obj: Publishable) -> str:
    """Draft, Published, or where a published row stands in its schedule (time on hover)."""
    now = timezone.now()
    if obj.is_published and obj.publish_at and obj.publish_at > now:
        css, label, moment = "scheduled", _("Scheduled"), obj.publish_at
    elif obj.is_published and obj.unpublish_at and obj.unpublish_at <= now:
        css, label, moment = "draft", _("Unpublished on schedule"), obj.unpublish_at
    else:
        css = "published" if obj.is_published else "draft"
        label, moment = obj.get_state_display(), None
    if moment is None:
        return format_html('<span class="state-badge state-badge--{}">{}</span>', css, label)
    local = timezone.localtime(moment)
    return format_html(
        '<span class="state-badge state-badge--{}" title="{}">{} <time datetime="{}">{}</time>'
        "</span>",
        css,
        date_format(local, "DATETIME_FORMAT"),
        label,
        moment.isoformat(),
        date_format(local, "SHORT_DATETIME_FORMAT"),
    )


def schedule_help(zone_name: str) -> str:
    return _("Times are in your time zone, %(zone)s (stored in UTC).") % {"zone": zone_name}


class PublishableAdmin(StagingMixin, SimpleHistoryAdmin, TranslationAdmin):
    """Admin for content with a draft/published state.

    Editors may create, edit and delete drafts; only users with the model's publish permission
    (Publishers) may change what the public sees. Forms, history reverts, actions and deletions
    all ask the one rule in ignite.rules. A change to published content may be staged instead
    of saved (ignite.staging), to be previewed and published later.
    """

    change_form_template = "admin/ignite/publishable_change_form.html"

    actions = ["publish_selected", "unpublish_selected"]
    form = TranslationReviewForm
    formfield_overrides = {models.TextField: {"widget": MarkdownTextarea}}
    list_per_page = 50
    save_on_top = True
    publication_fieldset = (
        _("Publication"),
        {
            "fields": (
                "state",
                ("publish_at", "unpublish_at"),
                "first_published_at",
                "created_at",
                "updated_at",
            )
        },
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and getattr(obj, "stale_translations", None):
            fieldsets.insert(1, (_("Translation review"), {"fields": ["reviewed_translations"]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The review field is made by the form itself, for the marks the object has.
        fields = kwargs.get("fields")
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != "reviewed_translations"]
        form = super().get_form(request, obj, change=change, **kwargs)
        form = type(form.__name__, (RoleCheckedForm, form), {"acting_user": request.user})
        zone = timezone.get_current_timezone_name()
        for name in ("publish_at", "unpublish_at"):
            if name in form.base_fields:
                field = form.base_fields[name]
                field.help_text = format_html("{} {}", field.help_text, schedule_help(zone))
        return form

    def view_on_site(self, obj: Publishable) -> str:
        # This site's own address, whatever host the admin is reached on (not the Site domain).
        return obj.get_absolute_url()

    @admin.display(description=_("state"), ordering="state")
    def state_display(self, obj: Publishable) -> str:
        return state_badge(obj)

    @admin.display(description=_("last changed"), ordering="updated_at")
    def last_changed(self, obj: Publishable) -> str:
        """The day, with the exact time on hover: lists stay narrow enough to read."""
        moment = timezone.localtime(obj.updated_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            moment.isoformat(),
            date_format(moment, "DATETIME_FORMAT"),
            date_format(moment, "SHORT_DATE_FORMAT"),
        )

    def apply_staged_entry(self, request: HttpRequest, obj: Publishable, entry: dict) -> None:
        """Apply a staged entry other than form data (a feature's status change)."""
        raise PermissionDenied(_("This kind of content takes no staged entries."))

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return rules.may_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj)]
        readonly += ["first_published_at", "created_at", "updated_at"]
        if not self.has_publish_permission(request):
            readonly.append("state")
            if obj is not None and obj.is_published:
                # Once published, the times are the schedule: a publisher's decision.
                readonly += ["publish_at", "unpublish_at"]
        return readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or self.has_publish_permission(request):
            return True
        stored = rules.stored_version(obj)  # obj may be a form's edited copy or an old version
        return stored is None or rules.may_delete(request.user, stored)

    def delete_queryset(self, request, queryset) -> None:
        if not all(rules.may_delete(request.user, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def response_action(self, request, queryset, **kwargs):
        """Say why a publishing action is refused (Django would only say none was chosen)."""
        action = request.POST.get("action", "")
        publishing = action in ("publish_selected", "unpublish_selected")
        if publishing and not self.has_publish_permission(request):
            self.message_user(
                request, _("Only publishers may publish or unpublish."), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)

    def _change_state(self, request, objects, change, reason: str) -> int:
        """Apply change() to each object and save it, recording who did it and why."""
        count = 0
        for obj in objects:
            change(obj)
            obj._history_user = request.user
            obj._change_reason = reason
            obj.save()
            count += 1
        return count

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish_selected(self, request, queryset) -> None:
        now = timezone.now()
        count = self._change_state(
            request, queryset.drafts(), lambda obj: obj.publish(now), "published"
        )
        message = ngettext("Published %(count)d item.", "Published %(count)d items.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Unpublish selected items (back to draft)"), permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset) -> None:
        count = self._change_state(
            request, queryset.published(), lambda obj: obj.unpublish(), "unpublished"
        )
        message = ngettext("Unpublished %(count)d item.", "Unpublished %(count)d items.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


# The link checker's admin lives with the rest of it (ignite.links).
from ignite.links import admin as _link_admin  # noqa: E402, F401
