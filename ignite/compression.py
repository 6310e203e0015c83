"""Gzip for public pages only.

Compressing a response that carries a secret next to text an attacker controls (a search
term echoed in the page) lets the attacker learn the secret from the compressed sizes (BREACH).
So only answers without secrets are compressed: public pages, which hold no CSRF token, no
session and nothing about the reader. The CSP nonce in them is fresh on every response, so
there is nothing stable to guess. Anything that sets a cookie, uses the CSRF token, is private
(an editor's preview) or belongs to the admin goes out uncompressed.

The middleware sits above the session and CSRF middleware, so that it sees the cookies they
add, and outside the page cache (a view decorator), which keeps pages uncompressed: each hit
gets its own nonce written in before the page is compressed.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/xml")


def may_compress(request, response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
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


class PublicPageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for responses that carry no secret (see the module's note)."""

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
