"""HTTP for the API: JSON whatever is asked, the response's language, conditional GET from the
content revision, caching headers and a per-client rate limit."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.throttling import BaseThrottle

from ignite.page_cache import content_validators
from ignite.proxies import client_ip
from ignite.text import quoted

logger = logging.getLogger(__name__)

LANGUAGE_PARAMETER = "lang"
# Fresh for a minute; after that a conditional GET costs one query and no body.
FRESH_SECONDS = 60


class AlwaysJSON(BaseContentNegotiation):
    """The API speaks JSON only, and answers in JSON whatever Accept says (a browser's
    text/html included) rather than refusing with a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_from_header(request: HttpRequest) -> str:
    """The first of the site's languages the Accept-Language header accepts (English if none);
    unlike Django's own choice, a language cookie plays no part."""
    for code, quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*" or quality <= 0:
            continue
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def requested_language(request: HttpRequest) -> tuple[str, list[tuple[str, str]]]:
    """The language of the response, ?lang= if given, else Accept-Language; and the problem with
    ?lang= when it names no language of the site (the answer then says so in the header's)."""
    fallback = language_from_header(request)
    value = request.GET.get(LANGUAGE_PARAMETER, "")
    if value == "":
        return fallback, []
    if value in languages():
        return value, []
    message = _("There is no language “%(value)s”; use one of: %(choices)s.") % {
        "value": quoted(value),
        "choices": ", ".join(languages()),
    }
    return fallback, [(LANGUAGE_PARAMETER, message)]


def not_modified(request: HttpRequest, etag: str, last_modified: int) -> bool:
    """Whether the client's copy (If-None-Match, or else If-Modified-Since) is current."""
    if if_none_match := request.headers.get("If-None-Match"):
        etags = parse_etags(if_none_match)
        return etags == ["*"] or etag.removeprefix("W/") in (e.removeprefix("W/") for e in etags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


def validators(request: HttpRequest) -> tuple[str, int]:
    """The ETag and Last-Modified of this request's answer at the current content revision."""
    return content_validators(request, variant="api")


def mark_cacheable(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FRESH_SECONDS)
    return response


def not_modified_response(etag: str, last_modified: int) -> HttpResponse:
    return mark_cacheable(HttpResponseNotModified(), etag, last_modified)


def finish(response: HttpResponse, language: str) -> HttpResponse:
    """Headers every answer carries: its language, what it varies on, and no caching of errors."""
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    if response.status_code >= 400:
        patch_cache_control(response, no_store=True)
    return response


class ClientRateThrottle(BaseThrottle):
    """At most API_REQUESTS_PER_MINUTE requests from one client address in each minute.

    A counter per address and minute, incremented atomically in the shared cache (Redis in
    production), so every worker counts the same requests. If the cache is down, nobody is
    limited: the limit protects the site, it must not take the API down with the cache.
    """

    WINDOW_SECONDS = 60

    def allow_request(self, request, view) -> bool:
        limit = settings.API_REQUESTS_PER_MINUTE
        if limit <= 0:
            return True
        now = time.time()
        window = int(now // self.WINDOW_SECONDS)
        self.retry_after = (window + 1) * self.WINDOW_SECONDS - now
        key = f"api-rate:{client_ip(request)}:{window}"
        try:
            cache.add(key, 0, self.WINDOW_SECONDS + 5)
            count = cache.incr(key)
        except Exception:  # a cache outage must not take the API down
            logger.warning("Rate limit not applied: the cache is unavailable.", exc_info=True)
            return True
        return count <= limit

    def wait(self) -> float:
        return max(self.retry_after, 1.0)
