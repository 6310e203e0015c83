"""Feeds and downloads of any filtered view, and the public changelog.

Each takes the catalog's own query string and FeatureFilterSet, so `/features/feed.atom?area=fleet`
follows exactly what `/features/?area=fleet` lists. Bad filters get the page's treatment: the
valid ones apply and the rest are named (in the feed's subtitle, or a header of a download).
Feeds and downloads are of published content only, whoever asks.
"""

from __future__ import annotations

import datetime
from functools import partial
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ignite.models import ContentRevision
from ignite.page_cache import do_not_cache, public_page
from ignite.sites import absolute_url

from .. import content_io as exports
from ..changes import ChangeLog, compare_events
from ..feeds import build_feed, change_entries, feature_entries
from ..filters import FeatureFilterSet, describe
from ..models import Feature
from ..outputs import (
    ATOM,
    CATALOG_OUTPUTS,
    CHANGE_FILTERS,
    CHANGE_OUTPUTS,
    FEATURE_FILTERS,
    JSON_FEED,
    download_name,
    output_links,
    output_query,
    wants_html,
)

FEED_MEDIA_TYPES = {"atom": ATOM, "json": JSON_FEED}


def _negotiated(feed_type: str):
    return lambda request: "html" if wants_html(request, FEED_MEDIA_TYPES[feed_type]) else "feed"


def public_filterset(request: HttpRequest) -> FeatureFilterSet:
    filterset = FeatureFilterSet(
        request.GET, queryset=Feature.objects.for_catalog(preview=False), preview=False
    )
    filterset.is_valid()  # invalid filters are named and left out, as on the catalog page
    return filterset


def feed_title(filterset: FeatureFilterSet, changes: bool = False) -> str:
    """ "Ignite Recap: GA features in Networking", or of the whole catalog when unfiltered."""
    filtered = any(filterset.form.cleaned_data.get(name) for name in FEATURE_FILTERS)
    if not filtered:
        return _("Ignite Recap: all changes") if changes else _("Ignite Recap: all features")
    if changes:
        slice_ = describe(filterset, within_sentence=True)
        return _("Ignite Recap: changes to %(slice)s") % {"slice": slice_}
    return _("Ignite Recap: %(slice)s") % {"slice": describe(filterset)}


def _problems_note(problems: list[str]) -> str:
    if not problems:
        return ""
    return " " + _("Left out of this feed: %(problems)s") % {"problems": " ".join(problems)}


def _feed_response(request, feed_type, feed, preview_context, problems) -> HttpResponse:
    if wants_html(request, FEED_MEDIA_TYPES[feed_type]):
        response = TemplateResponse(request, "features/feed_preview.html", preview_context)
    else:
        response = HttpResponse(content_type=feed.content_type)
        feed.write(response, "utf-8")
    return do_not_cache(response) if problems else response


def _feed(request, feed_type, *, title, subtitle, page_url, feed_url, entries, problems, outputs):
    absolute = partial(absolute_url, request)
    feed = build_feed(
        feed_type,
        title=title,
        subtitle=subtitle + _problems_note(problems),
        link=absolute(page_url),
        feed_url=absolute(feed_url),
        language=translation.get_language(),
        entries=entries,
        fallback_updated=ContentRevision.current().changed_at,
    )
    context = {
        "title": title,
        "subtitle": subtitle,
        "feed_type": feed_type,
        "feed_address": absolute(feed_url),
        "page_url": page_url,
        "entries": entries,
        "problems": problems,
        "outputs": outputs,
    }
    return _feed_response(request, feed_type, feed, context, problems)


def feature_feed(request: HttpRequest, feed_type: str) -> HttpResponse:
    filterset = public_filterset(request)
    problems = [message for _name, message in filterset.problems]
    query = output_query(request.GET, FEATURE_FILTERS)
    output = next(o for o in CATALOG_OUTPUTS if o.is_feed and o.extension == feed_type)
    return _feed(
        request,
        feed_type,
        title=feed_title(filterset),
        subtitle=_("New features, status changes and material updates, newest first."),
        page_url=reverse("features:catalog") + (f"?{query}" if query else ""),
        feed_url=output.url(query),
        entries=feature_entries(
            filterset.qs, partial(absolute_url, request), filterset.choices.reference
        ),
        problems=problems,
        outputs=output_links(CATALOG_OUTPUTS, query),
    )


