from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentRevision(models.Model):
    """One row counting content changes, so every process agrees on when a cached page went stale.

    It is bumped inside the transaction that changes content, so a rolled-back import leaves it
    untouched and readers in other transactions never see a new number before the new content.
    """

    SINGLETON_ID = 1

    number = models.PositiveBigIntegerField(_("number"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("content revision")
        verbose_name_plural = _("content revisions")
        # Site-wide permission: lives here because it belongs to no single kind of content.
        permissions = [("preview_drafts", _("Can preview drafts on the public site"))]

    def __str__(self) -> str:
        return f"r{self.number}"

    @classmethod
    def bump(cls, using: str | None = None) -> None:
        manager = cls.objects.db_manager(using)
        updated = manager.filter(pk=cls.SINGLETON_ID).update(
            number=F("number") + 1, changed_at=timezone.now()
        )
        if not updated:
            manager.get_or_create(pk=cls.SINGLETON_ID, defaults={"number": 1})

    @classmethod
    def current(cls) -> "ContentRevision":
        revision = cls.objects.filter(pk=cls.SINGLETON_ID).first()
        return revision or cls(pk=cls.SINGLETON_ID, number=0, changed_at=timezone.now())


# Kept in its own module with the rest of the link checker; imported here so Django finds it.
from ignite.links.models import LinkCheck  # noqa: E402, F401
