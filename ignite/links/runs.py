"""One run of the link checker: collect the links, check those that are due, record the answers."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from ignite.links.checker import LinkChecker
from ignite.links.models import LinkCheck
from ignite.links.sources import link_uses
from ignite.models import ContentRevision

Progress = Callable[[int, int, int], None]  # (done, total, failing so far)


def user_agent() -> str:
    """Names the site, so a site owner who sees our requests knows who is asking."""
    return (
        f"IgniteRecap-LinkChecker/1.0 (+{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}/; "
        "checks the links of a published recap)"
    )


@dataclass
class RunReport:
    total_links: int = 0
    skipped: int = 0
    working: int = 0
    inconclusive: int = 0
    failed: list[LinkCheck] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # --url values the content does not use
    pruned: int = 0
    seconds: float = 0.0

    @property
    def checked(self) -> int:
        return self.working + self.inconclusive + len(self.failed)


def run_link_checks(
    checker: LinkChecker,
    *,
    only_urls: list[str] | None = None,
    only_due_hours: float | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Check the content's outbound links (or just `only_urls`) and record each result.

    A full run also forgets the checks of URLs the content no longer links to, so editors are
    not sent after links they already fixed. Pages show the results, so a run that recorded
    anything makes the cached pages stale.
    """
    started = time.monotonic()
    report = RunReport()
    uses = link_uses()
    targets = list(dict.fromkeys(only_urls)) if only_urls else list(uses)
    report.unknown = [url for url in targets if url not in uses]
    report.total_links = len(targets)
    if only_due_hours is not None:
        recent = set(
            LinkCheck.objects.exclude(
                checked_at__lt=timezone.now() - datetime.timedelta(hours=only_due_hours)
            ).values_list("url", flat=True)
        )
        targets = [url for url in targets if url not in recent]
        report.skipped = report.total_links - len(targets)

    done = 0
    if progress and targets:
        progress(0, len(targets), 0)
    for result in checker.check_all(targets):
        check = LinkCheck.record(result, now=timezone.now())
        if result.ok:
            report.working += 1
        elif result.inconclusive:
            report.inconclusive += 1
        else:
            report.failed.append(check)
        done += 1
        if progress:
            progress(done, len(targets), len(report.failed))

    if not only_urls:
        report.pruned = forget_unused(set(uses))
    if done or report.pruned:
        ContentRevision.bump()
    report.failed.sort(key=lambda check: check.url)
    report.seconds = time.monotonic() - started
    return report


def forget_unused(used: set[str]) -> int:
    """Delete the checks of URLs no longer linked from the content."""
    stale = [pk for pk, url in LinkCheck.objects.values_list("pk", "url") if url not in used]
    deleted = 0
    for start in range(0, len(stale), 500):
        deleted += LinkCheck.objects.filter(pk__in=stale[start : start + 500]).delete()[0]
    return deleted
