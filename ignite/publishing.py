"""The publication rules shared by every piece of content readers can see.

What the public may see is written once here (`PublishableQuerySet.published`) and used by the
pages, facet counts, feeds and exports alike. A published row may be scheduled: it is seen from
`publish_at` and until `unpublish_at`, decided by each query at the moment it runs, so scheduled
content appears and leaves by itself (ignite.schedule keeps the page cache in step).
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

PREVIEW_PERMISSION = "ignite.preview_drafts"


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the <slug:> converter accepts
_STAND_IN = "slug-of-the-item"  # a slug reverse() accepts that no other part of an address holds


def around_slug(url_name: str) -> tuple[str, str]:
    """The address of `url_name` (a pattern taking a slug) before and after its slug, in the
    active language: what reverse() gives for any slug, reversed once per name, language, URL
    prefix and URL configuration instead of once per link (a catalog page links to 20 features)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _around_slug(url_name, translation.get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=128)
def _around_slug(url_name: str, _language, _prefix: str, urlconf: str) -> tuple[str, str]:
    before, after = reverse(url_name, kwargs={"slug": _STAND_IN}, urlconf=urlconf).split(_STAND_IN)
    return before, after


def visible_condition(preview: bool = False, prefix: str = "", now=None) -> Q:
    """`visible`'s rule as a condition, also on related rows (prefix "features__"): published,
    and inside its scheduled window at `now` (the moment the query is built, by default)."""
    if preview:
        return Q()
    now = now or timezone.now()
    return (
        Q(**{f"{prefix}state": PublicationState.PUBLISHED})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": now}))
        & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now}))
    )


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        return self.filter(visible_condition())

    def scheduled(self, now=None) -> PublishableQuerySet:
        """Published rows with a scheduled change still to come: to appear, or to leave."""
        now = now or timezone.now()
        return self.filter(state=PublicationState.PUBLISHED).filter(
            Q(publish_at__gt=now) | Q(unpublish_at__gt=now)
        )

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
    visibility_fields: tuple[str, ...] = ("state", "publish_at", "unpublish_at")

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
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Scheduled publishing: readers see this from this moment, to the minute, once a "
            "publisher has published it. Empty: from publication. Editors may propose a time "
            "on a draft."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Scheduled unpublishing: readers no longer see this from this moment."),
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
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(unpublish_at__isnull=True)
                | Q(unpublish_at__gt=F("publish_at")),
                name="%(app_label)s_%(class)s_unpublish_after_publish",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self._date_first_publication()
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

    def clean(self) -> None:
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError(
                {"unpublish_at": _("Unpublishing must come after the scheduled publication.")}
            )

    def _date_first_publication(self) -> None:
        now = timezone.now()
        if self.is_published and (self.first_published_at is None or self.first_published_at > now):
            # Scheduled content first appears at its moment, and feeds date it so; until then
            # the moment may still move.
            self.first_published_at = max(self.publish_at or now, now)

    def prepare_insert(self) -> None:
        """What save() works out before writing a new row (ignite.bulk inserts rows so too)."""
        self._date_first_publication()

    def after_insert(self) -> None:
        self._slug_in_db = self.slug

    def url_for_slug(self, slug: str) -> str:
        if not SLUG.fullmatch(slug):  # no address: reverse() says why
            return reverse(self.public_url_name, kwargs={"slug": slug})
        before, after = around_slug(self.public_url_name)
        return f"{before}{slug}{after}"

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

    def is_visible(self, preview: bool = False, now=None) -> bool:
        """Whether readers see this row: the `visible()` rule for a row already loaded."""
        return preview or (self.is_published and self.in_window(now))

    def in_window(self, now=None) -> bool:
        """Whether `now` falls inside the scheduled window (always, when none is set)."""
        now = now or timezone.now()
        return (self.publish_at is None or self.publish_at <= now) and (
            self.unpublish_at is None or self.unpublish_at > now
        )

    @property
    def is_scheduled(self) -> bool:
        """Published, and waiting for its scheduled moment to appear."""
        return (
            self.is_published and self.publish_at is not None and self.publish_at > timezone.now()
        )

    def publish(self, when=None) -> None:
        self.state = PublicationState.PUBLISHED
        if self.first_published_at is None:
            when = when or timezone.now()
            self.first_published_at = max(when, self.publish_at) if self.publish_at else when

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


def _first_published(ahead, batch: int = 50):
    """The first moment of (moment, state) rows whose row is published, read a batch at a time."""
    start = 0
    while rows := list(ahead[start : start + batch]):
        for moment, state in rows:
            if state == PublicationState.PUBLISHED:
                return moment
        start += batch
    return None


def _next_scheduled_moment(models_: list[type[Publishable]]):
    def next_moment(now):
        moments = []
        for model in models_:
            # Each column's index from `now` on, to the first published row: a few rows read,
            # not every row (this runs on every content save, an import's included). The state
            # is checked here, or SQLite would read every published row through its index.
            for column in ("publish_at", "unpublish_at"):
                ahead = (
                    model._base_manager.filter(**{f"{column}__gt": now})
                    .order_by(column)
                    .values_list(column, "state")
                )
                moment = _first_published(ahead)
                if moment is not None:
                    moments.append(moment)
        return min(moments, default=None)

    return next_moment


def schedule_publishable_models(app_labels: tuple[str, ...]) -> None:
    """Register the scheduled windows of every publishable model in these apps."""
    from django.apps import apps

    from ignite import schedule

    found = [
        model
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Publishable)
    ]
    schedule.register(schedule.Scheduled("publishing", _next_scheduled_moment(found)))
