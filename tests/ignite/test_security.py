"""Security headers, the admin's brute-force protection and error pages, in-process."""

import re

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path, reverse

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


@pytest.mark.parametrize("url", ["/en/", "/en/features/?status=ga", "/admin/login/"])
def test_public_pages_and_the_admin_send_the_security_headers(client, launch_content, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"


def test_every_script_carries_the_requests_nonce(client, launch_content):
    response = client.get("/en/features/")
    nonce = re.search(r"'nonce-([^']+)'", _csp(response)["script-src"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    for script in scripts:
        assert f'nonce="{nonce}"' in script, script
    # The one inline script (folding the filters on phones before the first paint) runs only
    # because it carries the nonce; htmx never runs scripts from swapped-in fragments.
    assert len([s for s in scripts if "src=" not in s]) == 1
    assert '"allowScriptTags": false' in response.content.decode()


def test_htmx_is_configured_for_the_csp(client, launch_content):
    html = client.get("/en/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    assert '"includeIndicatorStyles": false' in config
    assert '"historyRestoreAsHxRequest": false' in config
    assert '"allowEval": false' in config
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "unpkg.com" not in html and "cdn" not in html.lower()


def test_admin_login_locks_out_after_repeated_failures(client, superuser):
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": superuser.username, "password": "wrong"}).status_code
        for _attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account
    locked = client.post(
        login, {"username": superuser.username, "password": "a-long-test-password"}
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_lockout_holds_the_attackers_address_only(client, superuser):
    login = reverse("admin:login")
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _attempt in range(5):
        client.post(login, {"username": superuser.username, "password": "wrong"}, **attacker)
    locked = client.post(
        login, {"username": superuser.username, "password": "a-long-test-password"}, **attacker
    )
    assert locked.status_code == 429
    # The same proxy forwards the real editor from elsewhere: they get in.
    editor = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    ok = client.post(
        login, {"username": superuser.username, "password": "a-long-test-password"}, **editor
    )
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy: the header is the client's own claim
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    from ignite.proxies import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_correct_login_resets_the_failure_count(client, superuser):
    login = reverse("admin:login")
    for _attempt in range(3):
        client.post(login, {"username": superuser.username, "password": "wrong"})
    ok = client.post(login, {"username": superuser.username, "password": "a-long-test-password"})
    assert ok.status_code == 302


def _boom(request):
    raise RuntimeError("secret internals")


def _database_gone(request):
    raise OperationalError("connection refused")


urlpatterns = [path("boom/", _boom), path("db-gone/", _database_gone)]


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_is_ours_and_reveals_nothing(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_lost_database_gives_503_with_retry_after(client):
    response = client.get("/db-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot reach its database" in response.content.decode()


def test_health_check_reports_503_when_the_database_is_down(client, monkeypatch):
    from ignite import health

    def broken_cursor():
        raise OperationalError("down")

    assert client.get("/healthz").status_code == 200
    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": False, "cache": True},
    }
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
