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
    SiteURL,
    TranslatedHTML,
    TranslatedText,
)
from sessions.api.serializers import SessionReference

from .. import models
from ..models import Area, DocLinkKind, ReleaseStatus


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


class StatusHistoryEntry(serializers.Serializer):
    """One entry of a feature's status timeline: from `date` on, the feature had `status`."""

    status = serializers.ChoiceField(choices=ReleaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    date = serializers.DateField()
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
        many=True, source="status_changes.all", help_text="Oldest first; the last is current."
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
