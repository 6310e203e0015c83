"""PostgreSQL that answers within a few seconds, or fails, even when the server hangs.

libpq's connect_timeout bounds connecting and the server's statement_timeout bounds a slow
query, but neither helps when an established connection stalls (a half-dead network, a proxy
that accepts and then says nothing). So every wait on the server (a query, a commit, the health
ping) is watched: a watchdog thread shuts the socket of a connection that has waited longer than
its timeout, the waiting call fails with an OperationalError, and the site answers 503 with
Retry-After (ignite.middleware) instead of holding a worker.

The bounds hold in the site's server only (ignite.wsgi calls `bound_waits()`): a management
command (migrate, import_content, a shell) waits as long as the database needs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)

# The health check asks for less patience than pages (ignite.health).
timeout_override: ContextVar[float | None] = ContextVar("db_timeout_override", default=None)
# A liveness ping ("SELECT 1" before reusing a connection) never needs long.
PING_TIMEOUT = 2.0


class Watchdog:
    """Shuts the socket of any connection still waiting on the server after its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[float, object]] = {}
        self._thread: threading.Thread | None = None

    @contextmanager
    def guard(self, raw_connection, seconds: float):
        if raw_connection is None or not seconds:
            yield
            return
        token = object()
        with self._lock:
            self._waiting[id(token)] = (time.monotonic() + seconds, raw_connection)
            if self._thread is None or not self._thread.is_alive():  # e.g. after a fork
                self._thread = threading.Thread(target=self._watch, name="db-watchdog", daemon=True)
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                self._waiting.pop(id(token), None)

    def _watch(self) -> None:
        while True:
            time.sleep(0.1)
            now = time.monotonic()
            with self._lock:
                overdue = [key for key, (deadline, _raw) in self._waiting.items() if deadline < now]
                connections = [self._waiting.pop(key)[1] for key in overdue]
            for raw in connections:
                _cut(raw)


def _cut(raw_connection) -> None:
    try:
        duplicate = os.dup(raw_connection.pgconn.socket)
        with socket.socket(fileno=duplicate) as sock:
            sock.shutdown(socket.SHUT_RDWR)
        logger.warning("The database did not answer in time; its connection was cut.")
    except Exception:  # already closed or broken: the waiting call fails on its own
        logger.debug("Could not cut a database connection.", exc_info=True)


WATCHDOG = Watchdog()
_serving = False


def bound_waits() -> None:
    """Bound every wait on PostgreSQL in this process: called when the site starts serving."""
    global _serving
    _serving = True


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's PostgreSQL backend with every wait on the server bounded (QUERY_TIMEOUT)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._bounded_execute)

    def init_connection_state(self) -> None:
        super().init_connection_state()
        seconds = self.server_statement_timeout()
        if seconds:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    def server_statement_timeout(self) -> float:
        """The server's own bound, a second before ours: it fails a slow query more tidily."""
        return max(self.query_timeout() - 1, 0) if self.query_timeout() > 1 else 0

    def query_timeout(self) -> float:
        if not _serving:
            return 0
        override = timeout_override.get()
        configured = float(self.settings_dict.get("QUERY_TIMEOUT") or 0)
        return min(override, configured) if override and configured else override or configured

    def _bounded_execute(self, execute, sql, params, many, context):
        with WATCHDOG.guard(self.connection, self.query_timeout()):
            return execute(sql, params, many, context)

    def is_usable(self) -> bool:
        with WATCHDOG.guard(
            self.connection, min(PING_TIMEOUT, self.query_timeout() or PING_TIMEOUT)
        ):
            return super().is_usable()

    def _commit(self):
        with WATCHDOG.guard(self.connection, self.query_timeout()):
            return super()._commit()

    def _rollback(self):
        with WATCHDOG.guard(self.connection, self.query_timeout()):
            return super()._rollback()
