"""The catalog in a real browser: live filtering with htmx, history, and no JavaScript at all."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

RESULTS = "#results .feature-list > li"


def open_catalog(page, site, query=""):
    page.goto(f"{site}/en/features/{query}")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads


def test_ticking_ga_updates_the_list_without_a_reload_and_back_restores(page, site, console_errors):
    open_catalog(page, site)
    expect(page.locator(RESULTS)).to_have_count(13)
    page.get_by_label(re.compile(r"^GA")).check()
    expect(page).to_have_url(re.compile(r"/en/features/\?status=ga$"))
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page.locator("#result-count")).to_have_text("4 features found")
    assert page.evaluate("window.__sameDocument") is True
    # The facets were refreshed around the results: areas now count GA features only, and an
    # area with none stays in its place, disabled, so nothing jumps under the pointer.
    expect(page.locator("#area-fleet")).to_be_disabled()
    expect(page.locator("label[for=area-fleet] .facet__count")).to_contain_text("0")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/features/$"))
    expect(page.locator(RESULTS)).to_have_count(13)
    expect(page.get_by_label(re.compile(r"^GA"))).not_to_be_checked()
    page.go_forward()
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page.get_by_label(re.compile(r"^GA"))).to_be_checked()
    assert console_errors == []


def test_typing_in_search_narrows_the_results(page, site, console_errors):
    open_catalog(page, site)
    page.get_by_label("Search features").press_sequentially("coredns", delay=40)
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS).first).to_contain_text("LocalDNS")
    expect(page).to_have_url(re.compile(r"q=coredns"))
    expect(page.get_by_label("Search features")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True
    assert console_errors == []


def test_a_search_is_one_history_entry_and_enter_searches_without_a_reload(page, site):
    open_catalog(page, site, "?status=ga")
    before = page.evaluate("history.length")
    search = page.get_by_label("Search features")
    search.press_sequentially("dns", delay=450)  # pauses long enough to search each time
    expect(page).to_have_url(re.compile(r"\?(q=dns&status=ga|status=ga&q=dns)$"))
    expect(page.locator(RESULTS)).to_have_count(1)
    assert page.evaluate("history.length") == before + 1, "one entry for the whole search"
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?status=ga$"))
    expect(page.locator(RESULTS)).to_have_count(4)

    search.fill("coredns")
    search.press("Enter")
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?(q=coredns&status=ga|status=ga&q=coredns)$"))
    assert page.evaluate("window.__sameDocument") is True
    expect(search).to_be_focused()


def test_search_waits_for_an_input_method_to_finish(page, site):
    open_catalog(page, site)
    search = page.get_by_label("Search features")
    search.focus()
    page.evaluate(
        "document.getElementById('id_q').dispatchEvent("
        "new CompositionEvent('compositionstart', {bubbles: true}))"
    )
    page.keyboard.insert_text("めいぜんかいけつ")  # still being composed: not a search yet
    page.wait_for_timeout(800)
    expect(page).to_have_url(re.compile(r"/en/features/$"))
    expect(page.locator(RESULTS)).to_have_count(13)
    search.evaluate(
        "el => { el.value = '名前解決';"
        " el.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true})); }"
    )
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS).first).to_contain_text("LocalDNS")


def test_on_a_phone_the_filters_start_folded_and_stay_as_the_reader_left_them(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site}/en/features/?status=ga&q=dns")
    panel = page.locator(".filters__panel")
    expect(panel).not_to_have_attribute("open", "")
    page.get_by_role("link", name=re.compile(r"Remove filter: Search")).click()
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page.locator(".filters__panel")).not_to_have_attribute("open", "")
    page.locator(".filters__title").click()
    page.get_by_role("link", name="Clear all").click()
    expect(page.locator(RESULTS)).to_have_count(13)
    expect(page.locator(".filters__panel")).to_have_attribute("open", "")
    context.close()


def test_keyboard_focus_stays_on_the_filter_being_used(page, site):
    open_catalog(page, site)
    checkbox = page.locator("#status-preview")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator("#status-preview")).to_be_focused()
    expect(page.locator("#status-preview")).to_be_checked()


def test_a_shared_url_opens_the_same_view(page, site):
    page.goto(f"{site}/en/features/?status=ga&area=security&sort=name")
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(RESULTS).first).to_contain_text("Pod Sandboxing")
    expect(page.locator("#status-ga")).to_be_checked()
    expect(page.locator("#area-security")).to_be_checked()
    expect(page.locator("#id_sort")).to_have_value("name")


def test_removing_a_chip_and_clearing_all(page, site):
    open_catalog(page, site, "?status=ga&q=dns")
    expect(page.locator(RESULTS)).to_have_count(1)
    page.get_by_role("link", name=re.compile(r"Remove filter: Search")).click()
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page.get_by_label("Search features")).to_have_value("")
    expect(page).to_have_url(re.compile(r"\?status=ga$"))
    page.get_by_role("link", name="Clear all").click()
    expect(page.locator(RESULTS)).to_have_count(13)
    expect(page).to_have_url(re.compile(r"/en/features/$"))
    assert page.evaluate("window.__sameDocument") is True


def test_sorting_from_the_select(page, site):
    open_catalog(page, site)
    page.locator("#id_sort").select_option("name")
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator(RESULTS).first).to_contain_text("ACNS: Container Network Logs")


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_form_still_filters(no_script_page, site):
    page = no_script_page
    page.goto(f"{site}/en/features/")
    page.get_by_label(re.compile(r"^GA")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"status=ga"))
    expect(page.locator(RESULTS)).to_have_count(4)
    page.get_by_label("Search features").fill("sandbox")
    page.get_by_label("Search features").press("Enter")
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"status=ga.*q=sandbox|q=sandbox.*status=ga"))
    page.get_by_role("link", name=re.compile(r"Remove filter: GA")).click()
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?q=sandbox$"))


def test_switching_language_keeps_the_filters(page, site, console_errors):
    open_catalog(page, site)
    page.get_by_label(re.compile(r"^GA")).check()
    expect(page.locator(RESULTS)).to_have_count(4)
    page.get_by_role("link", name="日本語").click()
    expect(page).to_have_url(re.compile(r"/ja/features/\?status=ga$"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(RESULTS)).to_have_count(4)
    expect(page.locator("#result-count")).to_have_text("4 件見つかりました")
    expect(page.locator("#status-ga")).to_be_checked()
    assert console_errors == []


@pytest.mark.parametrize(
    "path",
    ["/en/", "/ja/", "/en/features/pod-sandboxing/", "/en/sessions/brk120/", "/en/comparisons/"],
)
def test_pages_load_without_console_errors(page, site, console_errors, path):
    response = page.goto(f"{site}{path}")
    assert response.status == 200
    assert console_errors == []


def test_enter_or_the_search_button_after_typing_adds_no_second_history_entry(page, site):
    open_catalog(page, site)
    search = page.get_by_label("Search features")
    search.press_sequentially("dns", delay=40)
    expect(page).to_have_url(re.compile(r"\?q=dns$"))
    expect(page.locator(RESULTS)).to_have_count(2)
    entries = page.evaluate("history.length")
    with page.expect_response(re.compile(r"/en/features/\?q=dns$")):
        search.press("Enter")
    with page.expect_response(re.compile(r"/en/features/\?q=dns$")):
        page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_timeout(200)  # htmx updates the history after the response
    assert page.evaluate("history.length") == entries
    page.go_back()  # the first Back returns to before the search
    expect(page).to_have_url(re.compile(r"/en/features/$"))
    expect(page.locator(RESULTS)).to_have_count(13)


def test_arrow_keys_on_the_sort_select_make_one_request_and_one_history_entry(page, site):
    open_catalog(page, site)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.headers.get("hx-request") else None)
    entries = page.evaluate("history.length")
    page.locator("#id_sort").focus()
    for _ in range(3):  # Release status → Name (A–Z) → Name (Z–A) → Area
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(60)
    expect(page).to_have_url(re.compile(r"\?sort=area$"))
    page.wait_for_timeout(800)
    assert requests == [f"{site}/en/features/?sort=area"]
    assert page.evaluate("history.length") == entries + 1
    expect(page.locator("#id_sort")).to_be_focused()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/features/$"))


@pytest.mark.parametrize("width", [320, 390])
def test_without_javascript_the_sort_row_fits_a_phone(browser, site, width):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto(f"{site}/en/features/?status=ga&area=security")
    button = page.get_by_role("button", name="Sort", exact=True)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_a_skip_link_leads_past_the_filters_to_the_results(page, site):
    open_catalog(page, site)
    page.get_by_role("button", name="Search", exact=True).focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    focused_in_filters = page.evaluate("document.activeElement.closest('#filters') !== null")
    assert not focused_in_filters
