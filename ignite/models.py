from __future__ import annotations

import datetime
import time

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentRevision(models.Model):
    """One row counting content changes, so every process agrees on when a cached page went stale.

    It is bumped inside the transaction that changes content, so a rolled-back import leaves it
    untouched and readers in other transactions never see a new number before the new content.
    It also holds the next scheduled moment (ignite.schedule): the first reader after it advances
    the revision, so scheduled content appears on time in every process without a cron job.
    """

    SINGLETON_ID = 1

    number = models.PositiveBigIntegerField(_("number"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    next_change_at = models.DateTimeField(
        _("next scheduled change"),
        null=True,
        blank=True,
        help_text=_("The next moment scheduled content appears, leaves or changes."),
    )

    class Meta:
        verbose_name = _("content revision")
        verbose_name_plural = _("content revisions")
        # Site-wide permission: lives here because it belongs to no single kind of content.
        permissions = [("preview_drafts", _("Can preview drafts on the public site"))]

    def __str__(self) -> str:
        return f"r{self.number}"

    @classmethod
    def bump(cls, using: str | None = None) -> None:
        from ignite import schedule

        now = timezone.now()
        manager = cls.objects.db_manager(using)
        values = {"changed_at": now, "next_change_at": schedule.next_moment(now)}
        cls.forget_recent()  # this process serves its own change at once
        updated = manager.filter(pk=cls.SINGLETON_ID).update(number=F("number") + 1, **values)
        if not updated:
            manager.get_or_create(pk=cls.SINGLETON_ID, defaults={"number": 1, **values})

    @classmethod
    def reschedule(cls) -> None:
        """Store the next scheduled moment again after a schedule changed that no content write
        announced (a staged edit scheduled or discarded); cached pages stay valid."""
        from ignite import schedule

        moment = schedule.next_moment(timezone.now())
        if not cls.objects.filter(pk=cls.SINGLETON_ID).update(next_change_at=moment):
            cls.objects.get_or_create(pk=cls.SINGLETON_ID, defaults={"next_change_at": moment})

    # The revision this process read last, and when (time.monotonic()); see `recent`.
    _recent: tuple[ContentRevision, float] | None = None

    @classmethod
    def recent(cls, max_age: float) -> ContentRevision:
        """The current revision as this process read it at most `max_age` seconds ago (and
        never past its next scheduled moment): cached pages then cost no database query."""
        memo = cls._recent
        if memo is not None and time.monotonic() - memo[1] < max_age:
            revision = memo[0]
            if revision.next_change_at is None or timezone.now() < revision.next_change_at:
                return revision
        revision = cls.current()
        cls._recent = (revision, time.monotonic())
        return revision

    @classmethod
    def forget_recent(cls) -> None:
        cls._recent = None

    @classmethod
    def current(cls) -> ContentRevision:
        """The revision now, advanced first if a scheduled moment has passed since it was set."""
        revision = cls.objects.filter(pk=cls.SINGLETON_ID).first()
        if revision is None:
            return cls(pk=cls.SINGLETON_ID, number=0, changed_at=timezone.now())
        now = timezone.now()
        if revision.next_change_at is not None and revision.next_change_at <= now:
            cls._pass_scheduled_moment(revision, now)
            revision = cls.objects.get(pk=cls.SINGLETON_ID)
        return revision

    @classmethod
    def _pass_scheduled_moment(cls, seen: ContentRevision, now: datetime.datetime) -> None:
        """Advance the revision past a scheduled moment; of concurrent callers, one does it."""
        from ignite import rules, schedule

        with transaction.atomic():
            claimed = cls.objects.filter(
                pk=cls.SINGLETON_ID, number=seen.number, next_change_at=seen.next_change_at
            ).update(number=F("number") + 1, changed_at=now)
            if not claimed:
                return  # another request advanced it first
            # What falls due was approved by a publisher when it was scheduled; the reader whose
            # request happens to pass the moment is not the author of these writes.
            with rules.acting_as(None):
                schedule.apply_due(now)
            cls.objects.filter(pk=cls.SINGLETON_ID).update(next_change_at=schedule.next_moment(now))


# Kept in its own module with the rest of the link checker; imported here so Django finds it.
from ignite.links.models import LinkCheck  # noqa: E402, F401
from ignite.staging.models import StagedEdit  # noqa: E402, F401
