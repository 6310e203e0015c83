"""A database that accepts connections and then says nothing costs a page seconds, not minutes."""

import json
import socket
import threading
import time

import pytest

from tests.ignite.conftest import PRODUCTION, clean_environment, manage
from tests.ignite.test_serving import Server

pytestmark = pytest.mark.slow

POSTGRES = ("127.0.0.1", 5432)
# Connecting is bounded at 3 s, a ping of a kept connection at 2 s, a query at 6 s; the rest is
# room for a loaded machine. Without the bounds these requests wait for minutes.
ANSWER_WITHIN_SECONDS = 15


class StallingProxy:
    """A TCP proxy in front of PostgreSQL that, once stalled, accepts connections and forwards
    nothing more, in either direction, on new or established connections."""

    def __init__(self, target=POSTGRES):
        self.target = target
        self.stalled = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            if self.stalled.is_set():
                continue  # accepted, and never answered
            upstream = socket.create_connection(self.target)
            self.sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.stalled.is_set():
                    time.sleep(0.05)  # hold the bytes: the connection hangs
                sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()
        for sock in self.sockets:
            sock.close()


def _postgres_available() -> bool:
    try:
        socket.create_connection(POSTGRES, timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _postgres_available(), reason="needs PostgreSQL on 127.0.0.1:5432")
def test_a_hung_database_gives_503_with_retry_after_within_seconds(tmp_path):
    proxy = StallingProxy()
    env = clean_environment(
        **PRODUCTION,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/postgres",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_BEHIND_TLS_PROXY="1",
        GUNICORN_THREADS="1",  # one worker, one thread: the next request reuses the connection
    )
    assert manage("collectstatic", "--noinput", env=env).returncode == 0
    server = Server(env, tmp_path / "gunicorn.log", workers=1)
    try:
        assert json.loads(server.get("/healthz").read())["checks"]["database"] is True
        proxy.stalled.set()  # the database now hangs, on the kept connection and on new ones

        for path in ("/en/features/", "/healthz"):
            started = time.monotonic()
            response = server.get(path, timeout=60)
            elapsed = time.monotonic() - started
            assert response.status == 503, path
            assert response.headers["Retry-After"] == "30", path
            assert elapsed < ANSWER_WITHIN_SECONDS, f"{path} took {elapsed:.1f} s"
    finally:
        server.stop()
        proxy.close()