def download(request: HttpRequest, format_name: str) -> HttpResponse:
    """The filtered catalog as export_content writes it for the same filters."""
    filterset = public_filterset(request)
    cleaned = filterset.form.cleaned_data
    filters = {name: cleaned.get(name) or [] for name in ("status", "area", "session")}
    filters |= {name: cleaned.get(name) or "" for name in ("q", "event")}
    selection = exports.select_features(filters, include_drafts=False)
    language = translation.get_language()
    output = next(o for o in CATALOG_OUTPUTS if o.identifier == format_name)
    response = HttpResponse(
        exports.render(format_name, selection, language),
        content_type=f"{output.media_type}; charset=utf-8",
    )
    name = download_name("ignite-recap-features", request.GET, output.extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    problems = [message for _name, message in filterset.problems]
    if problems:
        # Headers are Latin-1: the messages travel percent-encoded, as UTF-8.
        response["X-Filter-Problems"] = "; ".join(quote(p, safe=" ,.:()") for p in problems)
        do_not_cache(response)
    return response


def legacy_feed(request: HttpRequest) -> HttpResponse:
    """The feed's first address: followers keep their subscription."""
    query = output_query(request.GET, FEATURE_FILTERS)
    url = reverse("features:feed-atom")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


# The changelog -----------------------------------------------------------------------------


@public_page(cache_queries=True)
def changes(request: HttpRequest) -> HttpResponse:
    changelog = ChangeLog.from_query(request.GET)
    page = changelog.page(request.GET.get("page"))
    query = output_query(request.GET, CHANGE_FILTERS)
    since_event = changelog.form.events.get(changelog.form.value("since_event") or "")
    until_event = changelog.form.events.get(changelog.form.value("until_event") or "")
    newest = changelog.latest(1)
    comparison = None
    if since_event and until_event and since_event != until_event:
        comparison = compare_events(changelog.features, since_event, until_event)
    context = {
        "changelog": changelog,
        "filterset": changelog.filterset,
        "form": changelog.form,
        "page": page,
        "changes": page.object_list,
        "problems": changelog.problems,
        "slice": describe(changelog.filterset),
        "feed_title": feed_title(changelog.filterset, changes=True),
        "outputs": output_links(CHANGE_OUTPUTS, query),
        "feed_query": query,
        "comparison": comparison,
        "since_event": since_event,
        "until_event": until_event,
        "bookmark_url": _bookmark(request, newest[0].recorded_at.date()) if newest else "",
    }
    response = TemplateResponse(request, "features/changes.html", context)
    return do_not_cache(response) if changelog.problems else response


def _bookmark(request: HttpRequest, newest: datetime.date) -> str:
    """A returning reader's address: these filters, only what is added after the newest change
    listed now."""
    query = QueryDict(output_query(request.GET, CHANGE_FILTERS), mutable=True)
    query["added-since"] = (newest + datetime.timedelta(days=1)).isoformat()
    return f"{reverse('features:changes')}?{query.urlencode()}"


def change_feed(request: HttpRequest, feed_type: str) -> HttpResponse:
    changelog = ChangeLog.from_query(request.GET)
    query = output_query(request.GET, CHANGE_FILTERS)
    output = next(o for o in CHANGE_OUTPUTS if o.extension == feed_type)
    return _feed(
        request,
        feed_type,
        title=feed_title(changelog.filterset, changes=True),
        subtitle=_("Status changes and material updates, newest first."),
        page_url=reverse("features:changes") + (f"?{query}" if query else ""),
        feed_url=output.url(query),
        entries=change_entries(changelog.latest(50), partial(absolute_url, request)),
        problems=changelog.problems,
        outputs=output_links(CHANGE_OUTPUTS, query),
    )


def _feed_view(view, feed_type: str):
    return public_page(
        lambda request: view(request, feed_type),
        cache_queries=True,
        negotiate=_negotiated(feed_type),
    )


feature_atom = _feed_view(feature_feed, "atom")
feature_json_feed = _feed_view(feature_feed, "json")
change_atom = _feed_view(change_feed, "atom")
change_json_feed = _feed_view(change_feed, "json")
export_csv = public_page(lambda request: download(request, "csv"), cache_queries=True)
export_json = public_page(lambda request: download(request, "json"), cache_queries=True)
export_markdown = public_page(lambda request: download(request, "markdown"), cache_queries=True)
