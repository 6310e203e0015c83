"""Events, their sessions, the people who gave them and the points each session made."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Upper
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from ignite.db import not_blank_constraint, web_url_constraint
from ignite.markdown import markdown_field, markdown_text
from ignite.publishing import (
    Publishable,
    PublishableQuerySet,
    visible_condition,
)
from ignite.translation_review import TranslationReviewed

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, [link](https://…), lists with “- ”.")


class EventQuerySet(PublishableQuerySet):
    def current(self, preview: bool = False) -> Event | None:
        """The event the home page recaps: the most recent one readers may see."""
        return self.visible(preview).order_by("-start_date", "-pk").first()


class Event(Publishable, TranslationReviewed):
    public_url_name = "features:event"  # the event page is the recap, composed by features

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_(
            "Part of the address, e.g. ignite-2025. Once published, changing it keeps a "
            "permanent redirect from the old address."
        ),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    url = models.URLField(_("official website"), max_length=500, blank=True)
    preview_terms_url = models.URLField(
        _("preview terms"),
        max_length=500,
        blank=True,
        help_text=_(
            "The vendor's terms for previews, linked from the caveat on every feature this "
            "event announced in a preview status. Leave empty when the sources give none."
        ),
    )
    intro = markdown_field(
        _("introduction"),
        blank=True,
        help_text=_("Opens the recap page. %(markdown)s") % {"markdown": MARKDOWN_HELP},
    )
    highlights = markdown_field(
        _("what matters most"),
        blank=True,
        help_text=_(
            "Three to five points a busy reader should take away, as a list, under the "
            "introduction of the recap. %(markdown)s"
        )
        % {"markdown": MARKDOWN_HELP},
    )
    sources = markdown_field(
        _("sources"),
        blank=True,
        help_text=_(
            "Where the facts come from: the article or talk, its author and where it was "
            "published. Credited on the recap and on the pages of this event's sessions and "
            "features. Link a source only with its real address. %(markdown)s"
        )
        % {"markdown": MARKDOWN_HELP},
    )

    objects = EventQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "name"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            ),
            web_url_constraint("url", "event_url_is_web"),
            web_url_constraint("preview_terms_url", "event_preview_terms_url_is_web"),
            not_blank_constraint("slug", "event_slug_not_blank"),
        ]
        permissions = [("publish_event", _("Can publish and unpublish events"))]

    def __str__(self) -> str:
        return self.name


class Speaker(Publishable, TranslationReviewed):
    public_url_name = "sessions:speaker"

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Part of the address, e.g. brendan-burns."),
    )
    role = models.CharField(
        _("role or title"),
        max_length=200,
        blank=True,
        help_text=_("As the person is introduced, e.g. “Corporate Vice President”."),
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = markdown_field(
        _("short bio"),
        blank=True,
        help_text=_("Two or three sentences. %(markdown)s") % {"markdown": MARKDOWN_HELP},
    )

    class Meta(Publishable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]
        constraints = [
            *Publishable.Meta.constraints,
            not_blank_constraint("slug", "speaker_slug_not_blank"),
        ]
        permissions = [("publish_speaker", _("Can publish and unpublish speakers"))]

    def __str__(self) -> str:
        return self.name


class SpeakerLink(TranslationReviewed):
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="links", verbose_name=_("speaker")
    )
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. GitHub, Blog."))
    url = models.URLField(_("URL"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker link")
        verbose_name_plural = _("speaker links")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "url"], name="speaker_link_unique_url"),
            web_url_constraint("url", "speaker_link_url_is_web"),
            not_blank_constraint("url", "speaker_link_url_not_blank"),
        ]

    def __str__(self) -> str:
        return self.label


class SessionKind(models.TextChoices):
    KEYNOTE = "keynote", _("Keynote")
    BREAKOUT = "breakout", _("Breakout")
    LAB = "lab", _("Hands-on lab")
    THEATRE = "theatre", _("Theatre")
    OTHER = "other", _("Other")


class SessionQuerySet(PublishableQuerySet):
    def visible(self, preview: bool = False) -> SessionQuerySet:
        """A session is public only when its event is public too."""
        if preview:
            return self.all()
        return self.published().filter(visible_condition(prefix="event__"))

    def for_listing(self, preview: bool = False) -> SessionQuerySet:
        return (
            self.visible(preview)
            .select_related("event")
            .prefetch_related(speaker_prefetch(preview))
            .order_by("-event__start_date", "code")
        )

    def for_page(self, preview: bool = False) -> SessionQuerySet:
        return self.for_listing(preview).prefetch_related("key_points")

    def with_feature_counts(self, preview: bool = False) -> SessionQuerySet:
        """Each session with `feature_count`, the number of its features the reader may see:
        counted per session in the features' (session, state, window) index, with no join of
        every feature row to every session column."""
        feature_model = self.model._meta.get_field("features").related_model
        counted = (
            feature_model.objects.visible(preview)
            .filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(feature_count=Coalesce(Subquery(counted), 0))

    def announced_features(self):
        """The features these sessions announced. Features point at sessions, so this app
        reaches them through that relation instead of importing them."""
        feature_model = self.model._meta.get_field("features").related_model
        return feature_model.objects.filter(session__in=self.values("pk"))


def speaker_prefetch(preview: bool) -> Prefetch:
    """A session's speakers in their stated order, leaving out unpublished speakers."""
    appearances = SessionSpeaker.objects.select_related("speaker").order_by("order", "pk")
    if not preview:
        appearances = appearances.filter(visible_condition(prefix="speaker__"))
    return Prefetch("appearances", queryset=appearances, to_attr="ordered_appearances")


