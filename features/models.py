"""Announced features, the areas they belong to, their release history and comparison tables."""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ignite.dates import DatePrecision, date_at_precision, normalise_to_precision
from ignite.db import not_blank_constraint, web_url_constraint
from ignite.markdown import markdown_field
from ignite.publishing import Publishable, PublishableQuerySet, visible_condition
from ignite.translation_review import TranslationReviewed
from sessions.models import MARKDOWN_HELP, Event, Session

from . import search


class ReleaseStatus(models.TextChoices):
    """Release stages, in the order readers meet them: most available first."""

    GA = "ga", pgettext_lazy("release status", "GA")
    PUBLIC_PREVIEW = "public-preview", pgettext_lazy("release status", "Public Preview")
    PREVIEW = "preview", pgettext_lazy("release status", "Preview")
    PRIVATE_PREVIEW = "private-preview", pgettext_lazy("release status", "Private Preview")
    RETIRED = "retired", pgettext_lazy("release status", "Retired")

    @classmethod
    def rank(cls, field: str = "status") -> Case:
        """An SQL expression sorting statuses (of `field`) in declaration order."""
        return Case(
            *(When(**{field: value}, then=Value(i)) for i, value in enumerate(cls.values)),
            default=Value(len(cls.values)),
            output_field=IntegerField(),
        )

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a stored status (the value itself if it is none of them)."""
        return str(_STATUS_LABELS.get(value, value))

    @classmethod
    def previews(cls) -> tuple[str, ...]:
        """The statuses that come with the preview caveat (no SLA, may change)."""
        return (cls.PUBLIC_PREVIEW, cls.PREVIEW, cls.PRIVATE_PREVIEW)

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        return {
            cls.GA: _("Generally available: ready for production use."),
            cls.PUBLIC_PREVIEW: _("Open for anyone to try before general availability."),
            cls.PREVIEW: _("Announced as a preview; details may still change."),
            cls.PRIVATE_PREVIEW: _("Open to selected customers only."),
            cls.RETIRED: _("No longer offered."),
        }


# A status's lazy label by its value. Django's get_status_display() builds this mapping on each
# call, translating every label to hash it: a quarter of a feature card's cost.
_STATUS_LABELS = dict(ReleaseStatus.choices)


class AreaQuerySet(models.QuerySet):
    def with_feature_counts(self, preview: bool = False) -> AreaQuerySet:
        """Each area with `feature_count`, the number of its features the reader may see."""
        counted = visible_condition(preview, prefix="features__")
        return self.annotate(feature_count=Count("features", filter=counted))

    def visible(self, preview: bool = False) -> AreaQuerySet:
        """Areas a reader meets: those holding a feature they may see (with its count)."""
        return self.with_feature_counts(preview).filter(feature_count__gt=0)


class Area(TranslationReviewed):
    """A part of the product, e.g. Networking or Fleet, used to group and filter features."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Areas are listed from the lowest number up.")
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["order", "slug"]
        constraints = [not_blank_constraint("slug", "area_slug_not_blank")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        renamed = self.pk is not None and (
            Area.objects.filter(pk=self.pk)
            .exclude(name_en=self.name_en, name_ja=self.name_ja)
            .exists()
        )
        super().save(*args, **kwargs)
        if renamed:  # its features are found by the area's name
            self.features.all().refresh_search_text()

    def prepare_insert(self) -> None:
        """Nothing to work out: a new area has no features to find by its name yet."""


def followed_moment(status_change_model=None, material_update_model=None):
    """When followers last had something to learn about a feature (its publication, a status
    entry or a material update recorded), as an expression over a feature row. The models are
    parameters so that a migration can pass its historical ones."""
    status_change_model = status_change_model or StatusChange
    material_update_model = material_update_model or MaterialUpdate
    latest = {
        model: Subquery(
            model.objects.filter(feature=OuterRef("pk"))
            .order_by("-recorded_at")
            .values("recorded_at")[:1]
        )
        for model in (status_change_model, material_update_model)
    }
    published = Coalesce(F("first_published_at"), F("created_at"))
    return Greatest(
        published,
        *(Coalesce(latest_recorded, published) for latest_recorded in latest.values()),
        output_field=models.DateTimeField(),
    )


_followed = threading.local()


@contextmanager
def followed_at_once_for_many_changes() -> Iterator[None]:
    """Store `followed_at` once, at the end, for every feature a batch of writes touched (an
    import), instead of after each row; nothing when the batch fails."""
    _followed.pending = set()
    try:
        yield
        pending = sorted(_followed.pending)
    finally:
        _followed.pending = None
    for start in range(0, len(pending), 500):
        Feature.objects.filter(pk__in=pending[start : start + 500]).refresh_followed_at()


def feature_followed(feature_id: int | None) -> None:
    """A feature's publication, status entries or material updates changed: store its
    `followed_at` again (at the end of a batch, inside one)."""
    if feature_id is None:
        return
    pending = getattr(_followed, "pending", None)
    if pending is not None:
        pending.add(feature_id)
    else:
        Feature.objects.filter(pk=feature_id).refresh_followed_at()


class FeatureQuerySet(PublishableQuerySet):
    def refresh_followed_at(self) -> int:
        """Store `followed_at` again for these features (after a save of one of them or of a
        status entry or material update of theirs); how many rows were written. A row that
        already holds its moment is not written again: on PostgreSQL every write leaves a dead
        row version behind, and a bulk load written twice doubles the table searches read."""
        moment = followed_moment()
        return self.filter(~Q(followed_at=moment)).update(followed_at=moment)

    def for_catalog(self, preview: bool = False) -> FeatureQuerySet:
        """Features a reader may list, with what a list row shows, in one query."""
        return (
            self.visible(preview)
            .select_related("area", "session", "session__event")
            .order_by("status_rank", "name", "pk")
        )

    def for_page(self, preview: bool = False) -> FeatureQuerySet:
        related = Feature.objects.visible(preview).select_related("area").order_by("name")
        return self.for_catalog(preview).prefetch_related(
            "doc_links",
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.for_timeline(),
                to_attr="timeline",
            ),
            Prefetch("related", queryset=related, to_attr="visible_related"),
        )

    def search(self, text: str, *, read_rows: bool = False) -> FeatureQuerySet:
        """Features holding every word in their names, area, topic, summary, body or editor's
        note, in any language (see features.search; `read_rows` as there)."""
        return self.filter(search.condition(text, connections[self.db], read_rows=read_rows))

    def refresh_search_text(self, batch_size: int = 500) -> int:
        """Work out these features' search text again (after their area is renamed); how many
        changed."""
        changed = []
        for feature in self.select_related("area").order_by("pk").iterator(batch_size):
            text = search.feature_document(feature)
            if text != feature.search_text:
                feature.search_text = text
                changed.append(feature)
        Feature.objects.bulk_update(changed, ["search_text"], batch_size=batch_size)
        return len(changed)

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status value, label, count) for each status present, in release order."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("pk")))
        return [
            (value, label, counts[value])
            for value, label in ReleaseStatus.choices
            if counts.get(value)
        ]

    def status_groups(self, limit: int = 6) -> list[StatusGroup]:
        """The features by release status: how many of each, and the first `limit` of each in
        the catalog's order (by name). Three queries, whatever the number of features, so that a
        page can show a bounded selection and link to the catalog for the rest."""
        tallies = {
            row["status"]: row
            for row in self.order_by()
            .values("status")
            .annotate(count=Count("pk"), latest=Max("updated_at"))
        }
        if not tallies:
            return []
        groups = {
            value: StatusGroup(value, tallies[value]["count"], tallies[value]["latest"])
            for value in ReleaseStatus.values
            if value in tallies
        }
        if limit > 0:
            # The first `limit` keys of each status, each read in the (state, status, name)
            # index order and stopped there; the rows are then fetched by key in one query.
            first_of_each = Q()
            for value in groups:
                keys = self.filter(status=value).order_by("name", "pk").values("pk")[:limit]
                first_of_each |= Q(pk__in=Subquery(keys))
            # The keys in a query of their own: given them as a subquery, PostgreSQL misjudges
            # how few they are and reads every feature for the rows.
            chosen = list(Feature.objects.filter(first_of_each).values_list("pk", flat=True))
            for feature in self.filter(pk__in=chosen).order_by("name", "pk"):
                groups[feature.status].features.append(feature)
        return list(groups.values())


