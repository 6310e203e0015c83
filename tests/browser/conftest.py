"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent.name == "browser":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("The browser tests need Debian's chromium: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def site(transactional_db, live_server):
    """The launch content served by a live server; returns its base URL."""
    call_command("load_content", stdout=StringIO(), stderr=StringIO())
    return live_server.url


@pytest.fixture
def console_errors(page):
    """Errors the page logs (CSP violations, failed requests, script errors)."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture(autouse=True)
def _the_live_server_is_the_site(request, settings):
    """Production answers only for the site's host and port: here, the live server's."""
    if "live_server" in request.fixturenames:
        settings.SITE_DOMAIN = request.getfixturevalue("live_server").url.split("://", 1)[1]
