"""Two gunicorn instances on one PostgreSQL and one Redis, as behind a load balancer: what an
editor publishes through one, readers of the other get within the stated bound, with the page
cache on. Runs with `make test-postgres` (it needs PostgreSQL and Redis)."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from features.models import Feature
from tests.factories import FeatureFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", "") or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL and Redis (make test-postgres)",
    ),
]

ROOT = Path(settings.BASE_DIR)
# The bound the page cache states (ignite/page_cache.py): the revision read (1 s) plus an
# earlier rendering standing in (5 s) plus one render; with a margin for a loaded machine.
BOUND_SECONDS = 1 + 5 + 4
# The public host both servers answer for, as behind one load balancer.
HOST = "recap.test"
# As `make serve` runs the site: production settings on loopback, plain HTTP.
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_SITE_DOMAIN": HOST,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collected static files, as production serves them (DEBUG off needs the manifest)."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, **PRODUCTION, "DJANGO_STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def two_servers(static_root, transactional_db):
    ports = [free_port(), free_port()]
    processes = []
    for port in ports:
        env = {
            **os.environ,
            **PRODUCTION,
            "DATABASE_URL": database_url(),
            "DJANGO_STATIC_ROOT": str(static_root),
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": "",
        }
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "ignite/gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "ignite.wsgi",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            wait_until_up(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def get(url: str, session=requests) -> requests.Response:
    return session.get(url, headers={"Host": HOST}, timeout=10)


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(f"{url}/healthz").status_code < 500:
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not start")


def log_in(url: str, username: str) -> requests.Session:
    session = requests.Session()
    session.headers["Host"] = HOST
    page = session.get(f"{url}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/admin/login/",
        data={
            "username": username,
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        },
        headers={"Referer": f"http://{HOST}/admin/login/"},
        timeout=10,
    )
    assert response.status_code == 200 and "Log out" in response.text, response.text[:500]
    return session


def test_what_one_server_publishes_the_other_serves_within_the_bound(two_servers):
    call_command("load_content", verbosity=0)
    UserFactory(username="chief", is_superuser=True)
    draft = FeatureFactory(slug="breaking-news", name="Breaking News Feature", draft=True)
    editor_side, reader_side = two_servers

    # Readers of the second server have the catalog in the page cache without the draft.
    catalog = f"{reader_side}/en/features/"
    assert "Breaking News Feature" not in get(catalog).text
    again = get(catalog)
    assert again.headers.get("X-Page-Cache") in ("hit", "stale"), dict(again.headers)
    assert get(f"{reader_side}/en/features/breaking-news/").status_code == 404

    editor = log_in(editor_side, "chief")
    changelist = f"{editor_side}/admin/features/feature/"
    token = editor.cookies["csrftoken"]
    response = editor.post(
        changelist,
        data={
            "action": "publish_selected",
            "_selected_action": [draft.pk],
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"http://{HOST}/admin/features/feature/"},
        timeout=10,
    )
    assert response.status_code == 200
    published_at = time.monotonic()
    assert Feature.objects.get(pk=draft.pk).is_published

    seen = None
    while time.monotonic() - published_at < BOUND_SECONDS + 5:
        page = get(catalog)
        if "Breaking News Feature" in page.text:
            seen = time.monotonic() - published_at
            break
        time.sleep(0.25)
    assert seen is not None and seen <= BOUND_SECONDS, seen
    print(f"published through one server, served by the other after {seen:.1f} s")
    assert get(f"{reader_side}/en/features/breaking-news/").status_code == 200
