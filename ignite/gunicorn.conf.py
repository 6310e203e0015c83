"""gunicorn settings for `make serve` and production; each can be overridden by its variable."""

import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.http import wsgi as gunicorn_wsgi

# Read the site's settings before any worker starts: a configuration error (a weak secret key,
# missing hosts) stops gunicorn with its one-line message instead of a traceback per worker.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ignite.settings")
from ignite import settings as site

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Trust X-Forwarded-* only from the site's own reverse proxies (DJANGO_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", ",".join(site.TRUSTED_PROXIES))

# No "Server: gunicorn" header: it tells a stranger which software to attack.
_default_headers = gunicorn_wsgi.Response.default_headers


def _headers_without_server(response):
    return [line for line in _default_headers(response) if not line.startswith("Server:")]


gunicorn_wsgi.Response.default_headers = _headers_without_server
