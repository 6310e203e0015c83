"""Fetch outbound links concurrently, politely, and say what each one answered.

Built on the standard library (urllib): it verifies TLS with the system's certificates, honours
the usual proxy variables, and needs no extra dependency. Redirects are followed here rather
than by urllib so that every hop counts against its own host's limit and a loop is named as
one. Nothing here touches the database: the caller records the results.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, zip_longest
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.utils.encoding import iri_to_uri

from ignite.links.models import LinkError

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Servers ask us to come back later: neither a success nor a failure.
INCONCLUSIVE_CODES = frozenset({429})
# Enough to see that a body starts; a GET because many servers mishandle HEAD.
READ_BYTES = 4096


@dataclass(frozen=True)
class CheckResult:
    """What one URL answered: an HTTP status (after redirects) or the error that prevented one."""

    url: str
    status_code: int | None = None
    error: str = ""
    error_detail: str = ""
    final_url: str = ""
    redirects: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def inconclusive(self) -> bool:
        return self.status_code in INCONCLUSIVE_CODES


def host_of(url: str) -> str:
    """The host and port a request goes to: what the per-host limit counts."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{(parts.hostname or '').lower()}:{port or ''}"


def request_url(url: str) -> str:
    """The URL as it goes on the wire: an internationalised host in IDNA, the rest
    percent-encoded. Raises ValueError for a URL that cannot be requested."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL with a host")
    port = parts.port  # raises ValueError for a port that is not a number
    netloc = parts.netloc
    if not netloc.isascii():
        host = parts.hostname.encode("idna").decode("ascii")
        netloc = host if port is None else f"{host}:{port}"
    return iri_to_uri(urlunsplit(parts._replace(netloc=netloc, fragment="")))


def classify(exc: BaseException) -> tuple[str, str]:
    """The LinkError for an exception raised while fetching, and a short detail."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    detail = str(reason) or type(reason).__name__
    if isinstance(reason, TimeoutError):
        return LinkError.TIMEOUT, detail
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return LinkError.TLS, detail
    if isinstance(reason, socket.gaierror):
        return LinkError.DNS, detail
    if isinstance(reason, ConnectionRefusedError):
        return LinkError.REFUSED, detail
    if isinstance(reason, OSError | http.client.HTTPException):
        return LinkError.CONNECTION, detail
    return LinkError.INVALID_URL, detail


class _EveryStatus(urllib.request.HTTPErrorProcessor):
    """Hand back every response as it is: a 404 is an answer to record, and redirects are
    followed by the checker itself."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class LinkChecker:
    """Checks URLs with a thread pool, at most `per_host` requests at a time to any one host.

    `timeout` (seconds) bounds connecting and each read of every request; at most
    `max_redirects` redirects are followed.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        workers: int = 8,
        per_host: int = 2,
        max_redirects: int = 10,
        user_agent: str = "IgniteRecap-LinkChecker/1.0",
    ):
        self.timeout = timeout
        self.workers = workers
        self.per_host = per_host
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self._opener = urllib.request.build_opener(
            _EveryStatus(), urllib.request.HTTPSHandler(context=ssl.create_default_context())
        )

    @contextmanager
    def _slot(self, host: str) -> Iterator[None]:
        with self._hosts_lock:
            semaphore = self._hosts.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with semaphore:
            yield

    def _fetch(self, url: str) -> tuple[int, str | None]:
        """One GET without following redirects: the status and the Location header."""
        request = urllib.request.Request(
            request_url(url),
            method="GET",
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "identity",
            },
        )
        with self._slot(host_of(url)), self._opener.open(request, timeout=self.timeout) as response:
            if response.status not in REDIRECT_CODES:
                response.read(READ_BYTES)
            return response.status, response.headers.get("Location")

    def check(self, url: str) -> CheckResult:
        """Fetch one URL, following redirects, and say how it ended."""
        current, seen = url, {url}
        for redirects in range(self.max_redirects + 1):
            try:
                status, location = self._fetch(current)
            except (OSError, ValueError, http.client.HTTPException) as exc:
                error, detail = classify(exc)
                return CheckResult(url, None, error, detail, current, redirects)
            if status not in REDIRECT_CODES or not location:
                return CheckResult(url, status, final_url=current, redirects=redirects)
            target = urljoin(current, location.strip())
            if urlsplit(target).scheme not in ("http", "https"):
                return CheckResult(
                    url, None, LinkError.BAD_REDIRECT, location[:300], current, redirects
                )
            if target in seen:
                detail = f"{status} back to {target}"
                return CheckResult(
                    url, None, LinkError.REDIRECT_LOOP, detail, current, redirects + 1
                )
            seen.add(target)
            current = target
        detail = f"more than {self.max_redirects}"
        return CheckResult(
            url, None, LinkError.TOO_MANY_REDIRECTS, detail, current, self.max_redirects + 1
        )

    def check_all(self, urls: Iterable[str]) -> Iterator[CheckResult]:
        """Check every URL concurrently; results come as they complete."""
        ordered = interleave_hosts(urls)
        executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="check-links")
        try:
            futures = [executor.submit(self.check, url) for url in ordered]
            for future in as_completed(futures):
                yield future.result()
        finally:
            # On an interrupt, drop what has not started instead of finishing the whole list.
            executor.shutdown(wait=True, cancel_futures=True)


def interleave_hosts(urls: Iterable[str]) -> list[str]:
    """The URLs with hosts taking turns, so the workers do not all queue on one host's limit."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[host_of(url)].append(url)
    rounds = zip_longest(*by_host.values())
    return [url for url in chain.from_iterable(rounds) if url is not None]
