"""The static archive in a real browser: served by a plain static file server at a URL prefix
(as a static host serves it), and opened from disk."""

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

# The archive is made from the database once (launch_archive); the pages read none of it.
# Transactional like the other browser tests: its teardown closes the connection Playwright's
# event loop made the ORM open.
pytestmark = pytest.mark.django_db(transaction=True)

RESULTS = ".feature-list > li"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def archive_host(launch_archive):
    """The launch archive on Python's plain static file server, under /recap/."""
    handler = functools.partial(_QuietHandler, directory=str(launch_archive.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/{launch_archive.name}/"
    server.shutdown()
    server.server_close()


def facet(page, label):
    return page.locator("#facets a.facet__option", has_text=re.compile(rf"^\s*{label}\b"))


def test_the_archive_at_a_prefix_navigates_like_the_site(archive_host, page, console_errors):
    page.goto(archive_host)
    page.get_by_role("link", name="Read the recap in English").click()
    expect(page).to_have_url(f"{archive_host}en/index.html")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Features").click()
    expect(page).to_have_url(f"{archive_host}en/features/index.html")
    expect(page.locator(RESULTS)).to_have_count(13)
    page.get_by_role("link", name="LocalDNS").click()
    expect(page).to_have_url(f"{archive_host}en/features/localdns/index.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("LocalDNS")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    expect(page).to_have_url(f"{archive_host}en/sessions/index.html")
    # The stylesheet (a hashed static file) applies.
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"
    assert console_errors == []


def test_catalog_filters_are_pages_that_combine(archive_host, page, console_errors):
    page.goto(f"{archive_host}en/features/index.html")
    facet(page, "GA").click()
    expect(page).to_have_url(f"{archive_host}en/features/status=ga/index.html")
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page.locator("#result-count")).to_have_text("4 features found")
    expect(facet(page, "GA")).to_have_attribute("aria-current", "true")
    facet(page, "Networking").click()
    expect(page).to_have_url(f"{archive_host}en/features/area=networking&status=ga/index.html")
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS).first).to_contain_text("LocalDNS")
    facet(page, "GA").click()  # the chosen status again: every status
    expect(page).to_have_url(f"{archive_host}en/features/area=networking/index.html")
    page.get_by_role("link", name="Clear all").click()
    expect(page).to_have_url(f"{archive_host}en/features/index.html")
    assert console_errors == []


def test_the_language_switch_keeps_the_filtered_page(archive_host, page, console_errors):
    page.goto(f"{archive_host}en/features/area=networking&status=ga/index.html")
    page.get_by_role("link", name="日本語").click()
    expect(page).to_have_url(f"{archive_host}ja/features/area=networking&status=ga/index.html")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("#result-count")).to_have_text("1 件見つかりました")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{archive_host}en/features/area=networking&status=ga/index.html")
    assert console_errors == []


def test_search_runs_in_the_browser_within_the_page_filters(archive_host, page, console_errors):
    page.goto(f"{archive_host}en/features/index.html")
    search = page.get_by_label("Search features")
    search.press_sequentially("coredns", delay=20)
    expect(page.locator(f"#archive-search-results {RESULTS}")).to_have_count(1)
    expect(page.locator("#archive-search-results")).to_contain_text("LocalDNS")
    expect(page.locator("#result-count")).to_have_text("1 feature found")
    expect(page).to_have_url(f"{archive_host}en/features/index.html#q=coredns")
    search.press("Enter")  # nothing to submit to: the page stays
    expect(page).to_have_url(f"{archive_host}en/features/index.html#q=coredns")
    search.fill("")
    expect(page.locator(f"#results {RESULTS}")).to_have_count(13)
    expect(page.locator("#archive-search-results")).to_have_count(0)

    page.goto(f"{archive_host}en/features/status=preview/index.html#q=dns")
    expect(page.get_by_label("Search features")).to_have_value("dns")
    expect(page.locator("#archive-search-results")).to_contain_text("No features match")

    page.goto(f"{archive_host}ja/features/index.html")
    page.get_by_label("機能を検索").fill("ＣＯＲＥＤＮＳ")  # full-width letters fold as on the site
    expect(page.locator(f"#archive-search-results {RESULTS}")).to_have_count(1)
    assert console_errors == []


def test_the_archive_opens_from_disk_and_its_links_work(launch_archive, page, console_errors):
    start = (launch_archive / "en/index.html").as_uri()
    page.goto(start)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Features").click()
    expect(page).to_have_url(re.compile(r"^file://.*/en/features/index\.html$"))
    expect(page.locator(RESULTS)).to_have_count(13)
    facet(page, "Preview").click()
    expect(page).to_have_url(re.compile(r"/en/features/status=preview/index\.html$"))
    expect(page.locator(RESULTS)).to_have_count(1)
    page.get_by_label("Search features").fill("zzznothing")
    expect(page.locator("#archive-search-results")).to_contain_text("No features match")
    page.locator(".brand").click()
    expect(page).to_have_url(start)
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"
    assert console_errors == []