def speaker_sessions_prefetch(preview: bool, with_people: bool = False) -> Prefetch:
    """A speaker's appearances in the sessions the reader may see, newest event first;
    with_people also loads each session's key points and everyone who gave it (for a speaker's
    page)."""
    appearances = SessionSpeaker.objects.filter(
        session__in=Session.objects.visible(preview)
    ).order_by("-session__event__start_date", "session__code")
    if with_people:
        sessions = Session.objects.for_page(preview).with_feature_counts(preview)
        appearances = appearances.prefetch_related(Prefetch("session", queryset=sessions))
    else:
        appearances = appearances.select_related("session__event")
    return Prefetch("appearances", queryset=appearances, to_attr="visible_appearances")


class Session(Publishable, TranslationReviewed):
    public_url_name = "sessions:detail"
    visibility_fields = ("state", "event")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("event")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("The conference's own code, e.g. BRK120. Unique within the event."),
    )
    title = models.CharField(_("title"), max_length=300)
    japanese_title = models.CharField(
        _("Japanese title"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional: the title in Japanese, shown under the title on Japanese pages (the "
            "title itself stays as the conference wrote it)."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Part of the address, usually the code in lower case, e.g. brk120."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.BREAKOUT
    )
    url = models.URLField(_("official session page"), max_length=500, blank=True)
    repository_url = models.URLField(
        _("repository"),
        max_length=500,
        blank=True,
        help_text=_("Source or lab material, if the session has any."),
    )
    summary = markdown_field(
        _("summary"),
        blank=True,
        help_text=_("What the session was about, in our words. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        related_name="sessions",
        verbose_name=_("speakers"),
        blank=True,
    )

    objects = SessionQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "code"]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["event", "code"], name="session_code_unique_in_event"),
            models.CheckConstraint(condition=Q(code=Upper("code")), name="session_code_upper"),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_valid"
            ),
            not_blank_constraint("code", "session_code_not_blank"),
            not_blank_constraint("slug", "session_slug_not_blank"),
            web_url_constraint("url", "session_url_is_web"),
            web_url_constraint("repository_url", "session_repository_url_is_web"),
        ]
        permissions = [("publish_session", _("Can publish and unpublish sessions"))]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs) -> None:
        self._normalise_code()
        super().save(*args, **kwargs)

    def prepare_insert(self) -> None:
        super().prepare_insert()
        self._normalise_code()

    def _normalise_code(self) -> None:
        self.code = (self.code or "").strip().upper()

    def clean(self) -> None:
        super().clean()
        self._normalise_code()

    def is_visible(self, preview: bool = False) -> bool:
        """SessionQuerySet.visible's rule for a session already loaded, e.g. a feature's."""
        return preview or (super().is_visible() and self.event.is_visible())

    def people_by_role(self) -> list[tuple[str, list[SessionSpeaker]]]:
        """The session's people under a label for their role ("Speakers", "Content owner"),
        in the order the session lists them. Needs the `speaker_prefetch`."""
        groups: dict[str, list[SessionSpeaker]] = {}
        for appearance in self.ordered_appearances:
            groups.setdefault(appearance.role, []).append(appearance)
        return [
            (SpeakerRole.label_for(role, len(people)), people) for role, people in groups.items()
        ]

    def key_point_groups(self) -> list[KeyPointGroup]:
        """Key points grouped under their headings, from the prefetched points when present."""
        groups: list[KeyPointGroup] = []
        for point in self.key_points.all():
            if point.heading or not groups:
                groups.append(KeyPointGroup(heading_source=point if point.heading else None))
            groups[-1].points.append(point)
        return groups


class SpeakerRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    CONTENT_OWNER = "content-owner", _("Content owner")
    MODERATOR = "moderator", _("Moderator")

    @classmethod
    def label_for(cls, role: str, count: int) -> str:
        """The role as a heading over `count` people, e.g. "Speakers"."""
        if role == cls.CONTENT_OWNER:
            return npgettext("heading", "Content owner", "Content owners", count)
        if role == cls.MODERATOR:
            return npgettext("heading", "Moderator", "Moderators", count)
        return npgettext("heading", "Speaker", "Speakers", count)


class SessionSpeaker(models.Model):
    """A speaker's place in a session, in the order the session lists them."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("session")
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.PROTECT, related_name="appearances", verbose_name=_("speaker")
    )
    role = models.CharField(
        _("role in the session"),
        max_length=20,
        choices=SpeakerRole.choices,
        default=SpeakerRole.SPEAKER,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"], name="session_speaker_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(role__in=SpeakerRole.values), name="session_speaker_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.get_role_display()})"


class KeyPoint(TranslationReviewed):
    """One point a session made. A point with a heading starts a new group."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="key_points", verbose_name=_("session")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(
        _("group heading"),
        max_length=200,
        blank=True,
        help_text=_("Fill in to start a new group; leave empty to continue the group above."),
    )
    text = markdown_field(
        _("point"),
        help_text=_("One point, a sentence or two. %(markdown)s") % {"markdown": MARKDOWN_HELP},
    )

    class Meta:
        verbose_name = _("key point")
        verbose_name_plural = _("key points")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return Truncator(markdown_text(self.text)).chars(80)


class KeyPointGroup:
    """Points under one heading (a view of KeyPoint rows, not stored)."""

    def __init__(self, heading_source: KeyPoint | None):
        self.heading_source = heading_source
        self.points: list[KeyPoint] = []

    @property
    def heading(self) -> str:
        return self.heading_source.heading if self.heading_source else ""
