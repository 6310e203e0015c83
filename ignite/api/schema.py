"""The OpenAPI 3.1 document, generated from the views (drf-spectacular), and what every
operation shares: the language parameter, conditional GET headers and the error answers."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework.utils.encoders import JSONEncoder

from .errors import PROBLEM_CONTENT_TYPE, Problem
from .http import FRESH_SECONDS, LANGUAGE_PARAMETER, not_modified

OVERVIEW = Path(__file__).with_name("overview.md")

TAGS = [
    {"name": "Features", "description": "What was announced, with the catalog's own filters."},
    {"name": "Sessions", "description": "The sessions that announced them, with their people."},
    {"name": "Speakers", "description": "The people who gave or wrote the sessions."},
    {"name": "Events", "description": "Conferences, each with its recap."},
    {"name": "Comparisons", "description": "Tables comparing options side by side."},
    {"name": "Areas", "description": "Parts of the product that group the features."},
    {
        "name": "Changes",
        "description": "Status changes and material updates, newest first: the changelog.",
    },
    {"name": "API", "description": "Where everything is."},
]

PROBLEM_EXAMPLES = {
    400: OpenApiExample(
        "Values that cannot be used",
        value={
            "title": "Bad Request",
            "status": 400,
            "detail": "Some parameters could not be used.",
            "errors": [
                {"parameter": "status", "message": "There is no release status “beta”."},
                {"parameter": "page", "message": "There is no page 9; the last page is 1."},
            ],
        },
        status_codes=["400"],
        media_type=PROBLEM_CONTENT_TYPE,
    ),
    404: OpenApiExample(
        "Unknown object",
        value={
            "title": "Not Found",
            "status": 404,
            "detail": "There is no feature “no-such-feature”.",
            "errors": [],
        },
        status_codes=["404"],
        media_type=PROBLEM_CONTENT_TYPE,
    ),
    429: OpenApiExample(
        "Past the rate limit",
        value={
            "title": "Too Many Requests",
            "status": 429,
            "detail": "Too many requests; try again in 42 seconds.",
            "errors": [],
        },
        status_codes=["429"],
        media_type=PROBLEM_CONTENT_TYPE,
    ),
}

REQUEST_PARAMETERS = [
    OpenApiParameter(
        LANGUAGE_PARAMETER,
        str,
        enum=["en", "ja"],
        description=(
            "The language of the texts, status labels and error messages. Without it, the "
            "first of en or ja that `Accept-Language` accepts; English otherwise."
        ),
        examples=[OpenApiExample("Japanese", value="ja")],
    ),
    OpenApiParameter(
        "Accept-Language",
        str,
        OpenApiParameter.HEADER,
        description="Used when `lang` is not given, e.g. `ja,en;q=0.8`.",
    ),
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="The `ETag` of a copy you have: a 304 with no body while it is current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        str,
        OpenApiParameter.HEADER,
        description="The `Last-Modified` of a copy you have (used without `If-None-Match`).",
    ),
]
RESPONSE_HEADERS = [
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Changes whenever the content, the language or the address does.",
    ),
    OpenApiParameter(
        "Last-Modified",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When the site's content last changed.",
    ),
    OpenApiParameter(
        "Cache-Control",
        str,
        OpenApiParameter.HEADER,
        response=True,
        description=(
            f"`public, max-age={FRESH_SECONDS}` for answers, `no-store` for errors; revalidate "
            "after that with `If-None-Match`."
        ),
    ),
    OpenApiParameter(
        "Content-Language",
        str,
        OpenApiParameter.HEADER,
        response=True,
        description="The language of the answer: `en` or `ja`.",
    ),
    OpenApiParameter(
        "Retry-After",
        int,
        OpenApiParameter.HEADER,
        response=[429],
        description="Seconds to wait before the next request.",
    ),
]


class PublicAutoSchema(AutoSchema):
    """Every operation takes `lang` and the conditional GET headers, and documents its 304,
    400, 404 (objects) and 429 answers, all errors in the one problem shape."""

    def get_override_parameters(self):
        identifier = []
        if description := getattr(self.view, "lookup_description", ""):
            lookup = self.view.lookup_url_kwarg or self.view.lookup_field
            identifier = [OpenApiParameter(lookup, str, OpenApiParameter.PATH, True, description)]
        return [
            *super().get_override_parameters(),
            *identifier,
            *REQUEST_PARAMETERS,
            *RESPONSE_HEADERS,
        ]

    def get_tags(self) -> list[str]:
        return list(getattr(self.view, "tags", None) or super().get_tags())

    def get_response_serializers(self):
        # Views describe other answers in `extra_responses`: an extend_schema(responses=…)
        # would replace this method and lose the shared answers below.
        answer = getattr(self.view, "response_schema", None) or super().get_response_serializers()
        ok = "One page of the list." if self._is_list_view(answer) else "The object."
        responses = {200: OpenApiResponse(answer, ok), **getattr(self.view, "extra_responses", {})}
        responses[304] = OpenApiResponse(
            description="Not modified: the copy named by `If-None-Match` is current."
        )
        responses[(400, PROBLEM_CONTENT_TYPE)] = OpenApiResponse(
            Problem,
            description="A parameter or value that cannot be used, each one named.",
            examples=[PROBLEM_EXAMPLES[400]],
        )
        if "{" in self.path:
            responses[(404, PROBLEM_CONTENT_TYPE)] = OpenApiResponse(
                Problem,
                description="Nothing published under this identifier.",
                examples=[PROBLEM_EXAMPLES[404]],
            )
        responses[(429, PROBLEM_CONTENT_TYPE)] = OpenApiResponse(
            Problem,
            description="Too many requests from this address; see `Retry-After`.",
            examples=[PROBLEM_EXAMPLES[429]],
        )
        return responses


class DocumentedFilterExtension(DjangoFilterExtension):
    """The FilterSet's filters as query parameters, with the descriptions, examples and schema
    details the view gives in `parameter_docs` ({name: (description, example, schema)})."""

    target_class = "ignite.api.views.FilterSetBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        description, example, schema = getattr(auto_schema.view, "parameter_docs", {}).get(
            field_name, ("", None, {})
        )
        for parameter in parameters:
            if description:
                parameter["description"] = description
            if example is not None:
                parameter["example"] = example
            parameter["schema"].update(schema)
        return parameters


def describe_api(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: the overview and the tags, in the order readers meet them."""
    result["info"]["description"] = OVERVIEW.read_text()
    result["tags"] = TAGS
    return result


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The OpenAPI document as plain data, in English (the filters' labels are translatable),
    generated once per process: it depends on the code alone."""
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(json.dumps(schema, cls=JSONEncoder))


@lru_cache(maxsize=1)
def _document_bytes() -> tuple[bytes, str]:
    content = json.dumps(openapi_document(), ensure_ascii=False, indent=2).encode()
    return content, f'"{hashlib.sha256(content).hexdigest()[:32]}"'


@require_safe
def openapi_view(request: HttpRequest) -> HttpResponse:
    """/api/v1/schema/: the OpenAPI 3.1 document, answering conditional GETs."""
    content, etag = _document_bytes()
    if not_modified(request, etag, 0) and request.headers.get("If-None-Match"):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={FRESH_SECONDS}"
    return response
