"""The feature catalog's filters, shared by the catalog page, its facet counts and the exports."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

from sessions.models import Event, Session

from .models import Area, Feature, ReleaseStatus

SEARCH_MAX_LENGTH = 200

SORTS = {
    "status": (_("Release status"), ("status_rank", "name")),
    "name": (_("Name (A–Z)"), ("name",)),
    "-name": (_("Name (Z–A)"), ("-name",)),
    "area": (_("Area"), ("area__order", "area__slug", "status_rank", "name")),
    "-updated": (_("Recently updated"), ("-updated_at", "name")),
    "updated": (_("Least recently updated"), ("updated_at", "name")),
}
DEFAULT_SORT = "status"


class LowercaseMultipleChoiceField(filter_fields.MultipleChoiceField):
    """Matches choices whatever the case the reader typed (BRK120, brk120, Brk120)."""

    def to_python(self, value):
        return [item.strip().lower() for item in super().to_python(value)]


class CaseInsensitiveMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LowercaseMultipleChoiceField


@dataclass
class FilterChoices:
    """The options of the area, session and event filters, loaded once per request."""

    areas: list[tuple[str, str]]
    sessions: list[tuple[str, str]]
    events: list[tuple[str, str]]

    @classmethod
    def load(cls, preview: bool) -> FilterChoices:
        sessions = Session.objects.visible(preview).order_by("-event__start_date", "code")
        return cls(
            areas=[(area.slug, area.name) for area in Area.objects.all()],
            sessions=[(code.lower(), code) for code in sessions.values_list("code", flat=True)],
            events=[(event.slug, event.name) for event in Event.objects.visible(preview)],
        )


class FeatureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={
            "max_length": _("Search text can be at most %(limit_value)d characters long.")
        },
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ReleaseStatus.choices,
        label=_("Release status"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no release status “%(value)s”.")},
    )
    area = django_filters.MultipleChoiceFilter(
        field_name="area__slug",
        label=_("Area"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no area “%(value)s”.")},
    )
    session = CaseInsensitiveMultipleChoiceFilter(
        method="in_sessions",
        label=_("Session"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no session “%(value)s”.")},
    )
    event = django_filters.ChoiceFilter(
        field_name="session__event__slug",
        label=_("Event"),
        empty_label=_("All events"),
        error_messages={"invalid_choice": _("There is no event “%(value)s”.")},
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label=_("Sort by"),
        choices=[(value, label) for value, (label, _fields) in SORTS.items()],
        empty_label=None,
        error_messages={"invalid_choice": _("Results cannot be sorted by “%(value)s”.")},
    )

    class Meta:
        model = Feature
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        preview: bool = False,
        choices: FilterChoices | None = None,
        **kwargs,
    ):
        self.preview = preview
        self.choices = choices or FilterChoices.load(preview)
        super().__init__(data, queryset, **kwargs)
        self.filters["area"].extra["choices"] = self.choices.areas
        self.filters["session"].extra["choices"] = self.choices.sessions
        self.filters["event"].extra["choices"] = self.choices.events

    def search(self, queryset: QuerySet[Feature], name: str, value: str) -> QuerySet[Feature]:
        return queryset.search(value)

    def in_sessions(self, queryset: QuerySet[Feature], name: str, value: list[str]):
        return queryset.filter(session__code__in=[code.upper() for code in value])

    def sort_by(self, queryset: QuerySet[Feature], name: str, value: str) -> QuerySet[Feature]:
        return queryset.order_by(*SORTS[value][1], "pk")

    @property
    def active_sort(self) -> str:
        if self.is_bound and self.is_valid() and self.form.cleaned_data.get("sort"):
            return self.form.cleaned_data["sort"]
        return DEFAULT_SORT


FACETS = {
    "status": "status",
    "area": "area__slug",
    "session": "session__code",
    "event": "session__event__slug",
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def facet_options(
    data: QueryDict,
    queryset: QuerySet[Feature],
    *,
    preview: bool,
    choices: FilterChoices | None = None,
) -> dict[str, list[FacetOption]]:
    """For each facet, how many features each option would give with the other filters kept.

    Options with no features are left out unless the reader has selected them.
    """
    filterset = FeatureFilterSet(data, queryset=queryset, preview=preview, choices=choices)
    filterset.is_valid()  # cleaned_data then holds every valid filter, even if others are not
    cleaned = filterset.form.cleaned_data
    options: dict[str, list[FacetOption]] = {}
    for name, lookup in FACETS.items():
        others = data.copy()
        others.pop(name, None)
        narrowed = FeatureFilterSet(
            others, queryset=queryset, preview=preview, choices=filterset.choices
        ).qs
        counts = {
            (value or "").lower(): n
            for value, n in narrowed.order_by()
            .values(lookup)
            .annotate(n=Count("pk"))
            .values_list(lookup, "n")
        }
        chosen = cleaned.get(name) or []
        selected = {chosen} if isinstance(chosen, str) else set(chosen)
        options[name] = [
            FacetOption(value, str(label), counts.get(value, 0), value in selected)
            for value, label in filterset.form.fields[name].choices
            if value and (counts.get(value) or value in selected)
        ]
    return options
