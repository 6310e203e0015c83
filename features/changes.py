"""The public changelog: every status change and material update, newest first.

A change is a status-history entry (announced, promoted, retired, corrected, confirmed, changed)
or an editor's material update. The catalog's own FeatureFilterSet chooses whose changes are
listed, so `/changes/?area=fleet` follows exactly the features `/features/?area=fleet` shows;
a date range, the change kind, the status moved to and two events narrow them further.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ignite.dates import DatePrecision
from sessions.models import Event

from .filters import (
    QUOTED_VALUES_PER_FILTER,
    FeatureFilterSet,
    TolerantMultipleChoiceField,
    quoted,
)
from .models import ChangeKind, Feature, MaterialUpdate, ReleaseStatus, StatusChange

PAGE_SIZE = 30
UPDATED = "updated"  # the kind of a material update (not a status-history entry)
KINDS = [*ChangeKind.choices, (UPDATED, _("Material update"))]
CHANGE_PARAMETERS = ("since", "until", "added-since", "kind", "to", "since-event", "until-event")


class DayField(forms.DateField):
    """A day in ISO form (2026-11-24); a bad value is named in the message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date such as 2026-11-24."),
                code="invalid",
                params={"value": quoted(str(value))},
            ) from None


class ChangeFilterForm(forms.Form):
    """The changelog's own filters; each bad value is named and left out, the rest apply."""

    since = DayField(label=_("Since"))
    until = DayField(label=_("Until"))
    added_since = DayField(label=_("Added since"))
    kind = TolerantMultipleChoiceField(
        required=False,
        label=_("Kind of change"),
        choices=KINDS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no kind of change “%(value)s”.")},
    )
    to = TolerantMultipleChoiceField(
        required=False,
        label=_("New status"),
        choices=ReleaseStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no release status “%(value)s”.")},
    )
    since_event = forms.ChoiceField(required=False, label=_("Since the event"))
    until_event = forms.ChoiceField(required=False, label=_("Until the event"))

    # Query parameters use dashes; form fields cannot.
    PARAMETER_NAMES = {
        "since_event": "since-event",
        "until_event": "until-event",
        "added_since": "added-since",
    }

    def __init__(self, data: QueryDict, events: list[Event]):
        renamed = QueryDict(mutable=True)
        for name in ("since", "until", "kind", "to"):
            renamed.setlist(name, data.getlist(name))
        for field_name, parameter in self.PARAMETER_NAMES.items():
            renamed.setlist(field_name, data.getlist(parameter)[-1:])
        super().__init__(renamed)
        choices = [("", "")] + [(event.slug, event.name) for event in events]
        for name in ("since_event", "until_event"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("There is no event “%(value)s”.")
        self.events = {event.slug: event for event in events}

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("“Until” is before “since”."))
        return cleaned

    @property
    def problems(self) -> list[tuple[str, str]]:
        found = []
        for name, messages in self.errors.items():
            parameter = self.PARAMETER_NAMES.get(name, name)
            found += [(parameter, str(message)) for message in messages]
        for name in ("kind", "to"):
            template = self.fields[name].error_messages["invalid_choice"]
            rejected = getattr(self.fields[name], "rejected", [])
            found += [
                (name, str(template % {"value": quoted(value)}))
                for value in rejected[:QUOTED_VALUES_PER_FILTER]
            ]
        return found

    def value(self, name: str):
        """A valid value, or None when the reader gave none or a bad one."""
        return self.cleaned_data.get(name) if name not in self.errors else None


