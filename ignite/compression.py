"""Gzip for public pages only.

Compressing a response that carries a secret next to text an attacker controls (a search
term echoed in the page) lets the attacker learn the secret from the compressed sizes (BREACH).
So only answers without secrets are compressed: public pages, which hold no CSRF token, no
session and nothing about the reader. The CSP nonce in them is fresh on every response, so
there is nothing stable to guess. Anything that sets a cookie, uses the CSRF token, is private
(an editor's preview) or belongs to the admin goes out uncompressed.

The middleware sits above the session and CSRF middleware, so that it sees the cookies they
add, and outside the page cache (a view decorator), which keeps pages uncompressed: a page that
uses the CSP nonce gets its own nonce written in on each hit, before it is compressed. A page
that does not (every public page today) is the same bytes for every reader, so the page cache
compresses it once when it stores it (`compress_once`) and each hit sends those bytes, under
the same rules as any compression here.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

COMPRESSED_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/xml")


def _content_type(response) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


def may_compress(request, response) -> bool:
    content_type = _content_type(response)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        content_type in COMPRESSED_TYPES
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
    )


def compress_once(response) -> bytes | None:
    """The content of a page about to be stored, compressed, if compressing pays: what each
    hit may then send (`response.gzipped`) instead of compressing the page again."""
    if _content_type(response) not in COMPRESSED_TYPES or response.streaming:
        return None
    if len(response.content) < 200:  # as GZipMiddleware: not worth it
        return None
    gzipped = compress_string(response.content, max_random_bytes=GZipMiddleware.max_random_bytes)
    return gzipped if len(gzipped) < len(response.content) else None


class PublicPageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for responses that carry no secret (see the module's note)."""

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        plain, gzipped = getattr(response, "gzipped", (None, None))
        if gzipped is None or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        if response.content != plain:  # changed on its way out: compress what it is now
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        response.content = gzipped
        response.headers["Content-Length"] = str(len(gzipped))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):  # as GZipMiddleware does: a weak ETag
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
