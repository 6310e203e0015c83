"""Where outbound links live: a registry of link sources that each app fills in its AppConfig.

A source names a model, its URL fields and its Markdown fields (translated fields in every
language), and the object an editor opens to fix a link (a doc link's feature). The kernel reads
the registry and knows no app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from ignite.markdown import render_markdown

WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class LinkUse:
    """One place a URL appears: in `field` of a row that belongs to `owner`."""

    url: str
    owner: models.Model
    field: str


@dataclass(frozen=True)
class LinkSource:
    """The outbound links of one model: URL fields hold one link each, Markdown fields any
    number. `owner` is the relation to the object editors fix ("" for the row itself)."""

    model: type[models.Model]
    url_fields: tuple[str, ...] = ()
    markdown_fields: tuple[str, ...] = ()
    owner: str = ""

    @cached_property
    def owner_model(self) -> type[models.Model]:
        model = self.model
        for part in filter(None, self.owner.split("__")):
            model = model._meta.get_field(part).related_model
        return model

    def columns(self, names: tuple[str, ...]) -> list[str]:
        """The database fields behind these names: one per language for a translated field."""
        columns = []
        for name in names:
            translated = [f"{name}_{code}" for code, _label in settings.LANGUAGES]
            present = [column for column in translated if self._has_field(column)]
            columns += present or [name]
        return columns

    def _has_field(self, name: str) -> bool:
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    def _owner_of(self, row: models.Model) -> models.Model:
        for part in filter(None, self.owner.split("__")):
            row = getattr(row, part)
        return row

    def uses(self, queryset: models.QuerySet | None = None) -> Iterator[LinkUse]:
        """Every http(s) link in the rows (drafts included: editors need to know)."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        if self.owner:
            queryset = queryset.select_related(self.owner)
        url_columns = self.columns(self.url_fields)
        markdown_columns = self.columns(self.markdown_fields)
        for row in queryset.order_by("pk"):
            owner = self._owner_of(row)
            for column in url_columns:
                url = (getattr(row, column) or "").strip()
                if is_web_url(url):
                    yield LinkUse(url, owner, self._label(column))
            for column in markdown_columns:
                for url in links_in_markdown(getattr(row, column)):
                    yield LinkUse(url, owner, self._label(column))

    def _label(self, column: str) -> str:
        field = str(self.model._meta.get_field(column).verbose_name)
        if self.owner:
            return f"{self.model._meta.verbose_name} · {field}"
        return field


_registry: list[LinkSource] = []


def register(*sources: LinkSource) -> None:
    """Add link sources (an app does this in its AppConfig.ready); adding one twice is a no-op."""
    for source in sources:
        if source not in _registry:
            _registry.append(source)


def registered() -> tuple[LinkSource, ...]:
    return tuple(_registry)


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def links_in_markdown(text: str | None) -> list[str]:
    """The http(s) links a reader can follow in this Markdown, as the site renders it (so
    reference links and <autolinks> count, and a bare address in the text does not)."""
    if not text:
        return []
    parser = _Anchors()
    parser.feed(str(render_markdown(text)))
    parser.close()
    return [href for href in parser.hrefs if is_web_url(href)]


def link_uses(sources: Iterable[LinkSource] | None = None) -> dict[str, list[LinkUse]]:
    """Every outbound URL of the registered sources, each once, with the places it appears."""
    uses: dict[str, list[LinkUse]] = {}
    for source in registered() if sources is None else sources:
        for use in source.uses():
            uses.setdefault(use.url, []).append(use)
    return uses


def owners_linking_to(model: type[models.Model], urls: Iterable[str]) -> set:
    """Primary keys of the `model` objects that link (themselves or through their rows) to any
    of these URLs."""
    urls = set(urls)
    if not urls:
        return set()
    found = set()
    for source in registered():
        if source.owner_model is not model:
            continue
        queryset = source.model._default_manager.all()
        if not source.markdown_fields:
            # Only URL columns: the database can pick the rows.
            condition = models.Q()
            for column in source.columns(source.url_fields):
                condition |= models.Q(**{f"{column}__in": urls})
            queryset = queryset.filter(condition)
        found |= {use.owner.pk for use in source.uses(queryset) if use.url in urls}
    return found
