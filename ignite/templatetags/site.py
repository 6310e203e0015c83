"""Template helpers used across the public site."""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from ignite.dates import date_range as format_date_range
from ignite.languages import language_versions
from ignite.markdown import markdown_text, render_markdown
from ignite.querystrings import query_with, query_without

register = template.Library()
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@register.filter
def markdown(text: str | None) -> SafeString:
    return render_markdown(text)


@register.filter
def date_range(start: datetime.date, end: datetime.date) -> str:
    return format_date_range(start, end)


def _fallback(obj, field: str) -> tuple[str, str | None]:
    """The text for the reader's language, and the language it fell back to (None if it did
    not): English first, then any other language that has the text."""
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    own = getattr(obj, f"{field}_{language}", None)
    if own:
        return own, None
    others = dict.fromkeys([DEFAULT_LANGUAGE, *(code for code, _name in settings.LANGUAGES)])
    for other in others:
        if other != language and (text := getattr(obj, f"{field}_{other}", None)):
            return text, other
    return "", None


@register.simple_tag
def translated(obj, field: str, markdown: bool = False) -> SafeString:
    """A translated field, marked e.g. "English only" (with its lang) where the reader's
    language has no text.

    With markdown=True the text is rendered as a block of sanitised HTML.
    """
    text, fell_back_to = _fallback(obj, field)
    body = render_markdown(text) if markdown else text
    if fell_back_to is None:
        return format_html("{}", body)
    language = get_language_info(fell_back_to)["name_translated"]
    marker = format_html(
        '<span class="fallback-marker">{}</span>', _("%(language)s only") % {"language": language}
    )
    if markdown:
        return format_html('<div lang="{}" class="fallback">{}{}</div>', fell_back_to, marker, body)
    return format_html('<span lang="{}">{}</span> {}', fell_back_to, body, marker)


@register.simple_tag
def status_badge(status: str, label: str) -> SafeString:
    """The status badge as a value, so a translated sentence can place it (`as badge`)."""
    badge = render_to_string("includes/status_badge.html", {"status": status, "label": label})
    return mark_safe(badge.strip())  # rendered by an autoescaping template: already safe


@register.filter
def has_text(obj, field: str) -> bool:
    """Whether a translated field has text in any language (what `translated` would show)."""
    return bool(_fallback(obj, field)[0])


register.simple_tag(query_with, name="query_with")
register.simple_tag(query_without, name="query_without")


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


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
    return markdown_text(_fallback(obj, field)[0])


@register.simple_tag
def english_name() -> SafeString:
    """lang="en" for a product or session name on a page in another language, so screen
    readers pronounce it as English."""
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return SafeString(' lang="en"') if language != "en" else SafeString("")


@register.simple_tag
def language_alternates(path: str) -> list[dict[str, str]]:
    """hreflang alternates of a page: (code, path) per language, plus x-default, the address
    without a language prefix, which sends each reader to their language."""
    links = [{"code": code, "url": url} for code, url in language_versions(path)]
    prefix = f"/{get_language()}/"
    neutral = "/" + path.removeprefix(prefix) if path.startswith(prefix) else path
    return [*links, {"code": "x-default", "url": neutral}]
