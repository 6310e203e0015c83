"""One admin page lists what needs an editor's attention, each row linking to what to fix."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from features.models import Feature
from sessions.models import Session
from tests.factories import (
    DocLinkFactory,
    FeatureFactory,
    KeyPointFactory,
    StatusChangeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/admin/data-quality/"


def findings(client) -> dict[str, list]:
    response = client.get(URL)
    assert response.status_code == 200
    return {found.check.slug: found for found in response.context["findings"]}


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_each_problem_is_listed_with_a_link_to_fix_it(editor_client):
    today = timezone.localdate()
    unsourced = FeatureFactory(name="Unsourced")
    StatusChangeFactory(feature=unsourced, status="ga", date=today)
    DocLinkFactory(feature=unsourced)
    sourced = FeatureFactory(name="Sourced")
    DocLinkFactory(feature=sourced)
    StatusChangeFactory(
        feature=sourced, status="ga", date=today, source_kind="documentation", source_title="Docs"
    )
    old_preview = FeatureFactory(name="Old preview", status="preview")
    DocLinkFactory(feature=old_preview)
    StatusChangeFactory(
        feature=old_preview,
        status="preview",
        date=today - datetime.timedelta(days=400),
        source_title="Blog",
    )
    point = KeyPointFactory(text_en="Point.", text_ja="要点。")
    point.text_en = "A changed point."
    point.save()
    stale_draft = FeatureFactory(name="Forgotten draft", draft=True)
    DocLinkFactory(feature=stale_draft)
    Feature.objects.filter(pk=stale_draft.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=45)
    )

    found = findings(editor_client)
    assert [row.label for row in found["unsourced"].rows] == ["Unsourced"]
    assert found["unsourced"].rows[0].url == change_url(unsourced)
    assert [row.label for row in found["old-previews"].rows] == ["Old preview"]
    session = Session.objects.get(pk=point.session_id)
    assert [row.url for row in found["stale-translations"].rows] == [change_url(session)]
    assert "point (Japanese)" in found["stale-translations"].rows[0].detail
    # The key point's session and the others have no doc links; the features above have.
    assert "Sourced" not in [row.label for row in found["no-links"].rows]
    assert [row.label for row in found["old-drafts"].rows] == ["Forgotten draft"]
    html = editor_client.get(URL).content.decode()
    assert f'href="{change_url(unsourced)}"' in html


def test_a_long_list_is_cut_and_says_how_many_there_are(editor_client):
    FeatureFactory.create_batch(105)
    found = findings(editor_client)["no-links"]
    assert (len(found.rows), found.count) == (100, 105)
    assert "The first 100 of 105." in editor_client.get(URL).content.decode()


def test_the_admin_index_counts_what_needs_attention(editor_client):
    FeatureFactory.create_batch(3)
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert (
        f'<a href="{URL}#no-links">Features without a documentation link</a>: <strong>3</strong>'
        in html
    )


def test_the_page_is_for_editors_only(client):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory())  # staff, but no permission on content
    assert client.get(URL).status_code == 403
    assert "Data quality" not in client.get(reverse("admin:index")).content.decode()


def test_links_failing_for_a_week_are_listed(editor_client):
    from tests.factories import LinkCheckFactory

    week_ago = timezone.now() - datetime.timedelta(days=8)
    broken = LinkCheckFactory(
        url="https://example.com/gone", status_code=404, failing_since=week_ago
    )
    LinkCheckFactory(url="https://example.com/flaky", status_code=500, failing_since=timezone.now())
    found = findings(editor_client)["broken-links"]
    assert [(row.label, row.url) for row in found.rows] == [
        ("https://example.com/gone", change_url(broken))
    ]
    assert found.rows[0].detail.startswith("404 · ")
