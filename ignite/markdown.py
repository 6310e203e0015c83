"""Editors write Markdown; readers get HTML that can carry no script."""

from functools import lru_cache
from html import unescape

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

# Page structure owns <h1> and <h2>; editors' headings start at level 3.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_text(text: str | None) -> str:
    """Editor Markdown as one line of plain text (for titles, labels and descriptions)."""
    return " ".join(unescape(strip_tags(render_markdown(text))).split())


def render_markdown(text: str | None) -> SafeString:
    """Render editor Markdown to sanitised HTML (cached: the same text renders once)."""
    if not text:
        return mark_safe("")
    return mark_safe(_render(text))
