"""Whether a request renders a page for the static archive (`manage.py export_site`).

The export marks its requests with a WSGI environ key. No HTTP client can set one (request
headers arrive as HTTP_*), so a reader of the live site never gets an archive page, and the
page cache never stores one (see ignite.page_cache).
"""

from django.http import HttpRequest

ENVIRON_KEY = "ignite.static_archive"


def is_static_archive(request: HttpRequest) -> bool:
    """Whether this page is being rendered for the static archive (no server behind it)."""
    return bool(request.META.get(ENVIRON_KEY))
