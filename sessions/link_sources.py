"""Where events, sessions and speakers keep outbound links (registered in SessionsConfig.ready)."""

from ignite.links.sources import LinkSource

from .models import Event, KeyPoint, Session, Speaker, SpeakerLink

LINK_SOURCES = (
    LinkSource(
        Event,
        url_fields=("url", "preview_terms_url"),
        markdown_fields=("intro", "highlights", "sources"),
    ),
    LinkSource(Session, url_fields=("url", "repository_url"), markdown_fields=("summary",)),
    LinkSource(KeyPoint, markdown_fields=("text",), owner="session"),
    LinkSource(Speaker, markdown_fields=("bio",)),
    LinkSource(SpeakerLink, url_fields=("url",), owner="speaker"),
)
