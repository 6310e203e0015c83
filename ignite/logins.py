"""Slowing down password guessing at the admin sign-in without letting strangers lock editors out.

Two limits, both answered with 429 and a page that says how long to wait:

- One account from one address (django-axes): AXES_FAILURE_LIMIT failures lock that pair for
  AXES_COOLOFF_TIME. Behind proxies the address is the reader's (ignite.proxies), so nobody
  can lock an editor out from elsewhere this way.
- One account from everywhere (this module): after ACCOUNT_FAILURE_LIMIT failures within
  ACCOUNT_WINDOW, whatever their addresses, the account accepts sign-ins only from browsers that
  have signed in to it before (a signed cookie set at each successful sign-in) until the failures
  are older than the window. Guessing spread over many addresses gets ACCOUNT_FAILURE_LIMIT tries
  per window instead of thousands, while the editor's own browser is never held up, and on a new
  browser the wait ends at most ACCOUNT_WINDOW after the guessing stops.
"""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

KNOWN_BROWSER_COOKIE = "ignite_known_browser"
KNOWN_BROWSER_SALT = "ignite.logins.known-browser"
KNOWN_BROWSER_MAX_AGE = timedelta(days=90)


def _account_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _window() -> timedelta:
    return timedelta(minutes=settings.ACCOUNT_WINDOW_MINUTES)


def account_paused_for(username: str) -> timedelta | None:
    """How much longer sign-ins to this account from unknown browsers are paused, if they are."""
    from axes.models import AccessFailureLog

    since = timezone.now() - _window()
    recent = AccessFailureLog.objects.filter(
        username__iexact=username.strip(), attempt_time__gte=since
    ).order_by("-attempt_time")
    times = list(recent.values_list("attempt_time", flat=True)[: settings.ACCOUNT_FAILURE_LIMIT])
    if len(times) < settings.ACCOUNT_FAILURE_LIMIT:
        return None
    # Paused until the oldest of the last LIMIT failures leaves the window.
    return times[-1] + _window() - timezone.now()


def is_known_browser(request: HttpRequest, username: str) -> bool:
    try:
        value = signing.loads(
            request.COOKIES.get(KNOWN_BROWSER_COOKIE, ""),
            salt=KNOWN_BROWSER_SALT,
            max_age=KNOWN_BROWSER_MAX_AGE,
        )
    except signing.BadSignature:
        return False
    return isinstance(value, list) and _account_key(username) in value


class AccountPauseBackend:
    """Refuses, before any password is checked, a sign-in to a paused account from a browser
    that has not signed in to it before. (No get_user: it never signs anyone in, so a session
    is never tied to it.)"""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        if account_paused_for(username) and not is_known_browser(request, username):
            request.account_paused = True
            request.axes_locked_out = True  # django-axes answers with lockout_response
            raise PermissionDenied
        return None


def remember_browser(sender, request, user, **kwargs) -> None:
    """Note the account on the request; KnownBrowserMiddleware puts it in the cookie."""
    if request is not None:
        request.signed_in_account = _account_key(user.get_username())


class KnownBrowserMiddleware:
    """Sets the signed cookie that lets this browser in while its account is paused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        account = getattr(request, "signed_in_account", None)
        if account:
            try:
                known = signing.loads(
                    request.COOKIES.get(KNOWN_BROWSER_COOKIE, ""), salt=KNOWN_BROWSER_SALT
                )
            except signing.BadSignature:
                known = []
            known = [account, *[key for key in known if key != account]][:5]
            response.set_cookie(
                KNOWN_BROWSER_COOKIE,
                signing.dumps(known, salt=KNOWN_BROWSER_SALT),
                max_age=int(KNOWN_BROWSER_MAX_AGE.total_seconds()),
                path=f"/{settings.ADMIN_URL}",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def lockout_response(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """429 Too Many Requests, saying which limit applies and how long to wait (Retry-After)."""
    if getattr(request, "account_paused", False):
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        wait = account_paused_for(username) or _window()
        paused = True
    else:
        wait = timedelta(hours=settings.AXES_COOLOFF_TIME)
        paused = False
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    context = {
        "account_paused": paused,
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    answer = render(request, "axes_lockout.html", context, status=429)
    answer["Retry-After"] = str(minutes * 60)
    return answer
