"""A catalog facet: its options, each with how many features it would show.

Built in Python rather than included as a template, as the feature card is (cards.py): the
catalog shows three facets with a dozen options on every page and every htmx update, and the
template engine spent about 1.2 ms on them (9 % of a catalog page), a few tags and a plural
per option; built here, they take half that. The markup and the words (the same catalogue
entries) are the template's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from features.filters import FacetOption
from ignite.querystrings import query_choosing
from ignite.templatetags.site import status_badge

register = template.Library()


def _text(name: str, option: FacetOption) -> SafeString:
    """The option's name (a status as its badge) and its count, said in words to screen
    readers ("GA, 4 features")."""
    if name == "status":
        label = status_badge(option.value, option.label)
    else:
        label = format_html('<span class="facet__label">{}</span>', option.label)
    # The catalogue's words are markup of ours; only the number is filled in, escaped.
    count = ngettext(
        '<span class="visually-hidden">,</span> %(counter)s'
        '<span class="visually-hidden"> feature</span>',
        '<span class="visually-hidden">,</span> %(counter)s'
        '<span class="visually-hidden"> features</span>',
        option.count,
    ) % {"counter": conditional_escape(localize(option.count))}
    return format_html('{}\n        <span class="facet__count">{}</span>', label, mark_safe(count))


def _live(name: str, option: FacetOption) -> SafeString:
    """A checkbox of the filter form."""
    state = " checked" if option.selected else " disabled" if option.disabled else ""
    ident = f"{name}-{option.value}"
    return format_html(
        '<input type="checkbox" class="facet__input" name="{}" value="{}" id="{}"{}>\n'
        '      <label for="{}">{}\n      </label>',
        name,
        option.value,
        ident,
        mark_safe(state),
        ident,
        _text(name, option),
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
        listed = format_html_join("\n    ", "<li>\n      {}\n    </li>", ((i,) for i in items))
    else:
        listed = format_html('<li class="muted">{}</li>', gettext("No options with these filters."))
    return format_html(
        '<fieldset class="facet">\n  <legend>{}</legend>\n  <ul>\n    {}\n  </ul>\n</fieldset>',
        legend,
        listed,
    )
