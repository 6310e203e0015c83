"""The editors' admin in a real browser: the Markdown preview follows the editor's typing."""

import pytest
from playwright.sync_api import expect

from sessions.models import Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_key_point_added_with_add_another_gets_a_live_preview(page, site, console_errors):
    UserFactory(username="chief", is_superuser=True)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    session = Session.objects.get(code="LAB517")
    page.goto(f"{site}/admin/ignite_sessions/session/{session.pk}/change/")

    existing = page.locator("textarea[name='key_points-0-text_en']")
    existing.fill("Now **bold**")
    preview = page.locator(".markdown-field", has=existing).locator(".markdown-preview")
    expect(preview.locator("strong")).to_have_text("bold")

    page.locator("#key_points-group .add-row a").click()
    added = page.locator("textarea[name='key_points-4-text_en']")
    added.fill("A *new* point")
    added_preview = page.locator(".markdown-field", has=added).locator(".markdown-preview")
    expect(added_preview.locator("em")).to_have_text("new")
    assert console_errors == []