@dataclass
class StatusGroup:
    """Features of one release status: how many there are and the first few of them."""

    status: str
    count: int
    latest_update: datetime.datetime | None
    features: list[Feature] = dataclass_field(default_factory=list)

    @property
    def label(self) -> str:
        return ReleaseStatus(self.status).label

    @property
    def description(self) -> str:
        return ReleaseStatus.descriptions()[self.status]

    @property
    def more(self) -> int:
        """How many are left out of `features`."""
        return self.count - len(self.features)


class Feature(Publishable, TranslationReviewed):
    public_url_name = "features:detail"

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As the product names it; not translated."),
    )
    japanese_name = models.CharField(
        _("Japanese name"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional: how Japanese readers would say it (e.g. the name Microsoft's Japanese "
            "documentation uses), shown under the name on Japanese pages."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_(
            "Part of the address. Once published, changing it keeps a permanent redirect "
            "from the old address."
        ),
    )
    status = models.CharField(
        _("release status"),
        max_length=20,
        choices=ReleaseStatus.choices,
        default=ReleaseStatus.PUBLIC_PREVIEW,
        db_index=True,
        help_text=_(
            "The current status. Use the “Change release status” action to record a change "
            "with its date, so the history keeps the earlier status."
        ),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="features", verbose_name=_("area")
    )
    topic = models.CharField(
        _("topic"),
        max_length=100,
        blank=True,
        help_text=_("A finer label within the area, e.g. “Observability”."),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="features",
        verbose_name=_("announced in"),
        null=True,
        blank=True,
        help_text=_("The session that announced it."),
    )
    summary = markdown_field(
        _("summary"),
        help_text=_("One or two sentences for lists and previews. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    body = markdown_field(
        _("body"),
        blank=True,
        help_text=_("The longer explanation on the feature's page. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    editors_note = markdown_field(
        _("editor's note"),
        blank=True,
        help_text=_("Our own view: caveats, who needs it. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related features")
    )
    uid = models.UUIDField(
        _("permanent identifier"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Names the feature in feeds for good, whatever its slug becomes."),
    )
    search_text = models.TextField(
        _("search text"),
        default="",
        editable=False,
        help_text=_("What catalog search reads: the feature's text, folded (kept up on save)."),
    )

    # The order of the catalog and its status sort, kept by the database from `status`: with the
    # index below, a page of the catalog reads its 20 rows in order instead of sorting them all.
    status_rank = models.GeneratedField(
        expression=ReleaseStatus.rank(),
        output_field=models.SmallIntegerField(),
        db_persist=True,
        verbose_name=_("status rank"),
    )

    # Feeds list features newest first by this moment (features.feeds): kept here, with the
    # index below, so that a feed reads its entries in order instead of working the moment out
    # for every feature. Stored again after every save of the feature, its status entries and
    # its material updates (features.apps).
    followed_at = models.DateTimeField(
        _("followed at"),
        default=timezone.now,
        editable=False,
        help_text=_("When followers last had something to learn about it (kept up on save)."),
    )

    objects = FeatureQuerySet.as_manager()
    # Derived from the other columns and rows: nothing a history record needs to keep.
    history_excluded_fields = ("search_text", "status_rank", "followed_at")

    class Meta(Publishable.Meta):
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        ordering = ["name"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=ReleaseStatus.values), name="feature_status_valid"
            ),
            not_blank_constraint("slug", "feature_slug_not_blank"),
            not_blank_constraint("name", "feature_name_not_blank"),
        ]
        permissions = [("publish_feature", _("Can publish and unpublish features"))]
        # Lists at any size read an index, not every feature row (see README, Scale): the
        # catalog's pages in order; the tallies by status, area and session, and the first few
        # of each status, from one covering index; a session's visible features from another;
        # the catalog's facet tally from a narrow one, in its GROUP BY order.
        indexes = [
            models.Index(
                fields=["state", "status_rank", "name", "id"], name="feature_catalog_order"
            ),
            models.Index(
                fields=[
                    *("state", "status", "name", "id", "area", "session"),
                    *("publish_at", "unpublish_at", "updated_at"),
                ],
                name="feature_status_tally",
            ),
            models.Index(
                fields=["session", "state", "publish_at", "unpublish_at"],
                name="feature_session_visible",
            ),
            models.Index(
                fields=["state", "area", "status", "session", "publish_at", "unpublish_at"],
                name="feature_facet_tally",
            ),
            models.Index(fields=["state", "-followed_at", "name", "id"], name="feature_followed"),
            # The sitemap's pages in the order features were added (a new one goes on the last
            # page), each read from this index alone, however deep the page.
            models.Index(
                fields=["state", "id", "publish_at", "unpublish_at", "slug", "updated_at"],
                name="feature_sitemap",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_status_display(self) -> str:
        return ReleaseStatus.label_of(self.status)

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        # A save of other columns (a status change) leaves the text, and its area query, alone.
        if fields is None or {"area", "area_id", *search.source_fields()} & set(fields):
            self.search_text = search.feature_document(self)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)
        # Of its own columns only the publication moves `followed_at` (status entries and
        # material updates announce themselves), so a save of other columns leaves it alone.
        if fields is None or "first_published_at" in fields:
            feature_followed(self.pk)

    def prepare_insert(self) -> None:
        super().prepare_insert()
        self.search_text = search.feature_document(self)

    def after_insert(self) -> None:
        super().after_insert()
        feature_followed(self.pk)

    # The rule between a feature's status and its status history: when the history has entries
    # (at most one a day), the current status is the latest entry's.

    def latest_status_change(self) -> StatusChange | None:
        return self.status_changes.order_by("-date").first()

    def follow_status_history(self) -> bool:
        """Make the current status the latest recorded one. True when the status changed."""
        latest = self.latest_status_change()
        if latest is None or latest.status == self.status:
            return False
        self.status = latest.status
        self.save(update_fields=["status", "updated_at"])
        return True

    @transaction.atomic
    def record_status(
        self,
        status: str,
        date: datetime.date,
        *,
        entry: StatusChange | None = None,
        **fields,
    ) -> StatusChange | None:
        """Record that the feature has `status` from `date` on, keeping every earlier status,
        and follow the history (a later entry stays current).

        `fields` are the entry's other fields: its source, precision, "as of", the note's
        translations (note_en="GA in January"). With `entry`, one of the feature's entries, that
        entry is rewritten instead (an editor fixing a wrong past entry). Returns None, and
        records nothing, when that day already has another entry.
        """
        if entry is not None and entry.feature_id != self.pk:
            raise ValueError(f"{entry!r} is not an entry of {self!r}")
        change = StatusChange(feature=self) if entry is None else entry
        change.status, change.date = status, date
        for name, value in fields.items():
            setattr(change, name, value)
        change.normalise_date()
        if self.status_changes.filter(date=change.date).exclude(pk=change.pk).exists():
            return None
        change.save()
        self.follow_status_history()
        return change

    # What readers are told about the status (needs `for_page()`'s prefetched timeline).

    @property
    def status_claim(self) -> StatusChange | None:
        """The entry the current status rests on: the latest."""
        return self.timeline[-1] if self.timeline else None

    @property
    def announcement(self) -> StatusChange | None:
        """The first entry: when and where the feature was announced."""
        return self.timeline[0] if self.timeline else None

    @property
    def is_preview(self) -> bool:
        return self.status in ReleaseStatus.previews()

    def entry_overruling(self, status: str, date: datetime.date) -> StatusChange | None:
        """The history entry that would keep `status`, set on `date`, from being current: one
        dated later, or another status on that very day."""
        later = Q(date__gt=date) | (Q(date=date) & ~Q(status=status))
        return self.status_changes.filter(later).order_by("-date").first()

    def status_label(self) -> str:
        return ReleaseStatus(self.status).label


class DocLinkKind(models.TextChoices):
    DOCS = "docs", _("Documentation")
    BLOG = "blog", _("Blog post")
    REPO = "repo", _("Repository")


class DocLink(TranslationReviewed):
    feature = models.ForeignKey(
        Feature, on_delete=models.CASCADE, related_name="doc_links", verbose_name=_("feature")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=DocLinkKind.choices, default=DocLinkKind.DOCS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "url"], name="doc_link_unique_url"),
            models.CheckConstraint(
                condition=Q(kind__in=DocLinkKind.values), name="doc_link_kind_valid"
            ),
            web_url_constraint("url", "doc_link_url_is_web"),
            not_blank_constraint("url", "doc_link_url_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title


class SourceKind(models.TextChoices):
    """Where a status claim comes from."""

    SESSION = "session", _("Conference session")
    ANNOUNCEMENT = "announcement", _("Official announcement")
    DOCUMENTATION = "documentation", _("Documentation page")
    RELEASE_NOTE = "release-note", _("Release note")
    ROADMAP = "roadmap", _("Roadmap issue")
    RECAP = "recap", _("Recap article")


class ChangeKind(models.TextChoices):
    """What a status-history entry means for a reader following the feature."""

    NEW = "new", _("Announced")
    PROMOTED = "promoted", _("Promoted")
    RETIRED = "retired", _("Retired")
    CORRECTED = "corrected", _("Corrected")
    CONFIRMED = "confirmed", _("Confirmed")
    CHANGED = "changed", _("Status changed")


class StatusChangeQuerySet(models.QuerySet):
    def with_kind(self) -> StatusChangeQuerySet:
        """Each entry with the status before it (`previous_status`) and what kind of change it
        is (`change_kind`): the first entry is new, a correction says so, the same status again
        (from another source) a confirmation, a move towards GA a promotion, to Retired a
        retirement; anything else is a plain status change."""
        previous = (
            StatusChange.objects.filter(feature=OuterRef("feature"), date__lt=OuterRef("date"))
            .order_by("-date")
            .values("status")[:1]
        )
        return self.annotate(
            previous_status=Subquery(previous),
            status_rank=ReleaseStatus.rank("status"),
            previous_rank=ReleaseStatus.rank("previous_status"),
            change_kind=Case(
                When(is_correction=True, then=Value(ChangeKind.CORRECTED)),
                When(previous_status__isnull=True, then=Value(ChangeKind.NEW)),
                When(status=F("previous_status"), then=Value(ChangeKind.CONFIRMED)),
                When(status=ReleaseStatus.RETIRED, then=Value(ChangeKind.RETIRED)),
                When(status_rank__lt=F("previous_rank"), then=Value(ChangeKind.PROMOTED)),
                default=Value(ChangeKind.CHANGED),
                output_field=models.CharField(),
            ),
        )

    def for_timeline(self) -> StatusChangeQuerySet:
        """What a timeline shows of each entry, in one query."""
        return self.with_kind().select_related("event", "source_session__event").order_by("date")


class StatusChange(TranslationReviewed):
    """A dated release status with who said so, e.g. Public Preview, announced in BRK120 during
    Ignite 2025 and checked on 24 November 2026; later GA, per the documentation."""

    feature = models.ForeignKey(
        Feature,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("feature"),
    )
    status = models.CharField(_("release status"), max_length=20, choices=ReleaseStatus.choices)
    date = models.DateField(
        _("date"),
        help_text=_(
            "When the status took effect. With the precision “In a month” the first of the month "
            "is stored; with “During an event”, the event's first day."
        ),
    )
    date_precision = models.CharField(
        _("date known to"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Never more precise than the source: a day, a month, or only the event."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("during the event"),
        null=True,
        blank=True,
        help_text=_("For a date known only as “during an event”."),
    )
    is_correction = models.BooleanField(
        _("correction"),
        default=False,
        help_text=_(
            "This entry corrects a wrong earlier one; readers see it as a correction, not as "
            "a new announcement."
        ),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("e.g. “Announced at Ignite 2025”.")
    )
    source_kind = models.CharField(
        _("kind of source"), max_length=20, choices=SourceKind.choices, blank=True
    )
    source_session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="status_claims",
        verbose_name=_("session"),
        null=True,
        blank=True,
        help_text=_("For a conference session: the session that announced it."),
    )
    source_title = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("The source's title and publisher, e.g. a recap article and its author."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_label = models.CharField(
        _("status as the source wrote it"),
        max_length=100,
        blank=True,
        help_text=_(
            "In the source's own words, e.g. “Public Preview” or 「パブリック プレビュー」."
        ),
    )
    checked_on = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("The day an editor last checked the source still says this."),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    uid = models.UUIDField(
        _("permanent identifier"), default=uuid.uuid4, unique=True, editable=False
    )

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["date"]
        get_latest_by = "date"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReleaseStatus.values), name="status_change_status_valid"
            ),
            # One status a day: "the latest entry" is then always one entry.
            models.UniqueConstraint(fields=["feature", "date"], name="status_change_one_per_day"),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="status_change_precision_valid",
            ),
            # "During an event" names the event, and only then is there one.
            models.CheckConstraint(
                condition=Q(date_precision=DatePrecision.EVENT, event__isnull=False)
                | (~Q(date_precision=DatePrecision.EVENT) & Q(event__isnull=True)),
                name="status_change_event_with_event_precision",
            ),
            models.CheckConstraint(
                condition=Q(source_kind="") | Q(source_kind__in=SourceKind.values),
                name="status_change_source_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(source_session__isnull=True) | Q(source_kind=SourceKind.SESSION),
                name="status_change_session_source_is_a_session",
            ),
            web_url_constraint("source_url", "status_change_source_url_is_web"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.date:%Y-%m-%d})"

    def get_status_display(self) -> str:
        return ReleaseStatus.label_of(self.status)

    def save(self, *args, **kwargs) -> None:
        self.normalise_date()
        super().save(*args, **kwargs)

    def prepare_insert(self) -> None:
        self.normalise_date()

    def clean(self) -> None:
        errors = {}
        if self.date_precision == DatePrecision.EVENT and self.event_id is None:
            errors["event"] = _("Name the event during which it happened.")
        if self.date_precision != DatePrecision.EVENT and self.event_id is not None:
            errors["date_precision"] = _("An event is named: choose “During an event”.")
        if self.source_session_id is not None and self.source_kind != SourceKind.SESSION:
            errors["source_kind"] = _("A session is named: choose “Conference session”.")
        if self.source_kind == SourceKind.SESSION and self.source_session_id is None:
            errors["source_session"] = _("Name the session that announced it.")
        if self.checked_on and self.date and self.checked_on < self.date:
            errors["checked_on"] = _("A status cannot be checked before the day it took effect.")
        if errors:
            raise ValidationError(errors)
        self.normalise_date()

    def normalise_date(self) -> None:
        """Store the date as its precision has it (the month's first day, the event's)."""
        if self.date is not None:
            event = self.event if self.event_id else None
            self.date = normalise_to_precision(self.date, self.date_precision, event)

    @property
    def when(self) -> str:
        """The date as precisely as it is known, in the active language."""
        event = self.event if self.event_id else None
        return date_at_precision(self.date, self.date_precision, event)

    @property
    def kind(self) -> str:
        """The change kind (needs `with_kind()`)."""
        return getattr(self, "change_kind", "") or ""

    @property
    def kind_label(self) -> str:
        return ChangeKind(self.kind).label if self.kind else ""

    @property
    def previous_status_label(self) -> str:
        previous = getattr(self, "previous_status", None)
        return ReleaseStatus.label_of(previous) if previous else ""

    @property
    def has_source(self) -> bool:
        return bool(self.source_kind or self.source_url or self.source_title)


class MaterialUpdate(TranslationReviewed):
    """An editor's explicit "this changed in a way readers care about", with a one-line note:
    followers are told; a typo fix, which records none, is not re-announced."""

    feature = models.ForeignKey(
        Feature,
        on_delete=models.CASCADE,
        related_name="material_updates",
        verbose_name=_("feature"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(
        _("change note"),
        max_length=200,
        help_text=_("One line for followers, e.g. “Now also on Windows node pools”."),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    uid = models.UUIDField(
        _("permanent identifier"), default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("material update")
        verbose_name_plural = _("material updates")
        ordering = ["date", "pk"]
        constraints = [not_blank_constraint("note_en", "material_update_note_not_blank")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.note}"


class ComparisonQuerySet(PublishableQuerySet):
    def with_grid(self) -> ComparisonQuerySet:
        """Columns, rows and cells in three extra queries, whatever the table's size."""
        return self.prefetch_related("columns", "rows__cells")

    def for_reader(self, preview: bool = False) -> ComparisonQuerySet:
        return self.visible(preview).select_related("session").with_grid()


class Comparison(Publishable, TranslationReviewed):
    """A table comparing options side by side, e.g. AKS Standard and AKS Automatic."""

    public_url_name = "features:comparison"

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="comparisons",
        verbose_name=_("session"),
        null=True,
        blank=True,
        help_text=_("Where the comparison was presented; the table also appears there."),
    )
    intro = markdown_field(
        _("introduction"),
        blank=True,
        help_text=_("Above the table. %(markdown)s") % {"markdown": MARKDOWN_HELP},
    )
    notes = markdown_field(
        _("notes"),
        blank=True,
        help_text=_("Below the table. %(markdown)s") % {"markdown": MARKDOWN_HELP},
    )

    objects = ComparisonQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        ordering = ["title"]
        constraints = [
            *Publishable.Meta.constraints,
            not_blank_constraint("slug", "comparison_slug_not_blank"),
        ]
        permissions = [("publish_comparison", _("Can publish and unpublish comparisons"))]

    def __str__(self) -> str:
        return self.title

    def grid(
        self,
    ) -> list[tuple[ComparisonRow, list[tuple[ComparisonColumn, ComparisonCell | None]]]]:
        """Each row with (column, cell) pairs in column order; cell is None where it is missing."""
        columns = list(self.columns.all())
        grid = []
        for row in self.rows.all():
            by_column = {cell.column_id: cell for cell in row.cells.all()}
            grid.append((row, [(column, by_column.get(column.pk)) for column in columns]))
        return grid


class ComparisonColumn(TranslationReviewed):
    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="columns", verbose_name=_("comparison")
    )
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. “Automatic”."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class ComparisonRow(TranslationReviewed):
    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="rows", verbose_name=_("comparison")
    )
    label = models.CharField(
        _("label"), max_length=200, help_text=_("e.g. “Configuration / control”.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("row")
        verbose_name_plural = _("rows")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class ComparisonCell(TranslationReviewed):
    row = models.ForeignKey(
        ComparisonRow, on_delete=models.CASCADE, related_name="cells", verbose_name=_("row")
    )
    column = models.ForeignKey(
        ComparisonColumn, on_delete=models.CASCADE, related_name="cells", verbose_name=_("column")
    )
    text = markdown_field(_("text"), blank=True)

    class Meta:
        verbose_name = _("cell")
        verbose_name_plural = _("cells")
        ordering = ["row__order", "column__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["row", "column"], name="comparison_cell_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.row} × {self.column}"

    def clean(self) -> None:
        if self.row_id and self.column_id and self.row.comparison_id != self.column.comparison_id:
            raise ValidationError(_("A cell's row and column must belong to the same comparison."))
