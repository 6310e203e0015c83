"""What tells a reader how far to trust a page and where to go next: dates, sources, Japanese
lines under English names, Japanese that never breaks inside a date, bounded lists."""

import re

import pytest

from features.models import Feature
from ignite.templatetags.site import join_japanese
from sessions.models import Event
from tests.factories import EventFactory, FeatureFactory, SessionFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/features/localdns/",
        "/en/sessions/brk120/",
        "/en/speakers/brendan-burns/",
        "/en/comparisons/aks-standard-vs-automatic/",
    ],
)
def test_content_pages_say_when_they_were_published_and_credit_their_sources(
    client, launch_content, path
):
    html = client.get(path).content.decode()
    assert re.search(r'Published <time datetime="2026-11-24">24 November 2026</time>', html)
    text = visible_text(html)
    assert "Sources The facts come from 「Microsoft Ignite 2025のまとめ〜AKS編〜」" in text
    assert "さいとう (Saito)" in text and "AEON Smart Technology" in text


def test_an_update_on_a_later_day_is_shown_and_the_same_day_is_not(client, launch_content):
    feature = Feature.objects.get(slug="localdns")
    Feature.objects.filter(pk=feature.pk).update(updated_at=feature.first_published_at)
    assert "Updated" not in visible_text(client.get("/en/features/localdns/").content.decode())
    feature.summary_en = "Edited."
    feature.save()  # today, long after the launch content was first published
    assert "Updated" in visible_text(client.get("/en/features/localdns/").content.decode())


def test_an_event_without_sources_shows_no_sources_section(client, launch_content):
    Event.objects.update(sources_en="", sources_ja="")
    assert "Sources" not in visible_text(client.get("/en/features/localdns/").content.decode())


def test_japanese_pages_give_names_their_japanese_line(client, launch_content):
    ja = client.get("/ja/features/pod-sandboxing/").content.decode()
    assert re.search(r'<h1 lang="en">Pod Sandboxing</h1>\s*<p class="name-ja">ポッド', ja)
    session = client.get("/ja/sessions/brk120/").content.decode()
    assert '<p class="name-ja">Azure Kubernetes Service で Kubernetes を安全・確実に' in session
    recap = client.get("/ja/").content.decode()
    # Both sessions; nine of the eleven features shown (LocalDNS and AKS Desktop keep no line).
    assert recap.count('class="name-ja"') == 2 + 9
    assert 'class="name-ja"' not in client.get("/en/features/pod-sandboxing/").content.decode()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("11月17日〜21日に", '<span class="nowrap">11月17日〜21日</span>に'),
        ("2025年11月17日", '<span class="nowrap">2025年11月17日</span>'),
        (
            "13 件の機能と2つのモデル",
            '<span class="nowrap">13 件</span>の機能と<span class="nowrap">2つ</span>のモデル',
        ),
        (
            '<a href="/ja/2025年11月17日/" title="3 件">3 件</a>',
            '<a href="/ja/2025年11月17日/" title="3 件"><span class="nowrap">3 件</span></a>',
        ),
        ("AKS 1.33 と Kubernetes", "AKS 1.33 と Kubernetes"),
    ],
)
def test_japanese_dates_and_counted_numbers_are_joined_outside_tags_only(html, expected):
    assert join_japanese(html) == expected


def test_the_recap_shows_six_features_a_status_and_links_to_the_rest(client, db):
    event = EventFactory()
    session = SessionFactory(event=event)
    FeatureFactory.create_batch(9, session=session, status="ga")
    FeatureFactory.create_batch(2, session=session, status="preview")
    html = client.get("/en/").content.decode()
    assert len(re.findall(r'<article class="feature-card', html)) == 6 + 2
    assert "See all 9 GA features in the catalog" in visible_text(html)
    assert f'href="/en/features/?event={event.slug}&amp;status=ga"' in html
    assert "See all 2 Preview" not in visible_text(html)
    listed = re.findall(r'<a href="/en/features/([^/]+)/" lang', html) or re.findall(
        r'class="feature-card__title"><a href="/en/features/([^/]+)/"', html
    )
    first_six = list(
        Feature.objects.filter(status="ga").order_by("name", "pk").values_list("slug", flat=True)
    )[:6]
    assert listed[:6] == first_six  # the same six the catalog lists first
