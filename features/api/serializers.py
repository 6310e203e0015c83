"""How the API shows features, areas and comparisons."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ignite.api.serializers import (
    APIURL,
    FallbackLanguages,
    OptionalURL,
    SiteURL,
    TranslatedHTML,
    TranslatedText,
)
from ignite.dates import DatePrecision
from sessions.api.serializers import SessionReference

from .. import models
from ..changes import KINDS
from ..models import Area, ChangeKind, DocLinkKind, ReleaseStatus, SourceKind


def _catalog_of_area(area: Area) -> str:
    return f"{reverse('features:catalog')}?{urlencode({'area': area.slug})}"


def _features_of_area(area: Area) -> str:
    return urlencode({"area": area.slug})


def _no_kwargs(obj) -> dict:
    return {}


@extend_schema_field(SessionReference(allow_null=True))
class VisibleSession(serializers.Field):
    """The session an object belongs to, or null when there is none readers may see (e.g. its
    event is still a draft)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.session

    def to_representation(self, session):
        if session is None or not session.is_visible():
            return None
        return SessionReference(session, context=self.context).data


class AreaReference(serializers.Serializer):
    slug = serializers.SlugField(help_text="The area's identifier, e.g. networking.")
    name = TranslatedText()
    url = SiteURL(path=_catalog_of_area, help_text="Its features in the site's catalog.")
    api_url = APIURL("api:area")
    fallback_languages = FallbackLanguages()


class AreaSummary(AreaReference):
    feature_count = serializers.IntegerField(help_text="How many features it holds.")
    features_api_url = APIURL(
        "api:features",
        kwargs=_no_kwargs,
        query=_features_of_area,
        help_text="Its features, in the features list.",
    )


class FeatureReference(serializers.Serializer):
    slug = serializers.SlugField(help_text="The feature's identifier, e.g. localdns.")
    name = serializers.CharField(help_text="As the product names it; not translated.")
    status = serializers.ChoiceField(choices=ReleaseStatus.choices)
    status_label = serializers.CharField(help_text="The status as the site shows it.")
    url = SiteURL(help_text="The feature's page on the site.")
    api_url = APIURL("api:feature")


class FeatureSummary(serializers.Serializer):
    slug = serializers.SlugField(help_text="The feature's identifier, e.g. localdns.")
    name = serializers.CharField(help_text="As the product names it; not translated.")
    status = serializers.ChoiceField(
        choices=ReleaseStatus.choices,
        help_text="The current release status (the latest entry of `status_history`).",
    )
    status_label = serializers.CharField(help_text="The status as the site shows it.")
    area = AreaReference()
    topic = TranslatedText(help_text="A finer label within the area; may be empty.")
    session = VisibleSession(help_text="The session that announced it.")
    summary = TranslatedText(help_text="One or two sentences (Markdown).")
    summary_html = TranslatedHTML("summary")
    first_published_at = serializers.DateTimeField(help_text="When it first appeared.")
    updated_at = serializers.DateTimeField(
        help_text="When the feature itself was last changed (what `updated_since` compares)."
    )
    url = SiteURL(help_text="The feature's page on the site.")
    api_url = APIURL("api:feature")
    fallback_languages = FallbackLanguages()


