"""The comparison editor on a laptop: a column added without saving, moved with the keyboard,
long text that grows its boxes, and nothing wider than the screen."""

from pathlib import Path

import pytest

from features.models import Comparison
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots-grid")
LONG_EN = (
    "Fleet-wide policies, upgrades rolled out in waves across member clusters, and one place "
    "to see every cluster's health; the hub cluster itself is managed by Azure. "
) * 2
LONG_JA = (
    "複数のクラスターにまたがるポリシーを一か所で管理し、アップグレードを段階的に展開できる。"
    "ハブ クラスター自体は Azure が管理する。"
) * 2

# Every box's right edge, and the widest scrolling width, as the browser lays them out.
MEASURE = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  clientWidth: document.scrollingElement.clientWidth,
  outside: [...document.querySelectorAll(
    "textarea.grid-cell, #columns-group input, #rows-group input, #rows-group button")]
    .map((el) => el.getBoundingClientRect())
    .filter((box) => box.left < 0 || box.right > window.innerWidth).length,
})"""


def log_in(page, site):
    UserFactory(username="chief", is_superuser=True)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def press(page, locator, key):
    """Operate a control the way a keyboard user does: focus it, then press a key."""
    locator.focus()
    page.keyboard.press(key)


def test_a_column_is_added_filled_and_moved_without_saving_first(page, site, console_errors):
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, site)
    comparison = Comparison.objects.get(slug="aks-standard-vs-automatic")
    page.goto(f"{site}/admin/features/comparison/{comparison.pk}/change/")
    page.screenshot(path=SHOTS / "1-opened.png", full_page=True)

    press(page, page.get_by_role("button", name="Add column"), "Enter")
    heading = page.locator("input[name='columns-2-label_en']")
    assert heading.evaluate("el => el === document.activeElement")
    heading.fill("Fleet Manager")
    page.locator("input[name='columns-2-label_ja']").fill("フリート マネージャー")
    assert page.locator("[data-column-name='2']").first.inner_text() == "Fleet Manager"

    box = page.locator("textarea[name='rows-0-cell_2_en']")
    before = box.bounding_box()["height"]
    for row in range(3):
        page.locator(f"textarea[name='rows-{row}-cell_2_en']").fill(f"{row}: {LONG_EN}")
        page.locator(f"textarea[name='rows-{row}-cell_2_ja']").fill(f"{row}: {LONG_JA}")
    assert box.bounding_box()["height"] > before
    for textarea in page.locator("textarea.grid-cell").all():
        assert textarea.evaluate("el => el.scrollHeight <= el.clientHeight + 2")

    # The new column moves left of Automatic; the first row moves down below Operations.
    press(page, page.locator("#columns-2").get_by_role("button", name="Move column left"), "Enter")
    press(page, page.locator("#rows-0").get_by_role("button", name="Move row down"), "Space")
    names = page.locator("[data-column]").evaluate_all("els => els.map(el => el.dataset.slot)")
    assert names == ["0", "2", "1"]
    first_row_cells = page.locator("#rows-0 [data-cell-line]").evaluate_all(
        "els => els.map(el => el.dataset.slot)"
    )
    assert first_row_cells == ["0", "2", "1"]
    titles = page.locator("[data-row-title]").all_inner_texts()
    assert titles == ["Operations", "Configuration / control", "Security / compliance"]

    measured = page.evaluate(MEASURE)
    assert measured["scrollWidth"] <= measured["clientWidth"], measured
    assert measured["outside"] == 0, measured
    page.screenshot(path=SHOTS / "2-new-column-filled.png", full_page=True)
    page.locator("#rows-group").screenshot(path=SHOTS / "3-rows.png")

    page.locator("input[name='_continue']").last.click()
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=SHOTS / "4-saved.png", full_page=True)

    columns = [(c.label_en, c.label_ja) for c in comparison.columns.all()]
    assert columns == [
        ("Standard", "Standard"),
        ("Fleet Manager", "フリート マネージャー"),
        ("Automatic", "Automatic"),
    ]
    assert [row.label_en for row in comparison.rows.all()] == [
        "Operations",
        "Configuration / control",
        "Security / compliance",
    ]
    grid = comparison.grid()
    operations_fleet = grid[0][1][1][1]
    assert (operations_fleet.text_en, operations_fleet.text_ja) == (
        f"1: {LONG_EN}".strip(),
        f"1: {LONG_JA}",
    )

    page.goto(f"{site}/en/comparisons/{comparison.slug}/")
    headings = page.locator("table th[scope='col']").all_inner_texts()
    assert [text.strip() for text in headings][-3:] == ["Standard", "Fleet Manager", "Automatic"]
    assert "1: Fleet-wide policies" in page.locator("table").inner_text()
    page.screenshot(path=SHOTS / "5-public.png", full_page=True)
    assert console_errors == []
