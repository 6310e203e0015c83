"""Caching and conditional GET for public pages.

Every cached page is kept with the content revision it was rendered at
(ignite.models.ContentRevision), which the transaction that changes content bumps, in every
process, with no list of keys to delete. How a change reaches readers, and how long it may take:

- Each process reads the revision from the database at most once a second
  (PAGE_CACHE_REVISION_SECONDS; at once after its own saves), so a cached page costs no query.
- When the revision has moved on, one worker renders the page again (a lock in the cache) while
  the others keep serving the earlier rendering, and a page is rendered again at most once in
  PAGE_CACHE_STALE_SECONDS (5). During a keynote, with saves every few seconds, each page
  then costs one render per interval instead of one per save, and no reader waits for one.
  Bound: a saved change is served to every reader within revision + stale seconds plus one
  render (about 6 s by default).
- Each process also keeps its most recently served pages in memory (PAGE_CACHE_LOCAL_BYTES),
  each with the revision it was rendered at, and serves one while that revision is the current
  one, or as the earlier rendering standing in while it is no older than the stale interval:
  a hit, and a stand-in during a burst of edits, then cost no cache round trip either, and the
  bound above is unchanged.
- Scheduled moments (ignite.schedule) are exact: the revision read never outlives the next one,
  an earlier rendering never stands in once a scheduled moment has passed since it was made,
  and no page is stored past the next one.

Keys also hold the deployed release, the language, the full URL (scheme and host included) and
the htmx request headers, so a page, its htmx fragment, each language and each host never mix,
and a deploy never serves pages rendered by the old templates. Each visitor gets a fresh CSP
nonce, also on a cached page. Editors who may preview drafts bypass the cache entirely, and a
cache outage only makes pages slower.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache, wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from ignite.compression import compress_once
from ignite.history import is_history_model
from ignite.models import ContentRevision
from ignite.publishing import can_preview
from ignite.sites import site_origin
from ignite.static_archive import is_static_archive

CONTENT_APPS = ("ignite_sessions", "features")
# Every request header a view may read to choose between a page and a fragment, and the
# cookie that can make a reader a previewing editor (said here: a reader without a session
# cookie is not asked for one, so the session middleware does not say it).
VARY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request", "Cookie")
# Response headers kept with a cached page (the rest are set afresh on each request).
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Robots-Tag")
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
REVALIDATE = "public, max-age=0, must-revalidate"
CONDITIONAL_HEADERS = frozenset(("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"))

logger = logging.getLogger(__name__)

_state = threading.local()


def _content_changed(sender, using=None, raw=False, **kwargs) -> None:
    if getattr(_state, "suspended", False):
        _state.changed = True
        return
    if raw:  # a fixture row (loaddata): one bump now and one at commit for the whole load
        _bump_once_per_transaction(using)
        return
    ContentRevision.bump(using=using)


def _bump_at_commit() -> None:
    ContentRevision.bump()


def _bump_once_per_transaction(using: str | None) -> None:
    """Bump the revision for the first fixture row of a transaction, and again when it commits
    (so the next scheduled moment counts every row): not once per row. A rolled-back savepoint
    takes its registration with it, so the next row bumps again."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        ContentRevision.bump(using=using)
        return
    if any(callback is _bump_at_commit for _sids, callback, _robust in connection.run_on_commit):
        return
    ContentRevision.bump(using=using)
    transaction.on_commit(_bump_at_commit, using=using)


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
    """What identifies the deployed code, so that pages cached by another release are not served.

    DJANGO_RELEASE names it when set; otherwise a hash of the contents of the project's code,
    templates, compiled catalogues and static files manifest: every instance of one release
    computes the same, and any change to what renders a page changes it.
    """
    return settings.RELEASE or _fingerprint_files()


RELEASE_FILES = ("*.py", "*.html", "*.mo", "*.txt")


@lru_cache(maxsize=1)
def _fingerprint_files() -> str:
    base = Path(settings.BASE_DIR)
    roots = [
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base) and "site-packages" not in Path(app.path).parts
    ]
    roots += [Path(directory) for engine in settings.TEMPLATES for directory in engine["DIRS"]]
    roots += [Path(directory) for directory in settings.LOCALE_PATHS]
    files = {
        path
        for root in roots
        if root.is_dir()
        for pattern in RELEASE_FILES
        for path in root.rglob(pattern)
        if "__pycache__" not in path.parts
    }
    files.add(
        Path(getattr(settings, "STATIC_MANIFEST_ROOT", settings.STATIC_ROOT)) / "staticfiles.json"
    )
    digest = hashlib.sha256()
    for path in sorted(files):
        name = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
        try:
            digest.update(name.encode() + b"\0" + path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:12]


