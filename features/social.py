"""Social images of features and event recaps: what a shared link shows (ignite.social_images)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ignite.dates import date_range
from ignite.page_cache import public_page
from ignite.social_images import SocialCard, png_response
from sessions.models import Event

from .models import Feature, ReleaseStatus, StatusGroup


def _site() -> str:
    return _("Ignite Recap")


def _in_japanese() -> bool:
    return (get_language() or "").startswith("ja")


def feature_card(feature: Feature, preview: bool = False) -> SocialCard:
    """Status, name (with its Japanese line on Japanese cards), area and event."""
    area = feature.area.name
    subtitle = feature.japanese_name if _in_japanese() and feature.japanese_name else area
    session = feature.session if feature.session and feature.session.is_visible(preview) else None
    footer = [_site()]
    if session:
        footer += [session.event.name, session.code]
    return SocialCard(
        label=str(ReleaseStatus(feature.status).label),
        title=feature.name,
        subtitle=subtitle,
        footer=tuple(footer),
        status=feature.status,
    )


def event_card(event: Event, status_groups: list[StatusGroup]) -> SocialCard:
    """The event, with how many features it announced in each status."""
    separator = pgettext("separator", " · ")
    counts = separator.join(
        # Translators: a count of features of one release status, e.g. "4 GA".
        _("%(count)s %(status)s") % {"count": group.count, "status": group.label}
        for group in status_groups
    )
    footer = [_site(), date_range(event.start_date, event.end_date)]
    if event.city:
        footer.append(event.city)
    return SocialCard(
        label=_("AKS announcements"),
        title=event.name,
        subtitle=counts,
        footer=tuple(footer),
    )


def site_card() -> SocialCard:
    return SocialCard(
        label=_site(),
        title=_("What was announced for Azure Kubernetes Service"),
        subtitle=_("Feature by feature, in English and Japanese"),
        footer=(_site(),),
    )


@public_page
def feature_image(request: HttpRequest, slug: str) -> HttpResponse:
    feature = get_object_or_404(Feature.objects.for_catalog(request.preview), slug=slug)
    return png_response(lambda: feature_card(feature, request.preview))


@public_page
def event_image(request: HttpRequest, slug: str) -> HttpResponse:
    event = Event.objects.visible(request.preview).filter(slug=slug).first()
    if event is None:
        raise Http404
    features = Feature.objects.for_catalog(request.preview).filter(session__event=event)
    groups = features.status_groups(limit=0)
    return png_response(lambda: event_card(event, groups))


@public_page
def site_image(request: HttpRequest) -> HttpResponse:
    return png_response(site_card)
