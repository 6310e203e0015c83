import html
from collections.abc import Sequence
from functools import cached_property

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.http import HttpResponseBadRequest
from django.http.request import split_domain_port
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime


def sync_site_domain(using: str = "default", **kwargs) -> None:
    """Keep the Site row (used by sitemaps and redirects) on the domain the settings name."""
    if not global_apps.is_installed("django.contrib.sites"):
        return
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )


def site_origin(request) -> str:
    """Scheme and host of absolute links and page cache keys.

    In production, the configured site (DJANGO_SITE_DOMAIN): one copy of each page whatever
    Host a request names. In development, the request's own host and port, whichever they are.
    """
    host = request.get_host() if settings.DEBUG else settings.SITE_DOMAIN
    return f"{request.scheme}://{host}"


class SiteHostMiddleware:
    """In production, answer only for the site's own host and port: 400 for another port (which
    ALLOWED_HOSTS does not check) or for an allowed host named with a port. /healthz is exempt:
    load balancers probe instances by their own addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DEBUG and request.path != "/healthz" and not _site_host(request):
            return HttpResponseBadRequest("Unknown host.", content_type="text/plain")
        return self.get_response(request)


def absolute_url(request, path: str) -> str:
    """An absolute link to one of the site's addresses (a path), on `site_origin`; anything else
    is resolved against the request, as Django's build_absolute_uri does."""
    if path.startswith("/") and not path.startswith("//"):
        return site_origin(request) + path
    return request.build_absolute_uri(path)


def _site_host(request) -> bool:
    host = request.get_host().lower()  # DisallowedHost (400) for hosts not in ALLOWED_HOSTS
    return host == settings.SITE_DOMAIN.lower() or split_domain_port(host)[1] == ""


def public_domain(request) -> str:
    """The domain of absolute links in sitemaps: the configured site in production; in
    development the address the site was reached at (`make run PORT=8001`)."""
    return site_origin(request).split("://", 1)[1]


MOST_SITEMAPS = 50_000  # sitemaps an index may list (sitemaps.org protocol)


class PublicDomainSitemap(Sitemap):
    """A sitemap whose links use `public_domain` (given by `sitemap_view`).

    At most SITEMAP_PAGE_SIZE addresses a page (each language counts): with its hreflang
    alternates a page of 100 stays about 40 KB however many features there are, and the index
    (/sitemap.xml) lists the pages. Every public page is in both languages, so each entry
    names the other language's address and an x-default."""

    limit = settings.SITEMAP_PAGE_SIZE
    i18n = True
    alternates = True
    x_default = True

    def _items(self):
        # Django pairs every item with every language in one list before it paginates: all
        # 10,000 features loaded for one page or for the index's page count. This pairs them
        # lazily: a count query for the index, a page's own slice of items for a page.
        if self.i18n:
            return LanguagePairs(self.items(), self._languages())
        return super()._items()

    def __init__(self, domain: str | None = None):
        self.domain = domain

    def get_domain(self, site=None) -> str:
        return self.domain or super().get_domain(site)

    def _urls(self, page, protocol, domain):
        """Django's entries (with hreflang alternates and x-default), worked out faster: each
        item's address is reversed once, in the first language, and the language prefix
        swapped for the others (no address pattern is translated); its lastmod once for all
        its languages, and their XML. Each entry brings its XML, so the template only joins."""
        if not (self.i18n and self.alternates):
            urls = super()._urls(page, protocol, domain)
            for url in urls:
                url["xml"] = _entry_xml(url["location"], _details_xml(url))
            return urls
        origin = f"{protocol}://{domain}"
        languages = self._languages()
        urls = []
        shared = paths = xml = previous = None
        # Addresses in the first language, activated once for the page rather than once for
        # each item and language, as Django's _location does (that switch is most of its cost).
        with translation.override(languages[0]):
            for item, code in self._page_pairs(page):
                if item is not previous:  # an item's languages come one after another
                    previous = item
                    paths, shared, xml = self._shared(item, code, origin, languages)
                location = origin + paths[code]
                url = {"item": (item, code), "location": location, **shared}
                url["xml"] = _entry_xml(location, xml)
                urls.append(url)
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def _page_pairs(self, page) -> list:
        """A page's (item, language) pairs, as `self.paginator.page(page).object_list` gives
        them and with its EmptyPage, but without counting every item first: a page past the
        end is one that has none."""
        try:
            number = int(page)  # as Django's paginator reads it: "2", not "2.5" or "two"
        except (TypeError, ValueError):
            raise PageNotAnInteger(page) from None  # the view answers 404 ("No page …")
        if number < 1:
            raise EmptyPage(page)  # the view answers 404 ("Page … empty"), as for any page
        if number > MOST_SITEMAPS:  # no index lists it (and the database needs no huge offset)
            raise EmptyPage(page)
        pairs = self._items()[(number - 1) * self.limit : number * self.limit]
        if not pairs and number > 1:
            raise EmptyPage(page)
        return pairs

    def _shared(self, item, code: str, origin: str, languages: list[str]):
        """What every language's entry of one item holds: its paths by language, the entry's
        other values, and their XML (as Django's sitemap.xml writes them, spaceless)."""
        paths = self._paths(item, languages)
        alternates = [{"location": origin + paths[c], "lang_code": c} for c in languages]
        default = settings.LANGUAGE_CODE
        if self.x_default and default in paths:
            x_default = origin + paths[default].replace(f"/{default}/", "/", 1)
            alternates.append({"location": x_default, "lang_code": "x-default"})
        lastmod = self._get("lastmod", (item, code))
        changefreq = self._get("changefreq", (item, code))
        priority = self._get("priority", (item, code))
        shared = {
            "lastmod": lastmod,
            "changefreq": changefreq,
            "priority": str(priority if priority is not None else ""),
            "alternates": alternates,
        }
        return paths, shared, _details_xml(shared)

    def _paths(self, item, languages: list[str]) -> dict[str, str]:
        """{language: path} of one item, with the first language active."""
        first = self._get("location", (item, languages[0]))
        prefix = f"/{languages[0]}/"
        if not first.startswith(prefix):  # not under the language prefix: ask each language
            return {code: self._location((item, code)) for code in languages}
        rest = first.removeprefix(prefix)
        return {code: f"/{code}/{rest}" for code in languages}


