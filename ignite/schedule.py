"""Scheduled moments: when content appears, leaves or changes by itself, with no cron job.

Anything that changes what readers see at a set time registers a `Scheduled` source here:
scheduled publishing (ignite.publishing) and staged edits published at a time. The content
revision (ignite.models.ContentRevision) stores the next moment any source names; the first
request after that moment, in whichever process, advances the revision (one process wins a
conditional update), lets every source apply what fell due, and stores the next moment. Pages
cached under the old revision are then never served again, so no cached page outlives a
scheduled change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

_sources: dict[str, Scheduled] = {}


@dataclass(frozen=True)
class Scheduled:
    """One kind of scheduled change.

    `next_moment(now)` returns the earliest moment after `now` at which it changes what readers
    see (None when nothing is scheduled); `apply_due(now)` writes what fell due by `now`, if the
    change needs a write at all (scheduled visibility is decided by the queries themselves).
    """

    name: str
    next_moment: Callable[[datetime.datetime], datetime.datetime | None]
    apply_due: Callable[[datetime.datetime], None] | None = None


def register(source: Scheduled) -> None:
    _sources[source.name] = source


def sources() -> list[Scheduled]:
    return list(_sources.values())


def next_moment(now: datetime.datetime) -> datetime.datetime | None:
    """The earliest scheduled moment after `now`, over every source."""
    moments = [moment for source in _sources.values() if (moment := source.next_moment(now))]
    return min(moments, default=None)


def apply_due(now: datetime.datetime) -> None:
    for source in _sources.values():
        if source.apply_due is not None:
            source.apply_due(now)
