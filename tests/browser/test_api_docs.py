"""The API reference in a real browser: it renders under the site's CSP with no console errors."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_reference_renders_under_the_csp_without_errors(page, site, console_errors):
    response = page.goto(f"{site}/api/docs/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Ignite Recap API")
    expect(page.locator("#features_list h3")).to_contain_text("/api/v1/features/")
    # Its own stylesheet applied: the method badge is filled with the accent colour.
    badge = page.locator("#features_list .api-method").first
    assert badge.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    # Examples unfold without a script of ours.
    sample = page.locator("#features_list details").first
    sample.locator("summary").click()
    expect(sample.locator("pre")).to_contain_text('"status_label": "一般提供"')
    page.get_by_role("link", name="FeatureSummary", exact=True).first.click()
    expect(page.locator("#schema-FeatureSummary")).to_be_in_viewport()
    assert console_errors == []


class _ElsewherePage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!doctype html><title>Some other site</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    """Another site: a plain page on its own origin (the site answers only for its own host)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ElsewherePage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_page_on_another_origin_can_read_and_revalidate(browser, site, elsewhere):
    """A page of another origin fetches with CORS, sends If-None-Match after a preflight, and
    gets its 304."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{elsewhere}/")
    result = page.evaluate(
        """async (base) => {
            const address = base + '/api/v1/features/?status=ga&lang=ja';
            const first = await fetch(address, {cache: 'no-store'});
            const body = await first.json();
            const etag = first.headers.get('ETag');
            const headers = {'If-None-Match': etag};
            const again = await fetch(address, {headers: headers, cache: 'no-store'});
            return {count: body.count, etag: etag, again: again.status};
        }""",
        site,
    )
    context.close()
    assert result["count"] == 4 and result["etag"] and result["again"] == 304
    assert errors == []
