import logging
import zoneinfo
from functools import lru_cache
from urllib.parse import unquote

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone

from ignite import rules

logger = logging.getLogger(__name__)


KNOWN_METHODS = {"GET", "HEAD", "POST", "OPTIONS"}
API_PREFIX = "/api/"


class RequestGuardMiddleware:
    """What every response and every odd request gets, before any view or static file.

    - 400 for a NUL character in the query string: no database stores one, and PostgreSQL
      refuses it with an error (admin autocomplete terms, list filters, catalog filters alike).
    - OPTIONS answered with the methods the site takes, TRACE and other methods with 405.
    - Cross-Origin-Resource-Policy: other sites may not embed our pages, scripts or images.

    The API (/api/) answers all of these itself, in its own problem+json shape, with CORS
    preflights and the read-only methods it documents: the guard leaves it alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._refusal(request) or self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.path_info.startswith(API_PREFIX):
            return None
        allowed = "GET, HEAD, POST, OPTIONS"
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = allowed
            return response
        if request.method not in KNOWN_METHODS:
            response = HttpResponse(status=405)
            response["Allow"] = allowed
            return response
        if _may_hold_nul(request) and any(
            "\x00" in name or "\x00" in value for name, value in _query_items(request)
        ):
            return HttpResponseBadRequest(
                "A NUL character is not allowed in the query string.", content_type="text/plain"
            )
        return None


def _may_hold_nul(request: HttpRequest) -> bool:
    """Whether the raw query string can decode to a NUL at all (as %00 or itself): most do
    not, and then it is not parsed here just to look."""
    raw = request.META.get("QUERY_STRING", "")
    return "%00" in raw or "\x00" in raw


def _query_items(request: HttpRequest):
    for name, values in request.GET.lists():
        for value in values:
            yield name, value


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


class ActingUserMiddleware:
    """Every content row written during a request is checked against the role of the user who
    made it (ignite.rules): the guarantee under the admin's own checks, and for any future view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.user stays lazy: a request that writes nothing never loads it.
        with rules.acting_as(request.user):
            return self.get_response(request)


class SafeRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """Old addresses redirect as usual; without a database a 404 simply stays a 404."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError):
            logger.warning("No database to look up a redirect for %s.", request.path)
            return response


EDITOR_TIME_ZONE_COOKIE = "editor_tz"


@lru_cache(maxsize=1)
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def editor_time_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The time zone the editor's browser reported (a cookie set by the admin's timezone.js)."""
    name = unquote(request.COOKIES.get(EDITOR_TIME_ZONE_COOKIE, ""))
    if name in _known_time_zones():
        return zoneinfo.ZoneInfo(name)
    return None


class EditorTimeZoneMiddleware:
    """In the admin, dates and times are read and written in the editor's own time zone (stored
    in UTC); the public site keeps the site's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_admin = request.path.startswith(f"/{settings.ADMIN_URL}")
        zone = editor_time_zone(request) if in_admin else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
