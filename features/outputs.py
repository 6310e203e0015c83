"""Every output of a filtered view, from one registry: the catalog's feeds and downloads, and the
changelog's feeds. Each output takes the same query string as the page it belongs to, so one
address describes one slice of the catalog in every format."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ignite.querystrings import tidy_query

from .filters import DEFAULT_SORT

# What a feed or a download reads of the page's address (paging and sorting are the page's).
FEATURE_FILTERS = ("q", "status", "area", "session", "event")
CHANGE_FILTERS = (
    *FEATURE_FILTERS,
    "since",
    "until",
    "added-since",
    "kind",
    "to",
    "since-event",
    "until-event",
)


@dataclass(frozen=True)
class Output:
    identifier: str
    label: str | Promise
    url_name: str
    media_type: str
    extension: str
    is_feed: bool

    def url(self, query: str = "") -> str:
        path = reverse(self.url_name)
        return f"{path}?{query}" if query else path


ATOM = "application/atom+xml"
JSON_FEED = "application/feed+json"

CATALOG_OUTPUTS = (
    Output("atom", _("Atom feed"), "features:feed-atom", ATOM, "atom", True),
    Output("json-feed", _("JSON Feed"), "features:feed-json", JSON_FEED, "json", True),
    Output("csv", _("CSV spreadsheet"), "features:export-csv", "text/csv", "csv", False),
    Output(
        "json", _("JSON (export format)"), "features:export-json", "application/json", "json", False
    ),
    Output(
        "markdown", _("Markdown article"), "features:export-markdown", "text/markdown", "md", False
    ),
)
CHANGE_OUTPUTS = (
    Output("atom", _("Atom feed"), "features:changes-atom", ATOM, "atom", True),
    Output("json-feed", _("JSON Feed"), "features:changes-json", JSON_FEED, "json", True),
)


def output_query(query: QueryDict, allowed: tuple[str, ...]) -> str:
    """The part of a page's query string its outputs take, tidied (no empty values, repeats or
    defaults), so that every address of one slice is the same address."""
    return tidy_query(query, {"sort": DEFAULT_SORT}, allowed=allowed)


def output_links(outputs: tuple[Output, ...], query: str) -> list[tuple[Output, str]]:
    return [(output, output.url(query)) for output in outputs]


def wants_html(request: HttpRequest, media_type: str) -> bool:
    """Whether a browser opened the feed (it prefers HTML), rather than a feed reader."""
    return request.get_preferred_type([media_type, "text/html"]) == "text/html"


def download_name(prefix: str, query: QueryDict, extension: str) -> str:
    """A file name that says which slice it holds: ignite-recap-features-ga-networking.csv."""
    parts = [
        value for name in FEATURE_FILTERS for value in query.getlist(name) if name != "q" and value
    ]
    words = re.sub(r"[^a-z0-9]+", "-", "-".join([prefix, *parts]).lower()).strip("-")
    return f"{words[:80].rstrip('-')}.{extension}"
