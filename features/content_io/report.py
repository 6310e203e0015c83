"""The summary of an import: rows created, updated, unchanged and removed, model by model."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.redirects.models import Redirect
from django.db import models

from sessions.models import Event, KeyPoint, Session, SessionSpeaker, Speaker, SpeakerLink

from ..models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    MaterialUpdate,
    StatusChange,
)

# Order of the summary, parents before their children.
REPORTED_MODELS = (
    Redirect,
    Area,
    Event,
    Speaker,
    SpeakerLink,
    Session,
    SessionSpeaker,
    KeyPoint,
    Feature,
    DocLink,
    StatusChange,
    MaterialUpdate,
    Comparison,
    ComparisonColumn,
    ComparisonRow,
    ComparisonCell,
)


@dataclass
class Counts:
    """What an import did to the rows of one model."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.created or self.updated or self.unchanged or self.removed)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): counts per model and each change."""

    counts: dict[type[models.Model], Counts] = field(
        default_factory=lambda: {model: Counts() for model in REPORTED_MODELS}
    )
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary_lines(self) -> list[str]:
        lines = []
        for model, counts in self.counts.items():
            if counts.touched:
                lines.append(
                    f"{model._meta.verbose_name_plural}: {counts.created} created, "
                    f"{counts.updated} updated, {counts.unchanged} unchanged, "
                    f"{counts.removed} removed"
                )
        return lines or ["nothing to import"]

    @property
    def changed_anything(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.counts.values())
