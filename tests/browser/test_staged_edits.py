"""Staged edits in a real browser: an editor stages and previews, a publisher publishes."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from features.models import Feature
from ignite.roles import EDITOR, PUBLISHER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots-staged")


def log_in(page, site, username):
    page.context.clear_cookies()
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def test_an_editor_stages_and_previews_a_publisher_publishes(page, site, console_errors):
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    UserFactory(username="ed").groups.add(Group.objects.get(name=EDITOR))
    UserFactory(username="pub").groups.add(Group.objects.get(name=PUBLISHER))
    feature = Feature.objects.published().order_by("pk").first()
    live_summary = feature.summary_en
    change_url = f"{site}/admin/features/feature/{feature.pk}/change/"

    log_in(page, site, "ed")
    page.goto(change_url)
    page.locator("textarea[name='summary_en']").fill("A staged summary, not public yet.")
    page.locator(".submit-row").last.get_by_role("button", name="Save as staged change").click()
    expect(page.locator(".staged-edits")).to_be_visible()
    page.screenshot(path=SHOTS / "1-staged-box.png", full_page=False)

    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.locator(".preview-banner--staged")).to_contain_text("not public")
    expect(page.locator("main")).to_contain_text("A staged summary, not public yet.")
    page.screenshot(path=SHOTS / "2-preview.png", full_page=False)
    assert Feature.objects.get(pk=feature.pk).summary_en == live_summary

    log_in(page, site, "pub")
    page.goto(change_url)
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published staged change")
    page.screenshot(path=SHOTS / "3-published.png", full_page=False)

    page.context.clear_cookies()
    page.goto(f"{site}{feature.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("A staged summary, not public yet.")
    page.screenshot(path=SHOTS / "4-public.png", full_page=False)
    assert console_errors == []
