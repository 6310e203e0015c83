"""The recap of an event: what matters most, the sessions in brief, the comparisons and a
bounded selection of the announced features by status, each linking to the full story."""

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from ignite.page_cache import public_page
from sessions.models import Event, Session

from ..models import Comparison, Feature
from ..social import event_card

# Features shown per status; the rest are a link to the catalog away.
FEATURES_PER_STATUS = 6


def _recap(request: HttpRequest, event: Event | None, canonical: str) -> HttpResponse:
    preview = request.preview
    if event is None:
        return TemplateResponse(request, "features/recap_empty.html", {"canonical": canonical})
    features = Feature.objects.for_catalog(preview).filter(session__event=event)
    status_groups = features.status_groups(FEATURES_PER_STATUS)
    sessions = list(
        Session.objects.for_page(preview).filter(event=event).with_feature_counts(preview)
    )
    comparisons = list(Comparison.objects.for_reader(preview).filter(session__event=event))
    changes = [event.updated_at]
    changes += [group.latest_update for group in status_groups]
    changes += [item.updated_at for item in [*sessions, *comparisons]]
    card = event_card(event, status_groups)
    context = {
        "event": event,
        "canonical": canonical,
        "sessions": sessions,
        "comparisons": comparisons,
        "status_groups": status_groups,
        "feature_count": sum(group.count for group in status_groups),
        "published": event.first_published_at,
        "updated": max(change for change in changes if change),
        "social_image": reverse("features:event_image", kwargs={"slug": event.slug}),
        "social_image_alt": card.alt_text,
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
