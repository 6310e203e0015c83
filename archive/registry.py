"""What the static archive holds: one list of sources of addresses (SOURCES, at the end).

The archive holds every address these sources give and everything the archived pages and
files link to: the export follows links (HTML attributes, CSS, and the site's absolute
addresses in feeds, sitemaps and data files), so a page, feed or download that any archived
page links to is archived with no change here. Add a source for what nothing links to. A URL
name the site does not have (yet) is skipped: it is simply not there yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import get_language_info

from features import content_io as exports
from features.filters import FeatureFilterSet, facet_options
from features.models import Feature
from sessions.models import Event

from . import search


@dataclass(frozen=True)
class Page:
    """An address the site renders (a GET through its whole middleware stack, as a reader)."""

    url: str
    status: int = 200  # what it must answer; an error page answers 404
    file: str = ""  # where it goes, when not where its address puts it (error pages)
    aliases: tuple[str, ...] = ()  # more files with the same content
    rooted: bool = False  # links as paths from the archive's root: a host shows it anywhere


@dataclass(frozen=True)
class Generated:
    """A file the export makes itself, at an address of the archive."""

    url: str
    content_type: str
    render: Callable[[], bytes] = field(compare=False)
    file: str = ""


Entry = Page | Generated


def _languages() -> Iterator[str]:
    """Each of the site's languages, active in turn (i18n_patterns prefix every address)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yield code


def named(
    name: str,
    *,
    params: Callable[[], Iterable[dict]] = lambda: [{}],
    each_language: bool = True,
) -> Callable[[], Iterator[Entry]]:
    """The pages of one URL name, for each set of keyword arguments (in every language)."""

    def pages() -> Iterator[Entry]:
        languages = _languages() if each_language else [settings.LANGUAGE_CODE]
        for _language in languages:
            for kwargs in params():
                try:
                    yield Page(reverse(name, kwargs=kwargs))
                except NoReverseMatch:
                    return  # not in the site (yet)

    pages.__name__ = f"named({name})"
    return pages


def published_events() -> Iterator[dict]:
    for slug in Event.objects.published().order_by("slug").values_list("slug", flat=True):
        yield {"slug": slug}


def catalog_filter_pages() -> Iterator[Entry]:
    """The catalog for each release status, each area, and each status with each area: the
    filters of the archive's catalog are links to these pages (there is no server to ask)."""
    filterset = FeatureFilterSet(QueryDict(), queryset=Feature.objects.for_catalog())
    facets = facet_options(filterset)
    statuses = [option.value for option in facets["status"]]
    areas = [option.value for option in facets["area"]]
    queries = [{"status": status} for status in statuses]
    queries += [{"area": area} for area in areas]
    queries += [{"status": status, "area": area} for status in statuses for area in areas]
    for _language in _languages():
        catalog = reverse("features:catalog")
        for query in queries:
            data = QueryDict(mutable=True)
            data.update(query)
            yield Page(f"{catalog}?{data.urlencode()}")


# Any address the site does not have; what it answers is the 404 page of its language.
NOT_FOUND_SLUG = "404"


def error_pages() -> Iterator[Entry]:
    """The 404 page of each language where static hosts look for it (the nearest 404.html up
    the folders on some, the root one on all)."""
    for language in _languages():
        url = f"/{language}/{NOT_FOUND_SLUG}/"
        root = ("404.html",) if language == settings.LANGUAGE_CODE else ()
        yield Page(url, status=404, file=f"{language}/404.html", aliases=root, rooted=True)


def old_addresses() -> Iterator[Entry]:
    """Old addresses of renamed pages: each leads to the page's new address in the archive, as
    it does on the site (where the new address is not archived, nothing is written)."""
    redirects = Redirect.objects.filter(site_id=settings.SITE_ID).order_by("old_path")
    for old_path in redirects.values_list("old_path", flat=True):
        yield Page(old_path)


# The content as data, beside the pages: (address, content type, format, language or None).
DOWNLOADS = [
    ("/downloads/ignite-recap.json", "application/json", "json", None),
    *[
        (f"/downloads/ignite-recap-{code}.{extension}", content_type, format_name, code)
        for format_name, extension, content_type in (
            ("csv", "csv", "text/csv"),
            ("markdown", "md", "text/markdown"),
        )
        for code, _name in settings.LANGUAGES
    ],
]


def content_downloads() -> Iterator[Entry]:
    """What `export_content` writes without drafts: JSON, and CSV and Markdown per language."""
    for url, content_type, format_name, language in DOWNLOADS:

        def render(format_name=format_name, language=language) -> bytes:
            selection = exports.select_features({})
            text = exports.render(format_name, selection, language or settings.LANGUAGE_CODE)
            return text.encode()

        yield Generated(url, content_type, render)


def search_indexes() -> Iterator[Entry]:
    """The index the archive's catalog searches in the browser, one per language."""
    for language in _languages():
        url = reverse("features:catalog") + search.INDEX_NAME
        yield Generated(url, "text/javascript", lambda language=language: search.index(language))


def archive_home() -> Iterator[Entry]:
    """The archive's front page: the site's `/` chooses a language from the browser's
    Accept-Language header, which a static host cannot read; here the reader chooses."""

    def render() -> bytes:
        languages = []
        for code in _languages():
            name = get_language_info(code)["name_local"]
            languages.append({"code": code, "name": name, "url": reverse("features:home")})
        downloads = [
            {"url": url, "format": format_name, "language": language}
            for url, _type, format_name, language in DOWNLOADS
        ]
        context = {"languages": languages, "downloads": downloads}
        return render_to_string("archive/index.html", context).encode()

    yield Generated("/", "text/html", render, file="index.html")


SOURCES: list[Callable[[], Iterable[Entry]]] = [
    archive_home,
    named("robots", each_language=False),
    # The sitemap lists every public page with its hreflang alternates; they follow from it.
    named("sitemap", each_language=False),
    named("features:home"),
    named("features:feed-atom"),
    named("features:feed-json"),
    named("features:event", params=published_events),
    catalog_filter_pages,
    error_pages,
    old_addresses,
    content_downloads,
    search_indexes,
]


def archive_entries(sources: Iterable[Callable[[], Iterable[Entry]]] = ()) -> Iterator[Entry]:
    """Every address the registry names, in order (the export follows their links)."""
    for source in sources or SOURCES:
        yield from source()
