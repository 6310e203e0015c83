"""A local HTTP server with one path per kind of answer a link can give (no internet in tests)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")
JAPANESE_PATH = "/ドキュメント"
# Long enough for a dozen requests to overlap, short enough to keep the tests fast.
OVERLAP_SECONDS = 0.15


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.requests: list[tuple[str, str, str]] = []  # (method, path, user agent)
        self.flaky_works = False
        self.release = threading.Event()  # lets a sleeping handler go at teardown

    def handle_error(self, request, client_address) -> None:
        """Quiet: a client that gave up (the timeout test) breaks the pipe, as intended."""

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def answer(self, status: int, location: str | None = None, body: bytes = b"hello") -> None:
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        # Many real servers get HEAD wrong; this one refuses it, so a checker using HEAD fails.
        self.server.requests.append(("HEAD", self.path, self.headers.get("User-Agent", "")))
        self.answer(405)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append(("GET", self.path, self.headers.get("User-Agent", "")))
        self.route()

    def busy(self) -> None:
        """Take a while, counting how many requests are here at once (done before answering:
        once answered, the client may already send its next request)."""
        server = self.server
        with server.lock:
            server.active += 1
            server.max_active = max(server.max_active, server.active)
        time.sleep(OVERLAP_SECONDS)
        with server.lock:
            server.active -= 1

    def route(self) -> None:
        path = self.path
        if path in ("/ok", quote(JAPANESE_PATH)):
            self.answer(200)
        elif path == "/moved":
            self.answer(301, "/moved-again")
        elif path == "/moved-again":
            self.answer(302, f"http://127.0.0.1:{self.server.port}/ok")
        elif path == "/relative":
            self.answer(308, "ok")
        elif path == "/missing":
            self.answer(404)
        elif path == "/error":
            self.answer(500)
        elif path == "/loop-a":
            self.answer(302, "/loop-b")
        elif path == "/loop-b":
            self.answer(302, "/loop-a")
        elif path.startswith("/endless/"):
            self.answer(302, f"/endless/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/to-ftp":
            self.answer(301, "ftp://files.example.com/")
        elif path == "/rate-limited":
            self.answer(429)
        elif path == "/flaky":
            self.answer(200 if self.server.flaky_works else 503)
        elif path == "/slow":
            self.server.release.wait(5)
            self.answer(200)
        elif path.startswith("/busy/"):
            self.busy()
            self.answer(200)
        else:
            self.answer(404)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Requests to the local server go straight to it, whatever proxy the machine has set."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def link_server():
    server = LinkServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
