"""Announced features, the areas they belong to, their release history and comparison tables."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ignite.db import not_blank_constraint, web_url_constraint
from ignite.publishing import Publishable, PublishableQuerySet
from sessions.models import MARKDOWN_HELP, Session


class ReleaseStatus(models.TextChoices):
    """Release stages, in the order readers meet them: most available first."""

    GA = "ga", pgettext_lazy("release status", "GA")
    PUBLIC_PREVIEW = "public-preview", pgettext_lazy("release status", "Public Preview")
    PREVIEW = "preview", pgettext_lazy("release status", "Preview")
    PRIVATE_PREVIEW = "private-preview", pgettext_lazy("release status", "Private Preview")
    RETIRED = "retired", pgettext_lazy("release status", "Retired")

    @classmethod
    def rank(cls) -> Case:
        """An SQL expression sorting statuses in declaration order."""
        return Case(
            *(When(status=value, then=Value(i)) for i, value in enumerate(cls.values)),
            default=Value(len(cls.values)),
            output_field=IntegerField(),
        )

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        return {
            cls.GA: _("Generally available: ready for production use."),
            cls.PUBLIC_PREVIEW: _("Open for anyone to try before general availability."),
            cls.PREVIEW: _("Announced as a preview; details may still change."),
            cls.PRIVATE_PREVIEW: _("Open to selected customers only."),
            cls.RETIRED: _("No longer offered."),
        }


class Area(models.Model):
    """A part of the product, e.g. Networking or Fleet, used to group and filter features."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Areas are listed from the lowest number up.")
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["order", "slug"]
        constraints = [not_blank_constraint("slug", "area_slug_not_blank")]

    def __str__(self) -> str:
        return self.name


class FeatureQuerySet(PublishableQuerySet):
    def with_status_rank(self) -> FeatureQuerySet:
        return self.annotate(status_rank=ReleaseStatus.rank())

    def for_catalog(self, preview: bool = False) -> FeatureQuerySet:
        """Features a reader may list, with what a list row shows, in one query."""
        return (
            self.visible(preview)
            .with_status_rank()
            .select_related("area", "session", "session__event")
            .order_by("status_rank", "name", "pk")
        )

    def for_page(self, preview: bool = False) -> FeatureQuerySet:
        related = Feature.objects.visible(preview).select_related("area").order_by("name")
        return self.for_catalog(preview).prefetch_related(
            "doc_links",
            "status_changes",
            Prefetch("related", queryset=related, to_attr="visible_related"),
        )

    def search(self, text: str) -> FeatureQuerySet:
        """Features holding every word in their name, area, summary, body or editor's note,
        in any language."""
        queryset = self
        for word in text.split():
            condition = Q(name__icontains=word)
            for field in SEARCHED_TRANSLATED_FIELDS:
                for language, _name in settings.LANGUAGES:
                    condition |= Q(**{f"{field}_{language}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status value, label, count) for each status present, in release order."""
        counts = dict(self.order_by().values_list("status").annotate(n=Count("pk")))
        return [
            (value, label, counts[value])
            for value, label in ReleaseStatus.choices
            if counts.get(value)
        ]


SEARCHED_TRANSLATED_FIELDS = ("summary", "body", "editors_note", "topic", "area__name")


class Feature(Publishable):
    public_url_name = "features:detail"

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As the product names it; not translated."),
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
    summary = models.TextField(
        _("summary"),
        help_text=_("One or two sentences for lists and previews. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("The longer explanation on the feature's page. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    editors_note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("Our own view: caveats, who needs it. %(markdown)s")
        % {"markdown": MARKDOWN_HELP},
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related features")
    )

    objects = FeatureQuerySet.as_manager()

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

    def __str__(self) -> str:
        return self.name

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
    def record_status(self, status: str, date: datetime.date, **notes: str) -> StatusChange | None:
        """Record that the feature has `status` from `date` on, keeping every earlier status,
        and follow the history (a later entry stays current).

        `notes` are the note's translations, e.g. note_en="GA in January". Returns None, and
        records nothing, when that day already has an entry.
        """
        change, created = StatusChange.objects.get_or_create(
            feature=self, date=date, defaults={"status": status, **notes}
        )
        self.follow_status_history()
        return change if created else None

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


class DocLink(models.Model):
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


class StatusChange(models.Model):
    """A dated release status, e.g. Public Preview at Ignite 2025, later GA."""

    feature = models.ForeignKey(
        Feature,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("feature"),
    )
    status = models.CharField(_("release status"), max_length=20, choices=ReleaseStatus.choices)
    date = models.DateField(_("date"))
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("e.g. “Announced at Ignite 2025”.")
    )

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
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.date:%Y-%m-%d})"


class ComparisonQuerySet(PublishableQuerySet):
    def with_grid(self) -> ComparisonQuerySet:
        """Columns, rows and cells in three extra queries, whatever the table's size."""
        return self.prefetch_related("columns", "rows__cells")

    def for_reader(self, preview: bool = False) -> ComparisonQuerySet:
        return self.visible(preview).select_related("session").with_grid()


class Comparison(Publishable):
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
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Above the table. %(markdown)s") % {"markdown": MARKDOWN_HELP},
    )
    notes = models.TextField(
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


class ComparisonColumn(models.Model):
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


class ComparisonRow(models.Model):
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


class ComparisonCell(models.Model):
    row = models.ForeignKey(
        ComparisonRow, on_delete=models.CASCADE, related_name="cells", verbose_name=_("row")
    )
    column = models.ForeignKey(
        ComparisonColumn, on_delete=models.CASCADE, related_name="cells", verbose_name=_("column")
    )
    text = models.TextField(_("text"), blank=True)

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
