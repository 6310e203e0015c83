"""The feature card (built in Python) and the shortcuts it takes: labels and addresses must be
exactly what Django's own get_status_display() and reverse() give."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from features.models import Comparison, Feature, ReleaseStatus, StatusChange
from sessions.models import Event, Session, Speaker
from tests.factories import FeatureFactory, SessionFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db


def card(feature, preview=False, language="en", **options) -> str:
    request = RequestFactory().get("/")
    request.preview = preview
    arguments = " ".join(f"{name}={name}" for name in options)
    template = Template(f"{{% load cards %}}{{% feature_card feature {arguments} %}}")
    with translation.override(language):
        return template.render(Context({"request": request, "feature": feature, **options}))


def loaded(feature) -> Feature:
    return Feature.objects.select_related("area", "session").get(pk=feature.pk)


def test_a_card_names_links_and_places_the_feature():
    feature = loaded(
        FeatureFactory(
            name="LocalDNS", topic_en="DNS", session__code="BRK120", session__title="Scaling AKS"
        )
    )
    html = card(feature, level=2)
    assert (
        f'<h2 class="feature-card__title"><a href="/en/features/{feature.slug}/">LocalDNS</a></h2>'
    ) in html
    assert '<span class="status status--ga"><span class="status__shape" aria-hidden="true">' in html
    assert (
        f'<span class="meta__item">{feature.area.name} · <span class="nowrap">DNS · '
        '<span class="session-code" title="Scaling AKS">BRK120</span></span></span>'
    ) in html
    assert f'<div class="feature-card__summary"><p>{feature.summary_en}</p>' in html
    assert "draft" not in html


def test_a_card_leaves_out_what_the_page_around_it_says():
    feature = loaded(FeatureFactory(topic_en=""))
    html = card(feature, hide_status=True, hide_session=True)
    assert "status--" not in html and "session-code" not in html
    meta = f'<span class="meta__item"><span class="nowrap">{feature.area.name}</span></span>'
    assert meta in html
    assert "<h3 " in html  # the default level


def test_a_hidden_session_is_not_named_and_a_draft_is_marked_in_preview():
    feature = loaded(FeatureFactory(draft=True, session=SessionFactory(draft=True)))
    reader = card(feature)
    assert "session-code" not in reader
    previewed = card(feature, preview=True)
    assert 'class="feature-card is-draft"' in previewed
    assert '<span class="draft-badge">Draft</span>' in previewed
    assert feature.session.code in previewed


def test_a_card_escapes_what_editors_wrote():
    feature = loaded(
        FeatureFactory(name="<b>Bold</b>", topic_en="A & B", session__title='Say "hi"')
    )
    html = card(feature)
    assert "<b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html and "A &amp; B" in html
    assert 'title="Say &quot;hi&quot;"' in html


def test_on_a_japanese_page_the_name_stays_english_and_untranslated_text_is_marked():
    feature = loaded(FeatureFactory(name="LocalDNS", japanese_name="ローカル DNS", summary_ja=""))
    html = card(feature, language="ja")
    assert f'<a href="/ja/features/{feature.slug}/" lang="en">LocalDNS</a>' in html
    assert '<p class="name-ja">ローカル DNS</p>' in html
    assert '<div lang="en" class="fallback">' in html  # the summary, in English only


@pytest.mark.parametrize("language", ["en", "ja"])
def test_status_labels_are_the_ones_django_would_give(language):
    feature, entry = FeatureFactory.build(), StatusChangeFactory.build()
    with translation.override(language):
        for value in ReleaseStatus.values:
            feature.status = entry.status = value
            djangos = feature._get_FIELD_display(Feature._meta.get_field("status"))
            assert feature.get_status_display() == djangos == entry.get_status_display()
        feature.status = "unknown"
        assert feature.get_status_display() == "unknown"


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("model", [Feature, Comparison, Event, Session, Speaker])
def test_addresses_are_what_reverse_gives(model, language):
    instance = model(slug="some-slug_2")
    with translation.override(language):
        assert instance.url_for_slug("some-slug_2") == reverse(
            model.public_url_name, kwargs={"slug": "some-slug_2"}
        )


def test_a_slug_no_address_can_hold_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        Feature(slug="two words").get_absolute_url()


def test_addresses_follow_the_script_prefix():
    feature = Feature(slug="localdns")
    set_script_prefix("/recap/")
    try:
        assert feature.get_absolute_url() == "/recap/en/features/localdns/"
    finally:
        set_script_prefix("/")
    assert feature.get_absolute_url() == "/en/features/localdns/"


def test_status_change_labels_use_the_same_mapping():
    entry = StatusChange(status=ReleaseStatus.PUBLIC_PREVIEW)
    with translation.override("en"):
        assert entry.get_status_display() == "Public Preview"
