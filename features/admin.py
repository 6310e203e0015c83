import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ignite.admin import (
    LabelledFormSet,
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
from .staging import StatusStagingMixin, stage_status_change

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


# What an editor records of a status change, laid out as the record form shows it.
STATUS_ENTRY_FIELDSETS = [
    (None, {"fields": [("status", "is_correction")]}),
    (_("When"), {"fields": [("date", "date_precision", "event")]}),
    (
        _("Source"),
        {
            "fields": [
                ("source_kind", "source_session"),
                ("source_title", "source_url"),
                ("source_label", "checked_on"),
            ]
        },
    ),
    (_("Note"), {"fields": [("note_en", "note_ja")]}),
]
STATUS_ENTRY_FIELDS = flatten_fieldsets(STATUS_ENTRY_FIELDSETS)
RECORD_STATUS_REASON = "change release status"


class MaterialUpdateInline(LabelledTabularInline):
    """An explicit "followers should know": a typo fix records none, so feeds stay quiet."""

    model = MaterialUpdate
    extra = 0
    fields = ["date", "note_en", "note_ja"]
    ordering = ["date", "pk"]
    verbose_name_plural = _(
        "material updates (announced to followers; leave typo fixes and rewording out)"
    )


class StatusChangeForm(TranslationReviewForm):
    """A status change as an editor records it: for one feature, for many at once (the bulk
    action), or an existing entry being fixed. Every path that writes a status uses it."""

    class Meta:
        model = StatusChange
        fields = STATUS_ENTRY_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "checked_on": forms.DateInput(attrs={"type": "date"}),
            **{
                name: AutocompleteSelect(StatusChange._meta.get_field(name), admin.site)
                for name in ("event", "source_session")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No default status: recording GA by mistake must take a choice, not a missed field.
        self.fields["status"].choices = [("", "---------"), *ReleaseStatus.choices]
        self.fields["date_precision"].required = False

    def clean_date_precision(self) -> str:
        """A date without a stated precision is a day."""
        return self.cleaned_data.get("date_precision") or DatePrecision.DAY

    def entry_fields(self) -> dict:
        """The entry's fields other than its status and date, as `Feature.record_status` takes
        them."""
        return {
            name: self.cleaned_data[name]
            for name in STATUS_ENTRY_FIELDS
            if name not in ("status", "date")
        }


STATUS_SET_IN_FORM = _("Status set in the feature's form")


class FeatureForm(TranslationReviewForm):
    """A feature's own fields. Its status is asked only when the feature is added (and recorded
    as the first entry of its history); afterwards it changes through “Record a status change”."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and self.instance._state.adding:
            status.choices = [("", "---------"), *ReleaseStatus.choices]
            self.initial["status"] = ""
            status.help_text = _(
                "The status it has today, recorded as the first entry of its status history. "
                "Later changes are recorded with “Record a status change” on the feature's page."
            )


def _without_field(lines: list, name: str) -> list:
    """Fieldset lines with one field left out (a line of one field left is a plain name)."""
    kept = []
    for line in lines:
        if isinstance(line, list | tuple):
            rest = [field for field in line if field != name]
            if rest:
                kept.append(rest[0] if len(rest) == 1 else tuple(rest))
        elif line != name:
            kept.append(line)
    return kept


@admin.register(Feature)
class FeatureAdmin(StatusStagingMixin, PublishableAdmin):
    change_form_template = "admin/features/feature/change_form.html"
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
    # The status history is shown at the top of the form and written only through the record
    # view (record_status_view), never as an inline: one path for every status change.
    inlines = [DocLinkInline, MaterialUpdateInline]
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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # An existing feature's status is shown, with its history, above the form.
        return [
            (name, {**options, "fields": _without_field(options["fields"], "status")})
            for name, options in fieldsets
        ]

    def get_urls(self):
        view = self.admin_site.admin_view(self.record_status_view)
        return [
            path(
                "<path:object_id>/status/",
                view,
                name="features_feature_record_status",
            ),
            path(
                "<path:object_id>/status/<int:entry_id>/",
                view,
                name="features_feature_fix_status",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("release status"), ordering="status")
    def status_display(self, obj: Feature) -> str:
        return obj.get_status_display()

    def has_record_status_permission(self, request, obj=None) -> bool:
        """Who may record a status change (or fix an entry): whoever may change the feature and
        write its status history. The same question for the record view and the bulk action."""
        user = request.user
        return (
            self.has_change_permission(request, obj)
            and user.has_perm("features.add_statuschange")
            and user.has_perm("features.change_statuschange")
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context = {
                **context,
                "status_timeline": list(obj.status_changes.for_timeline()),
                "may_record_status": self.has_record_status_permission(request, obj),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            # Whatever the form started from (a history revert holds an old status), an existing
            # feature keeps the status its history gives it.
            obj.status = Feature.objects.values_list("status", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        """A new feature's status is the first entry of its status history, as of today."""
        super().save_related(request, form, formsets, change)
        feature = form.instance
        if change:
            feature.follow_status_history()
        elif not feature.status_changes.exists():
            feature.record_status(
                feature.status,
                timezone.localdate(),
                **in_every_language(STATUS_SET_IN_FORM, "note"),
            )

    def _record(self, feature: Feature, form: StatusChangeForm, entry=None):
        feature._change_reason = RECORD_STATUS_REASON
        fields = form.entry_fields()
        return feature.record_status(
            form.cleaned_data["status"], form.cleaned_data["date"], entry=entry, **fields
        )

    def _status_form_response(self, request, form, title: str, **context):
        adminform = admin.helpers.AdminForm(form, STATUS_ENTRY_FIELDSETS, {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "adminform": adminform,
            "errors": admin.helpers.AdminErrorList(form, []),
            "media": self.media + form.media,
            **context,
        }
        return TemplateResponse(request, "admin/features/feature/status_form.html", context)

    def record_status_view(self, request, object_id, entry_id=None):
        """Record a status change for one feature, or fix one entry of its status history."""
        feature = self.get_object(request, unquote(object_id))
        if feature is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_record_status_permission(request, feature):
            raise PermissionDenied
        entry = get_object_or_404(feature.status_changes, pk=entry_id) if entry_id else None
        initial = {} if entry else {"date": timezone.localdate()}
        form = StatusChangeForm(
            request.POST if request.method == "POST" else None, instance=entry, initial=initial
        )
        change_url = reverse("admin:features_feature_change", args=[feature.pk])
        may_stage = entry is None and feature.is_published
        if form.is_valid() and may_stage and "_stage" in request.POST:
            # The same entry, kept aside until published (now or at a scheduled time).
            staged = stage_status_change(
                feature,
                {
                    "status": form.cleaned_data["status"],
                    "date": form.cleaned_data["date"],
                    **form.entry_fields(),
                },
                request.user,
                request.POST.get("staged_note", ""),
            )
            self.message_user(
                request,
                _("Staged status change #%(number)s: readers see it once it is published.")
                % {"number": staged.pk},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        if form.is_valid():
            change = self._record(feature, form, entry)
            if change is not None:
                message = (
                    _("Fixed the status history entry of %(date)s: %(status)s.")
                    if entry
                    else _("Recorded the status change: %(status)s as of %(date)s.")
                )
                self.message_user(
                    request,
                    message % {"status": change.get_status_display(), "date": change.when},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
            form.add_error(
                "date",
                _(
                    "The status history already has an entry on that date. To change it, use "
                    "“Fix” on that entry in the status history at the top of the feature's page."
                ),
            )
        return self._status_form_response(
            request,
            form,
            _("Fix a status history entry") if entry else _("Record a status change"),
            subtitle=feature.name,
            feature=feature,
            entry=entry,
            cancel_url=change_url,
            timeline=feature.status_changes.for_timeline(),
            may_stage=may_stage,
        )

    @admin.action(
        description=_("Record a status change for the selected features…"),
        permissions=["record_status"],
    )
    def change_status(self, request, queryset):
        """The record form for many features: the same entry is added to each one's history."""
        form = StatusChangeForm(
            request.POST if "apply" in request.POST else None,
            initial={"date": timezone.localdate()},
        )
        if form.is_valid():
            recorded, skipped = 0, []
            for feature in queryset:
                if self._record(feature, form) is None:
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
                    _(
                        "Their status history already has an entry on that date, left as it "
                        "was (use “Fix” on that entry at the top of each feature's page): "
                        "%(names)s"
                    )
                    % {"names": ", ".join(skipped)},
                    messages.WARNING,
                )
            return None
        return self._status_form_response(
            request,
            form,
            _("Record a status change"),
            features=queryset.order_by("name", "pk"),
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
            cancel_url=reverse("admin:features_feature_changelist"),
        )


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
