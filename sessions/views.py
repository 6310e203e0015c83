"""Sessions and speakers."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ignite.page_cache import public_page
from ignite.publishing import PublicationState

from .models import Session, SessionSpeaker, Speaker


@public_page
def session_list(request: HttpRequest) -> HttpResponse:
    counted = Q() if request.preview else Q(features__state=PublicationState.PUBLISHED)
    sessions = Session.objects.for_listing(request.preview).annotate(
        feature_count=Count("features", filter=counted)
    )
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
    context = {
        "session": session,
        "features": session.features.for_catalog(request.preview),
        "comparisons": session.comparisons.for_reader(request.preview),
    }
    return TemplateResponse(request, "sessions/session_detail.html", context)


@public_page
def speaker_list(request: HttpRequest) -> HttpResponse:
    speakers = Speaker.objects.visible(request.preview).prefetch_related(
        _sessions_prefetch(request.preview)
    )
    return TemplateResponse(request, "sessions/speaker_list.html", {"speakers": speakers})


@public_page
def speaker_detail(request: HttpRequest, slug: str) -> HttpResponse:
    speaker = (
        Speaker.objects.visible(request.preview)
        .prefetch_related("links", _sessions_prefetch(request.preview))
        .filter(slug=slug)
        .first()
    )
    if speaker is None:
        raise Http404
    return TemplateResponse(request, "sessions/speaker_detail.html", {"speaker": speaker})


def _sessions_prefetch(preview: bool) -> Prefetch:
    appearances = (
        SessionSpeaker.objects.filter(session__in=Session.objects.visible(preview))
        .select_related("session__event")
        .order_by("-session__event__start_date", "session__code")
    )
    return Prefetch("appearances", queryset=appearances, to_attr="visible_appearances")
