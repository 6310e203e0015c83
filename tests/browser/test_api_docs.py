"""The API reference in a real browser: it renders under the site's CSP with no console errors."""

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


def test_a_page_on_another_origin_can_read_and_revalidate(browser, site):
    """A page of another origin (127.0.0.1 against the server's localhost) fetches with CORS,
    sends If-None-Match after a preflight, and gets its 304. The page's own CSP is bypassed:
    it stands for some other site, whose policy would allow the call."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    elsewhere = site.replace("localhost", "127.0.0.1")
    assert elsewhere != site
    page.goto(f"{elsewhere}/robots.txt")
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
