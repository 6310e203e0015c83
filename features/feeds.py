"""Feeds for any filtered view: Atom (RFC 4287) and JSON Feed 1.1, of features or of changes.

Entries carry permanent ids (tag: URIs from each row's own identifier), so a renamed feature is
never announced twice, and their `updated` moves only when something a reader cares about
happens: the feature is published, its status changes, or an editor records a material update.
A typo fix changes nothing a feed reader sees.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed, rfc3339_date
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ignite.markdown import render_markdown

from .changes import Change, ChangeLog
from .filters import Reference
from .models import Feature, MaterialUpdate

FEED_LENGTH = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def tag_uri(kind: str, uid) -> str:
    """A permanent entry id (RFC 4151), e.g. tag:recap.example,2025:feature:9f0c…"""
    return f"tag:{settings.FEED_TAG_AUTHORITY},{settings.FEED_TAG_DATE}:{kind}:{uid}"


class IgniteAtomFeed(Atom1Feed):
    """Atom whose `updated` is the newest entry's, or the given fallback when there is none (so
    that an empty feed does not claim to change every second)."""

    def latest_post_date(self):
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        dates = [date for date in dates if date]
        return max(dates) if dates else self.feed["fallback_updated"]


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        document = {
            "version": JSON_FEED_VERSION,
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["subtitle"],
            "language": self.feed["language"],
            "authors": [{"name": self.feed["author_name"]}],
            "items": [self._item(item) for item in self.items],
        }
        outfile.write(json.dumps(document, ensure_ascii=False, indent=2).encode(encoding))

    @staticmethod
    def _item(item) -> dict:
        entry = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": str(item["description"]),
            "date_published": rfc3339_date(item["pubdate"]) if item["pubdate"] else None,
            "date_modified": rfc3339_date(item["updateddate"]) if item["updateddate"] else None,
            "tags": list(item["categories"] or []),
        }
        return {key: value for key, value in entry.items() if value not in (None, [])}


FEED_TYPES = {"atom": IgniteAtomFeed, "json": JsonFeed}


@dataclass
class FeedEntry:
    title: str
    link: str
    unique_id: str
    published: datetime.datetime | None
    updated: datetime.datetime
    description: str
    categories: list[str]


# Features ----------------------------------------------------------------------------------


def followed(features: QuerySet[Feature]) -> QuerySet[Feature]:
    """Features newest first by `followed_at`: when a follower last had something to learn about
    each (publication, a status entry or a material update recorded)."""
    return features.order_by("-followed_at", "name", "pk")


def feature_entries(features: QuerySet[Feature], absolute, reference: Reference) -> list[FeedEntry]:
    """The newest FEED_LENGTH features as entries, each feature's area from the filters'
    `reference` tables rather than from a join (as on the catalog page)."""
    latest_update = MaterialUpdate.objects.filter(feature=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )
    rows = followed(features).annotate(
        update_note_en=Subquery(latest_update.values("note_en")[:1]),
        update_note_ja=Subquery(latest_update.values("note_ja")[:1]),
    )
    entries = []
    for feature in reference.attach(rows.select_related(None)[:FEED_LENGTH]):
        note = _translated_value(feature, "update_note")
        description = format_html(
            "<p><strong>{}</strong> · {}</p>{}{}",
            feature.get_status_display(),
            feature.area.name,
            render_markdown(_translated_value(feature, "summary")),
            format_html("<p>{}</p>", note) if note else "",
        )
        entries.append(
            FeedEntry(
                title=f"{feature.name} ({feature.get_status_display()})",
                link=absolute(feature.get_absolute_url()),
                unique_id=tag_uri("feature", feature.uid),
                published=feature.first_published_at,
                updated=feature.followed_at,
                description=description,
                categories=[feature.get_status_display(), feature.area.name],
            )
        )
    return entries


def _translated_value(obj, field: str) -> str:
    from django.utils.translation import get_language

    language = (get_language() or "en").split("-")[0]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", "") or ""


# Changes -----------------------------------------------------------------------------------


def change_title(change: Change) -> str:
    feature = change.feature
    if change.is_update:
        return _("%(feature)s: %(note)s") % {"feature": feature.name, "note": change.entry.note}
    entry = change.entry
    if entry.previous_status and change.kind not in ("new", "confirmed"):
        return _("%(feature)s: %(kind)s, %(before)s → %(after)s") % {
            "feature": feature.name,
            "kind": change.kind_label,
            "before": entry.previous_status_label,
            "after": entry.get_status_display(),
        }
    return _("%(feature)s: %(kind)s, %(status)s") % {
        "feature": feature.name,
        "kind": change.kind_label,
        "status": entry.get_status_display(),
    }


def change_entries(changes: list[Change], absolute) -> list[FeedEntry]:
    entries = []
    for change in changes:
        entry = change.entry
        note = entry.note if entry.note else ""
        description = format_html(
            "<p>{}</p>{}",
            change.when,
            format_html("<p>{}</p>", note) if note else "",
        )
        entries.append(
            FeedEntry(
                title=change_title(change),
                link=absolute(change.feature.get_absolute_url()),
                unique_id=tag_uri("update" if change.is_update else "status", change.uid),
                published=change.recorded_at,
                updated=change.recorded_at,
                description=description,
                categories=[change.kind_label, change.feature.area.name],
            )
        )
    return entries


def latest_changes(changelog: ChangeLog) -> list[Change]:
    return changelog.latest(FEED_LENGTH)


def build_feed(
    feed_type: str,
    *,
    title: str,
    subtitle: str,
    link: str,
    feed_url: str,
    language: str,
    entries: list[FeedEntry],
    fallback_updated: datetime.datetime,
) -> SyndicationFeed:
    feed = FEED_TYPES[feed_type](
        title=title,
        link=link,
        description=subtitle,
        subtitle=subtitle,
        feed_url=feed_url,
        feed_guid=feed_url,
        language=language,
        author_name=settings.SITE_NAME,
        fallback_updated=fallback_updated,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.link,
            description=entry.description,
            unique_id=entry.unique_id,
            pubdate=entry.published,
            updateddate=entry.updated,
            categories=entry.categories,
        )
    return feed