@dataclass
class ChangeLog:
    """The changes a request asks for: the catalog's filters plus the changelog's own."""

    filterset: FeatureFilterSet
    form: ChangeFilterForm
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryDict, preview: bool = False) -> ChangeLog:
        # A catalog address's `sort` is taken (and then set aside: changes are newest first),
        # never an error.
        features = Feature.objects.visible(preview)
        filterset = FeatureFilterSet(query, queryset=features, preview=preview)
        filterset.is_valid()
        form = ChangeFilterForm(query, list(Event.objects.visible(preview)))
        form.is_valid()
        problems = [message for _name, message in [*filterset.problems, *form.problems]]
        return cls(filterset, form, problems)

    @property
    def features(self) -> QuerySet[Feature]:
        return self.filterset.qs.order_by()

    @property
    def since(self) -> datetime.date | None:
        event = self.form.events.get(self.form.value("since_event") or "")
        dates = [self.form.value("since"), event.start_date if event else None]
        return max((d for d in dates if d), default=None)

    @property
    def until(self) -> datetime.date | None:
        event = self.form.events.get(self.form.value("until_event") or "")
        dates = [self.form.value("until"), event.end_date if event else None]
        return min((d for d in dates if d), default=None)

    def entries(self) -> QuerySet:
        """Both kinds of change as one queryset of (type, pk, date, recorded_at, kind) rows,
        newest first: status-history entries and material updates."""
        kinds = set(self.form.value("kind") or [])
        statuses = self.form.value("to") or []
        status_rows = StatusChange.objects.with_kind().filter(feature__in=self.features)
        update_rows = MaterialUpdate.objects.filter(feature__in=self.features)
        if self.since:
            status_rows = status_rows.filter(date__gte=self.since)
            update_rows = update_rows.filter(date__gte=self.since)
        if added := self.form.value("added_since"):
            # What the site learnt from that day on, whatever day it took effect: a returning
            # reader's address (a status recorded late, dated earlier, still reaches them).
            status_rows = status_rows.filter(recorded_at__date__gte=added)
            update_rows = update_rows.filter(recorded_at__date__gte=added)
        if self.until:
            status_rows = status_rows.filter(date__lte=self.until)
            update_rows = update_rows.filter(date__lte=self.until)
        if kinds:
            status_rows = status_rows.filter(change_kind__in=kinds - {UPDATED})
            if UPDATED not in kinds:
                update_rows = update_rows.none()
        if statuses:
            status_rows = status_rows.filter(status__in=statuses)
            update_rows = update_rows.none()  # an update moves no status
        # Both sides select the same five columns, all annotations in the same order, so the
        # union lines them up whatever each model's own fields are.
        columns = ("c_source", "c_id", "c_date", "c_recorded", "c_kind")
        status_values = (
            status_rows.annotate(
                c_source=Value(0, output_field=IntegerField()),
                c_id=F("pk"),
                c_date=F("date"),
                c_recorded=F("recorded_at"),
                c_kind=F("change_kind"),
            )
            .order_by()
            .values_list(*columns)
        )
        update_values = (
            update_rows.annotate(
                c_source=Value(1, output_field=IntegerField()),
                c_id=F("pk"),
                c_date=F("date"),
                c_recorded=F("recorded_at"),
                c_kind=Value(UPDATED, output_field=CharField()),
            )
            .order_by()
            .values_list(*columns)
        )
        return status_values.union(update_values, all=True).order_by(
            "-c_date", "-c_recorded", "-c_source", "-c_id"
        )

    def page(self, number: int | str | None):
        """One page of changes, each loaded with what a list shows (four queries in all)."""
        paginator = Paginator(self.entries(), PAGE_SIZE, allow_empty_first_page=True)
        page = paginator.get_page(number)
        page.object_list = hydrate(list(page.object_list))
        return page

    def latest(self, count: int) -> list[Change]:
        return hydrate(list(self.entries()[:count]))


@dataclass
class Change:
    """One change as readers see it, whichever row it comes from."""

    kind: str
    feature: Feature
    entry: StatusChange | MaterialUpdate

    @property
    def kind_label(self) -> str:
        return str(dict(KINDS)[self.kind])

    @property
    def is_update(self) -> bool:
        return self.kind == UPDATED

    @property
    def date(self) -> datetime.date:
        return self.entry.date

    @property
    def when(self) -> str:
        return self.entry.when if isinstance(self.entry, StatusChange) else _format(self.date)

    @property
    def recorded_at(self) -> datetime.datetime:
        return self.entry.recorded_at

    @property
    def uid(self) -> str:
        return str(self.entry.uid)

    @property
    def status(self) -> str | None:
        """The status it moved to; None for a material update."""
        return None if self.is_update else self.entry.status

    @property
    def previous_status(self) -> str | None:
        """The status before it; None for a first entry and for a material update."""
        return None if self.is_update else (self.entry.previous_status or None)

    @property
    def date_precision(self) -> str:
        return DatePrecision.DAY if self.is_update else self.entry.date_precision