class DocLink(serializers.Serializer):
    title = TranslatedText()
    url = serializers.URLField()
    kind = serializers.ChoiceField(choices=DocLinkKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    fallback_languages = FallbackLanguages()


@extend_schema_field({"type": ["string", "null"]})
class EventSlug(serializers.Field):
    """An event by its slug (null when there is none)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.event if instance.event_id else None

    def to_representation(self, event) -> str:
        return event.slug


@extend_schema_field(SessionReference(allow_null=True))
class VisibleSourceSession(VisibleSession):
    """The session a status claim cites, or null when there is none readers may see."""

    def get_attribute(self, instance):
        return instance.source_session


class StatusSource(serializers.Serializer):
    """Who says so: the source a status claim comes from, as the editors recorded it."""

    kind = serializers.ChoiceField(
        choices=SourceKind.choices,
        allow_blank=True,
        source="source_kind",
        help_text="What kind of source it is; empty when the editors recorded none.",
    )
    kind_label = serializers.CharField(
        source="get_source_kind_display", help_text="The kind as the site names it."
    )
    session = VisibleSourceSession(help_text="For a conference session: the session.")
    title = serializers.CharField(
        source="source_title", help_text="The source's title and publisher; may be empty."
    )
    url = OptionalURL(source="source_url", help_text="Where to read the source, if anywhere.")
    status_as_written = serializers.CharField(
        source="source_label",
        help_text="The status in the source's own words, e.g. “Public Preview”; may be empty.",
    )


class Claim(serializers.Serializer):
    """Who says a status is so, and when an editor last checked that they still do."""

    event = EventSlug(help_text="For the date precision `event`: the event's slug; null otherwise.")
    is_correction = serializers.BooleanField(
        help_text="It corrects a wrong earlier entry rather than announcing a change."
    )
    source = StatusSource(source="*")
    checked_on = serializers.DateField(
        allow_null=True, help_text="“As of”: when an editor last checked the source says this."
    )


class StatusHistoryEntry(Claim):
    """One entry of a feature's status timeline: from `date` on, the feature had `status`."""

    id = serializers.UUIDField(source="uid", help_text="Permanent: never reused or changed.")
    date = serializers.DateField(
        help_text=(
            "When it took effect. With the precision `month` the month's first day, with "
            "`event` the event's first day: read `date_precision` before the day."
        )
    )
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        help_text="How precisely the source dates it: a `day`, a `month`, or only an `event`.",
    )
    date_text = serializers.CharField(
        source="when", help_text="The date at its precision, as the site writes it."
    )
    recorded_at = serializers.DateTimeField(help_text="When the site learnt of it.")
    status = serializers.ChoiceField(choices=ReleaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.ChoiceField(
        choices=ChangeKind.choices,
        help_text="What the entry means: new, promoted, retired, corrected, confirmed, changed.",
    )
    kind_label = serializers.CharField(help_text="The kind as the site names it.")
    note = TranslatedText(help_text="e.g. “Announced at Ignite 2025”; may be empty.")
    fallback_languages = FallbackLanguages()


class FeatureDetail(FeatureSummary):
    body = TranslatedText(help_text="The longer explanation (Markdown); may be empty.")
    body_html = TranslatedHTML("body")
    editors_note = TranslatedText(help_text="Our own view: caveats, who needs it (Markdown).")
    editors_note_html = TranslatedHTML("editors_note")
    links = DocLink(many=True, source="doc_links.all", help_text="Documentation, posts, repos.")
    related = FeatureReference(many=True, source="visible_related")
    status_history = StatusHistoryEntry(
        many=True,
        source="timeline",
        help_text="Oldest first; the last is current. Each entry names its source and “as of”.",
    )


class ComparisonSummary(serializers.Serializer):
    slug = serializers.SlugField(help_text="The comparison's identifier.")
    title = TranslatedText()
    session = VisibleSession(help_text="Where it was presented.")
    intro = TranslatedText(help_text="Above the table (Markdown); may be empty.")
    intro_html = TranslatedHTML("intro")
    notes = TranslatedText(help_text="Below the table (Markdown); may be empty.")
    notes_html = TranslatedHTML("notes")
    url = SiteURL(help_text="The comparison's page on the site.")
    api_url = APIURL("api:comparison")
    fallback_languages = FallbackLanguages()


class ComparisonColumn(serializers.Serializer):
    label = TranslatedText(help_text="e.g. “Automatic”.")
    fallback_languages = FallbackLanguages()


class ComparisonCell(serializers.Serializer):
    text = TranslatedText()
    fallback_languages = FallbackLanguages()


@dataclass
class GridRow:
    """A row of a comparison with its cells in column order (None where there is no cell)."""

    row: models.ComparisonRow
    cells: list[models.ComparisonCell | None]


class ComparisonRow(serializers.Serializer):
    label = TranslatedText(of="row", help_text="e.g. “Configuration / control”.")
    cells = serializers.ListField(
        child=ComparisonCell(allow_null=True),
        help_text="One per column, in the columns' order; null where the table has no cell.",
    )
    fallback_languages = FallbackLanguages()


class ComparisonDetail(ComparisonSummary):
    columns = ComparisonColumn(many=True, source="columns.all")
    rows = serializers.SerializerMethodField(help_text="The table's rows, top to bottom.")

    @extend_schema_field(ComparisonRow(many=True))
    def get_rows(self, comparison) -> list[dict]:
        rows = [GridRow(row, [cell for _column, cell in cells]) for row, cells in comparison.grid()]
        return ComparisonRow(rows, many=True, context=self.context).data


class Change(serializers.Serializer):
    """One event of the changelog: a status-history entry of a feature, or an editor's material
    update to it (`kind` `updated`, which moves no status and names no source)."""

    id = serializers.UUIDField(source="uid", help_text="Permanent: never reused or changed.")
    kind = serializers.ChoiceField(choices=KINDS)
    kind_label = serializers.CharField(help_text="The kind as the site names it.")
    date = serializers.DateField(help_text="When it took effect (see `date_precision`).")
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        help_text="`day`, `month` or `event`; a material update is dated to the day.",
    )
    date_text = serializers.CharField(
        source="when", help_text="The date at its precision, as the site writes it."
    )
    recorded_at = serializers.DateTimeField(help_text="When the site learnt of it.")
    feature = FeatureReference()
    status = serializers.ChoiceField(
        choices=ReleaseStatus.choices,
        allow_null=True,
        help_text="The status it moved to; null for updates.",
    )
    previous_status = serializers.ChoiceField(
        choices=ReleaseStatus.choices,
        allow_null=True,
        help_text="The status before it; null for the first entry and for updates.",
    )
    note = TranslatedText(of="entry", help_text="The editors' note or change note; may be empty.")
    claim = serializers.SerializerMethodField(
        help_text="For a status-history entry: its source and “as of”; null for updates."
    )
    fallback_languages = FallbackLanguages()

    @extend_schema_field(Claim(allow_null=True))
    def get_claim(self, change) -> dict | None:
        if change.is_update:
            return None
        return Claim(change.entry, context=self.context).data
