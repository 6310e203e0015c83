"""The reader's address when the site runs behind reverse proxies."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address that reached our nearest trusted proxy (REMOTE_ADDR without proxies).

    Each proxy appends the address it saw to X-Forwarded-For, so with N trusted proxies the
    N-th entry from the right is the client; entries further left are the client's own claims.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:  # not everything came through our proxies: trust nothing in it
        return remote
    return forwarded[-count]
