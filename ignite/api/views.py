"""The API's views: read-only, anonymous, in one language per response, answering conditional
GETs from the content revision, and strict about their query parameters."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from ignite.text import quoted

from .errors import PROBLEM_CONTENT_TYPE, BadParameters
from .http import (
    LANGUAGE_PARAMETER,
    finish,
    mark_cacheable,
    not_modified,
    not_modified_response,
    requested_language,
    validators,
)
from .serializers import URL_SCHEMA


class FilterSetBackend(DjangoFilterBackend):
    """Filters a list with the view's FilterSet and refuses the request, naming each value it
    could not use, rather than ignore a bad filter (django-filter's habit)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        filterset.is_valid()
        problems = getattr(filterset, "problems", None)
        if problems is None:
            problems = [
                (name, str(message))
                for name, messages in filterset.errors.items()
                for message in messages
            ]
        if problems:
            raise BadParameters(problems)
        return filterset.qs


class PublicAPIView(GenericAPIView):
    """One public API resource. Subclasses give `get_queryset` (what the public may see, from
    the models' own querysets) and `serializer_class`, and may take more query `parameters`."""

    lookup_field = "slug"
    parameters: tuple[str, ...] = ()
    # Parameters that may be given several times (values repeated as ?status=a&status=b).
    multi_valued: frozenset[str] = frozenset()
    language = None

    def dispatch(self, request, *args, **kwargs):
        with translation.override(translation.get_language()):  # restored afterwards
            return super().dispatch(request, *args, **kwargs)

    def allowed_parameters(self) -> list[str]:
        return [LANGUAGE_PARAMETER, *self.parameters]

    def initial(self, request, *args, **kwargs) -> None:
        """Choose the language, apply the rate limit, then refuse the request if any parameter
        cannot be used, naming every one (not just the first)."""
        self.language, language_problems = requested_language(request)
        translation.activate(self.language)
        super().initial(request, *args, **kwargs)
        problems = self.parameter_problems(request) + language_problems
        reported = {name for name, _message in problems}
        problems += [
            (name, message)
            for name, message in self.read_parameters(request)
            if name not in reported
        ]
        if problems:
            raise BadParameters(problems)

    def read_parameters(self, request) -> list[tuple[str, str]]:
        """Read the view's own parameters; the problems with them."""
        return []

    def parameter_problems(self, request) -> list[tuple[str, str]]:
        """Unknown parameters, and parameters that take one value given different ones."""
        allowed = self.allowed_parameters()
        problems = []
        for name, values in request.query_params.lists():
            if name not in allowed:
                message = _("There is no parameter “%(name)s” here; it takes: %(allowed)s.")
                problems.append(
                    (quoted(name), message % {"name": quoted(name), "allowed": ", ".join(allowed)})
                )
            elif name not in self.multi_valued and len(set(values) - {""}) > 1:
                problems.append((name, _("Give “%(name)s” only once.") % {"name": name}))
        return problems

    def options(self, request, *args, **kwargs) -> Response:
        """Which methods the address answers (in the Allow header); CORS preflights are answered
        before the view by the CORS middleware."""
        return Response(status=204)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return finish(response, self.language or translation.get_language())


class PublicListView(ListModelMixin, PublicAPIView):
    """A list in pages, filtered by the view's `filter_backends` (a FilterSet) if any."""

    def allowed_parameters(self) -> list[str]:
        names = [*self.filter_parameters(), *self.paginator.parameters]
        return [*super().allowed_parameters(), *names]

    def filter_parameters(self) -> list[str]:
        filterset_class = getattr(self, "filterset_class", None)
        return list(filterset_class.base_filters) if filterset_class else []

    @property
    def multi_valued(self) -> frozenset[str]:
        filterset_class = getattr(self, "filterset_class", None)
        if not filterset_class:
            return frozenset()
        return frozenset(
            name
            for name, filter_ in filterset_class.base_filters.items()
            if isinstance(filter_, MultipleChoiceFilter)
        )

    def read_parameters(self, request) -> list[tuple[str, str]]:
        problems = []
        try:
            self.filtered = self.filter_queryset(self.get_queryset())
        except BadParameters as error:
            problems += error.problems
        try:
            self.paginator.read(request)
        except BadParameters as error:
            problems += error.problems
        return problems

    def get(self, request, *args, **kwargs) -> Response:
        etag, last_modified = validators(request)
        if not_modified(request, etag, last_modified):
            return not_modified_response(etag, last_modified)
        page = self.paginate_queryset(self.filtered)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return mark_cacheable(response, etag, last_modified)


class PublicDetailView(PublicAPIView):
    """One object, found by its slug among those the public may see."""

    not_found_message = ""

    def get(self, request, *args, **kwargs) -> Response:
        etag, last_modified = validators(request)
        if not_modified(request, etag, last_modified):
            # The revision is the same, so the answer would be too (only 200s carry an ETag).
            return not_modified_response(etag, last_modified)
        response = self.found(self.get_object())
        if response.status_code == 200:
            mark_cacheable(response, etag, last_modified)
        return response

    def found(self, obj) -> Response:
        return Response(self.get_serializer(obj).data)

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        obj = self.get_queryset().filter(**{self.lookup_field: value}).first()
        if obj is None:
            raise self.not_found_error(value)
        return obj

    def not_found_error(self, value: str) -> Http404:
        return Http404(self.not_found_message % {"value": quoted(value)})


class APIIndex(PublicAPIView):
    """Where everything is: each list of the API, the OpenAPI document and the reference."""

    links: dict[str, str] = {}  # key → URL name, given by the URL configuration
    tags = ["API"]
    response_schema = {"type": "object", "additionalProperties": URL_SCHEMA}

    @extend_schema(
        operation_id="index",
        summary="Where everything is",
        examples=[
            OpenApiExample(
                "The index",
                value={
                    "features": "https://recap.example.com/api/v1/features/",
                    "sessions": "https://recap.example.com/api/v1/sessions/",
                    "speakers": "https://recap.example.com/api/v1/speakers/",
                    "events": "https://recap.example.com/api/v1/events/",
                    "comparisons": "https://recap.example.com/api/v1/comparisons/",
                    "areas": "https://recap.example.com/api/v1/areas/",
                    "changes": "https://recap.example.com/api/v1/changes/",
                    "schema": "https://recap.example.com/api/v1/schema/",
                    "docs": "https://recap.example.com/api/docs/",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, *args, **kwargs) -> Response:
        etag, last_modified = validators(request)
        if not_modified(request, etag, last_modified):
            return not_modified_response(etag, last_modified)
        links = {key: request.build_absolute_uri(reverse(name)) for key, name in self.links.items()}
        return mark_cacheable(Response(links), etag, last_modified)


def unknown_address(request, *args, **kwargs) -> HttpResponse:
    """Any other address under /api/: a 404 in the API's own shape (not the site's page), or a
    redirect to the same address with the slash it lacks, when that is an endpoint."""
    if not request.path.endswith("/"):
        match = resolve_or_none(request.path + "/")
        if match and match.func is not unknown_address:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    language, _problems = requested_language(request)
    with translation.override(language):
        body = {
            "title": "Not Found",
            "status": 404,
            "detail": _("There is nothing at this address."),
            "errors": [],
        }
    response = JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return finish(response, language)


def resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None
