"""The feature card, the catalog's and the recap's repeated item.

It is built in Python rather than included as a template: a catalog page shows 20 of them, a
recap 18, and the template engine spent about 0.4 ms on each, a quarter of a catalog page's
time. Built here from the same helpers the templates use, with f-strings and one escaping
helper (`html_text`; `format_html` cost more than the markup), a card takes about 0.05 ms and
reads and escapes as the template did.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from features.models import Feature
from ignite.templatetags.site import (
    draft_badge,
    english_name,
    has_text,
    japanese_line,
    status_badge,
    translated,
    visible_to,
)
from ignite.text import html_text

register = template.Library()


@register.simple_tag(takes_context=True)
def feature_card(
    context,
    feature: Feature,
    level: int = 3,
    hide_status: bool = False,
    hide_session: bool = False,
) -> SafeString:
    """A feature's card: its name as a heading of `level` linked to its page, the Japanese name
    on Japanese pages, the status (unless a heading around the cards gives it), area, topic and
    session (unless `hide_session`: the page is the session's), and the summary.

    The feature's area and session must be loaded with it (`select_related`).
    """
    preview = getattr(context.get("request"), "preview", False)
    separator = html_text(pgettext("separator", " · "))
    area = translated(feature.area, "name")
    # The last label and the session code stay together, so a code never ends up alone on a line.
    if has_text(feature, "topic"):
        lead, last = f"{area}{separator}", translated(feature, "topic")
    else:
        lead, last = "", area
    session = feature.session
    if not hide_session and visible_to(session, preview):
        last = (
            f'{last}{separator}<span class="session-code" title="{html_text(session.title)}">'
            f"{html_text(session.code)}</span>"
        )
    parts = [
        "" if hide_status else status_badge(feature.status, feature.get_status_display()),
        f'<span class="meta__item">{lead}<span class="nowrap">{last}</span></span>',
        draft_badge(feature),
    ]
    meta = " ".join(part for part in parts if part)
    level = int(level)
    address = html_text(feature.get_absolute_url())
    summary = translated(feature, "summary", markdown=True)
    # Every value below is escaped (html_text) or HTML built by the helpers above.
    return SafeString(
        f'<article class="feature-card{" is-draft" if feature.is_draft else ""}">\n'
        '  <hgroup class="feature-card__names">\n'
        f'    <h{level} class="feature-card__title"><a href="{address}"'
        f"{english_name()}>{html_text(feature.name)}</a></h{level}>"
        f"{japanese_line(feature, 'japanese_name')}\n"
        "  </hgroup>\n"
        f'  <p class="meta">{meta}</p>\n'
        f'  <div class="feature-card__summary">{summary}</div>\n'
        "</article>"
    )
