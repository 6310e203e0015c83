"""Whatever an editor writes in any text field, no script reaches a reader's page."""

import pytest
from django.apps import apps
from django.db import models

from features.models import Feature
from ignite.history import is_history_model
from tests.factories import MaterialUpdateFactory
from tests.html import active_content
from tests.test_public_pages import XSS_MARKDOWN

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/ja/",
    "/en/features/",
    "/ja/features/?status=ga",
    "/en/features/pod-sandboxing/",
    "/ja/features/acns-container-network-logs/",
    "/en/sessions/",
    "/en/sessions/brk120/",
    "/ja/sessions/lab517/",
    "/en/speakers/",
    "/en/speakers/brendan-burns/",
    "/ja/speakers/paul-yu/",
    "/en/comparisons/",
    "/ja/comparisons/aks-standard-vs-automatic/",
    "/en/features/feed.atom",
    "/en/changes/",
    "/ja/changes/?kind=new",
]
NOT_FREE_TEXT = {"slug", "url", "repository_url", "code", "state", "status", "kind", "role"}


def editor_text_fields():
    """Every text field an editor types into (both languages), as (model, field name)."""
    found = []
    for label in ("ignite_sessions", "features"):
        for model in apps.get_app_config(label).get_models():
            if is_history_model(model):
                continue
            for field in model._meta.concrete_fields:
                translated_original = hasattr(model, f"{field.name}_en")
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not isinstance(field, models.URLField)
                    and field.name not in NOT_FREE_TEXT
                    and not translated_original
                    and not field.choices
                ):
                    found.append((model, field.name))
    return found


def dangerous_markup(client) -> list[str]:
    found = []
    for path in PAGES:
        found += [f"{path}: {item}" for item in active_content(client.get(path).content.decode())]
    return sorted(found)


def test_the_field_list_covers_every_markdown_field():
    names = {(model.__name__, name) for model, name in editor_text_fields()}
    for expected in [
        ("Event", "intro_en"),
        ("Speaker", "bio_ja"),
        ("Session", "summary_ja"),
        ("KeyPoint", "text_en"),
        ("KeyPoint", "heading_ja"),
        ("Feature", "body_en"),
        ("Feature", "editors_note_ja"),
        ("Feature", "name"),
        ("Comparison", "notes_en"),
        ("ComparisonCell", "text_ja"),
        ("StatusChange", "note_en"),
        ("DocLink", "title_ja"),
        ("StatusChange", "source_title"),
        ("StatusChange", "source_label"),
        ("MaterialUpdate", "note_ja"),
    ]:
        assert expected in names


@pytest.mark.parametrize("payload", XSS_MARKDOWN)
def test_payload_in_every_text_field_never_reaches_a_page(client, launch_content, payload):
    MaterialUpdateFactory(feature=Feature.objects.get(slug="pod-sandboxing"))
    baseline = dangerous_markup(client)
    for model, name in editor_text_fields():
        max_length = model._meta.get_field(name).max_length
        text = f"Before {payload} after"
        for obj in model.objects.all():
            setattr(obj, name, text[:max_length] if max_length else text)
            obj.save()
    after = dangerous_markup(client)
    assert after == baseline
    assert "Before" in client.get("/en/features/pod-sandboxing/").content.decode()


def test_the_check_sees_injected_markup():
    """The detector is not blind: unsanitised, each HTML payload counts as active content."""
    from markdown_it import MarkdownIt

    unsafe = MarkdownIt("commonmark")
    unsafe.validateLink = lambda url: True  # markdown-it's own link check, off: only nh3 is left
    for payload in XSS_MARKDOWN:
        raw = unsafe.render(payload)
        assert active_content(raw), payload
