"""The feature catalog's filters, shared by the catalog page, its facet counts and the exports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from django_filters import fields as filter_fields
from django_filters.constants import EMPTY_VALUES

from ignite import per_revision
from ignite.text import printable, quoted
from sessions.models import Event, Session

from . import search
from .models import Area, Feature, ReleaseStatus

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10
# Bad values quoted back to the reader are shown at most this many times per filter.
QUOTED_VALUES_PER_FILTER = 5

SORTS = {
    "status": (_("Release status"), ("status_rank", "name")),
    "name": (_("Name (A–Z)"), ("name",)),
    "-name": (_("Name (Z–A)"), ("-name",)),
    "area": (_("Area"), ("area__order", "area__slug", "status_rank", "name")),
    "-updated": (_("Recently updated"), ("-updated_at", "name")),
    "updated": (_("Least recently updated"), ("updated_at", "name")),
}
DEFAULT_SORT = "status"


class TolerantMultipleChoiceField(filter_fields.MultipleChoiceField):
    """Keeps the valid choices and sets the others aside, so one typo does not void a filter.

    Matching ignores case and surrounding spaces (BRK120, brk120, " Brk120 "); repeats count
    once; empty values are ignored. The values set aside are in `rejected` after cleaning.
    """

    rejected: list[str]

    def clean(self, value):
        self.rejected = []
        by_lower = {str(choice).lower(): str(choice) for choice, _label in self.choices}
        valid: list[str] = []
        for item in self.to_python(value):
            item = item.strip()
            if not item:
                continue
            match = by_lower.get(item.lower())
            if match is None:
                if item not in self.rejected:
                    self.rejected.append(item)
            elif match not in valid:
                valid.append(match)
        return valid


class TolerantMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = TolerantMultipleChoiceField


class QuotingChoiceField(filter_fields.ChoiceField):
    """A single choice whose error quotes the reader's value safely (see `quoted`)."""

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": quoted(str(value))},
            ) from None


class QuotingChoiceFilter(django_filters.ChoiceFilter):
    field_class = QuotingChoiceField


class SearchField(forms.CharField):
    """Search text as the reader meant it (see `printable`), at most SEARCH_MAX_WORDS words."""

    def to_python(self, value):
        return printable(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if len(value.split()) > SEARCH_MAX_WORDS:
            raise forms.ValidationError(
                _("Search with at most %(limit)d words.") % {"limit": SEARCH_MAX_WORDS},
                code="too_many_words",
            )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class MomentField(forms.Field):
    """A date (from its midnight, UTC) or a date and time in ISO 8601 (UTC unless it says
    otherwise), e.g. 2025-11-20 or 2025-11-20T09:00:00+09:00."""

    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a date or a time; write it like 2025-11-20 or 2025-11-20T09:00:00Z."
        )
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            moment = datetime.datetime.fromisoformat(str(value).strip())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.UTC)
            return moment.astimezone(datetime.UTC)  # out of range near the years 1 and 9999
        except (ValueError, OverflowError):
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": quoted(value)}
            ) from None


class MomentFilter(django_filters.Filter):
    field_class = MomentField


@dataclass(frozen=True)
class Reference:
    """The small tables a catalog page reads besides the features: every area and session (the
    session's event with it) by id, which sessions and events readers see, in the filters'
    order. Kept per content revision for readers (`reference`); shared between threads, so
    read it, never change it."""

    areas: dict[int, Area]
    sessions: dict[int, Session]
    shown_sessions: frozenset[int]
    events: list[Event]

    @classmethod
    def load(cls, preview: bool) -> Reference:
        visible = Session.objects.visible(preview).filter(pk=OuterRef("pk"))
        sessions = list(
            Session.objects.select_related("event")
            .annotate(shown=Exists(visible))
            .order_by("-event__start_date", "code")
        )
        return cls(
            areas={area.pk: area for area in Area.objects.all()},
            sessions={session.pk: session for session in sessions},
            shown_sessions=frozenset(session.pk for session in sessions if session.shown),
            events=list(Event.objects.visible(preview)),
        )

    def attach(self, features: Iterable[Feature]) -> list[Feature]:
        """The features with their area and session (and its event) set from these tables, as
        `select_related` would: the list query then reads the feature rows alone. One that
        names an area or session newer than these tables gets it from the database."""
        features = list(features)
        missing_areas = {f.area_id for f in features} - self.areas.keys()
        missing_sessions = {f.session_id for f in features if f.session_id} - self.sessions.keys()
        areas = (
            {**self.areas, **Area.objects.in_bulk(missing_areas)} if missing_areas else self.areas
        )
        sessions = self.sessions
        if missing_sessions:
            newer = Session.objects.select_related("event").in_bulk(missing_sessions)
            sessions = {**sessions, **newer}
        for feature in features:
            AREA.set_cached_value(feature, areas[feature.area_id])
            SESSION.set_cached_value(feature, sessions.get(feature.session_id))
        return features


