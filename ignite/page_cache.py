"""Caching and conditional GET for public pages.

Every cached page is keyed by the content revision (ignite.models.ContentRevision), which the
transaction that changes content bumps. A save in the admin or an import therefore makes every
cached page stale at the moment it commits, in every process, with no list of keys to delete.
Keys also hold the language, the full path and the htmx request headers, so a page, its htmx
fragment and each language never mix. Editors who may preview drafts bypass the cache entirely.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from ignite.history import is_history_model
from ignite.models import ContentRevision
from ignite.publishing import can_preview

CONTENT_APPS = ("ignite_sessions", "features")
VARY_HEADERS = ("HX-Request", "HX-Target")

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


def _page_key(request: HttpRequest, revision: ContentRevision) -> tuple[str, str]:
    """The cache key of this page at this revision, and its ETag."""
    parts = "|".join(
        [
            get_language() or "",
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            request.get_full_path(),
        ]
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    version = f"{revision.number}.{revision.changed_at.timestamp():.6f}"
    return f"page:{version}:{digest}", f'"{digest[:16]}-{version}"'


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public view from the page cache, answer conditional GETs, mark what it varies on.

    The view finds `request.preview` set: true for users allowed to see drafts.
    """

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
        last_modified = int(revision.changed_at.timestamp())  # HTTP dates have whole seconds
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = cache.get(key)
            if response is not None:
                response["X-Page-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                response["X-Page-Cache"] = "miss"
                if response.status_code == 200 and not response.streaming:
                    cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, VARY_HEADERS)
        return response

    return wrapper
