"""Reading in a real browser: phones, Japanese line breaking and paper."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.crawl import public_pages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def test_no_public_page_scrolls_sideways_on_a_320px_phone(phone, site):
    pages = [address for address, (status, _html) in public_pages(Client()).items()]
    assert len(pages) > 40
    too_wide = {}
    for address in pages:
        phone.goto(f"{site}{address}")
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            too_wide[address] = overflow
    assert too_wide == {}


def test_the_phone_menu_takes_two_even_lines(phone, site):
    for language in ("en", "ja"):
        phone.goto(f"{site}/{language}/")
        tops = phone.locator(".site-nav li").evaluate_all(
            "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
        )
        counts = [tops.count(row) for row in sorted(set(tops))]
        # Two lines, as even as the number of items allows (six items: three and three).
        assert len(counts) == 2 and counts[0] - counts[1] in (0, 1), (language, tops)


def test_japanese_breaks_between_phrases_and_keeps_dates_whole(phone, site):
    phone.goto(f"{site}/ja/features/pod-sandboxing/")
    style = phone.locator("main").evaluate(
        "el => { const s = getComputedStyle(el); return [s.wordBreak, s.lineBreak]; }"
    )
    assert style == ["auto-phrase", "strict"]
    for date in phone.locator("time, .nowrap").all():
        box = date.evaluate("el => el.getClientRects().length")
        assert box == 1, date.inner_text()  # one line box: the date is not split
    english = phone.locator("h1")
    expect(english).to_have_attribute("lang", "en")
    expect(phone.locator(".page-title .name-ja")).to_have_text("ポッド サンドボックス化")


def test_a_feature_page_prints_without_the_sites_controls(page, site):
    page.goto(f"{site}/en/features/pod-sandboxing/")
    page.emulate_media(media="print")
    for control in (".site-nav", ".language-switcher", ".site-footer", ".skip-link"):
        expect(page.locator(control)).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".sources")).to_be_visible()
    written_out = page.locator(".doc-links a").first.evaluate(
        "el => getComputedStyle(el, '::after').content"
    )
    assert re.search(r"https://learn\.microsoft\.com/", written_out)
    page.emulate_media(media="screen")
    expect(page.locator(".site-nav")).to_be_visible()


def test_the_recap_prints_without_the_catalog_buttons(page, site):
    page.goto(f"{site}/en/")
    page.emulate_media(media="print")
    expect(page.locator(".section-more").first).to_be_hidden()
    expect(page.locator(".highlights")).to_be_visible()
    assert page.pdf()[:4] == b"%PDF"