AREA = Feature._meta.get_field("area")
SESSION = Feature._meta.get_field("session")


def reference(preview: bool) -> Reference:
    """The areas, sessions and events as this reader may see them: for readers, loaded once
    per content revision in this process (ignite.per_revision); for a preview, now."""
    if preview:
        return Reference.load(True)
    return per_revision.remembered("features.reference", lambda: Reference.load(False))


@dataclass
class FilterChoices:
    """The options of the area, session and event filters, in the reader's language, from the
    `reference` tables (which the facet tally and the cards read too)."""

    areas: list[tuple[str, str]]
    sessions: list[tuple[str, str]]
    events: list[tuple[str, str]]
    reference: Reference

    @classmethod
    def load(cls, preview: bool) -> FilterChoices:
        tables = reference(preview)
        sessions = tables.sessions.values()
        return cls(
            areas=[(area.slug, area.name) for area in tables.areas.values()],
            sessions=[(s.code.lower(), s.code) for s in sessions if s.pk in tables.shown_sessions],
            events=[(event.slug, event.name) for event in tables.events],
            reference=tables,
        )


class FeatureFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        method="search",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={
            "max_length": _("Search text can be at most %(limit_value)d characters long.")
        },
    )
    status = TolerantMultipleChoiceFilter(
        choices=ReleaseStatus.choices,
        label=_("Release status"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no release status “%(value)s”.")},
    )
    area = TolerantMultipleChoiceFilter(
        field_name="area__slug",
        label=_("Area"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no area “%(value)s”.")},
    )
    session = TolerantMultipleChoiceFilter(
        method="in_sessions",
        label=_("Session"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no session “%(value)s”.")},
    )
    event = QuotingChoiceFilter(
        field_name="session__event__slug",
        label=_("Event"),
        empty_label=_("All events"),
        error_messages={"invalid_choice": _("There is no event “%(value)s”.")},
    )
    updated_since = MomentFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed since")
    )
    sort = QuotingChoiceFilter(
        method="sort_by",
        label=_("Sort by"),
        choices=[(value, label) for value, (label, _fields) in SORTS.items()],
        empty_label=None,
        error_messages={"invalid_choice": _("Results cannot be sorted by “%(value)s”.")},
    )

    class Meta:
        model = Feature
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, preview: bool = False, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.preview = preview
        self.choices = choices = FilterChoices.load(preview)
        self.filters["area"].extra["choices"] = choices.areas
        self.filters["session"].extra["choices"] = choices.sessions
        self.filters["event"].extra["choices"] = choices.events

    # Set by the catalog from the facet tally: the search reads each row's text rather than
    # SQLite's trigram index, because the list's first rows will fill its page.
    search_reads_rows = False

    def search(self, queryset: QuerySet[Feature], name: str, value: str) -> QuerySet[Feature]:
        return queryset.search(value, read_rows=self.search_reads_rows)

    def in_sessions(self, queryset: QuerySet[Feature], name: str, value: list[str]):
        return queryset.filter(session__code__in=[code.upper() for code in value])

    def sort_by(self, queryset: QuerySet[Feature], name: str, value: str) -> QuerySet[Feature]:
        return queryset.order_by(*SORTS[value][1], "pk")

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(filter name, message) for each value that could not be used, in form order.

        Call after is_valid(). Invalid values are left out of the results, the others apply.
        """
        found = [
            (name, str(message)) for name, messages in self.errors.items() for message in messages
        ]
        for name, field in self.form.fields.items():
            rejected = getattr(field, "rejected", [])
            if not rejected:
                continue
            template = field.error_messages["invalid_choice"]
            found += [
                (name, str(template % {"value": quoted(value)}))
                for value in rejected[:QUOTED_VALUES_PER_FILTER]
            ]
            if len(rejected) > QUOTED_VALUES_PER_FILTER:
                more = len(rejected) - QUOTED_VALUES_PER_FILTER
                found.append(
                    (
                        name,
                        ngettext(
                            "…and %(count)d more value that does not exist.",
                            "…and %(count)d more values that do not exist.",
                            more,
                        )
                        % {"count": more},
                    )
                )
        return found

    @property
    def active_sort(self) -> str:
        """The sort order the results are in (an invalid one falls back to the default)."""
        if not self.is_bound:
            return DEFAULT_SORT
        self.is_valid()
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT


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

    @property
    def disabled(self) -> bool:
        """Nothing to gain by ticking it with the other filters as they are."""
        return self.count == 0 and not self.selected


# How a row's value of each facet is compared with the reader's choices (as the filters do:
# sessions are chosen in lower case and stored in upper case).
_SAME = {"session": str.upper}


def tally_query(features: QuerySet[Feature], matching: Q | None = None) -> QuerySet:
    """(area id, status, session id, count) rows: grouped by the feature's own columns, in the
    order of the index that holds them (feature_facet_tally), so no join and no sort; slugs and
    codes come from the filter choices. With `matching`, the count is of the features it lets
    through, and a fifth column counts them all.

    Rows are counted, not ids: PostgreSQL's index holds no id, and counting ids made it read
    a wider index instead (4.4 ms against 1.2 for 10,000 features)."""
    grouped = features.order_by().values_list("area", "status", "session")
    if matching is None:
        return grouped.annotate(n=Count("*"))
    return grouped.annotate(n=Count("pk", filter=matching), among=Count("pk"))


@dataclass
class FacetTally:
    """How many features there are for each combination of facet values, from one grouped
    query; every facet's counts, and the number of results, are then sums over it."""

    rows: list[tuple[dict[str, str], int]]
    chosen: dict[str, set[str]]
    # How many features a search was tried on (every facet value), when the tally counted them;
    # None otherwise.
    searched: int | None = None

    @classmethod
    def of(cls, filterset: FeatureFilterSet, kept_as: str = "") -> FacetTally:
        """The tally of the filterset's queryset with every filter but the facets applied.

        On SQLite with the trigram index, a search is counted in the same grouped query rather
        than filtered (it costs the same there: the index walk visits every feature either way),
        so the tally also knows how many features it was tried on.

        With `kept_as`, the caller vouches that its queryset is the same for every reader: the
        tally of readers (not previews) with no filter besides the facets is then counted once
        per content revision in this process (ignite.per_revision, as the small tables are),
        not on every request; any other filter or a search is counted each time."""
        filterset.is_valid()  # cleaned_data then holds every valid filter, even if others are not
        cleaned = filterset.form.cleaned_data
        queryset = filterset.queryset
        text = cleaned.get("q")
        counted = bool(text) and search.sqlite_index_ready(connections[queryset.db])
        applied = {
            name: value
            for name, value in cleaned.items()
            if name not in FACETS and name != "sort" and value not in EMPTY_VALUES
        }
        for name, value in applied.items():
            if not (name == "q" and counted):
                queryset = filterset.filters[name].filter(queryset, value)
        if counted:
            matching = search.condition(text, connections[queryset.db])
            counted_rows = list(tally_query(queryset, matching))
            searched = sum(row[4] for row in counted_rows)
            grouped = [row[:4] for row in counted_rows if row[3]]
        elif kept_as and not applied and not filterset.preview:
            grouped = per_revision.remembered(
                f"features.tally:{kept_as}", lambda: list(tally_query(queryset)), queryset.db
            )
            searched = None
        else:
            grouped, searched = tally_query(queryset), None
        tables = filterset.choices.reference
        areas = {pk: area.slug for pk, area in tables.areas.items()}
        # Every session, visible or not (a feature's session counts for its event either way).
        sessions = {pk: (s.code, s.event.slug) for pk, s in tables.sessions.items()}
        rows = []
        for area, status, session, n in grouped:
            code, event = sessions.get(session, ("", ""))
            values = {
                "status": status,
                "area": areas.get(area, ""),
                "session": code,
                "event": event,
            }
            rows.append((values, n))
        chosen = {}
        for name in FACETS:
            value = cleaned.get(name) or []
            values = {value} if isinstance(value, str) else set(value)
            same = _SAME.get(name, str)
            chosen[name] = {same(v) for v in values}
        return cls(rows, chosen, searched)

    def reading_rows_fills_sooner(self, rows: int) -> bool:
        """Whether reading features in the list's order, each row's text checked, fills the
        first `rows` results more cheaply than SQLite's trigram index answers the search.

        Reading in order goes through about rows × searched ÷ results features; the index
        works through every feature holding the words (by measurement, a row read costs about
        three index matches). A word in most features: the first rows fill the page."""
        if self.searched is None or not self.total:
            return False
        return rows * self.searched / self.total <= self.total / 3

    def _matches(self, values: dict[str, str], leave_out: str = "") -> bool:
        return all(
            not chosen or _SAME.get(name, str)(values[name]) in chosen
            for name, chosen in self.chosen.items()
            if name != leave_out
        )

    @property
    def total(self) -> int:
        """How many features every filter lets through: the number of results."""
        return sum(n for values, n in self.rows if self._matches(values))

    def counts(self, facet: str) -> dict[str, int]:
        """For each value of `facet` (lower case), how many features it would give with the
        other facets kept."""
        found: dict[str, int] = {}
        for values, n in self.rows:
            if self._matches(values, leave_out=facet):
                key = values[facet].lower()
                found[key] = found.get(key, 0) + n
        return found

    def available(self, facet: str) -> set[str]:
        """The values of `facet` (lower case) that have any features at all."""
        return {values[facet].lower() for values, _n in self.rows if values[facet]}


def facet_options(
    filterset: FeatureFilterSet, tally: FacetTally | None = None
) -> dict[str, list[FacetOption]]:
    """For each facet, how many features each option would give with the other filters kept.

    Every option that has features at all is listed, those that would give none with a count
    of 0 (so options do not jump about as filters change); options with no features at all are
    left out unless the reader has selected them. One query (FacetTally), whatever the filters.
    """
    tally = tally or FacetTally.of(filterset)
    cleaned = filterset.form.cleaned_data
    options: dict[str, list[FacetOption]] = {}
    for name in FACETS:
        counts = tally.counts(name)
        available = tally.available(name)
        chosen = cleaned.get(name) or []
        selected = {chosen} if isinstance(chosen, str) else set(chosen)
        options[name] = [
            FacetOption(value, str(label), counts.get(value.lower(), 0), value in selected)
            for value, label in filterset.form.fields[name].choices
            if value and (value.lower() in available or value in selected)
        ]
    return options


def _either(labels: list[str]) -> str:
    """ "GA or Preview": values of one filter, any of which may match."""
    if len(labels) == 1:
        return labels[0]
    # Translators: the last two of several alternatives, e.g. "GA or Preview".
    return _("%(first)s or %(last)s") % {
        "first": pgettext("list separator", ", ").join(labels[:-1]),
        "last": labels[-1],
    }


def describe(filterset: FeatureFilterSet, within_sentence: bool = False) -> str:
    """The slice of the catalog a filtered address selects, in words: "GA features in
    Networking" ("features in Networking" within a sentence). Only the valid filters count
    (call is_valid() first)."""
    cleaned = filterset.form.cleaned_data
    fields = filterset.form.fields

    def labels(name: str) -> list[str]:
        chosen = cleaned.get(name) or []
        return [str(label) for value, label in fields[name].choices if value in chosen]

    rest = ""
    if areas := labels("area"):
        rest += _(" in %(areas)s") % {"areas": _either(areas)}
    if sessions := labels("session"):
        rest += _(" announced in %(sessions)s") % {"sessions": _either(sessions)}
    if cleaned.get("event"):
        rest += _(" at %(event)s") % {"event": dict(fields["event"].choices)[cleaned["event"]]}
    if cleaned.get("q"):
        rest += _(" matching “%(text)s”") % {"text": cleaned["q"]}
    if statuses := labels("status"):
        # Translators: e.g. "GA features in Networking"; rest holds the other filters, each
        # with its leading space (" in Networking").
        return _("%(statuses)s features%(rest)s") % {"statuses": _either(statuses), "rest": rest}
    if within_sentence:
        return _("features%(rest)s") % {"rest": rest}
    return _("Features%(rest)s") % {"rest": rest}
