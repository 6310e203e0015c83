"""The site as production runs it: gunicorn, WhiteNoise, DEBUG off, behind a TLS proxy."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from gzip import decompress

import pytest
from django.conf import settings

from ignite.inline_scripts import SCRIPT_HASHES
from tests.ignite.conftest import manage

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], log, workers: int = 2):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "ignite/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "ignite.wsgi",
            ],
            cwd=settings.BASE_DIR,
            env={**env, "GUNICORN_ACCESS_LOG": ""},
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),  # a file: a pipe nobody reads would block the workers
        )
        self.log = log
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str, timeout: float = 10, **headers: str):
        request = urllib.request.Request(
            self.base + path,
            headers={"Host": "recap.example.com", "X-Forwarded-Proto": "https", **headers},
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            return opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            return error

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from tests.ignite.conftest import PRODUCTION, clean_environment

    folder = tmp_path_factory.mktemp("served")
    env = clean_environment(
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_BEHIND_TLS_PROXY="1",
    )
    for command in (("migrate", "--noinput"), ("load_content",), ("collectstatic", "--noinput")):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    server = Server(env, folder / "gunicorn.log")
    yield server
    server.stop()


def test_pages_are_served_with_the_security_headers(served):
    response = served.get("/en/features/")
    assert response.status == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    html = response.read().decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.[0-9a-f]+\.js" defer>', html)
    assert "'self'" in script_src.split() and "nonce" not in script_src
    assert all(source in script_src.split() for source in SCRIPT_HASHES)
    assert "django-htmx.js" not in html  # the debug helper only ships with DEBUG on


def test_a_cached_page_goes_out_as_it_was_compressed_when_stored(served):
    # Each worker keeps its own copies: ask until two answers come from them.
    gzip = {"Accept-Encoding": "gzip"}
    plain = served.get("/en/features/").read()
    responses = [served.get("/en/features/", **gzip) for _attempt in range(8)]
    hits = [r for r in responses if r.headers["X-Page-Cache"] == "hit"]
    bodies = {hit.read() for hit in hits}
    # Compressed once per worker (its own copy), not per hit: Django pads each compression
    # with random bytes, so a page compressed again would be other bytes.
    assert len(bodies) < len(hits)
    assert {hit.headers["Content-Encoding"] for hit in hits} == {"gzip"}
    assert {decompress(body) for body in bodies} == {plain}


def test_plain_http_is_redirected_to_https(served):
    response = served.get("/en/", **{"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.headers["Location"] == "https://recap.example.com/en/"


def test_cookies_are_secure_and_http_only(served):
    response = served.get("/admin/login/")
    cookies = response.headers.get_all("Set-Cookie")
    csrf = next(cookie for cookie in cookies if cookie.startswith("csrftoken="))
    assert "Secure" in csrf and "HttpOnly" in csrf and "SameSite=Lax" in csrf
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers


def test_static_files_are_hashed_compressed_and_cached_for_ever(served):
    html = served.get("/en/").read().decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    response = served.get(stylesheet, **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_errors_are_the_sites_own_pages_without_debug_information(served):
    response = served.get("/en/features/no-such-feature/")
    body = response.read().decode()
    assert response.status == 404
    assert "Page not found" in body
    assert "Traceback" not in body and "DEBUG" not in body and "URLconf" not in body


def test_health_check_answers(served):
    response = served.get("/healthz")
    assert response.status == 200
    assert json.loads(response.read()) == {
        "status": "ok",
        "checks": {"database": True, "cache": True},
    }


def test_load_balancers_probe_health_over_plain_http(served):
    response = served.get("/healthz", **{"X-Forwarded-Proto": "http"})
    assert response.status == 200


def test_conditional_get_through_the_server(served):
    first = served.get("/en/")
    etag = first.headers["ETag"]
    again = served.get("/en/", **{"If-None-Match": etag})
    assert again.status == 304


def test_a_database_outage_is_a_503_not_a_traceback(tmp_path):
    from tests.ignite.conftest import PRODUCTION, clean_environment

    env = clean_environment(
        **PRODUCTION,
        DATABASE_URL="postgres://postgres@127.0.0.1:9/ignite",  # nothing listens on port 9
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_BEHIND_TLS_PROXY="1",
    )
    assert manage("collectstatic", "--noinput", env=env).returncode == 0
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        health = server.get("/healthz")
        assert health.status == 503
        assert json.loads(health.read())["checks"]["database"] is False
        probe = server.get("/healthz", **{"X-Forwarded-Proto": "http"})
        assert probe.status == 503, "a probe over plain HTTP must not be redirected"
        missing = server.get("/en/no-such-page/")
        assert missing.status == 404
        assert "Traceback" not in missing.read().decode()
        page = server.get("/en/")
        assert page.status == 503
        assert page.headers["Retry-After"] == "30"
        body = page.read().decode()
        assert "cannot reach its database" in body and "Traceback" not in body
    finally:
        server.stop()


def test_no_header_names_the_server_software(served):
    for path in ("/en/", "/healthz", "/en/no-such-page/"):
        headers = served.get(path).headers
        assert "Server" not in headers and "X-Powered-By" not in headers, path


def test_the_static_files_manifest_is_not_published(served):
    assert served.get("/static/staticfiles.json").status == 404
    html = served.get("/en/").read().decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    response = served.get(stylesheet)
    assert response.status == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
