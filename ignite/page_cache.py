"""Caching and conditional GET for public pages.

Every cached page is keyed by the content revision (ignite.models.ContentRevision), which the
transaction that changes content bumps. A save in the admin or an import therefore makes every
cached page stale at the moment it commits, in every process, with no list of keys to delete.
Keys also hold the deployed release, the language, the full URL (scheme and host included) and
the htmx request headers, so a page, its htmx fragment, each language and each host never mix,
and a deploy never serves pages rendered by the old templates. Each visitor gets a fresh CSP
nonce, also on a cached page. Editors who may preview drafts bypass the cache entirely, and a
cache outage only makes pages slower.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from ignite.history import is_history_model
from ignite.models import ContentRevision
from ignite.publishing import can_preview

CONTENT_APPS = ("ignite_sessions", "features")
# Every request header a view reads to choose between a page and a fragment.
VARY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
# Response headers kept with a cached page (the rest are set afresh on each request).
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Robots-Tag")
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"

logger = logging.getLogger(__name__)

_state = threading.local()


def _content_changed(sender, using=None, **kwargs) -> None:
    if getattr(_state, "suspended", False):
        _state.changed = True
        return
    ContentRevision.bump(using=using)


@contextmanager
def one_revision_for_many_changes() -> Iterator[None]:
    """Bump the revision once for a batch of saves (an import) instead of once per row."""
    _state.suspended, _state.changed = True, False
    try:
        yield
    finally:
        changed = _state.changed
        _state.suspended, _state.changed = False, False
        if changed:
            ContentRevision.bump()


def watch_content_models() -> None:
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if is_history_model(model):
                continue
            uid = f"page_cache:{model._meta.label}"
            post_save.connect(_content_changed, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{uid}:delete")
            m2m_changed.connect(_content_changed, sender=model, dispatch_uid=f"{uid}:m2m")


def _release() -> str:
    """What identifies the deployed code, so pages cached by an earlier release are not served.

    DJANGO_RELEASE names it when set; otherwise a fingerprint of the templates, the compiled
    catalogues and the static files manifest (a deploy changes at least one of them).
    """
    return settings.RELEASE or _fingerprint_files()


@lru_cache(maxsize=1)
def _fingerprint_files() -> str:
    roots = [Path(directory) for engine in settings.TEMPLATES for directory in engine["DIRS"]]
    roots += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    roots += [Path(directory) for directory in settings.LOCALE_PATHS]
    files = [path for root in roots if root.is_dir() for path in root.rglob("*") if path.is_file()]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    digest = hashlib.sha256()
    for path in sorted(files):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()[:12]


def _page_key(request: HttpRequest, revision: ContentRevision) -> tuple[str, str]:
    """The cache key of this page at this revision, and its ETag."""
    parts = "|".join(
        [
            _release(),
            get_language() or "",
            *(request.headers.get(header, "") for header in VARY_HEADERS),
            request.build_absolute_uri(),
        ]
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    version = f"{revision.number}.{revision.changed_at.timestamp():.6f}"
    return f"page:{version}:{digest}", f'"{digest[:16]}-{version}"'


def do_not_cache(response: HttpResponse) -> HttpResponse:
    """Keep this response out of the page cache (e.g. a page answering invalid filters)."""
    response.page_cacheable = False
    return response


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # the cache is an optimisation: a Redis outage must not take pages down
        logger.warning("Page cache unavailable; serving without it.", exc_info=True)
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache unavailable; not storing the page.", exc_info=True)


def _from_cache(request: HttpRequest, key: str) -> HttpResponse | None:
    stored = _cache_get(key)
    if stored is None:
        return None
    content, headers = stored
    if NONCE_PLACEHOLDER in content:
        # Each visitor gets a fresh nonce; asking for it makes the CSP header carry it too.
        nonce = get_nonce(request)  # lazy: false until used, so compare with None
        fresh = str(nonce) if nonce is not None else ""
        content = content.replace(NONCE_PLACEHOLDER, fresh.encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _store(request: HttpRequest, key: str, response: HttpResponse) -> None:
    content = response.content
    nonce = get_nonce(request)
    if nonce:  # a LazyNonce is true only once the page has used it
        content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
    headers = [(name, value) for name, value in response.items() if name in STORED_HEADERS]
    _cache_set(key, (content, headers))


def public_page(view=None, *, cache_queries: bool = False):
    """Serve a public view from the page cache, answer conditional GETs, mark what it varies on.

    The view finds `request.preview` set: true for users allowed to see drafts. Only complete
    200 answers are cached and only they answer conditional GETs, so a 404 stays a 404. A view
    that reads no query string is cached only at its bare address (`?utm=…` variants are
    rendered, not stored), so junk parameters cannot fill the cache.
    """
    if view is None:
        return lambda view: public_page(view, cache_queries=cache_queries)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.preview = can_preview(request.user)
        if request.preview or request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
            if request.preview:
                patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, VARY_HEADERS)
            return response

        revision = ContentRevision.current()
        key, etag = _page_key(request, revision)
        use_cache = cache_queries or not request.GET
        response = _from_cache(request, key) if use_cache else None
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            response["X-Page-Cache"] = "miss"
            cacheable = use_cache and getattr(response, "page_cacheable", True)
            if response.status_code == 200 and not response.streaming and cacheable:
                _store(request, key, response)
        if response.status_code == 200:
            last_modified = int(revision.changed_at.timestamp())  # HTTP dates: whole seconds
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            response = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        patch_vary_headers(response, VARY_HEADERS)
        return response

    return wrapper
