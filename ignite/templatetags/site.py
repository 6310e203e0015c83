"""Template helpers used across the public site."""

from __future__ import annotations

import datetime
from html import unescape

from django import template
from django.conf import settings
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ignite.dates import date_range as format_date_range
from ignite.markdown import render_markdown
from ignite.querystrings import query_with, query_without

register = template.Library()
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@register.filter
def markdown(text: str | None) -> SafeString:
    return render_markdown(text)


@register.filter
def date_range(start: datetime.date, end: datetime.date) -> str:
    return format_date_range(start, end)


def _fallback(obj, field: str) -> tuple[str, bool]:
    """The text for the reader's language, and whether it fell back to the default language."""
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    own = getattr(obj, f"{field}_{language}", None)
    if own:
        return own, False
    default = getattr(obj, f"{field}_{DEFAULT_LANGUAGE}", None) or ""
    return default, bool(default) and language != DEFAULT_LANGUAGE


@register.simple_tag
def translated(obj, field: str, markdown: bool = False) -> SafeString:
    """A translated field, marked "English only" (and lang="en") where the reader's is missing.

    With markdown=True the text is rendered as a block of sanitised HTML.
    """
    text, fell_back = _fallback(obj, field)
    body = render_markdown(text) if markdown else text
    if not fell_back:
        return format_html("{}", body)
    marker = format_html('<span class="fallback-marker">{}</span>', _("English only"))
    if markdown:
        return format_html(
            '<div lang="{}" class="fallback">{}{}</div>', DEFAULT_LANGUAGE, marker, body
        )
    return format_html('<span lang="{}">{}</span> {}', DEFAULT_LANGUAGE, body, marker)


@register.filter
def is_fallback(obj, field: str) -> bool:
    return _fallback(obj, field)[1]


register.simple_tag(query_with, name="query_with")
register.simple_tag(query_without, name="query_without")


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@register.filter
def unwrap_paragraph(html: str) -> SafeString:
    """Markdown output for one short line, without the <p> around it."""
    text = str(html).strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        text = text[3:-4]
    return mark_safe(text)


@register.filter
def visible_to(obj, preview) -> bool:
    """Whether a loaded object (e.g. a feature's session) may be shown to this reader."""
    return obj is not None and obj.is_visible(bool(preview))


@register.filter
def plain_translation(obj, field: str) -> str:
    """A translated field as plain text (for attributes), falling back to English."""
    return _fallback(obj, field)[0]


@register.filter
def summary_text(obj, field: str) -> str:
    """A translated Markdown field as one line of plain text (for meta descriptions)."""
    html = render_markdown(_fallback(obj, field)[0])
    return " ".join(unescape(strip_tags(html)).split())