def _entry_xml(location: str, details: str) -> SafeString:
    """One <url> entry, as Django's sitemap.xml template writes it (spaceless)."""
    return SafeString(f"<url><loc>{html.escape(location)}</loc>{details}</url>")


def _details_xml(url: dict) -> str:
    """An entry's lastmod, changefreq, priority and alternates, as Django's template writes them."""
    xml = []
    if url["lastmod"]:
        xml.append(f"<lastmod>{template_localtime(url['lastmod']):%Y-%m-%d}</lastmod>")
    if url["changefreq"]:
        xml.append(f"<changefreq>{html.escape(str(url['changefreq']))}</changefreq>")
    if url["priority"]:
        xml.append(f"<priority>{html.escape(url['priority'])}</priority>")
    xml += [
        f'<xhtml:link rel="alternate" hreflang="{html.escape(alternate["lang_code"])}" '
        f'href="{html.escape(alternate["location"])}"/>'
        for alternate in url["alternates"]
    ]
    return "".join(xml)


class LanguagePairs(Sequence):
    """(item, language) for every item and language, item by item, read a slice at a time."""

    def __init__(self, items, languages: list[str]):
        self.items = items
        self.languages = list(languages)

    @cached_property
    def _item_count(self) -> int:
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    def __len__(self) -> int:
        return self._item_count * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else list(self)[index]
        start, stop, step = index.start or 0, index.stop, index.step
        if start < 0 or stop is None or stop < 0 or (step or 1) < 0:
            start, stop, step = index.indices(len(self))  # counts the items
        per_item = len(self.languages)
        first, last = start // per_item, -(-stop // per_item)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        offset = first * per_item
        return pairs[start - offset : stop - offset : step]


def sitemap_view(request, sitemaps: dict[str, type[PublicDomainSitemap]], **kwargs):
    """One page of one section's sitemap (`/sitemap-features.xml?p=2`), Django's view with
    each sitemap on the domain `public_domain` names; 404 for an unknown section or page."""
    domain = public_domain(request)
    maps = {name: cls(domain) for name, cls in sitemaps.items()}
    return sitemap(request, maps, template_name="sitemap_urls.xml", **kwargs)


def sitemap_index_view(request, sitemaps: dict[str, type[PublicDomainSitemap]]):
    """/sitemap.xml: the index of every page of every section's sitemap, on the public origin.

    Written as Django's sitemap_index.xml writes it (spaceless), an entry per page in Python:
    with 10,000 features the index lists 200 pages."""
    origin = site_origin(request)
    domain = public_domain(request)
    pages = []
    for section, cls in sitemaps.items():
        address = origin + reverse("sitemap-section", kwargs={"section": section})
        count = cls(domain).paginator.num_pages
        pages += [address + (f"?p={page}" if page > 1 else "") for page in range(1, count + 1)]
    entries = "".join(f"<sitemap><loc>{html.escape(page)}</loc></sitemap>" for page in pages)
    return TemplateResponse(
        request,
        "sitemap_index_pages.xml",
        {"sitemaps": [SitemapIndexItem(page) for page in pages], "entries": SafeString(entries)},
        content_type="application/xml",
    )
