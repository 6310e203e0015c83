"""Every admin list, and the status pages, fit a 1280 px window with both sidebars open: no
sideways scroll, and the last column of a list in view."""

import re
from pathlib import Path

import pytest

from features.models import Feature
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots-status")
WIDTH, HEIGHT = 1280, 800

# The page's overflow, and how far the last column of a list (or the widest form row) reaches.
MEASURE = """() => {
  const page = document.scrollingElement;
  const results = document.querySelector('#changelist .results');
  const last = document.querySelector('#result_list thead th:last-child');
  const inlines = [...document.querySelectorAll('.inline-group .tabular')];
  return {
    inlineOverflow: Math.max(0, ...inlines.map(box => box.scrollWidth - box.clientWidth)),
    scrollWidth: page.scrollWidth,
    clientWidth: page.clientWidth,
    resultsOverflow: results ? results.scrollWidth - results.clientWidth : 0,
    lastRight: last ? last.getBoundingClientRect().right : null,
    // The list scrolls inside its box: a column past the box's edge is cut off.
    visibleRight: results ? Math.min(results.getBoundingClientRect().right, page.clientWidth)
      : page.clientWidth,
    filterOpen: !!document.querySelector('#changelist-filter'),
    navOpen: !!document.querySelector('#nav-sidebar')
      && getComputedStyle(document.querySelector('#nav-sidebar')).visibility !== 'hidden',
  };
}"""


def sign_in(page, site) -> None:
    UserFactory(username="chief", is_superuser=True)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def shot_name(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.split("/admin/", 1)[1].lower()).strip("-") or "index"


def assert_fits(page, name: str) -> dict:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    size = page.evaluate(MEASURE)
    assert size["scrollWidth"] <= size["clientWidth"], (name, size)
    assert size["resultsOverflow"] <= 0, (name, size)
    if size["lastRight"] is not None:
        assert size["lastRight"] <= size["visibleRight"] + 0.5, (name, size)
    return size


def test_every_changelist_fits_1280_with_both_sidebars_open(page, site, console_errors):
    sign_in(page, site)
    page.goto(f"{site}/admin/")
    hrefs = sorted(
        {
            href
            for href in page.locator("#content-main table th a").evaluate_all(
                "links => links.map(link => link.getAttribute('href'))"
            )
            if re.fullmatch(r"/admin/\w+/\w+/", href)
        }
    )
    assert len(hrefs) >= 8, hrefs
    failures = []
    for href in hrefs:
        page.goto(f"{site}{href}")
        try:
            size = assert_fits(page, shot_name(href))
        except AssertionError as error:
            failures.append((href, str(error).splitlines()[0]))
            continue
        assert size["navOpen"], href
    assert failures == [], "\n".join(f"{href}: {why}" for href, why in failures)
    assert console_errors == []


def test_the_feature_form_and_the_status_pages_fit_1280(page, site, console_errors):
    sign_in(page, site)
    feature = Feature.objects.filter(status_changes__isnull=False).distinct().first()
    entry = feature.status_changes.order_by("date").first()
    base = f"{site}/admin/features/feature/{feature.pk}"

    page.goto(f"{base}/change/")
    assert assert_fits(page, "feature-change")["inlineOverflow"] <= 0
    timeline = page.locator(".status-summary")
    assert timeline.bounding_box()["y"] < page.locator("#id_name").bounding_box()["y"]

    page.get_by_role("link", name="Record a status change").click()
    assert page.url == f"{base}/status/"
    assert_fits(page, "record-status")
    assert page.locator("#id_status").input_value() == ""

    page.goto(f"{base}/status/{entry.pk}/")
    assert_fits(page, "fix-status")

    page.goto(f"{site}/admin/features/feature/")
    page.locator("#result_list tbody input.action-select").nth(0).check()
    page.locator("#result_list tbody input.action-select").nth(1).check()
    page.locator("select[name='action']").select_option("change_status")
    page.locator("button[name='index']").click()
    page.wait_for_selector("#record_status_form")
    assert_fits(page, "bulk-record-status")
    assert page.locator("#id_status").input_value() == ""
    assert page.locator(".status-targets tbody tr").count() == 2
    assert console_errors == []