def _page_key(request: HttpRequest, revision: ContentRevision, variant: str) -> tuple[str, str]:
    """The cache key of this page (in this variant: page or fragment), and its ETag at this
    revision. One entry per page holds its latest rendering with the revision it was made at."""
    address = site_origin(request) + request.get_full_path()
    digest = _digest(_release(), get_language() or "", variant, address)
    return f"page:{digest}", f'"{digest[:16]}-{_version(revision)}"'


@lru_cache(maxsize=4096)
def _digest(*parts: str) -> str:
    """The hash of a page's key parts (the same few thousand addresses, hit after hit)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _version(revision: ContentRevision) -> str:
    """The revision as cached pages name it; worked out once per revision read (the same
    object serves every request for up to a second), not three times per request."""
    memo = revision.__dict__.get("_page_version")
    if memo is not None and memo[0] == (revision.number, revision.changed_at):
        return memo[1]
    version = f"{revision.number}.{revision.changed_at.timestamp():.6f}"
    revision.__dict__["_page_version"] = ((revision.number, revision.changed_at), version)
    return version


def _variant(request: HttpRequest, fragments: tuple[str, ...]) -> tuple[str, bool]:
    """Which rendering of the page the request asks for ("" for the page, "#target" for an htmx
    fragment), and whether it is one worth storing: the page, or a fragment the view serves."""
    if not fragments or "HTTP_HX_REQUEST" not in request.META:
        return "", True  # the header first: most requests are not htmx's
    if not request.htmx or request.htmx.history_restore_request:
        return "", True  # views without fragments, and history restores, render the whole page
    target = request.htmx.target
    return f"#{target or ''}", target in fragments


def do_not_cache(response: HttpResponse) -> HttpResponse:
    """Keep this response out of the page cache (e.g. a page answering invalid filters)."""
    response.page_cacheable = False
    return response


# After the cache fails, pages skip it for this long instead of waiting on it request after
# request (and logging each time).
CACHE_BACKOFF_SECONDS = 10.0
_cache_down_until = 0.0


def _cache_call(method: str, *args):
    global _cache_down_until
    if time.monotonic() < _cache_down_until:
        return None
    try:
        return getattr(cache, method)(*args)
    except Exception:  # the cache is an optimisation: a Redis outage must not take pages down
        _cache_down_until = time.monotonic() + CACHE_BACKOFF_SECONDS
        logger.warning(
            "Page cache unavailable; serving without it for %ss.",
            CACHE_BACKOFF_SECONDS,
            exc_info=True,
        )
        return None


@dataclass(frozen=True)
class StoredPage:
    """A page as the cache keeps it: the bytes, the headers worth keeping, and the revision it
    was rendered at (to tell a current page from an earlier one)."""

    content: bytes
    headers: list[tuple[str, str]]
    version: str
    number: int
    etag: str
    last_modified: int
    next_change_at: datetime.datetime | None
    rendered_at: float  # time.time()
    gzipped: bytes | None = None  # the content compressed once, when it holds no nonce

    @cached_property
    def served_headers(self) -> dict[str, str]:
        """The headers every reader of this rendering gets (the stored ones and its
        validators), worked out once per process rather than set one by one on each hit."""
        return {
            **dict(self.headers),
            "ETag": self.etag,
            "Last-Modified": _http_date(self.last_modified),
            "Cache-Control": REVALIDATE,
        }

    @property
    def size(self) -> int:
        """The bytes it holds: the page, and its compressed copy."""
        return len(self.content) + len(self.gzipped or b"")

    def is_current(self, revision: ContentRevision) -> bool:
        return self.version == _version(revision)

    def may_stand_in(self, revision: ContentRevision) -> bool:
        """Whether readers may get this earlier rendering while the page is rendered again:
        only an earlier revision, and never once a scheduled moment has passed since (scheduled
        content appears and leaves exactly on time)."""
        if settings.PAGE_CACHE_STALE_SECONDS <= 0 or self.number >= revision.number:
            return False
        return self.next_change_at is None or timezone.now() < self.next_change_at

    def is_fresh_enough(self) -> bool:
        """Rendered within the last PAGE_CACHE_STALE_SECONDS: not worth rendering again yet."""
        return time.time() - self.rendered_at < settings.PAGE_CACHE_STALE_SECONDS

    def stands_in_for_now(self, revision: ContentRevision) -> bool:
        """An earlier rendering readers get, with nobody rendering the page again yet."""
        return self.may_stand_in(revision) and self.is_fresh_enough()


def _page_cache_off() -> bool:
    """A dummy cache turns the page cache off (DJANGO_PAGE_CACHE=0), this process's copies too."""
    return isinstance(caches["default"], DummyCache)


