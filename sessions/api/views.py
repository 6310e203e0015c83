"""The public API's events, sessions and speakers (/api/v1/events/, sessions/, speakers/)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response

from ignite.api.views import PublicDetailView, PublicListView

from ..models import Event, Session, Speaker, speaker_sessions_prefetch
from . import examples
from .serializers import EventDetail, EventSummary, SessionDetail, SessionSummary, SpeakerSummary

SESSION_NOT_FOUND = _("There is no session “%(value)s”.")


class SessionList(PublicListView):
    """The sessions, newest event first, then by code."""

    serializer_class = SessionSummary
    tags = ["Sessions"]

    def get_queryset(self):
        return Session.objects.for_listing().with_feature_counts()

    @extend_schema(
        operation_id="sessions_list",
        summary="List sessions",
        examples=[OpenApiExample("A session", value=examples.SESSION_IN_LIST, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SessionDetailView(PublicDetailView):
    """A session with its people and key points. The code may be written in any case
    (BRK120, brk120): other spellings redirect to the session's own address."""

    serializer_class = SessionDetail
    tags = ["Sessions"]
    lookup_description = "The session's code in any case (`BRK120`, `brk120`) or its slug."
    lookup_field = "code"
    not_found_message = SESSION_NOT_FOUND

    def get_queryset(self):
        return Session.objects.for_page().with_feature_counts()

    def get_object(self):
        code = self.kwargs["code"]
        sessions = self.get_queryset()
        session = sessions.filter(slug=code).first()
        if session is None:
            session = sessions.filter(code__iexact=code).order_by("-event__start_date").first()
            if session is None:
                raise self.not_found_error(code)
        return session

    def found(self, session) -> Response:
        if session.slug != self.kwargs["code"]:
            target = reverse("api:session", kwargs={"code": session.slug})
            query = self.request.META.get("QUERY_STRING", "")
            return redirect(f"{target}?{query}" if query else target, permanent=True)
        return super().found(session)

    extra_responses = {
        301: OpenApiResponse(
            description="Another spelling of the code: `Location` is the session's own address."
        )
    }

    @extend_schema(
        operation_id="sessions_retrieve",
        summary="Get a session",
        examples=[OpenApiExample("LAB517", value=examples.SESSION, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SpeakerList(PublicListView):
    """The speakers, by name."""

    serializer_class = SpeakerSummary
    tags = ["Speakers"]

    def get_queryset(self):
        return Speaker.objects.visible().prefetch_related("links", speaker_sessions_prefetch(False))

    @extend_schema(
        operation_id="speakers_list",
        summary="List speakers",
        examples=[OpenApiExample("A speaker", value=examples.SPEAKER_IN_LIST, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SpeakerDetailView(PublicDetailView):
    """A speaker with their links and sessions."""

    serializer_class = SpeakerSummary
    tags = ["Speakers"]
    lookup_description = "The speaker's slug, e.g. `brendan-burns`."
    not_found_message = _("There is no speaker “%(value)s”.")

    def get_queryset(self):
        return Speaker.objects.visible().prefetch_related("links", speaker_sessions_prefetch(False))

    @extend_schema(
        operation_id="speakers_retrieve",
        summary="Get a speaker",
        examples=[OpenApiExample("Brendan Burns", value=examples.SPEAKER, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EventList(PublicListView):
    """The events, newest first."""

    serializer_class = EventSummary
    tags = ["Events"]

    def get_queryset(self):
        return Event.objects.visible()

    @extend_schema(
        operation_id="events_list",
        summary="List events",
        examples=[OpenApiExample("An event", value=examples.EVENT_IN_LIST, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EventDetailView(PublicDetailView):
    """An event with its sessions."""

    serializer_class = EventDetail
    tags = ["Events"]
    lookup_description = "The event's slug, e.g. `ignite-2025`."
    not_found_message = _("There is no event “%(value)s”.")

    def get_queryset(self):
        sessions = Session.objects.visible().select_related("event").order_by("code")
        return Event.objects.visible().prefetch_related(
            Prefetch("sessions", queryset=sessions, to_attr="visible_sessions")
        )

    @extend_schema(
        operation_id="events_retrieve",
        summary="Get an event",
        examples=[
            OpenApiExample("Microsoft Ignite 2025", value=examples.EVENT, response_only=True)
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("events/", EventList.as_view(), name="events"),
    path("events/<slug:slug>/", EventDetailView.as_view(), name="event"),
    path("sessions/", SessionList.as_view(), name="sessions"),
    path("sessions/<slug:code>/", SessionDetailView.as_view(), name="session"),
    path("speakers/", SpeakerList.as_view(), name="speakers"),
    path("speakers/<slug:slug>/", SpeakerDetailView.as_view(), name="speaker"),
]
