"""How the site says who claimed a release status, and when."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from features.models import SourceKind, StatusChange

register = template.Library()


@register.simple_tag(takes_context=True)
def status_source(context, entry: StatusChange, full: bool = False) -> SafeString:
    """The source of a status entry as a short phrase: the session's code (with its title when
    `full`; linked to its page when readers may see it), or the source's title linked to its
    address."""
    preview = bool(getattr(context.get("request"), "preview", False))
    session = entry.source_session if entry.source_session_id else None
    if entry.source_kind == SourceKind.SESSION and session is not None:
        name = (
            format_html('<span class="session-code">{}</span> {}', session.code, session.title)
            if full
            else session.code
        )
        if session.is_visible(preview):
            return format_html('<a href="{}" lang="en">{}</a>', session.get_absolute_url(), name)
        return format_html('<span lang="en">{}</span>', name)
    title = entry.source_title or (entry.get_source_kind_display() if entry.source_kind else "")
    if entry.source_url:
        link = '<a href="{}" rel="external noopener">{}</a>'
        return format_html(link, entry.source_url, title or entry.source_url)
    return format_html("{}", title)


@register.simple_tag(takes_context=True)
def announced(context, entry: StatusChange) -> SafeString:
    """ "announced in BRK120 during Microsoft Ignite 2025 (17–21 November 2025)": when, and
    where or by whom, the first entry says the feature was announced."""
    source = status_source(context, entry, full=True)
    when = entry.when
    if entry.source_kind == SourceKind.SESSION and source:
        # Translators: e.g. "announced in BRK120 during Microsoft Ignite 2025 (17–21 November
        # 2025)"; session is a session's code, when a date as precise as it is known.
        return format_html(_("announced in {session} {when}"), session=source, when=when)
    if source:
        # Translators: e.g. "announced during Microsoft Ignite 2025 (…), according to <source>".
        return format_html(_("announced {when}, according to {source}"), source=source, when=when)
    return format_html(_("announced {when}"), when=when)


@register.filter
def as_of(entry: StatusChange | None) -> str:
    """The day an editor last checked the entry's source, short ("24 Nov 2026"), or ""."""
    if entry is None or entry.checked_on is None:
        return ""
    return date_format(entry.checked_on, "SHORT_DATE_FORMAT")


@register.simple_tag
def quoted_label(text: str) -> SafeString:
    """A status as the source wrote it, marked with the language it is written in: Japanese
    when it has Japanese characters, English otherwise."""
    japanese = any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in text)
    return format_html('<span lang="{}">{}</span>', "ja" if japanese else "en", text)