class LocalPages:
    """This process's most recently served pages, up to `PAGE_CACHE_LOCAL_BYTES` of content
    (least recently used leave first). The shared cache stays the source: an entry here is
    served only while it is current, so it never outlives a change the shared one would see."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, revision: ContentRevision) -> StoredPage | None:
        """The page if it is current, or an earlier rendering that may stand in without a
        word to the shared cache (see `_cached_response`)."""
        with self._lock:
            stored = self._pages.get(key)
            if stored is None:
                return None
            if not (stored.is_current(revision) or stored.stands_in_for_now(revision)):
                return None
            self._pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: StoredPage) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        if stored.size > limit or _page_cache_off():  # also when this store is off (0)
            return
        with self._lock:
            earlier = self._pages.pop(key, None)
            if earlier is not None:
                self._bytes -= earlier.size
            self._pages[key] = stored
            self._bytes += stored.size
            while self._bytes > limit:
                _key, dropped = self._pages.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


local_pages = LocalPages()


def _response(request: HttpRequest, stored: StoredPage, outcome: str) -> HttpResponse:
    content = stored.content
    if NONCE_PLACEHOLDER in content:
        # Each visitor gets a fresh nonce; asking for it makes the CSP header carry it too.
        nonce = get_nonce(request)  # lazy: false until used, so compare with None
        fresh = str(nonce) if nonce is not None else ""
        content = content.replace(NONCE_PLACEHOLDER, fresh.encode())
    # The headers given at once: Content-Type among them, so no default is made first.
    response = HttpResponse(content, headers={**stored.served_headers, "X-Page-Cache": outcome})
    if stored.gzipped is not None:
        response.gzipped = (stored.content, stored.gzipped)
    return response


def _lifetime(revision: ContentRevision) -> int:
    """How long a page may stay cached: never past the next scheduled change."""
    seconds = settings.PAGE_CACHE_SECONDS
    if revision.next_change_at is not None:
        until = (revision.next_change_at - timezone.now()).total_seconds()
        seconds = min(seconds, max(1, math.ceil(until)))
    return seconds


def _store(
    request: HttpRequest,
    key: str,
    response: HttpResponse,
    revision: ContentRevision,
    etag: str,
) -> None:
    content = response.content
    nonce = get_nonce(request)
    if nonce:  # a LazyNonce is true only once the page has used it
        content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
    headers = [(name, value) for name, value in response.items() if name in STORED_HEADERS]
    # The same bytes for every reader: compressed here once rather than on each hit.
    gzipped = None if nonce else compress_once(response)
    stored = StoredPage(
        content=content,
        headers=headers,
        version=_version(revision),
        number=revision.number,
        etag=etag,
        last_modified=int(revision.changed_at.timestamp()),
        next_change_at=revision.next_change_at,
        rendered_at=time.time(),
        gzipped=gzipped,
    )
    _cache_call("set", key, stored, _lifetime(revision))
    local_pages.put(key, stored)
    if gzipped is not None:
        response.gzipped = (content, gzipped)


# A worker rendering a page again holds this lock at most this long; meanwhile the others serve
# the earlier rendering. If it dies, the next request after the lock expires renders instead.
RENDER_LOCK_SECONDS = 10


def _render(request, view, args, kwargs, vary) -> HttpResponse:
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    response["X-Page-Cache"] = "miss"
    patch_vary_headers(response, vary)  # before it is stored: a hit needs no patching
    return response


def _cached_response(request, view, args, kwargs, key, etag, revision, use_cache, vary):
    """The page from the cache, an earlier rendering standing in while one worker renders it
    again, or a fresh rendering; with the ETag and Last-Modified it answers for."""
    # This process's copy first: the current page, or during a burst of edits the rendering of
    # a few seconds ago that the shared cache would hand out anyway (so a stand-in costs no
    # round trip either, and the bound on how late a change shows is the same).
    stored = local_pages.get(key, revision) if use_cache else None
    if stored is not None:
        outcome = "hit" if stored.is_current(revision) else "stale"
        return _response(request, stored, outcome), stored.etag, stored.last_modified
    stored = _cache_call("get", key) if use_cache else None
    if stored is not None and not isinstance(stored, StoredPage):
        stored = None  # an entry written by an earlier release of this code
    if stored is not None and stored.is_current(revision):
        local_pages.put(key, stored)
        return _response(request, stored, "hit"), stored.etag, stored.last_modified
    lock = f"{key}:rendering"
    if stored is not None and stored.may_stand_in(revision):
        if stored.is_fresh_enough():
            local_pages.put(key, stored)
            return _response(request, stored, "stale"), stored.etag, stored.last_modified
        if not _cache_call("add", lock, 1, RENDER_LOCK_SECONDS):
            return _response(request, stored, "stale"), stored.etag, stored.last_modified
    else:
        lock = None
    try:
        response = _render(request, view, args, kwargs, vary)
        cacheable = use_cache and getattr(response, "page_cacheable", True)
        if response.status_code == 200 and not response.streaming and cacheable:
            _store(request, key, response, revision, etag)
    finally:
        if lock is not None:
            _cache_call("delete", lock)
    return response, etag, int(revision.changed_at.timestamp())


def _not_modified(request: HttpRequest, response: HttpResponse, etag: str, modified: int):
    """A 304 when the reader's copy is current. It carries no CSP header: a browser would put
    the 304's headers on its stored copy, whose page holds the nonce of the first answer."""
    conditional = get_conditional_response(
        request, etag=etag, last_modified=modified, response=response
    )
    if conditional.status_code == 304:
        conditional._csp_config = conditional._csp_ro_config = {}
    return conditional


