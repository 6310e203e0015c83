"""A publisher schedules a feature for the keynote minute, in their own time zone, and readers
see it appear by itself at that minute (no cron job, no further save)."""

import datetime
import time
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import expect

from features.models import Feature
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots-scheduling")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def log_in(page, site, username: str) -> None:
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def test_a_feature_scheduled_in_los_angeles_time_appears_by_itself(browser, site):
    UserFactory(username="chief", is_superuser=True)
    feature = Feature.objects.get(slug="localdns")
    Feature.objects.filter(pk=feature.pk).update(state="draft", first_published_at=None)
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, timezone_id="America/Los_Angeles"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, site, "chief")
    page.goto(f"{site}/admin/features/feature/{feature.pk}/change/")
    # The browser reported its zone on the login page; the form says which zone it reads.
    expect(page.locator("#content-main")).to_contain_text("America/Los_Angeles")

    moment = (datetime.datetime.now(LOS_ANGELES) + datetime.timedelta(seconds=20)).replace(
        microsecond=0
    )
    page.locator("#id_state").select_option("published")
    page.locator("#id_publish_at_0").fill(moment.strftime("%Y-%m-%d"))
    page.locator("#id_publish_at_1").fill(moment.strftime("%H:%M:%S"))
    page.locator("#id_publish_at_1").scroll_into_view_if_needed()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "schedule-form.png")
    page.locator("input[name='_save']").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    feature.refresh_from_db()
    assert feature.publish_at == moment.astimezone(datetime.UTC)
    expect(page.locator("#result_list")).to_contain_text("Scheduled")
    page.screenshot(path=SHOTS / "schedule-list.png")
    page.goto(f"{site}/admin/schedule/")
    expect(page.locator("#upcoming")).to_contain_text(feature.name)
    page.screenshot(path=SHOTS / "schedule-upcoming.png")

    reader = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    assert reader.goto(f"{site}/en/features/localdns/").status == 404
    reader.goto(f"{site}/en/features/")
    expect(reader.locator("main")).not_to_contain_text(feature.name)

    wait = (moment - datetime.datetime.now(LOS_ANGELES)).total_seconds()
    time.sleep(max(0.0, wait) + 0.5)
    assert reader.goto(f"{site}/en/features/localdns/").status == 200
    reader.goto(f"{site}/en/features/")
    expect(reader.locator("main")).to_contain_text(feature.name)
    assert errors == []
    context.close()
