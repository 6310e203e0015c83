"""What readers and editors see of the link checks."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ignite.links.models import LinkCheck
from tests.factories import (
    DocLinkFactory,
    FeatureFactory,
    KeyPointFactory,
    LinkCheckFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
CHECKED = datetime.datetime(2026, 3, 3, 6, 0, tzinfo=datetime.UTC)


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def page(client, feature, language="en") -> str:
    response = client.get(feature.get_absolute_url().replace("/en/", f"/{language}/"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_working_link_says_when_it_was_checked(client):
    link = DocLinkFactory()
    LinkCheckFactory(url=link.url, checked_at=CHECKED, last_success_at=CHECKED)
    html = page(client, link.feature)
    assert (
        '<small class="link-check">Link checked on '
        '<time datetime="2026-03-03">3 March 2026</time></small>'
    ) in html


def test_the_japanese_page_says_it_in_japanese(client):
    link = DocLinkFactory()
    LinkCheckFactory(url=link.url, checked_at=CHECKED, last_success_at=CHECKED)
    html = page(client, link.feature, "ja")
    assert '<time datetime="2026-03-03">2026年3月3日</time> にリンクを確認済み' in html


def test_a_link_failing_for_a_week_is_shown_as_possibly_broken(client):
    link = DocLinkFactory()
    LinkCheckFactory(
        url=link.url, status_code=404, failing_since=days_ago(8), last_success_at=days_ago(9)
    )
    html = page(client, link.feature)
    assert "link-check--broken" in html
    assert "Possibly broken (unreachable since <time datetime=" in html
    assert "Link checked on" not in html
    ja = page(client, link.feature, "ja")
    assert "リンク切れの可能性があります" in ja


def test_a_link_failing_for_less_than_a_week_shows_when_it_last_worked(client):
    link = DocLinkFactory()
    worked = days_ago(3)
    LinkCheckFactory(
        url=link.url, status_code=500, failing_since=days_ago(2), last_success_at=worked
    )
    html = page(client, link.feature)
    assert "Possibly broken" not in html
    assert f'Link checked on <time datetime="{worked:%Y-%m-%d}">' in html


def test_links_never_checked_or_never_working_say_nothing(client):
    never_checked = DocLinkFactory()
    never_worked = DocLinkFactory(feature=never_checked.feature)
    LinkCheckFactory(
        url=never_worked.url, status_code=404, failing_since=days_ago(1), last_success_at=None
    )
    html = page(client, never_checked.feature)
    assert "link-check" not in html


def test_the_feature_page_reads_all_its_link_checks_in_one_query(client):
    def queries(link_count: int) -> int:
        feature = FeatureFactory()
        for _ in range(link_count):
            LinkCheckFactory(url=DocLinkFactory(feature=feature).url)
        with CaptureQueriesContext(connection) as captured:
            page(client, feature)
        return len(captured)

    one, many = queries(1), queries(8)
    assert one == many
    unchecked = FeatureFactory()
    with CaptureQueriesContext(connection) as captured:
        page(client, unchecked)
    assert len(captured) == one - 1  # no links: no look-up at all


# Editors ----------------------------------------------------------------------------------------


def test_an_editor_reads_the_link_checks_but_cannot_change_them(editor_client):
    check = LinkCheckFactory(status_code=404, failing_since=days_ago(10))
    changelist = reverse("admin:ignite_linkcheck_changelist")
    response = editor_client.get(changelist)
    assert response.status_code == 200
    assert check.url in response.content.decode()
    change = reverse("admin:ignite_linkcheck_change", args=[check.pk])
    assert editor_client.get(change).status_code == 200
    assert editor_client.post(change, {"url": "https://edited.example.com/"}).status_code == 403
    assert editor_client.get(reverse("admin:ignite_linkcheck_add")).status_code == 403
    delete = reverse("admin:ignite_linkcheck_delete", args=[check.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert LinkCheck.objects.get(pk=check.pk).url == check.url


def test_not_even_a_superuser_edits_results_by_hand(superuser_client):
    check = LinkCheckFactory()
    change = reverse("admin:ignite_linkcheck_change", args=[check.pk])
    html = superuser_client.get(change).content.decode()
    assert 'name="_save"' not in html
    assert superuser_client.post(change, {"url": "https://edited.example.com/"}).status_code == 403


def test_the_list_filters_by_state_with_the_longest_failing_first(publisher_client):
    working = LinkCheckFactory()
    new = LinkCheckFactory(status_code=500, failing_since=days_ago(1))
    old = LinkCheckFactory(error="timeout", status_code=None, failing_since=days_ago(20))
    changelist = reverse("admin:ignite_linkcheck_changelist")

    def listed(**params):
        return list(publisher_client.get(changelist, params).context["cl"].result_list)

    assert listed() == [old, new, working]
    assert listed(link_state="failing") == [old, new]
    assert listed(link_state="broken") == [old]
    assert listed(link_state="working") == [working]
    assert listed(link_state="bogus") == [old, new, working]
    assert "Timed out" in publisher_client.get(changelist).content.decode()


def test_a_check_says_where_the_link_appears(editor_client):
    link = DocLinkFactory()
    point = KeyPointFactory(text_ja=f"[資料]({link.url})")
    check = LinkCheckFactory(url=link.url)
    html = editor_client.get(
        reverse("admin:ignite_linkcheck_change", args=[check.pk])
    ).content.decode()
    feature_url = reverse("admin:features_feature_change", args=[link.feature.pk])
    session_url = reverse("admin:ignite_sessions_session_change", args=[point.session.pk])
    assert f'<a href="{feature_url}">{link.feature}</a> <small>(link · URL)</small>' in html
    assert f'href="{session_url}"' in html and "key point · point [ja]" in html


def test_features_can_be_filtered_by_broken_links(editor_client):
    by_doc_link = DocLinkFactory().feature
    by_japanese_text = FeatureFactory(body_ja="[リンク](https://gone.example.com/ja)")
    failing_briefly = DocLinkFactory().feature
    DocLinkFactory()  # a feature whose links work
    LinkCheckFactory(
        url=by_doc_link.doc_links.get().url, status_code=404, failing_since=days_ago(8)
    )
    LinkCheckFactory(url="https://gone.example.com/ja", status_code=410, failing_since=days_ago(30))
    LinkCheckFactory(
        url=failing_briefly.doc_links.get().url, status_code=500, failing_since=days_ago(1)
    )
    changelist = reverse("admin:features_feature_changelist")

    def listed(value):
        response = editor_client.get(changelist, {"links": value})
        return set(response.context["cl"].result_list)

    assert listed("broken") == {by_doc_link, by_japanese_text}
    assert listed("failing") == {by_doc_link, by_japanese_text, failing_briefly}
    assert "broken links" in editor_client.get(changelist).content.decode()


def test_sessions_can_be_filtered_by_broken_links(editor_client):
    point = KeyPointFactory(text_en="[gone](https://gone.example.com/)")
    KeyPointFactory()
    LinkCheckFactory(url="https://gone.example.com/", status_code=404, failing_since=days_ago(8))
    response = editor_client.get(
        reverse("admin:ignite_sessions_session_changelist"), {"links": "broken"}
    )
    assert list(response.context["cl"].result_list) == [point.session]


def test_the_admin_index_counts_broken_links(editor_client):
    LinkCheckFactory()
    LinkCheckFactory(status_code=404, failing_since=days_ago(8))
    LinkCheckFactory(status_code=404, failing_since=days_ago(9))
    LinkCheckFactory(status_code=500, failing_since=days_ago(1))
    html = editor_client.get(reverse("admin:index")).content.decode()
    broken_url = reverse("admin:ignite_linkcheck_changelist") + "?link_state=broken"
    assert f'<a href="{broken_url}"><strong>2</strong> broken links</a>' in html
    assert ">3 failing</a> in all." in html


def test_the_admin_index_says_when_links_were_never_checked(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Links have not been checked yet: run manage.py check_links." in html


def test_staff_without_the_permission_see_no_link_summary(client):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_feature"))
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Outbound links" not in html
