"""The reader's address when the site runs behind reverse proxies.

X-Forwarded-For and X-Forwarded-Proto are believed only when they come from one of the proxies
named in DJANGO_TRUSTED_PROXIES (addresses or networks): anyone who reaches the site directly
could write anything in them.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: list[str]) -> list[Network]:
    """Addresses and networks ("10.0.0.0/8", "::1"); ValueError names a malformed entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return networks


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(parse_networks(list(entries)))


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The address of whoever reached our outermost trusted proxy (REMOTE_ADDR without one).

    Each proxy appends the address it saw to X-Forwarded-For: walking it from the right, every
    address that is one of our proxies is stepped over, and the first one that is not is the
    client. Entries further left are the client's own claims and are never read.
    """
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    while forwarded and is_trusted_proxy(address):
        claimed = forwarded.pop()
        if not _is_address(claimed):  # our proxy wrote something else: the proxy is all we know
            break
        address = claimed
    return address


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class UntrustedForwardingMiddleware:
    """Drops X-Forwarded-* headers that did not come from a trusted proxy, before anything
    (Django's HTTPS detection, lockouts, logs) can read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for name in [key for key in request.META if key.startswith("HTTP_X_FORWARDED_")]:
                del request.META[name]
        return self.get_response(request)
