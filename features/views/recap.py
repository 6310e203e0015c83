"""The recap of an event: sessions, comparisons and announced features by status."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from ignite.page_cache import public_page
from sessions.models import Event, Session

from ..models import Comparison, Feature, ReleaseStatus


@dataclass
class StatusGroup:
    status: str
    label: str
    description: str
    features: list[Feature]


def _recap(request: HttpRequest, event: Event | None, canonical: str) -> HttpResponse:
    preview = request.preview
    if event is None:
        return TemplateResponse(request, "features/recap_empty.html", {"canonical": canonical})
    features = list(Feature.objects.for_catalog(preview).filter(session__event=event))
    descriptions = ReleaseStatus.descriptions()
    by_status = [
        StatusGroup(value, label, descriptions[value], [f for f in features if f.status == value])
        for value, label in ReleaseStatus.choices
    ]
    context = {
        "event": event,
        "canonical": canonical,
        "sessions": Session.objects.for_page(preview).filter(event=event),
        "comparisons": Comparison.objects.for_reader(preview).filter(session__event=event),
        "status_groups": [group for group in by_status if group.features],
        "feature_count": len(features),
    }
    return TemplateResponse(request, "features/recap.html", context)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    event = Event.objects.current(request.preview)
    return _recap(request, event, reverse("features:home"))


@public_page
def event_recap(request: HttpRequest, slug: str) -> HttpResponse:
    event = Event.objects.visible(request.preview).filter(slug=slug).first()
    if event is None:
        raise Http404
    current = Event.objects.current(request.preview)
    canonical = reverse("features:home") if event == current else event.get_absolute_url()
    return _recap(request, event, canonical)
