"""Security headers, the admin's brute-force protection and error pages, in-process."""

import re

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path, reverse

from ignite.inline_scripts import SCRIPT_HASHES, source_hash
from ignite.logins import KNOWN_BROWSER_COOKIE
from tests.html import visible_text

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


def test_every_script_is_ours_and_the_inline_one_is_allowed_by_its_hash(client, launch_content):
    response = client.get("/en/features/")
    script_src = _csp(response)["script-src"]
    html = response.content.decode()
    assert "nonce" not in script_src and "nonce" not in html  # the same bytes for every reader
    sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    assert sources and all(source.startswith("/static/") for source in sources)
    # The one inline script (folding the filters on phones before the first paint) runs only
    # because the policy names its hash; htmx never runs scripts from swapped-in fragments.
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(inline) == 1
    assert source_hash(inline[0]) in script_src.split()
    assert set(SCRIPT_HASHES) <= set(script_src.split())
    assert source_hash(inline[0] + " ") not in script_src.split()  # a change is not allowed
    assert '"allowScriptTags": false' in html


def test_htmx_is_configured_for_the_csp(client, launch_content):
    html = client.get("/en/features/").content.decode()  # the one page that loads htmx
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


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
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


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_a_client_reaching_the_server_directly_cannot_rotate_its_address(client, superuser):
    """X-Forwarded-For from anyone but our proxy is the client's own claim, and ignored."""
    login = reverse("admin:login")
    statuses = [
        client.post(
            login,
            {"username": superuser.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        ).status_code
        for attempt in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.1", "198.51.100.7", "10.0.0.1"),  # no proxy: the header is a claim
        (["10.0.0.1"], "10.0.0.1", "198.51.100.7", "198.51.100.7"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # forged left part
        (["10.0.0.0/24"], "10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (["10.0.0.1"], "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not through our proxy
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "not-an-address", "10.0.0.1"),
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    rf, settings, proxies, remote, forwarded, expected
):
    from ignite.proxies import client_ip

    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@override_settings(
    TRUSTED_PROXIES=["10.0.0.1"], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
@pytest.mark.parametrize(("remote", "secure"), [("10.0.0.1", True), ("203.0.113.5", False)])
def test_https_is_believed_only_from_a_trusted_proxy(client, remote, secure):
    response = client.get("/healthz", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is secure


def test_the_lockout_page_says_429_and_how_long_to_wait(client, superuser):
    login = reverse("admin:login")
    for _attempt in range(5):
        response = client.post(login, {"username": superuser.username, "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    text = visible_text(response.content.decode())
    assert "429" in text and "403" not in text
    assert "After 5 failed sign-ins" in text and "try again in 60 minutes" in text


@override_settings(ACCOUNT_FAILURE_LIMIT=6, ACCOUNT_WINDOW_MINUTES=10)
def test_guessing_from_many_addresses_pauses_the_account_for_unknown_browsers(client, superuser):
    login = reverse("admin:login")
    good = {"username": superuser.username, "password": "a-long-test-password"}
    # The editor has signed in from this browser before.
    assert client.post(login, good, REMOTE_ADDR="198.51.100.1").status_code == 302
    remembered = client.cookies[KNOWN_BROWSER_COOKIE].value
    client.logout()  # (the test client forgets every cookie; a browser keeps this one)
    client.cookies[KNOWN_BROWSER_COOKIE] = remembered
    stranger = Client()
    for address in range(6):  # never more than one failure from one address
        stranger.post(
            login,
            {"username": superuser.username, "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{address}",
        )
    # A browser that never signed in to the account waits, even with the right password...
    paused = Client().post(login, good, REMOTE_ADDR="192.0.2.50")
    assert paused.status_code == 429
    assert int(paused["Retry-After"]) <= 600
    assert "only from browsers that have signed in to it before" in visible_text(
        paused.content.decode()
    )
    # ...while the editor's own browser gets in, from wherever they are.
    assert client.post(login, good, REMOTE_ADDR="192.0.2.77").status_code == 302


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


# Odd requests get a plain answer ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/features/?q=a%00b",
        "/en/features/?status=%00",
        "/en/?x%00=1",
        "/admin/autocomplete/?term=%00&app_label=features&model_name=feature&field_name=related",
        "/admin/features/feature/?state=%00",
        "/admin/ignite_sessions/session/?event__id__exact=%00",
    ],
)
def test_a_nul_in_any_query_value_is_a_400(superuser_client, url):
    response = superuser_client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_options_lists_the_methods_and_trace_is_refused(client):
    options = client.options("/en/")
    assert options.status_code == 204
    assert options["Allow"] == "GET, HEAD, POST, OPTIONS"
    trace = client.generic("TRACE", "/en/")
    assert trace.status_code == 405
    assert trace["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert trace.content == b""


@pytest.mark.parametrize("url", ["/en/", "/en/no-such-page/", "/healthz", "/admin/login/"])
def test_other_sites_may_not_embed_our_responses(client, url):
    assert client.get(url)["Cross-Origin-Resource-Policy"] == "same-origin"


def test_too_many_fields_is_one_warning_line_not_an_error(client, caplog):
    response = client.post("/admin/login/", {f"f{i}": "x" for i in range(1_100)})
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.TooManyFieldsSent"]
    assert [(r.levelname, r.exc_info) for r in records] == [("WARNING", None)]
    assert not [r for r in caplog.records if r.levelno >= 40]
