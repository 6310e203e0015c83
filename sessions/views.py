"""Sessions and speakers."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ignite.page_cache import public_page

from .models import Session, Speaker, speaker_sessions_prefetch
from .social import session_card

# Features shown per release status on a session's or a speaker's page; the catalog has the rest.
FEATURES_PER_STATUS = 6


@public_page
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = Session.objects.for_listing(request.preview).with_feature_counts(request.preview)
    return TemplateResponse(request, "sessions/session_list.html", {"sessions": sessions})


@public_page
def session_detail(request: HttpRequest, slug: str) -> HttpResponse:
    sessions = Session.objects.for_page(request.preview)
    session = sessions.filter(slug=slug).first()
    if session is None:
        # /sessions/BRK120/ and other spellings of a code lead to the session's own address.
        by_code = sessions.filter(code__iexact=slug).order_by("-event__start_date").first()
        if by_code is None:
            raise Http404
        return redirect(by_code, permanent=True)
    features = session.features.for_catalog(request.preview)
    context = {
        "session": session,
        "event": session.event,
        "status_groups": features.status_groups(FEATURES_PER_STATUS),
        "catalog_query": f"session={session.code.lower()}",
        "comparisons": session.comparisons.for_reader(request.preview),
        "published": session.first_published_at,
        "updated": session.updated_at,
        "social_image": reverse("sessions:image", kwargs={"slug": session.slug}),
        "social_image_alt": session_card(session).alt_text,
        "og_type": "article",
    }
    return TemplateResponse(request, "sessions/session_detail.html", context)


@public_page
def speaker_list(request: HttpRequest) -> HttpResponse:
    speakers = Speaker.objects.visible(request.preview).prefetch_related(
        speaker_sessions_prefetch(request.preview)
    )
    return TemplateResponse(request, "sessions/speaker_list.html", {"speakers": speakers})


@public_page
def speaker_detail(request: HttpRequest, slug: str) -> HttpResponse:
    speaker = (
        Speaker.objects.visible(request.preview)
        .prefetch_related("links", speaker_sessions_prefetch(request.preview, with_people=True))
        .filter(slug=slug)
        .first()
    )
    if speaker is None:
        raise Http404
    sessions = [appearance.session for appearance in speaker.visible_appearances]
    features = (
        Session.objects.filter(pk__in=[session.pk for session in sessions])
        .announced_features()
        .for_catalog(request.preview)
    )
    events = list({session.event_id: session.event for session in sessions}.values())
    context = {
        "speaker": speaker,
        "events": events,
        "status_groups": features.status_groups(FEATURES_PER_STATUS),
        "catalog_query": "&".join(f"session={session.code.lower()}" for session in sessions),
        "published": speaker.first_published_at,
        "updated": speaker.updated_at,
        "og_type": "profile",
    }
    return TemplateResponse(request, "sessions/speaker_detail.html", context)
