"""The public API's features, areas and comparisons (/api/v1/features/, areas/, comparisons/).

The features list is filtered by the catalog's own FeatureFilterSet, so the API and the catalog
page select exactly the same features for the same parameters.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.response import Response

from ignite.api.errors import BadParameters
from ignite.api.http import mark_cacheable, not_modified, not_modified_response, validators
from ignite.api.views import FilterSetBackend, PublicDetailView, PublicListView

from ..changes import CHANGE_PARAMETERS, KINDS, ChangeLog, hydrate
from ..filters import SEARCH_MAX_LENGTH, SORTS, FeatureFilterSet
from ..models import Area, Comparison, Feature, ReleaseStatus
from . import examples
from .serializers import (
    AreaSummary,
    Change,
    ComparisonDetail,
    ComparisonSummary,
    FeatureDetail,
    FeatureSummary,
)

FEATURE_PARAMETERS = {
    "status": (
        "Release status; repeat for several (`status=ga&status=preview`), any case.",
        ["ga"],
        {},
    ),
    "area": ("Area slug (see /api/v1/areas/); repeat for several.", ["networking"], {}),
    "session": ("Session code, any case; repeat for several.", ["brk120"], {}),
    "event": ("Event slug, e.g. ignite-2025.", "ignite-2025", {}),
    "q": (
        "Words that must all appear in the name, area, summary, body or editor's note, in "
        "English or Japanese (at most 10 words, 200 characters).",
        "dns",
        {"maxLength": SEARCH_MAX_LENGTH},
    ),
    "updated_since": (
        "Only features changed at or after this moment: a date (`2025-11-20`, from midnight "
        "UTC) or a date and time (`2025-11-20T09:00:00Z`; UTC unless an offset is given). "
        "Compares `updated_at`.",
        "2025-11-20T00:00:00Z",
        {},
    ),
    "sort": (
        "Order of the results (default `status`: most available first, then by name): "
        + ", ".join(f"`{value}`" for value in SORTS)
        + ".",
        "-updated",
        {},
    ),
}


class FeatureList(PublicListView):
    """The published features, filtered exactly as the site's catalog filters them: the same
    parameters select the same features (`/api/v1/features/?status=ga` lists what
    `/en/features/?status=ga` shows). Every value that cannot be used is named in a 400."""

    serializer_class = FeatureSummary
    filter_backends = [FilterSetBackend]
    filterset_class = FeatureFilterSet
    parameter_docs = FEATURE_PARAMETERS
    tags = ["Features"]

    def get_queryset(self):
        return Feature.objects.for_catalog()

    @extend_schema(
        operation_id="features_list",
        summary="List features",
        examples=[
            OpenApiExample(
                "GA features of BRK120, in Japanese",
                value=examples.FEATURE_IN_LIST,
                response_only=True,
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FeatureDetailView(PublicDetailView):
    """A feature with its links, related features and status timeline."""

    serializer_class = FeatureDetail
    tags = ["Features"]
    lookup_description = "The feature's slug, e.g. `localdns`."
    not_found_message = _("There is no feature “%(value)s”.")

    def get_queryset(self):
        return Feature.objects.for_page()

    @extend_schema(
        operation_id="features_retrieve",
        summary="Get a feature",
        examples=[OpenApiExample("A feature", value=examples.FEATURE, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AreaList(PublicListView):
    """The areas that hold published features, in the site's order."""

    serializer_class = AreaSummary
    tags = ["Areas"]

    def get_queryset(self):
        return Area.objects.visible()

    @extend_schema(
        operation_id="areas_list",
        summary="List areas",
        examples=[OpenApiExample("An area", value=examples.AREA_IN_LIST, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AreaDetailView(PublicDetailView):
    """An area, with a link to its features."""

    serializer_class = AreaSummary
    tags = ["Areas"]
    lookup_description = "The area's slug, e.g. `networking`."
    not_found_message = _("There is no area “%(value)s”.")

    def get_queryset(self):
        return Area.objects.visible()

    @extend_schema(
        operation_id="areas_retrieve",
        summary="Get an area",
        examples=[OpenApiExample("An area", value=examples.AREA, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ComparisonList(PublicListView):
    """The comparison tables, by title (the tables themselves are in each comparison)."""

    serializer_class = ComparisonSummary
    tags = ["Comparisons"]

    def get_queryset(self):
        return Comparison.objects.visible().select_related("session__event").order_by("slug")

    @extend_schema(
        operation_id="comparisons_list",
        summary="List comparisons",
        examples=[
            OpenApiExample("A comparison", value=examples.COMPARISON_IN_LIST, response_only=True)
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ComparisonDetailView(PublicDetailView):
    """A comparison table as columns, and rows of cells in column order."""

    serializer_class = ComparisonDetail
    tags = ["Comparisons"]
    lookup_description = "The comparison's slug, e.g. `aks-standard-vs-automatic`."
    not_found_message = _("There is no comparison “%(value)s”.")

    def get_queryset(self):
        return Comparison.objects.for_reader().select_related("session__event")

    @extend_schema(
        operation_id="comparisons_retrieve",
        summary="Get a comparison",
        examples=[
            OpenApiExample(
                "AKS Standard vs AKS Automatic", value=examples.COMPARISON, response_only=True
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


CHANGE_FILTERS = [
    OpenApiParameter(
        "since", str, description="Changes that took effect on or after this day (2025-11-17)."
    ),
    OpenApiParameter(
        "until", str, description="Changes that took effect on or before this day (2025-11-21)."
    ),
    OpenApiParameter(
        "added-since",
        str,
        description=(
            "Changes the site recorded on or after this day, whatever day they took effect: "
            "what is new to a reader who last looked then."
        ),
    ),
    OpenApiParameter(
        "kind",
        {"type": "array", "items": {"type": "string", "enum": [value for value, _l in KINDS]}},
        description="The kind of change; repeat for several (`kind=promoted&kind=retired`).",
        explode=True,
    ),
    OpenApiParameter(
        "to",
        {"type": "array", "items": {"type": "string", "enum": ReleaseStatus.values}},
        description="Status changes to this status; repeat for several.",
        explode=True,
    ),
    OpenApiParameter("since-event", str, description="From the first day of this event (slug)."),
    OpenApiParameter("until-event", str, description="To the last day of this event (slug)."),
]


class ChangeList(PublicListView):
    """Every status change and material update of the published features, newest first: the
    site's changelog (`/en/changes/`) with the same parameters. The catalog's filters choose
    whose changes are listed; the changelog's own narrow them by date, kind and new status.
    Parameter names are the site's own, so a changelog address and its API twin share a query."""

    serializer_class = Change
    filter_backends = [FilterSetBackend]  # documents the catalog's filters; ChangeLog applies them
    filterset_class = FeatureFilterSet
    parameter_docs = {
        **FEATURE_PARAMETERS,
        "sort": ("Accepted and ignored: changes are always newest first.", None, {}),
    }
    tags = ["Changes"]

    def get_queryset(self):
        return Feature.objects.for_catalog()

    def allowed_parameters(self) -> list[str]:
        return [*super().allowed_parameters(), *CHANGE_PARAMETERS]

    @property
    def multi_valued(self) -> frozenset[str]:
        return super().multi_valued | {"kind", "to"}

    def read_parameters(self, request) -> list[tuple[str, str]]:
        self.changelog = ChangeLog.from_query(request.query_params)
        problems = [*self.changelog.filterset.problems, *self.changelog.form.problems]
        try:
            self.paginator.read(request)
        except BadParameters as error:
            problems += error.problems
        return problems

    @extend_schema(
        operation_id="changes_list",
        summary="List changes",
        parameters=CHANGE_FILTERS,
        examples=[OpenApiExample("A promotion", value=examples.CHANGE_IN_LIST, response_only=True)],
    )
    def get(self, request, *args, **kwargs) -> Response:
        etag, last_modified = validators(request)
        if not_modified(request, etag, last_modified):
            return not_modified_response(etag, last_modified)
        rows = self.paginate_queryset(self.changelog.entries())
        data = self.get_serializer(hydrate(rows), many=True).data
        return mark_cacheable(self.get_paginated_response(data), etag, last_modified)


urlpatterns = [
    path("changes/", ChangeList.as_view(), name="changes"),
    path("features/", FeatureList.as_view(), name="features"),
    path("features/<slug:slug>/", FeatureDetailView.as_view(), name="feature"),
    path("areas/", AreaList.as_view(), name="areas"),
    path("areas/<slug:slug>/", AreaDetailView.as_view(), name="area"),
    path("comparisons/", ComparisonList.as_view(), name="comparisons"),
    path("comparisons/<slug:slug>/", ComparisonDetailView.as_view(), name="comparison"),
]
