"""manage.py check_links: fetch every outbound link of the content and record what it answered."""

from __future__ import annotations

import math

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format

from ignite.links.checker import LinkChecker
from ignite.links.models import BROKEN_AFTER_DAYS, LinkCheck
from ignite.links.runs import RunReport, run_link_checks, user_agent
from ignite.links.sources import is_web_url

BAR_WIDTH = 30


def positive_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Check every outbound link of the content (doc links, session, repository, event and "
        "speaker links, links in Markdown; drafts included) and record each answer. Broken "
        "links are reported, not an error: the exit status is non-zero only when the check "
        "itself could not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=positive_number,
            default=10.0,
            help="Seconds allowed to connect and for each read of a request (default: 10).",
        )
        parser.add_argument(
            "--workers", type=int, default=8, help="Requests in flight at once (default: 8)."
        )
        parser.add_argument(
            "--per-host",
            type=int,
            default=2,
            help="Requests in flight at once to any one host (default: 2).",
        )
        parser.add_argument(
            "--only-due",
            type=positive_number,
            metavar="HOURS",
            help="Skip links checked within the last HOURS hours.",
        )
        parser.add_argument(
            "--url",
            action="append",
            default=[],
            help="Check only this URL (repeat for more); the content's other checks are kept.",
        )

    def handle(self, *args, timeout, workers, per_host, only_due, url, verbosity, **options):
        if workers < 1 or per_host < 1:
            raise CommandError("--workers and --per-host must be at least 1.")
        urls = [value.strip() for value in url]
        for value in urls:
            if not is_web_url(value):
                raise CommandError(f"--url {value!r} is not an http(s) address.")
        checker = LinkChecker(
            timeout=timeout, workers=workers, per_host=per_host, user_agent=user_agent()
        )
        progress = self.show_progress if self.stderr.isatty() and verbosity else None
        report = run_link_checks(
            checker, only_urls=urls or None, only_due_hours=only_due, progress=progress
        )
        if progress and report.checked:
            self.stderr.write("", style_func=str)
        if verbosity:
            self.report(report, only_due)

    def show_progress(self, done: int, total: int, failing: int) -> None:
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(
            f"\rChecking links [{bar}] {done}/{total}, {failing} failing",
            style_func=str,
            ending="",
        )
        self.stderr.flush()

    def report(self, report: RunReport, only_due: float | None) -> None:
        for value in report.unknown:
            self.stderr.write(
                f"Note: {value} is not linked from the content; checked anyway.", style_func=str
            )
        if not report.total_links:
            self.stdout.write("No links to check.")
            return
        self.stdout.write(
            f"Checked {report.checked} of {report.total_links} links in {report.seconds:.1f} s: "
            f"{report.working} working, {len(report.failed)} failing"
            + (f", {report.inconclusive} rate-limited (retry later)" if report.inconclusive else "")
            + "."
        )
        if report.skipped:
            self.stdout.write(
                f"Skipped {report.skipped} checked within the last {only_due:g} hours."
            )
        for check in report.failed:
            since = date_format(timezone.localtime(check.failing_since), "SHORT_DATE_FORMAT")
            self.stdout.write(f"  {check.outcome:<20} {check.url}  (failing since {since})")
        if report.pruned:
            self.stdout.write(f"Forgot {report.pruned} links the content no longer uses.")
        broken = LinkCheck.objects.broken().count()
        failing = LinkCheck.objects.failing().count()
        self.stdout.write(
            f"In all: {failing} links failing, {broken} of them for {BROKEN_AFTER_DAYS} days or "
            "more (shown to readers as possibly broken)."
        )
