"""Template helpers used across the public site."""

from __future__ import annotations

import datetime
import re

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django_htmx.jinja import htmx_script

from ignite.dates import date_range as format_date_range
from ignite.inline_scripts import INLINE_SCRIPTS
from ignite.languages import language_versions
from ignite.markdown import markdown_text, render_markdown
from ignite.querystrings import query_choosing, query_with, query_without
from ignite.sites import absolute_url
from ignite.text import html_text
from ignite.translations import text_in_language

register = template.Library()
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


@register.simple_tag
def inline_script(name: str) -> SafeString:
    """One of ignite.inline_scripts, which the CSP allows by its hash."""
    return format_html("<script>{}</script>", mark_safe(INLINE_SCRIPTS[name]))


@register.simple_tag
def htmx_script_tag() -> SafeString:
    """django-htmx's script tags without a nonce: 'self' allows them, and a page without a
    nonce is the same bytes for every reader (compressed once, see ignite.compression)."""
    return htmx_script()


@register.filter
def markdown(text: str | None) -> SafeString:
    return render_markdown(text)


@register.filter
def date_range(start: datetime.date, end: datetime.date) -> SafeString:
    """The dates of an event, kept on one line (a Japanese date must not break inside)."""
    return format_html('<span class="nowrap">{}</span>', format_date_range(start, end))


# Runs a Japanese line must not break inside: dates (2025年11月17日〜21日) and a number with its
# counter (13 件, 2つ), which phrase-aware line breaking does not always keep together.
JAPANESE_JOINS = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[〜~－-]\d{1,2}日)?|\d{4}年\d{1,2}月"
    r"|\d[\d,.]*\s?(?:件|つ|個|人|回|台|社|種類|か月|年間|日間|時間|分|秒|%|％)"
)
TAG = re.compile(r"(<[^>]*>)")


def join_japanese(html: str) -> SafeString:
    """Sanitised HTML with its dates and counted numbers wrapped so that they never break.

    Only the text between tags is touched: attributes and markup stay as they are.
    """
    parts = TAG.split(str(html))
    for i in range(0, len(parts), 2):  # even items are text, odd ones are tags
        parts[i] = JAPANESE_JOINS.sub(r'<span class="nowrap">\g<0></span>', parts[i])
    return mark_safe("".join(parts))  # spans added around text only


def _fallback(obj, field: str) -> tuple[str, str | None]:
    """The text for the reader's language, and the language it fell back to (None if it did
    not)."""
    return text_in_language(obj, field, _language())


@register.simple_tag
def translated(obj, field: str, markdown: bool = False) -> SafeString:
    """A translated field, marked e.g. "English only" (with its lang) where the reader's
    language has no text.

    With markdown=True the text is rendered as a block of sanitised HTML.
    """
    language = _language()
    text, fell_back_to = _fallback(obj, field)
    body = render_markdown(text) if markdown else SafeString(html_text(text))
    if (fell_back_to or language) == "ja":
        body = join_japanese(body)
    if fell_back_to is None:
        if _needs_review(obj, field, language):
            marker = _review_marker(language)
            if markdown:
                return format_html('<div class="needs-review">{}{}</div>', body, marker)
            return format_html("{} {}", body, marker)
        return body
    language = get_language_info(fell_back_to)["name_translated"]
    marker = format_html(
        '<span class="fallback-marker">{}</span>', _("%(language)s only") % {"language": language}
    )
    if markdown:
        return format_html('<div lang="{}" class="fallback">{}{}</div>', fell_back_to, marker, body)
    return format_html('<span lang="{}">{}</span> {}', fell_back_to, body, marker)


def _needs_review(obj, field: str, language: str) -> bool:
    return f"{field}.{language}" in (getattr(obj, "stale_translations", None) or ())


def _review_marker(language: str) -> SafeString:
    """A discreet note that this text may lag behind the other language's."""
    others = [
        str(get_language_info(code)["name_translated"])
        for code, _name in settings.LANGUAGES
        if code != language
    ]
    detail = _("The %(language)s text was changed after this one; it may not say the same yet.")
    return format_html(
        '<span class="review-marker" title="{}">{}<span class="visually-hidden"> {}</span></span>',
        detail % {"language": ", ".join(others)},
        _("Translation being reviewed"),
        detail % {"language": ", ".join(others)},
    )


@register.simple_tag
def status_badge(status: str, label: str) -> SafeString:
    """A release status as its badge: a shape and a colour per status, and its name."""
    return SafeString(
        f'<span class="status status--{html_text(status)}">'
        f'<span class="status__shape" aria-hidden="true"></span>{html_text(label)}</span>'
    )


@register.simple_tag
def draft_badge(item) -> SafeString:
    """The word Draft beside an item that only editors previewing the site see."""
    if not item.is_draft:
        return SafeString("")
    return format_html('<span class="draft-badge">{}</span>', _("Draft"))


@register.filter
def has_text(obj, field: str) -> bool:
    """Whether a translated field has text in any language (what `translated` would show)."""
    return bool(_fallback(obj, field)[0])


register.simple_tag(query_with, name="query_with")
register.simple_tag(query_without, name="query_without")
register.simple_tag(query_choosing, name="query_choosing")


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    # The site's own address, not whatever Host the request named.
    return absolute_url(context["request"], path)


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


def _language() -> str:
    return (get_language() or DEFAULT_LANGUAGE).split("-")[0]


@register.simple_tag
def english_name() -> SafeString:
    """lang="en" for a product or session name on a page in another language, so screen
    readers pronounce it as English."""
    return SafeString(' lang="en"') if _language() != "en" else SafeString("")


@register.simple_tag
def japanese_line(obj, field: str) -> SafeString:
    """On a Japanese page, the Japanese line under a name kept in English (a feature's
    `japanese_name`, a session's `japanese_title`), when the content has one."""
    text = getattr(obj, field, "")
    if _language() != "ja" or not text:
        return SafeString("")
    return format_html('<p class="name-ja">{}</p>', join_japanese(format_html("{}", text)))


@register.simple_tag
def time_tag(value: datetime.date | datetime.datetime | None) -> SafeString:
    """A date as readers write it, in a <time> element machines can read."""
    if value is None:
        return SafeString("")
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    machine = value.date().isoformat() if isinstance(value, datetime.datetime) else value
    return format_html('<time datetime="{}">{}</time>', machine, date_format(value))


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # so that blocks inside it can be overridden

    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: render once, use as {{ name }} many times (a page's
    title block in <title> and in its sharing metadata)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Usage: {% capture name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.simple_tag
def language_alternates(path: str) -> list[dict[str, str]]:
    """hreflang alternates of a page: (code, path) per language, plus x-default, the address
    without a language prefix, which sends each reader to their language."""
    links = [{"code": code, "url": url} for code, url in language_versions(path)]
    prefix = f"/{get_language()}/"
    neutral = "/" + path.removeprefix(prefix) if path.startswith(prefix) else path
    return [*links, {"code": "x-default", "url": neutral}]
