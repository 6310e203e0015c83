from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from ignite.admin import (
    LabelledInputs,
    LabelledTabularInline,
    NeedsTranslationReviewFilter,
    PublicationStateFilter,
    PublishableAdmin,
    TranslationReviewForm,
)
from ignite.dates import DatePrecision
from ignite.links.admin import BrokenLinksFilter
from ignite.markdown import MAX_MARKDOWN_LENGTH
from ignite.translations import in_every_language

from .models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    MaterialUpdate,
    ReleaseStatus,
    StatusChange,
)
from .staging import StatusStagingMixin

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = TranslationReviewForm
    list_display = ["name", "slug", "order", "feature_count"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = [("name_en", "name_ja"), "slug", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(feature_total=Count("features"))

    @admin.display(description=_("features"), ordering="feature_total")
    def feature_count(self, obj: Area) -> int:
        return obj.feature_total


class DocLinkInline(LabelledTabularInline):
    model = DocLink
    extra = 0
    fields = ["title_en", "title_ja", "url", "kind", "order"]


# What an editor records of a status change, wherever it is recorded.
STATUS_ENTRY_FIELDS = [
    ("status", "is_correction"),
    ("date", "date_precision", "event"),
    ("source_kind", "source_session"),
    ("source_title", "source_url"),
    ("source_label", "checked_on"),
    ("note_en", "note_ja"),
]


class StatusEntryForm(TranslationReviewForm):
    """A status-history entry; a date without a stated precision is a day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "date_precision" in self.fields:
            self.fields["date_precision"].required = False

    def clean_date_precision(self) -> str:
        return self.cleaned_data.get("date_precision") or DatePrecision.DAY


class StatusChangeInline(LabelledInputs, TranslationStackedInline):
    model = StatusChange
    form = StatusEntryForm
    extra = 0
    fields = STATUS_ENTRY_FIELDS
    autocomplete_fields = ["event", "source_session"]
    ordering = ["date", "pk"]
    verbose_name_plural = _("status history (oldest first), each with its source")


class MaterialUpdateInline(LabelledTabularInline):
    """An explicit "followers should know": a typo fix records none, so feeds stay quiet."""

    model = MaterialUpdate
    extra = 0
    fields = ["date", "note_en", "note_ja"]
    ordering = ["date", "pk"]
    verbose_name_plural = _(
        "material updates (announced to followers; leave typo fixes and rewording out)"
    )


class ChangeStatusForm(StatusEntryForm):
    """One status change for many features: the same entry is recorded in each one's history."""

    class Meta:
        model = StatusChange
        fields = [name for row in STATUS_ENTRY_FIELDS for name in row]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "checked_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No default status: recording GA by mistake must take a choice, not a missed field.
        self.fields["status"].choices = [("", "---------"), *ReleaseStatus.choices]
        self.fields["status"].initial = ""
        self.fields["status"].label = _("New release status")

    def entry_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "status"}


STATUS_SET_IN_FORM = _("Status set in the feature's form")


class FeatureForm(TranslationReviewForm):
    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if "status" in self.changed_data and self.instance.pk:
            entry = self.instance.entry_overruling(status, timezone.localdate())
            if entry is not None:
                raise forms.ValidationError(
                    _(
                        "The status history already has %(status)s on %(date)s, which would "
                        "stay current: change the status there instead."
                    ),
                    params={"status": entry.get_status_display(), "date": entry.date},
                    code="overruled",
                )
        return status


@admin.register(Feature)
class FeatureAdmin(StatusStagingMixin, PublishableAdmin):
    form = FeatureForm
    list_display = ["name", "status_display", "area", "state_display", "last_changed"]
    list_filter = [
        "status",
        PublicationStateFilter,
        NeedsTranslationReviewFilter,
        "area",
        ("session__event", admin.RelatedOnlyFieldListFilter),
        ("session", admin.RelatedOnlyFieldListFilter),
        BrokenLinksFilter,
    ]
    search_fields = [
        "name",
        "japanese_name",
        "slug",
        "summary_en",
        "summary_ja",
        "body_en",
        "body_ja",
        "editors_note_en",
        "editors_note_ja",
    ]
    autocomplete_fields = ["area", "session", "related"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DocLinkInline, StatusChangeInline, MaterialUpdateInline]
    actions = [*PublishableAdmin.actions, "change_status"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "japanese_name",
                    "slug",
                    ("status", "area"),
                    ("topic_en", "topic_ja"),
                    "session",
                ]
            },
        ),
        (_("Summary"), {"fields": [("summary_en", "summary_ja")]}),
        (_("Body"), {"fields": [("body_en", "body_ja")]}),
        (_("Editor's note"), {"fields": [("editors_note_en", "editors_note_ja")]}),
        (_("Related features"), {"fields": ["related"]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "session")

    @admin.display(description=_("release status"), ordering="status")
    def status_display(self, obj: Feature) -> str:
        return obj.get_status_display()

    def save_related(self, request, form, formsets, change) -> None:
        """Keep the current status and the status history in step, whichever was edited: a
        status set in the form is recorded in the history as of today."""
        super().save_related(request, form, formsets, change)
        feature = form.instance
        if "status" in form.changed_data:
            feature.record_status(
                feature.status,
                timezone.localdate(),
                **in_every_language(STATUS_SET_IN_FORM, "note"),
            )
        else:
            feature.follow_status_history()
        if feature.status != form.cleaned_data.get("status", feature.status):
            self.message_user(
                request,
                _("The release status now follows the latest status history entry: %(status)s.")
                % {"status": feature.get_status_display()},
                messages.INFO,
            )

    @admin.action(
        description=_("Change release status (kept in the history)…"), permissions=["change"]
    )
    def change_status(self, request, queryset):
        """Record a dated status change for each selected feature instead of overwriting."""
        form = ChangeStatusForm(
            request.POST if "apply" in request.POST else None,
            initial={"date": timezone.localdate()},
        )
        if form.is_valid():
            recorded, skipped = 0, []
            for feature in queryset:
                feature._change_reason = "change release status"
                fields = form.entry_fields()
                change = feature.record_status(
                    form.cleaned_data["status"], fields.pop("date"), **fields
                )
                if change is None:
                    skipped.append(feature.name)
                else:
                    recorded += 1
            self.message_user(
                request,
                ngettext(
                    "Recorded the status change for %(count)d feature.",
                    "Recorded the status change for %(count)d features.",
                    recorded,
                )
                % {"count": recorded},
                messages.SUCCESS,
            )
            if skipped:
                self.message_user(
                    request,
                    _("Already recorded for that date, left as it was: %(names)s")
                    % {"names": ", ".join(skipped)},
                    messages.WARNING,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change release status"),
            "opts": self.opts,
            "form": form,
            "features": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/features/feature/change_status.html", context)


class ComparisonColumnInline(LabelledTabularInline):
    model = ComparisonColumn
    extra = 0
    fields = ["label_en", "label_ja", "order"]
    verbose_name_plural = _("columns (save after adding one to fill its cells below)")


class ComparisonRowForm(TranslationReviewForm):
    """A row of the comparison grid: its label plus one text box per column and language."""

    columns: list[ComparisonColumn] = []

    class Meta:
        model = ComparisonRow
        fields = ["label_en", "label_ja", "order"]

    @staticmethod
    def cell_field_name(column: ComparisonColumn, language: str) -> str:
        return f"cell_{column.pk}_{language}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cells = {}
        if self.instance.pk:
            cells = {cell.column_id: cell for cell in self.instance.cells.all()}
        for column in self.columns:
            for language in LANGUAGES:
                name = self.cell_field_name(column, language)
                cell = cells.get(column.pk)
                self.initial[name] = getattr(cell, f"text_{language}", "") or "" if cell else ""

    def save(self, commit=True):
        row = super().save(commit=commit)
        if commit:
            self.save_cells(row)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_cells():
                save_m2m()
                self.save_cells(row)

            self.save_m2m = save_m2m_and_cells
        return row

    def save_cells(self, row: ComparisonRow) -> None:
        existing = {cell.column_id: cell for cell in row.cells.all()}
        for column in self.columns:
            texts = {
                f"text_{language}": self.cleaned_data.get(
                    self.cell_field_name(column, language), ""
                )
                for language in LANGUAGES
            }
            cell = existing.get(column.pk)
            if cell is None:
                if any(texts.values()):
                    ComparisonCell.objects.create(row=row, column=column, **texts)
                continue
            if any(getattr(cell, name) != value for name, value in texts.items()):
                for name, value in texts.items():
                    setattr(cell, name, value)
                cell.save()


class ComparisonRowInline(LabelledTabularInline):
    """The comparison as a grid: one line per row, a text box per column in each language."""

    model = ComparisonRow
    extra = 0
    verbose_name_plural = _("rows and their cells")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith("label"):
            field.widget.attrs["size"] = 16
        if db_field.name == "order":
            field.widget.attrs["size"] = 3
        return field

    def _columns(self, obj):
        return list(obj.columns.all()) if obj and obj.pk else []

    def get_fields(self, request, obj=None):
        cell_fields = [
            ComparisonRowForm.cell_field_name(column, language)
            for column in self._columns(obj)
            for language in LANGUAGES
        ]
        return ["label_en", "label_ja", "order", *cell_fields]

    def get_formset(self, request, obj=None, **kwargs):
        columns = self._columns(obj)
        declared = {
            ComparisonRowForm.cell_field_name(column, language): forms.CharField(
                label=f"{column.label_en} ({language})",
                required=False,
                max_length=MAX_MARKDOWN_LENGTH,
                widget=forms.Textarea(
                    attrs={
                        "rows": 3,
                        "cols": 24,
                        "class": "grid-cell",
                        "aria-label": f"{column.label_en} ({language})",
                    }
                ),
            )
            for column in columns
            for language in LANGUAGES
        }
        kwargs["form"] = type(
            "ComparisonRowGridForm", (ComparisonRowForm,), {**declared, "columns": columns}
        )
        kwargs["fields"] = ["label_en", "label_ja", "order", *declared]
        return super().get_formset(request, obj, **kwargs)


@admin.register(Comparison)
class ComparisonAdmin(PublishableAdmin):
    list_display = ["title", "session", "size", "state_display", "last_changed"]
    list_filter = [PublicationStateFilter, ("session", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title_en", "title_ja", "slug"]
    autocomplete_fields = ["session"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [ComparisonColumnInline, ComparisonRowInline]
    fieldsets = [
        (None, {"fields": [("title_en", "title_ja"), "slug", "session"]}),
        (_("Introduction"), {"fields": [("intro_en", "intro_ja")]}),
        (_("Notes"), {"fields": [("notes_en", "notes_ja")]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("session")
            .annotate(
                row_total=Count("rows", distinct=True), column_total=Count("columns", distinct=True)
            )
        )

    @admin.display(description=_("rows × columns"))
    def size(self, obj: Comparison) -> str:
        return f"{obj.row_total} × {obj.column_total}"
