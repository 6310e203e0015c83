"""How the API shows events, sessions and speakers.

Features are the features app's: a session or an event links to its features in the features
list (`features_api_url`) instead of knowing them.
"""

from __future__ import annotations

from django.utils.http import urlencode
from rest_framework import serializers

from ignite.api.serializers import (
    APIURL,
    FallbackLanguages,
    OptionalURL,
    SiteURL,
    TranslatedHTML,
    TranslatedText,
)

from ..models import Event, Session, SessionKind, SpeakerRole


def _session_api_kwargs(session: Session) -> dict[str, str]:
    return {"code": session.slug}


def _features_of_session(session: Session) -> str:
    return urlencode({"event": session.event.slug, "session": session.code.lower()})


def _features_of_event(event: Event) -> str:
    return urlencode({"event": event.slug})


def _no_kwargs(obj) -> dict:
    return {}


class EventReference(serializers.Serializer):
    slug = serializers.SlugField(help_text="The event's identifier, e.g. ignite-2025.")
    name = TranslatedText()
    start_date = serializers.DateField(help_text="Its first day.")
    end_date = serializers.DateField(help_text="Its last day.")
    url = SiteURL(help_text="The event's recap on the site.")
    api_url = APIURL("api:event")
    fallback_languages = FallbackLanguages()


class SessionReference(serializers.Serializer):
    code = serializers.CharField(help_text="The conference's own code, e.g. BRK120.")
    slug = serializers.SlugField(help_text="The session in addresses, e.g. brk120.")
    title = serializers.CharField(help_text="As the conference gave it; not translated.")
    event = EventReference()
    url = SiteURL(help_text="The session's page on the site.")
    api_url = APIURL("api:session", kwargs=_session_api_kwargs)


class SpeakerReference(serializers.Serializer):
    slug = serializers.SlugField(help_text="The speaker's identifier, e.g. brendan-burns.")
    name = serializers.CharField(help_text="Not translated.")
    role = TranslatedText(help_text="Role or title, e.g. “Corporate Vice President”.")
    affiliation = serializers.CharField(help_text="May be empty.")
    url = SiteURL(help_text="The speaker's page on the site.")
    api_url = APIURL("api:speaker")
    fallback_languages = FallbackLanguages()


class SessionPerson(serializers.Serializer):
    session_role = serializers.ChoiceField(
        source="role", choices=SpeakerRole.choices, help_text="What they did in the session."
    )
    session_role_label = serializers.CharField(source="get_role_display")
    speaker = SpeakerReference()


class KeyPoint(serializers.Serializer):
    text = TranslatedText(help_text="One point the session made (Markdown).")
    text_html = TranslatedHTML("text")
    fallback_languages = FallbackLanguages()


class KeyPointGroup(serializers.Serializer):
    heading = TranslatedText(of="heading_source", help_text="May be empty for the first group.")
    points = KeyPoint(many=True)
    fallback_languages = FallbackLanguages()


class SessionSummary(serializers.Serializer):
    code = serializers.CharField(help_text="The conference's own code, e.g. BRK120.")
    slug = serializers.SlugField(help_text="The session in addresses, e.g. brk120.")
    title = serializers.CharField(help_text="As the conference gave it; not translated.")
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    event = EventReference()
    summary = TranslatedText(help_text="What the session was about, in our words (Markdown).")
    summary_html = TranslatedHTML("summary")
    official_url = OptionalURL(source="url", help_text="The conference's page for it.")
    repository_url = OptionalURL(help_text="Source or lab material, if it has any.")
    people = SessionPerson(many=True, source="ordered_appearances", help_text="In their order.")
    feature_count = serializers.IntegerField(help_text="How many features it announced.")
    features_api_url = APIURL(
        "api:features",
        kwargs=_no_kwargs,
        query=_features_of_session,
        help_text="Its features, in the features list.",
    )
    url = SiteURL(help_text="The session's page on the site.")
    api_url = APIURL("api:session", kwargs=_session_api_kwargs)
    fallback_languages = FallbackLanguages()


class SessionDetail(SessionSummary):
    key_points = KeyPointGroup(
        many=True, source="key_point_groups", help_text="The points it made, under headings."
    )


class SpeakerLink(serializers.Serializer):
    label = TranslatedText(help_text="e.g. GitHub, Blog.")
    url = serializers.URLField()
    fallback_languages = FallbackLanguages()


class SpeakerAppearance(serializers.Serializer):
    session_role = serializers.ChoiceField(source="role", choices=SpeakerRole.choices)
    session_role_label = serializers.CharField(source="get_role_display")
    session = SessionReference()


class SpeakerSummary(serializers.Serializer):
    slug = serializers.SlugField(help_text="The speaker's identifier, e.g. brendan-burns.")
    name = serializers.CharField(help_text="Not translated.")
    role = TranslatedText(help_text="Role or title, e.g. “Corporate Vice President”.")
    affiliation = serializers.CharField(help_text="May be empty.")
    bio = TranslatedText(help_text="A short bio (Markdown).")
    bio_html = TranslatedHTML("bio")
    links = SpeakerLink(many=True, source="links.all")
    sessions = SpeakerAppearance(
        many=True, source="visible_appearances", help_text="Newest event first."
    )
    url = SiteURL(help_text="The speaker's page on the site.")
    api_url = APIURL("api:speaker")
    fallback_languages = FallbackLanguages()


class EventSummary(serializers.Serializer):
    slug = serializers.SlugField(help_text="The event's identifier, e.g. ignite-2025.")
    name = TranslatedText()
    start_date = serializers.DateField(help_text="Its first day.")
    end_date = serializers.DateField(help_text="Its last day.")
    city = TranslatedText(help_text="May be empty.")
    official_url = OptionalURL(source="url", help_text="Its own website.")
    intro = TranslatedText(help_text="Opens the recap (Markdown).")
    intro_html = TranslatedHTML("intro")
    features_api_url = APIURL(
        "api:features",
        kwargs=_no_kwargs,
        query=_features_of_event,
        help_text="Its features, in the features list.",
    )
    url = SiteURL(help_text="The event's recap on the site.")
    api_url = APIURL("api:event")
    fallback_languages = FallbackLanguages()


class EventDetail(EventSummary):
    sessions = SessionReference(many=True, source="visible_sessions")
