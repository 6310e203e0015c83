import logging

from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not a 500, while the database cannot be reached.

    CONN_HEALTH_CHECKS lets the next request reconnect once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = "30"
            return response
        return None


class SafeRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """Old addresses redirect as usual; without a database a 404 simply stays a 404."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError):
            logger.warning("No database to look up a redirect for %s.", request.path)
            return response
