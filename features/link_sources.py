"""Where features and comparisons keep outbound links (registered in FeaturesConfig.ready)."""

from ignite.links.sources import LinkSource

from .models import Comparison, DocLink, Feature, StatusChange

LINK_SOURCES = (
    LinkSource(DocLink, url_fields=("url",), owner="feature"),
    LinkSource(Feature, markdown_fields=("summary", "body", "editors_note")),
    LinkSource(Comparison, markdown_fields=("intro", "notes")),
    LinkSource(StatusChange, url_fields=("source_url",), owner="feature"),
)
