import re
from dataclasses import dataclass

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
    LabelledFormSet,
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


# The grid's cells are named after their column's place in the columns formset (its "slot"),
# not its primary key: a column added in the browser has no key yet, and its cells are typed
# and saved in the same submit as the column itself.
COLUMNS_PREFIX = "columns"
ROWS_PREFIX = "rows"
MAX_COLUMNS = 12
MAX_ROWS = 100


def cell_field_name(slot: int | str, language: str) -> str:
    return f"cell_{slot}_{language}"


@dataclass(frozen=True)
class ColumnSlot:
    """A column as the grid shows it: its place in the formset, its heading and its order."""

    index: int
    label: str
    order: int


def column_slots(request, obj: Comparison | None) -> list[ColumnSlot]:
    """The columns the grid has, in display order: as posted (new ones included) or as stored."""
    if request.method == "POST":
        data = request.POST
        try:
            total = int(data.get(f"{COLUMNS_PREFIX}-TOTAL_FORMS", 0))
        except ValueError:
            total = 0
        slots = []
        for index in range(max(0, min(total, MAX_COLUMNS))):
            prefix = f"{COLUMNS_PREFIX}-{index}"
            label = data.get(f"{prefix}-label_en", "").strip()
            label = label or data.get(f"{prefix}-label_ja", "").strip()
            try:
                order = int(data.get(f"{prefix}-order", ""))
            except ValueError:
                order = MAX_COLUMNS + index
            slots.append(ColumnSlot(index, label, order))
        return sorted(slots, key=lambda slot: (slot.order, slot.index))
    columns = obj.columns.all() if obj is not None and obj.pk else []
    return [
        ColumnSlot(index, column.label_en, column.order) for index, column in enumerate(columns)
    ]


def cell_form_field(language: str) -> forms.CharField:
    return forms.CharField(
        label=dict(settings.LANGUAGES)[language],
        required=False,
        max_length=MAX_MARKDOWN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "grid-cell", "lang": language}),
    )


class GridFormMixin:
    """What the grid's templates ask of a column or row form."""

    grid_fields = ("label_en", "label_ja", "order", "DELETE")

    @property
    def index(self) -> str:
        """The form's place in its formset ("__prefix__" for the template of a new one)."""
        return self.prefix.rsplit("-", 1)[-1]

    def other_fields(self) -> list:
        """Visible fields the grid does not lay out itself (e.g. translation review)."""
        return [
            field
            for field in self.visible_fields()
            if field.name not in self.grid_fields and not field.name.startswith("cell_")
        ]


class OrderedFormSet(LabelledFormSet):
    def forms_in_order(self) -> list:
        """The forms by their order field as typed (or stored), then by place."""

        def key(form):
            try:
                return (int(form["order"].value()), int(form.index))
            except (TypeError, ValueError):
                return (MAX_ROWS + int(form.index), int(form.index))

        return sorted(self.forms, key=key)


class ComparisonRowFormSet(OrderedFormSet):
    def cell_template(self) -> list:
        """A new column's text boxes for a row, with placeholders for the row and the column."""
        slot = "__slot__"
        fields = {
            cell_field_name(slot, language): cell_form_field(language) for language in LANGUAGES
        }
        form = type("CellTemplateForm", (forms.Form,), fields)(
            prefix=self.add_prefix("__prefix__"), auto_id=self.auto_id
        )
        return [form[cell_field_name(slot, language)] for language in LANGUAGES]


class ComparisonColumnForm(GridFormMixin, TranslationReviewForm):
    """A column heading; a new column whose cells were typed counts as filled in, so that a
    missing heading is reported instead of its cells being dropped."""

    class Meta:
        model = ComparisonColumn
        fields = ["label_en", "label_ja", "order"]

    def has_changed(self) -> bool:
        return super().has_changed() or self.cells_typed()

    def cells_typed(self) -> bool:
        if not self.is_bound or not self.prefix or self.instance.pk:
            return False
        slot = self.prefix.rsplit("-", 1)[-1]
        cell = re.compile(rf"{ROWS_PREFIX}-\d+-cell_{re.escape(slot)}_[a-z-]+")
        return any(cell.fullmatch(name) and value.strip() for name, value in self.data.items())