def _format(date: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(date)


def hydrate(rows: list[tuple]) -> list[Change]:
    """Load the rows of one page (at most one query per kind of row)."""
    status_ids = [row_id for source, row_id, *_rest in rows if source == 0]
    update_ids = [row_id for source, row_id, *_rest in rows if source == 1]
    related = ("feature__area", "feature__session__event", "event", "source_session__event")
    statuses = (
        {
            entry.pk: entry
            for entry in StatusChange.objects.with_kind()
            .filter(pk__in=status_ids)
            .select_related(*related)
        }
        if status_ids
        else {}
    )
    updates = (
        {
            update.pk: update
            for update in MaterialUpdate.objects.filter(pk__in=update_ids).select_related(
                "feature__area", "feature__session__event"
            )
        }
        if update_ids
        else {}
    )
    changes = []
    for source, row_id, _date, _recorded, kind in rows:
        entry = statuses.get(row_id) if source == 0 else updates.get(row_id)
        if entry is not None:
            changes.append(Change(kind, entry.feature, entry))
    return changes


# Between two events --------------------------------------------------------------------------

COMPARED_NAMES = 50  # names listed per group; the count says how many there are


@dataclass
class ComparedGroup:
    key: str
    label: str
    features: list[tuple[Feature, str, str]]  # (feature, status at the first, at the second)
    count: int = 0


def compare_events(features: QuerySet[Feature], first: Event, second: Event) -> list:
    """What happened between two events to the chosen features: what was new at the second, what
    was promoted (or otherwise changed), what stayed as it was and was mentioned again, and what
    was not mentioned again. A feature is "mentioned" at an event by a status entry dated within
    it; its status at an event is its latest entry up to the event's last day."""
    if second.start_date < first.start_date:
        first, second = second, first
    rows = (
        StatusChange.objects.filter(feature__in=features, date__lte=second.end_date)
        .order_by("feature__name", "feature_id", "date")
        .values_list("feature_id", "date", "status")
    )
    history: dict[int, list[tuple[datetime.date, str]]] = {}
    for feature_id, date, status in rows:
        history.setdefault(feature_id, []).append((date, status))
    rank = {value: i for i, value in enumerate(ReleaseStatus.values)}
    keys: dict[str, list[tuple[int, str, str]]] = {
        "new": [],
        "promoted": [],
        "changed": [],
        "stayed": [],
        "not-mentioned": [],
    }
    for feature_id, entries in history.items():
        before = [status for date, status in entries if date <= first.end_date]
        after = [status for date, status in entries if date <= second.end_date]
        mentioned = any(first.end_date < date <= second.end_date for date, _status in entries)
        at_first = before[-1] if before else ""
        at_second = after[-1] if after else ""
        if not at_first:
            key = "new" if mentioned else ""
        elif at_second != at_first:
            key = "promoted" if rank[at_second] < rank[at_first] else "changed"
        else:
            key = "stayed" if mentioned else "not-mentioned"
        if key:
            keys[key].append((feature_id, at_first, at_second))
    labels = {
        "new": _("New at %(event)s") % {"event": second.name},
        "promoted": _("Promoted"),
        "changed": _("Otherwise changed (retired, back in preview)"),
        "stayed": _("Mentioned again, status unchanged"),
        "not-mentioned": _("Not mentioned again"),
    }
    shown_ids = {fid for group in keys.values() for fid, _a, _b in group[:COMPARED_NAMES]}
    loaded = Feature.objects.select_related("area").in_bulk(shown_ids)
    groups = []
    for key, members in keys.items():  # each in name order, as the history was read
        shown = [
            (loaded[fid], ReleaseStatus(a).label if a else "", ReleaseStatus(b).label)
            for fid, a, b in members[:COMPARED_NAMES]
            if fid in loaded
        ]
        groups.append(ComparedGroup(key, str(labels[key]), shown, len(members)))
    return groups
