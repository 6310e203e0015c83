"""Any text an editor can save renders quickly, without an error, and the way editors expect."""

import json
import re
import time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ignite import markdown
from ignite.markdown import MAX_MARKDOWN_LENGTH, render_markdown
from tests.admin_forms import post_change_form
from tests.factories import FeatureFactory, SessionFactory
from tests.features.conftest import export
from tests.ignite.markdown_cases import PATHOLOGICAL

# CPU seconds for one text of at most MAX_MARKDOWN_LENGTH characters. The slowest known inputs
# take 0.3-0.8 s (scripts/markdown_bench.py); the renderer this replaced took 56 s on
# 20,000 × "[" and over 15 minutes on 10,000 × "![".
RENDER_BOUND_SECONDS = 5.0


@pytest.fixture(autouse=True)
def _budget_is_the_bound(monkeypatch):
    """Measure the parser, not the page's guard: the budget (tested on its own below) would cut
    a render short at RENDER_BUDGET_SECONDS, which a busy machine can reach on the slowest
    known text. Here only a render over the bound itself trips it."""
    monkeypatch.setattr(markdown, "RENDER_BUDGET_SECONDS", RENDER_BOUND_SECONDS)


def _timed_render(text: str) -> float:
    """Render from a cold cache, raising whatever the renderer raises; CPU seconds taken."""
    markdown._render.cache_clear()
    started = time.process_time()
    markdown._render(text)
    return time.process_time() - started


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_known_pathological_markdown_renders_in_bounded_time(name):
    assert _timed_render(PATHOLOGICAL[name][:MAX_MARKDOWN_LENGTH]) < RENDER_BOUND_SECONDS


# Runs of Markdown's special characters and half-made constructs, glued and repeated: the shape
# of every input known to make a Markdown parser slow or recurse.
PIECES = [
    "[", "]", "![", "](u)", "(", ")", "<a ", "<", ">", "> ", "\n: ", "t\n: d\n", ": ", "- ",
    "* ", "1. ", "    ", "  ", "\t", "*", "_", "**", "`", "```", "~", "\n", "\n\n", "|", "| -",
    "&#", "&", "\\", "<!--", "-->", "<div>", "</div>", "x", "語", "[a]: u\n", "[a]", "#", "=",
    "http://e", "\x00", "\u200b",
]  # fmt: skip
fragments = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)
repeated = st.tuples(fragments, st.integers(1, 5_000)).map(
    lambda pair: (pair[0] * pair[1])[:MAX_MARKDOWN_LENGTH]
)
mixed = st.lists(st.one_of(repeated, fragments, st.text(max_size=50)), max_size=8).map(
    lambda parts: "".join(parts)[:MAX_MARKDOWN_LENGTH]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(repeated, mixed, st.text(max_size=2_000)))
def test_any_markdown_renders_without_error_in_bounded_time(text):
    assert _timed_render(text) < RENDER_BOUND_SECONDS


# Editors' existing content renders as it did -----------------------------------------------

# Each text with the HTML the previous renderer (Python-Markdown "extra" + nh3) gave it. A
# one-off comparison found all 476 texts of content/ignite-2025.json identical too.
AS_BEFORE = {
    "Two paragraphs.\n\nSecond one.": "<p>Two paragraphs.</p><p>Second one.</p>",
    "Line one\nline two": "<p>Line one\nline two</p>",
    "**bold**, *italic*, `code`": (
        "<p><strong>bold</strong>, <em>italic</em>, <code>code</code></p>"
    ),
    "まず [AKS のドキュメント](https://learn.microsoft.com/azure/aks/what-is-aks)から。": (
        '<p>まず <a href="https://learn.microsoft.com/azure/aks/what-is-aks" '
        'rel="noopener noreferrer">AKS のドキュメント</a>から。</p>'
    ),
    "- one\n- two": "<ul><li>one</li><li>two</li></ul>",
    "1. first\n2. second": "<ol><li>first</li><li>second</li></ol>",
    "```yaml\nruntimeClassName: kata-vm-isolation\n```": (
        "<pre><code>runtimeClassName: kata-vm-isolation\n</code></pre>"
    ),
    "### Heading\n\nText": "<h3>Heading</h3><p>Text</p>",
    "> quoted": "<blockquote><p>quoted</p></blockquote>",
    "| A | B |\n| --- | --- |\n| 1 | 2 |": (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    ),
    "Term\n: Definition": "<dl><dt>Term</dt><dd>Definition</dd></dl>",
    "<https://example.com>": (
        '<p><a href="https://example.com" rel="noopener noreferrer">https://example.com</a></p>'
    ),
    "a & b < c": "<p>a &amp; b &lt; c</p>",
    "Text with <sup>2</sup> and <abbr title='x'>ABBR</abbr>": (
        '<p>Text with <sup>2</sup> and <abbr title="x">ABBR</abbr></p>'
    ),
    "Hard  \nbreak": "<p>Hard<br>\nbreak</p>",
    "snake_case_word and 2*3*4": "<p>snake_case_word and 2<em>3</em>4</p>",
}


@pytest.mark.parametrize("text", AS_BEFORE)
def test_editors_markdown_renders_as_it_did(text):
    assert re.sub(r">\s+<", "><", render_markdown(text)).strip() == AS_BEFORE[text]


