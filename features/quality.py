"""What needs an editor's attention: one list per kind of problem, each row linking to the
object to fix. Shown on the admin's data-quality page and counted on the admin index."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ignite.admin import review_mark_label
from ignite.links.models import LinkCheck
from ignite.publishing import PublicationState
from sessions.models import Event, KeyPoint, Session, Speaker, SpeakerLink

from .models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    ReleaseStatus,
    StatusChange,
)

# Each check lists at most this many rows; the count says how many there are in all.
ROWS_PER_CHECK = 100
PREVIEW_AGE = datetime.timedelta(days=365)
DRAFT_AGE = datetime.timedelta(days=30)


@dataclass
class Row:
    label: str
    detail: str
    url: str


@dataclass(frozen=True)
class Check:
    """One kind of problem: a title, what to do about it, and how to find what has it."""

    slug: str
    title: str
    advice: str
    find: Callable[[], Iterable[tuple[QuerySet, Callable[[Model], Row]]]]

    def run(self) -> Findings:
        rows: list[Row] = []
        count = 0
        for queryset, row in self.find():
            total = queryset.count()
            count += total
            room = ROWS_PER_CHECK - len(rows)
            if room > 0 and total:
                rows += [row(obj) for obj in queryset[:room]]
        return Findings(self, rows, count)


@dataclass
class Findings:
    check: Check
    rows: list[Row]
    count: int


def change_url(obj: Model) -> str:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


# Children are fixed on their parent's page.
PARENTS: dict[type[Model], tuple[str, ...]] = {
    DocLink: ("feature",),
    StatusChange: ("feature",),
    KeyPoint: ("session",),
    SpeakerLink: ("speaker",),
    ComparisonColumn: ("comparison",),
    ComparisonRow: ("comparison",),
    ComparisonCell: ("row", "comparison"),
}


def _owner(obj: Model) -> Model:
    for name in PARENTS.get(type(obj), ()):
        obj = getattr(obj, name)
    return obj


def _select_owner(queryset: QuerySet) -> QuerySet:
    path = "__".join(PARENTS.get(queryset.model, ()))
    return queryset.select_related(path) if path else queryset


def _unsourced():
    entries = (
        StatusChange.objects.filter(source_kind="", source_url="", source_title="")
        .select_related("feature")
        .order_by("feature__name", "date")
    )

    def row(entry: StatusChange) -> Row:
        return Row(entry.feature.name, str(entry), change_url(entry.feature))

    yield entries, row


STALE_MODELS = (
    Feature,
    Session,
    Event,
    Speaker,
    Area,
    Comparison,
    DocLink,
    StatusChange,
    KeyPoint,
    SpeakerLink,
    ComparisonColumn,
    ComparisonRow,
    ComparisonCell,
)


def _broken_links():
    checks = LinkCheck.objects.broken().order_by("failing_since", "url")

    def row(check: LinkCheck) -> Row:
        since = check.failing_since.date().isoformat()
        return Row(check.url, f"{check.outcome} · {since}", change_url(check))

    yield checks, row


def _stale_translations():
    for model in STALE_MODELS:
        queryset = _select_owner(model.objects.exclude(stale_translations=[])).order_by("pk")

        def row(obj: Model, model=model) -> Row:
            owner = _owner(obj)
            marks = ", ".join(review_mark_label(mark, model) for mark in obj.stale_translations)
            label = str(owner) if owner is obj else f"{owner} › {model._meta.verbose_name}"
            return Row(label, marks, change_url(owner))

        yield queryset, row


def _without_links():
    features = Feature.objects.filter(doc_links__isnull=True).order_by("name")

    def row(feature: Feature) -> Row:
        return Row(feature.name, feature.get_status_display(), change_url(feature))

    yield features, row


def _old_previews():
    cutoff = timezone.localdate() - PREVIEW_AGE
    latest = StatusChange.objects.filter(feature=OuterRef("pk")).order_by("-date")
    features = (
        Feature.objects.filter(status__in=ReleaseStatus.previews())
        .annotate(since=Subquery(latest.values("date")[:1]))
        .filter(Q(since__lt=cutoff) | Q(since__isnull=True, created_at__date__lt=cutoff))
        .order_by("since", "name")
    )

    def row(feature: Feature) -> Row:
        since = feature.since.isoformat() if feature.since else ""
        detail = f"{feature.get_status_display()} {since}".strip()
        return Row(feature.name, detail, change_url(feature))

    yield features, row


def _old_drafts():
    cutoff = timezone.now() - DRAFT_AGE
    for model in (Feature, Session, Event, Speaker, Comparison):
        drafts = model.objects.filter(state=PublicationState.DRAFT, updated_at__lt=cutoff).order_by(
            "updated_at"
        )

        def row(obj: Model, model=model) -> Row:
            detail = f"{model._meta.verbose_name} · {obj.updated_at:%Y-%m-%d}"
            return Row(str(obj), detail, change_url(obj))

        yield drafts, row


# In the order the page shows them; another module may append its own check.
CHECKS: list[Check] = [
    Check(
        "unsourced",
        _("Status entries without a source"),
        _("Say who claimed each status: a session, an announcement, a documentation page…"),
        _unsourced,
    ),
    Check(
        "broken-links",
        _("Links failing for a week"),
        _("Each link's page says where it appears; replace or remove it there."),
        _broken_links,
    ),
    Check(
        "stale-translations",
        _("Translations to review"),
        _("One language changed after the other was written: check the other one."),
        _stale_translations,
    ),
    Check(
        "no-links",
        _("Features without a documentation link"),
        _("Add a link where the documentation now exists."),
        _without_links,
    ),
    Check(
        "old-previews",
        _("Previews older than a year"),
        _("Check whether they are generally available, retired, or still in preview."),
        _old_previews,
    ),
    Check(
        "old-drafts",
        _("Drafts untouched for a month"),
        _("Publish them, finish them or delete them."),
        _old_drafts,
    ),
]
