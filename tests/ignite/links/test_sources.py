"""Every outbound link of the content is found, once, wherever it is written."""

import pytest
from django.apps import apps
from django.db import models
from modeltranslation.fields import TranslationField

from features.models import ComparisonCell, Feature
from ignite.links.sources import link_uses, links_in_markdown, owners_linking_to, registered
from sessions.models import Session
from tests.factories import (
    DocLinkFactory,
    EventFactory,
    FeatureFactory,
    KeyPointFactory,
    SessionFactory,
    SpeakerLinkFactory,
)

# Text fields shown as plain text, not Markdown (or never shown): they cannot hold a link.
PLAIN_TEXT_FIELDS = {(ComparisonCell, "text"), (Feature, "search_text")}


def test_markdown_links_are_found_as_the_site_renders_them():
    text = (
        "See [the docs](https://learn.example.com/a) and <https://auto.example.com/>.\n\n"
        "A [reference][ref], a [mail](mailto:team@example.com), a [page](/en/features/), "
        "and a bare https://bare.example.com/ that readers cannot click.\n\n"
        "[ref]: https://ref.example.com/b"
    )
    assert links_in_markdown(text) == [
        "https://learn.example.com/a",
        "https://auto.example.com/",
        "https://ref.example.com/b",
    ]


def test_a_script_link_never_counts():
    assert links_in_markdown("[x](javascript:alert(1)) [y](data:text/html,hi)") == []


@pytest.mark.django_db
def test_every_kind_of_link_is_collected_once_with_where_it_appears():
    event = EventFactory(url="https://ignite.example.com/")
    session = SessionFactory(
        event=event,
        url="https://ignite.example.com/sessions/BRK1",
        repository_url="https://github.com/example/lab",
    )
    feature = FeatureFactory(
        session=session,
        body_ja="[日本語のドキュメント](https://learn.example.com/ja-jp/doc)",
        editors_note_en="Same as [the lab](https://github.com/example/lab).",
    )
    DocLinkFactory(feature=feature, url="https://learn.example.com/doc")
    KeyPointFactory(session=session, text_en="Try [the tool](https://tool.example.com/).")
    SpeakerLinkFactory(url="https://blog.example.com/me")

    uses = link_uses()

    assert set(uses) == {
        "https://ignite.example.com/",
        "https://ignite.example.com/sessions/BRK1",
        "https://github.com/example/lab",
        "https://learn.example.com/ja-jp/doc",
        "https://learn.example.com/doc",
        "https://tool.example.com/",
        "https://blog.example.com/me",
    }
    lab = uses["https://github.com/example/lab"]
    assert [(use.owner, use.field) for use in lab] == [
        (session, "repository"),
        (feature, "editor's note [en]"),
    ]
    assert [use.owner for use in uses["https://tool.example.com/"]] == [session]
    assert [use.field for use in uses["https://learn.example.com/ja-jp/doc"]] == ["body [ja]"]


@pytest.mark.django_db
def test_drafts_links_are_collected_too():
    DocLinkFactory(feature=FeatureFactory(draft=True), url="https://draft.example.com/")
    assert "https://draft.example.com/" in link_uses()


@pytest.mark.django_db
def test_owners_are_found_by_their_rows_and_their_text():
    by_doc_link = DocLinkFactory(url="https://broken.example.com/a").feature
    by_body = FeatureFactory(body_ja="[壊れた](https://broken.example.com/b)")
    DocLinkFactory(url="https://fine.example.com/")
    session = KeyPointFactory(text_en="[x](https://broken.example.com/c)").session

    broken = {"https://broken.example.com/a", "https://broken.example.com/b"}
    assert owners_linking_to(Feature, broken) == {by_doc_link.pk, by_body.pk}
    assert owners_linking_to(Session, {"https://broken.example.com/c"}) == {session.pk}
    assert owners_linking_to(Feature, set()) == set()


def _fields_that_can_hold_links():
    for label in ("ignite_sessions", "features"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if isinstance(field, TranslationField) or (model, field.name) in PLAIN_TEXT_FIELDS:
                    continue
                if isinstance(field, models.URLField | models.TextField):
                    yield model, field


def test_every_url_and_markdown_field_is_registered_as_a_link_source():
    """A new URL or Markdown field is checked as soon as it exists, or this test says where."""
    covered = {
        (source.model, name)
        for source in registered()
        for name in (*source.url_fields, *source.markdown_fields)
    }
    missing = [
        f"{model.__name__}.{field.name}"
        for model, field in _fields_that_can_hold_links()
        if (model, field.name) not in covered
    ]
    assert missing == []