class ComparisonColumnInline(LabelledTabularInline):
    """The columns' headings, one line each; the grid below holds their cells."""

    model = ComparisonColumn
    form = ComparisonColumnForm
    formset = OrderedFormSet
    extra = 0
    max_num = MAX_COLUMNS
    fields = ["label_en", "label_ja", "order"]
    template = "admin/features/comparison/columns_inline.html"
    verbose_name_plural = _("columns")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("aria-label", None)  # the template writes visible labels
        return field


class ComparisonRowForm(GridFormMixin, TranslationReviewForm):
    """A row of the comparison grid: its heading plus one text box per column and language."""

    slots: list[ColumnSlot] = []
    stored_columns: list[ComparisonColumn] = []
    saved_columns: dict[int, ComparisonColumn] = {}

    class Meta:
        model = ComparisonRow
        fields = ["label_en", "label_ja", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The first slots are the stored columns, in the columns formset's order.
            cells = {cell.column_id: cell for cell in self.instance.cells.all()}
            for slot in self.slots:
                if slot.index >= len(self.stored_columns):
                    continue
                cell = cells.get(self.stored_columns[slot.index].pk)
                for language in LANGUAGES:
                    text = getattr(cell, f"text_{language}", "") if cell else ""
                    self.initial[cell_field_name(slot.index, language)] = text or ""

    def cells(self) -> list[tuple[ColumnSlot, list]]:
        """Each column with this row's text boxes for it, one per language, in display order."""
        return [
            (slot, [self[cell_field_name(slot.index, language)] for language in LANGUAGES])
            for slot in self.slots
        ]

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
        """Write the cells of the columns saved just before (ComparisonAdmin.save_related)."""
        existing = {cell.column_id: cell for cell in row.cells.all()}
        for slot in self.slots:
            column = self.saved_columns.get(slot.index)
            if column is None:  # deleted, or a blank new column
                continue
            texts = {
                f"text_{language}": self.cleaned_data.get(cell_field_name(slot.index, language), "")
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
    """The comparison as a grid: a card per row, holding its text for each column and language."""

    model = ComparisonRow
    formset = ComparisonRowFormSet
    extra = 0
    max_num = MAX_ROWS
    template = "admin/features/comparison/rows_inline.html"
    verbose_name_plural = _("rows and their cells")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("aria-label", None)  # the template writes visible labels
        return field

    def get_fields(self, request, obj=None):
        return ["label_en", "label_ja", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("cells")

    def get_formset(self, request, obj=None, **kwargs):
        slots = column_slots(request, obj)
        declared = {
            cell_field_name(slot.index, language): cell_form_field(language)
            for slot in slots
            for language in LANGUAGES
        }
        stored_columns = list(obj.columns.all()) if obj is not None and obj.pk else []
        kwargs["form"] = type(
            "ComparisonRowGridForm",
            (ComparisonRowForm,),
            {**declared, "slots": slots, "stored_columns": stored_columns},
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

    class Media:
        css = {"all": ["features/comparison_grid.css"]}
        js = ["features/comparison_grid.js"]

    fieldsets = [
        (None, {"fields": [("title_en", "title_ja"), "slug", "session"]}),
        (_("Introduction"), {"fields": [("intro_en", "intro_ja")]}),
        (_("Notes"), {"fields": [("notes_en", "notes_ja")]}),
        PublishableAdmin.publication_fieldset,
    ]

    def save_related(self, request, form, formsets, change) -> None:
        """Save the columns first, then the rows with their cells in the columns just saved
        (new ones included); the admin runs all of it in one transaction."""
        form.save_m2m()
        saved_columns: dict[int, ComparisonColumn] = {}
        for formset in formsets:
            if formset.model is ComparisonRow:
                for row_form in formset.forms:
                    row_form.saved_columns = saved_columns
            self.save_formset(request, form, formset, change)
            if formset.model is ComparisonColumn:
                saved_columns.update(
                    (index, column_form.instance)
                    for index, column_form in enumerate(formset.forms)
                    if column_form not in formset.deleted_forms and column_form.instance.pk
                )

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
