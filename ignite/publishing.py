"""The publication rules shared by every piece of content readers can see.

What the public may see is written once here (`PublishableQuerySet.published`) and used by the
pages, facet counts, feeds and exports alike.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

PREVIEW_PERMISSION = "ignite.preview_drafts"


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def visible_condition(preview: bool = False, prefix: str = "") -> Q:
    """`visible`'s rule as a condition, also on related rows (prefix "features__")."""
    return Q() if preview else Q(**{f"{prefix}state": PublicationState.PUBLISHED})


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        return self.filter(visible_condition())

    def drafts(self) -> PublishableQuerySet:
        return self.filter(state=PublicationState.DRAFT)

    def visible(self, preview: bool = False) -> PublishableQuerySet:
        """Everything for a previewing editor, published content for everyone else."""
        return self.all() if preview else self.published()


def can_preview(user) -> bool:
    """Whether this user may see drafts on the public site."""
    return bool(user and user.is_authenticated and user.has_perm(PREVIEW_PERMISSION))


class Publishable(models.Model):
    """Draft/published state, first publication time and slug history for public content.

    Subclasses set `public_url_name`, a URL name that takes the object's slug.
    """

    public_url_name = ""
    # The fields that decide whether readers see the row (see is_visible and ignite.rules).
    visibility_fields: tuple[str, ...] = ("state",)

    state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
        help_text=_("Drafts are visible only to editors previewing the site."),
    )
    first_published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set the first time this is published; never changes afterwards."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PublicationState.values),
                name="%(app_label)s_%(class)s_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=PublicationState.DRAFT) | Q(first_published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        if self.is_published and self.first_published_at is None:
            self.first_published_at = timezone.now()
        if "_slug_in_db" in self.__dict__:
            old_slug = self._slug_in_db
        elif self.pk:  # built some other way, e.g. from a history record being restored
            old_slug = (
                type(self)._base_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
            )
        else:
            old_slug = None
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug and self.first_published_at is not None:
            keep_old_urls(self, old_slug)
        self._slug_in_db = self.slug

    def get_absolute_url(self) -> str:
        return self.url_for_slug(self.slug)

    def url_for_slug(self, slug: str) -> str:
        return reverse(self.public_url_name, kwargs={"slug": slug})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._slug_in_db = instance.__dict__.get("slug")
        return instance

    @property
    def is_published(self) -> bool:
        return self.state == PublicationState.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.state == PublicationState.DRAFT

    def is_visible(self, preview: bool = False) -> bool:
        """Whether readers see this row: the `visible()` rule for a row already loaded."""
        return preview or self.is_published

    def publish(self, when=None) -> None:
        self.state = PublicationState.PUBLISHED
        if self.first_published_at is None:
            self.first_published_at = when or timezone.now()

    def unpublish(self) -> None:
        self.state = PublicationState.DRAFT


def keep_old_urls(instance: Publishable, old_slug: str) -> None:
    """Make every language's URL under the old slug redirect permanently to the new one."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            old_path = instance.url_for_slug(old_slug)
            new_path = instance.get_absolute_url()
        # Earlier redirects to the old address now point straight at the new one...
        Redirect.objects.filter(site_id=settings.SITE_ID, new_path=old_path).update(
            new_path=new_path
        )
        # ...and a redirect away from the new address (the slug came back) must go.
        Redirect.objects.filter(site_id=settings.SITE_ID, old_path=new_path).delete()
        Redirect.objects.update_or_create(
            site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path}
        )
