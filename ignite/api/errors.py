"""One shape for every error the API answers: an RFC 9457 problem (application/problem+json)."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
DATABASE_RETRY_SECONDS = 30

logger = logging.getLogger(__name__)


class BadParameters(exceptions.APIException):
    """Query parameters that cannot be used, each with a message naming the value."""

    status_code = 400

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(detail=_("Some parameters could not be used."))


class ProblemItem(serializers.Serializer):
    parameter = serializers.CharField(help_text="The query parameter at fault.")
    message = serializers.CharField(
        help_text="What is wrong with it, quoting the value, in the response's language."
    )


class Problem(serializers.Serializer):
    """Every error: 400 for parameters that cannot be used, 404 for an unknown object or
    address, 405 for a method other than GET, HEAD or OPTIONS, 429 past the rate limit."""

    title = serializers.CharField(help_text="The HTTP status phrase, e.g. “Bad Request”.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, in the response's language.")
    errors = ProblemItem(
        many=True,
        help_text="For a 400, one entry per value that could not be used; otherwise empty.",
    )


def problem(status: int, detail: str, errors=(), headers=None) -> Response:
    body = {
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "errors": [{"parameter": name, "message": str(message)} for name, message in errors],
    }
    return Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(exc: Exception, context) -> Response | None:
    """DRF's exception handler: every error in the one shape, a 503 while the database is away,
    and nothing left to become a 500 page."""
    if isinstance(exc, BadParameters):
        return problem(400, exc.detail, exc.problems)
    if isinstance(exc, Http404 | exceptions.NotFound):
        detail = exc.args[0] if isinstance(exc, Http404) and exc.args else None
        return problem(404, detail or _("There is nothing at this address."))
    if isinstance(exc, exceptions.Throttled):
        wait = max(int(exc.wait or 1), 1)
        detail = _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": wait}
        return problem(429, detail, headers={"Retry-After": str(wait)})
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem(405, _("This address only answers GET, HEAD and OPTIONS."))
    if isinstance(exc, SuspiciousOperation):  # e.g. more query parameters than Django reads
        return problem(400, _("The request could not be read."))
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("API request without a database: %s", exc)
        detail = _("The site is briefly unavailable; try again shortly.")
        return problem(503, detail, headers={"Retry-After": str(DATABASE_RETRY_SECONDS)})
    if isinstance(exc, exceptions.APIException):
        return problem(exc.status_code, str(exc.detail) if isinstance(exc.detail, str) else "")
    return None
