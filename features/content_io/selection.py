"""What an export covers: features chosen through the catalog's own filters.

`select_features` reads filters as the catalog reads its query string (FeatureFilterSet), so
`--status ga` means exactly what `?status=ga` means on the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import QueryDict

from sessions.models import Event, Session, Speaker

from ..filters import FeatureFilterSet
from ..models import Comparison, Feature, StatusChange


class ExportError(Exception):
    """The export was asked for something that does not exist (reported, not raised as 500)."""


@dataclass
class Selection:
    """What one export covers: the chosen features and whether drafts count."""

    features: list[Feature]
    include_drafts: bool
    filtered: bool
    event: Event | None
    sessions: list[str]  # the codes asked for with --session
    left_out_drafts: dict[str, int]  # drafts this export would have held with --include-drafts

    @property
    def complete(self) -> bool:
        """Whether the file holds everything: only then may an import prune with it."""
        return self.include_drafts and not self.filtered

    def left_out_note(self) -> str:
        counts = [f"{kind}: {n}" for kind, n in self.left_out_drafts.items() if n]
        if not counts:
            return ""
        return (
            f"Note: drafts left out ({', '.join(counts)}); "
            "add --include-drafts for a complete backup."
        )


def select_features(filters: dict[str, Any], *, include_drafts: bool = False) -> Selection:
    """Apply the catalog's filters; raise ExportError naming every invalid filter."""
    data = QueryDict(mutable=True)
    for name in ("status", "area", "session"):
        data.setlist(name, list(filters.get(name) or []))
    for name in ("q", "event"):
        if filters.get(name):
            data[name] = filters[name]
    filterset = FeatureFilterSet(
        data, queryset=Feature.objects.for_catalog(include_drafts), preview=include_drafts
    )
    filterset.is_valid()
    if filterset.problems:
        raise ExportError("\n".join(f"--{name}: {message}" for name, message in filterset.problems))
    features = sorted(
        filterset.qs.prefetch_related(
            "doc_links",
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("event", "source_session"),
            ),
            "material_updates",
            "related",
        ),
        key=lambda feature: (feature.status_rank, feature.name.casefold(), feature.slug),
    )
    event = None
    if filters.get("event"):
        event = Event.objects.get(slug=filters["event"])
    filtered = any(data.get(name) for name in data)
    return Selection(
        features=features,
        include_drafts=include_drafts,
        filtered=filtered,
        event=event,
        sessions=[code.upper() for code in filterset.form.cleaned_data.get("session") or []],
        left_out_drafts={} if include_drafts else _left_out_drafts(data, filtered),
    )


def _left_out_drafts(data: QueryDict, filtered: bool) -> dict[str, int]:
    """How many drafts an export without --include-drafts leaves out, by kind."""
    everything = Feature.objects.for_catalog(preview=True)
    matching = FeatureFilterSet(data, queryset=everything, preview=True).qs
    counts = {"features": matching.drafts().count()}
    if not filtered:  # a filtered file carries features and what they need, nothing more
        counts |= {
            "events": Event.objects.drafts().count(),
            "speakers": Speaker.objects.drafts().count(),
            "sessions": Session.objects.drafts().count(),
            "comparisons": Comparison.objects.drafts().count(),
        }
    return counts
