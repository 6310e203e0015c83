"""The feature catalog: filters, facet counts, chips and pages, as a page or an htmx fragment."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ignite.page_cache import do_not_cache, public_page
from ignite.querystrings import query_without, tidy_query

from ..filters import (
    DEFAULT_SORT,
    SEARCH_MAX_LENGTH,
    SORTS,
    FacetTally,
    FeatureFilterSet,
    describe,
    facet_options,
)
from ..models import Feature
from ..outputs import CATALOG_OUTPUTS, FEATURE_FILTERS, output_links, output_query
from .outputs import feed_title

PAGE_SIZE = 20
PARAMETERS = ("q", "status", "area", "session", "event", "sort", "page")
TEMPLATE = "features/catalog.html"


@dataclass
class Chip:
    """An active filter, shown with a link that removes it."""

    label: str
    query: str


def paginate(queryset, raw_page: str | None, count: int | None = None) -> tuple[Page, str]:
    """The requested page, or the nearest real one with a note saying why. `count`, when
    known, spares the paginator its counting query."""
    paginator = Paginator(queryset, PAGE_SIZE, allow_empty_first_page=True)
    if count is not None:
        paginator.count = count
    if raw_page in (None, ""):
        return paginator.page(1), ""
    try:
        number = int(raw_page)
    except ValueError:
        return paginator.page(1), _("“%(page)s” is not a page number; showing page 1.") % {
            "page": raw_page[:20]
        }
    if number < 1:
        return paginator.page(1), _("There is no page %(page)s; showing page 1.") % {"page": number}
    if number > paginator.num_pages:
        return paginator.page(paginator.num_pages), _(
            "There is no page %(page)s; showing the last page, %(last)s."
        ) % {"page": number, "last": paginator.num_pages}
    return paginator.page(number), ""


def _rows_to_fill(raw_page: str | None) -> int:
    """How many results the list reads to fill the page asked for (the first, if none is)."""
    try:
        number = int(raw_page or 1)
    except ValueError:
        number = 1
    return max(1, number) * PAGE_SIZE


def _chips(filterset: FeatureFilterSet, query: QueryDict) -> list[Chip]:
    cleaned = filterset.form.cleaned_data
    chips = []
    if cleaned.get("q"):
        chips.append(
            Chip(_("Search: “%(text)s”") % {"text": cleaned["q"]}, query_without(query, "q"))
        )
    for name in ("status", "area", "session"):
        labels = dict(filterset.form.fields[name].choices)
        for value in cleaned.get(name) or []:
            chips.append(Chip(str(labels.get(value, value)), query_without(query, name, value)))
    if cleaned.get("event"):
        labels = dict(filterset.form.fields["event"].choices)
        chips.append(Chip(str(labels[cleaned["event"]]), query_without(query, "event")))
    return chips


def _title(filterset: FeatureFilterSet, chips: list[Chip], page: Page) -> str:
    title = _("Features")
    labels = [chip.label for chip in chips]
    if search := filterset.form.cleaned_data.get("q"):
        labels[0] = _("“%(text)s”") % {"text": search}  # the search chip, without "Search:"
    if labels:
        separator = pgettext("list separator", ", ")
        title = _("Features: %(filters)s") % {"filters": separator.join(labels)}
    if page.number > 1:
        title = _("%(title)s (page %(page)s)") % {"title": title, "page": page.number}
    return title


@public_page(cache_queries=True, fragments=("results", "catalog"))
def catalog(request: HttpRequest) -> HttpResponse:
    tidy = tidy_query(request.GET, {"sort": DEFAULT_SORT}, allowed=PARAMETERS)
    untidy = tidy != request.GET.urlencode()
    if not request.htmx and untidy:
        # A plain form submission carries empty fields and the default sort, a shared link may
        # carry tracking parameters: send the reader to the short address of the same view.
        return redirect(f"{request.path}?{tidy}" if tidy else request.path)
    preview = request.preview
    base = Feature.objects.for_catalog(preview)
    filterset = FeatureFilterSet(request.GET, queryset=base, preview=preview)
    filterset.is_valid()  # invalid filters are reported below and left out of the results
    # The facet counts and the number of results: one query, none without a search or a filter
    # besides the facets once this revision's catalog has been counted in this process.
    tally = FacetTally.of(filterset, kept_as="catalog")
    if filterset.active_sort == DEFAULT_SORT:  # the order an index holds: a walk stops early
        filterset.search_reads_rows = tally.reading_rows_fills_sooner(
            _rows_to_fill(request.GET.get("page"))
        )
    # The list reads the feature rows alone: areas and sessions come from the filters' tables.
    listed = filterset.qs.select_related(None)
    page, page_problem = paginate(listed, request.GET.get("page"), count=tally.total)
    page.object_list = filterset.choices.reference.attach(page.object_list)
    problems = [message for _name, message in filterset.problems]
    if page_problem:
        problems.append(page_problem)
    chips = _chips(filterset, request.GET)
    context = {
        "filterset": filterset,
        "facets": facet_options(filterset, tally),
        "page": page,
        "features": page.object_list,
        "chips": chips,
        "problems": problems,
        "sort": filterset.active_sort,
        "sorts": [(value, label) for value, (label, _fields) in SORTS.items()],
        "default_sort": DEFAULT_SORT,
        "search": filterset.form.cleaned_data.get("q")
        or request.GET.get("q", "")[:SEARCH_MAX_LENGTH],
        "search_max_length": SEARCH_MAX_LENGTH,
        "title": _title(filterset, chips, page),
        "outputs": output_links(CATALOG_OUTPUTS, output_query(request.GET, FEATURE_FILTERS)),
        "slice": describe(filterset),
        "feed_title": feed_title(filterset),
    }
    template = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        # Chips and "clear all" replace the whole catalog (the search box too); every other
        # control swaps the results and refreshes the facets around them.
        template += "#catalog-update" if request.htmx.target == "catalog" else "#results-update"
    response = TemplateResponse(request, template, context)
    # Only addresses that make sense are worth keeping: typos would crowd out real pages.
    return do_not_cache(response) if problems or untidy else response