@lru_cache(maxsize=256)
def _http_date(timestamp: int) -> str:
    return http_date(timestamp)  # the same few revisions' moments, over and over


def _vary(negotiate) -> tuple[str, ...]:
    return (*VARY_HEADERS, "Accept") if negotiate is not None else VARY_HEADERS


def public_page(
    view=None,
    *,
    cache_queries: bool = False,
    fragments: tuple[str, ...] = (),
    negotiate=None,
):
    """Serve a public view from the page cache, answer conditional GETs, mark what it varies on.

    The view finds `request.preview` set: true for users allowed to see drafts. Only complete
    200 answers are cached and only they answer conditional GETs, so a 404 stays a 404. A view
    that reads no query string is cached only at its bare address (`?utm=…` variants are
    rendered, not stored), so junk parameters cannot fill the cache; likewise only the htmx
    `fragments` (HX-Target ids) a view serves are stored, besides the page itself.
    """
    if view is None:
        return lambda view: public_page(view, cache_queries=cache_queries, fragments=fragments)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Only a signed-in editor previews, and signing in sets the session cookie: a reader
        # without one costs no session or user lookup.
        request.preview = settings.SESSION_COOKIE_NAME in request.COOKIES and can_preview(
            request.user
        )
        # Archive pages differ from the live ones (no htmx, filters as links): never stored.
        if request.preview or is_static_archive(request) or request.method not in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
            if request.preview:
                patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, _vary(negotiate))
            return response

        revision = ContentRevision.recent(settings.PAGE_CACHE_REVISION_SECONDS)
        variant, storable = _variant(request, fragments)
        if negotiate is not None:
            variant += f";{negotiate(request)}"
        key, etag = _page_key(request, revision, variant)
        use_cache = storable and (cache_queries or not request.GET)
        response, etag, last_modified = _cached_response(
            request, view, args, kwargs, key, etag, revision, use_cache, _vary(negotiate)
        )
        if response.status_code == 200:
            if response["X-Page-Cache"] == "miss":  # a stored page comes with its validators
                response["ETag"] = etag
                response["Last-Modified"] = _http_date(last_modified)
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if CONDITIONAL_HEADERS.intersection(request.META):
                response = _not_modified(request, response, etag, last_modified)
        return response

    return wrapper


def content_validators(request: HttpRequest, variant: str) -> tuple[str, int]:
    """The ETag and Last-Modified (whole seconds) of a response to `request` at the current
    content revision, for answers built outside `public_page` (the API): they change with the
    content, the release, the language and the full URL."""
    revision = ContentRevision.current()
    return _page_key(request, revision, variant)[1], int(revision.changed_at.timestamp())