def test_the_launch_content_renders_every_field(launch_content):
    from features.models import Feature

    body = render_markdown(Feature.objects.get(slug="pod-sandboxing").body_en)
    assert "<pre><code>runtimeClassName: kata-vm-isolation\n</code></pre>" in body


# No page fails because of a text --------------------------------------------------------------


def test_a_render_over_its_time_budget_shows_the_text_plainly(monkeypatch, caplog):
    monkeypatch.setattr(markdown, "RENDER_BUDGET_SECONDS", -1.0)
    monkeypatch.setattr(markdown, "CLOCK_EVERY", 1)  # a short text makes few checks
    markdown._render.cache_clear()
    html = render_markdown("**bold** <script>x</script>\n\nnext")
    assert html == "<p>**bold** &lt;script&gt;x&lt;/script&gt;</p>\n<p>next</p>"
    assert "shown as plain text" in caplog.text


def test_the_budget_stops_a_long_render_though_the_clock_is_read_only_now_and_then(
    monkeypatch, caplog
):
    """The slowest known text, with a budget a small fraction of its time: the sampled clock
    still ends the render long before the text would have finished."""
    text = PATHOLOGICAL["nested definition lists, 20,000 chars"]
    monkeypatch.setattr(markdown, "RENDER_BUDGET_SECONDS", 0.01)
    markdown._render.cache_clear()
    started = time.process_time()
    html = render_markdown(text)
    taken = time.process_time() - started
    assert html.startswith("<p>t<br>\n: d<br>\nt")
    assert "<dl>" not in html
    assert "shown as plain text" in caplog.text
    monkeypatch.setattr(markdown, "RENDER_BUDGET_SECONDS", RENDER_BOUND_SECONDS)
    markdown._render.cache_clear()
    assert taken < _timed_render(text) / 2


def test_a_renderer_failure_shows_the_text_plainly(monkeypatch, caplog):
    def broken(text):
        raise RecursionError

    monkeypatch.setattr(markdown, "_render", broken)
    assert render_markdown("*a*\nb") == "<p>*a*<br>\nb</p>"
    assert "could not be rendered" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["nested definition lists, 20,000 chars", "20,000 × ["])
def test_no_page_fails_on_saved_markdown(name, launch_content):
    """Even text longer than a field may hold (saved past validation, e.g. by a shell) is
    shown: public page, admin change form and live preview."""
    from features.models import Feature
    from tests.factories import UserFactory

    text = PATHOLOGICAL[name] * 3
    feature = Feature.objects.get(slug="pod-sandboxing")
    feature.body_en = text
    feature.save()
    client = Client()
    assert client.get(feature.get_absolute_url()).status_code == 200
    client.force_login(UserFactory(is_superuser=True))
    change = reverse("admin:features_feature_change", args=[feature.pk])
    assert client.get(change).status_code == 200
    preview = client.post(
        reverse("markdown_preview"),
        {"body_en": text},
        headers={"HX-Request": "true", "HX-Trigger-Name": "body_en"},
    )
    assert preview.status_code == 200


# Length limit per field, on every path ----------------------------------------------------------


@pytest.mark.django_db
def test_model_validation_refuses_markdown_over_the_limit():
    feature = FeatureFactory.build(
        area=FeatureFactory().area, session=None, body_en="x" * (MAX_MARKDOWN_LENGTH + 1)
    )
    with pytest.raises(ValidationError) as refused:
        feature.clean_fields()
    assert "at most 20000 characters (it has 20001)" in str(refused.value.message_dict["body_en"])


@pytest.mark.django_db
def test_the_admin_form_refuses_markdown_over_the_limit(editor_client):
    feature = FeatureFactory(body_en="Short.")
    response = post_change_form(
        editor_client,
        feature,
        body_en="x" * (MAX_MARKDOWN_LENGTH + 1),
        **{"status_changes-TOTAL_FORMS": 0, "doc_links-TOTAL_FORMS": 0},
    )
    assert response.status_code == 200
    assert "at most 20000 characters" in str(response.context["adminform"].form.errors)
    assert (
        f'maxlength="{MAX_MARKDOWN_LENGTH}"'
        in editor_client.get(
            reverse("admin:features_feature_change", args=[feature.pk])
        ).content.decode()
    )
    feature.refresh_from_db()
    assert feature.body_en == "Short."


@pytest.mark.django_db
def test_key_points_and_comparison_cells_have_the_limit_too():
    from features.models import ComparisonCell
    from sessions.models import KeyPoint

    for model, name in ((KeyPoint, "text"), (ComparisonCell, "text")):
        field = model._meta.get_field(f"{name}_ja")
        assert field.max_length == MAX_MARKDOWN_LENGTH
        with pytest.raises(ValidationError):
            field.run_validators("x" * (MAX_MARKDOWN_LENGTH + 1))


@pytest.mark.django_db
def test_import_refuses_markdown_over_the_limit(tmp_path):
    SessionFactory(summary_en="Short.")
    document = json.loads(export("--include-drafts"))
    document["sessions"][0]["summary"]["en"] = "x" * (MAX_MARKDOWN_LENGTH + 1)
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as refused:
        call_command("import_content", str(path), stdout=StringIO())
    assert "sessions[0].summary" in str(refused.value)
    assert "is 20,001 characters long; the limit is 20,000" in str(refused.value)
