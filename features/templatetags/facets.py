"""A catalog facet: its options, each with how many features it would show.

Built in Python rather than included as a template, as the feature card is (cards.py): the
catalog shows three facets with a dozen options on every page and every htmx update, and the
template engine spent about 1.2 ms on them (9 % of a catalog page), a few tags and a plural
per option; built here, with each count worded once per language and number, they take about
0.15 ms. The markup and the words (the same catalogue entries) are the template's.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from features.filters import FacetOption
from ignite.querystrings import query_choosing
from ignite.templatetags.site import status_badge
from ignite.text import html_text

register = template.Library()


def _text(name: str, option: FacetOption) -> SafeString:
    """The option's name (a status as its badge) and its count, said in words to screen
    readers ("GA, 4 features")."""
    if name == "status":
        label = status_badge(option.value, option.label)
    else:
        label = f'<span class="facet__label">{html_text(option.label)}</span>'
    count = _count(get_language(), option.count)
    return SafeString(f'{label}\n        <span class="facet__count">{count}</span>')


@lru_cache(maxsize=1024)
def _count(language: str | None, count: int) -> str:
    """A count as the facets show it, in `language` (the active one): the same few numbers in
    each language, page after page, so each is worded once."""
    # The catalogue's words are markup of ours; only the number is filled in, escaped.
    return ngettext(
        '<span class="visually-hidden">,</span> %(counter)s'
        '<span class="visually-hidden"> feature</span>',
        '<span class="visually-hidden">,</span> %(counter)s'
        '<span class="visually-hidden"> features</span>',
        count,
    ) % {"counter": html_text(localize(count))}


def _live(name: str, option: FacetOption) -> SafeString:
    """A checkbox of the filter form."""
    state = " checked" if option.selected else " disabled" if option.disabled else ""
    ident = html_text(f"{name}-{option.value}")
    return SafeString(
        f'<input type="checkbox" class="facet__input" name="{html_text(name)}" '
        f'value="{html_text(option.value)}" id="{ident}"{state}>\n'
        f'      <label for="{ident}">{_text(name, option)}\n      </label>'
    )


def _archived(name: str, option: FacetOption, request, catalog: str) -> SafeString:
    """A link to the page the static archive holds for it (no server to submit a form to)."""
    if option.disabled:
        return format_html(
            '<span class="facet__option" aria-disabled="true">{}</span>', _text(name, option)
        )
    return format_html(
        '<a class="facet__option" href="{}{}"{}>{}</a>',
        catalog,
        query_choosing(request.GET, name, option.value),
        mark_safe(' aria-current="true"') if option.selected else "",
        _text(name, option),
    )


@register.simple_tag(takes_context=True)
def facet(context, name: str, legend: str, options: Iterable[FacetOption]) -> SafeString:
    """A facet's fieldset: checkboxes on the live site, links in the static archive."""
    if context.get("static_archive"):
        request, catalog = context["request"], reverse("features:catalog")
        items = [_archived(name, option, request, catalog) for option in options]
    else:
        items = [_live(name, option) for option in options]
    if items:
        listed = "\n    ".join(f"<li>\n      {item}\n    </li>" for item in items)
    else:
        listed = f'<li class="muted">{html_text(gettext("No options with these filters."))}</li>'
    return SafeString(
        f'<fieldset class="facet">\n  <legend>{html_text(legend)}</legend>\n'
        f"  <ul>\n    {listed}\n  </ul>\n</fieldset>"
    )
