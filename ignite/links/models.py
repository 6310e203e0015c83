"""What the last check of each outbound link found."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ignite.links.checker import CheckResult

# A link failing this long is shown to readers as possibly broken.
BROKEN_AFTER_DAYS = 7


class LinkError(models.TextChoices):
    """Why a link gave no HTTP answer we could use."""

    TIMEOUT = "timeout", _("Timed out")
    REFUSED = "refused", _("Connection refused")
    DNS = "dns", _("Host not found")
    TLS = "tls", _("TLS/certificate error")
    CONNECTION = "connection", _("Connection failed")
    TOO_MANY_REDIRECTS = "too-many-redirects", _("Too many redirects")
    REDIRECT_LOOP = "redirect-loop", _("Redirect loop")
    BAD_REDIRECT = "bad-redirect", _("Redirect to an unusable address")
    INVALID_URL = "invalid-url", _("Invalid address")


class LinkCheckQuerySet(models.QuerySet):
    def failing(self) -> LinkCheckQuerySet:
        """Links whose latest conclusive check failed."""
        return self.filter(failing_since__isnull=False)

    def broken(self, days: int = BROKEN_AFTER_DAYS, now=None) -> LinkCheckQuerySet:
        """Links failing for at least `days` days: what readers see as possibly broken."""
        since = (now or timezone.now()) - datetime.timedelta(days=days)
        return self.filter(failing_since__lte=since)

    def working(self) -> LinkCheckQuerySet:
        return self.filter(failing_since__isnull=True, last_success_at__isnull=False)

    def due(self, hours: float, now=None) -> LinkCheckQuerySet:
        """Links not checked within the last `hours` hours."""
        since = (now or timezone.now()) - datetime.timedelta(hours=hours)
        return self.filter(checked_at__lt=since)

    def by_url(self, urls) -> dict[str, LinkCheck]:
        """The checks of these URLs by URL, in one query (none for no URLs)."""
        urls = set(urls)
        return {check.url: check for check in self.filter(url__in=urls)} if urls else {}


class LinkCheck(models.Model):
    """The latest check of one outbound URL, and since when it has been failing.

    Written by `manage.py check_links` only: editors read it, nobody edits it.
    """

    url = models.URLField(_("URL"), max_length=2000, unique=True)
    checked_at = models.DateTimeField(_("last checked"), db_index=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(
        _("error"), max_length=20, choices=LinkError.choices, blank=True, default=""
    )
    error_detail = models.CharField(_("error detail"), max_length=300, blank=True, default="")
    final_url = models.URLField(
        _("final URL"),
        max_length=2000,
        blank=True,
        default="",
        help_text=_("Where the redirects ended."),
    )
    redirects = models.PositiveSmallIntegerField(_("redirects followed"), default=0)
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The first failed check in a row; cleared when the link works again."),
    )
    last_success_at = models.DateTimeField(_("last worked"), null=True, blank=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(error__in=["", *LinkError.values]), name="link_check_error_valid"
            ),
            # A check that got no answer has no status, and one with a status has no error.
            models.CheckConstraint(
                condition=Q(status_code__isnull=True) | Q(error=""),
                name="link_check_status_or_error",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None

    def is_broken(self, days: int = BROKEN_AFTER_DAYS, now=None) -> bool:
        """LinkCheckQuerySet.broken's rule for one loaded check."""
        since = (now or timezone.now()) - datetime.timedelta(days=days)
        return self.failing_since is not None and self.failing_since <= since

    @property
    def possibly_broken(self) -> bool:
        return self.is_broken()

    @property
    def outcome(self) -> str:
        """The status code or the error, as an editor reads it."""
        if self.status_code is not None:
            return str(self.status_code)
        return self.get_error_display()

    def apply(self, result: CheckResult, now: datetime.datetime) -> None:
        """Take in a new check's result: a success clears `failing_since`, a failure starts it
        (or keeps its first day), an inconclusive answer (rate limited) leaves both alone."""
        self.checked_at = now
        self.status_code = result.status_code
        self.error = result.error
        self.error_detail = result.error_detail[:300]
        self.final_url = result.final_url[:2000]
        self.redirects = result.redirects
        if result.ok:
            self.failing_since = None
            self.last_success_at = now
        elif not result.inconclusive and self.failing_since is None:
            self.failing_since = now

    @classmethod
    def record(cls, result: CheckResult, now: datetime.datetime | None = None) -> LinkCheck:
        now = now or timezone.now()
        check = cls.objects.filter(url=result.url).first() or cls(url=result.url)
        check.apply(result, now)
        check.save()
        return check
