"""The index the archive's catalog searches in the browser (static/archive/search.js).

A static host cannot answer /features/?q=…, so the export writes, per language, the published
features with the text the site's search reads (`search_text`, see features/search.py: names,
area, topic, summary, body and editor's note, in every language) and the words the catalog
shows. It is a script rather than a .json file because a page opened from file:// may run a
script beside it but may not fetch a file.
"""

from __future__ import annotations

import json
import posixpath

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from features.filters import SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS
from features.models import Feature
from ignite.markdown import markdown_text

from .addresses import archive_file, relative_href

INDEX_NAME = "search-index.js"


def _entry(feature: Feature, index_file: str, language: str) -> dict:
    session = feature.session if feature.session and feature.session.is_visible() else None
    return {
        "url": relative_href(index_file, archive_file(feature.get_absolute_url())),
        "name": feature.name,
        "status": feature.status,
        "statusLabel": str(feature.get_status_display()),
        "area": feature.area.slug,
        "areaLabel": feature.area.name or feature.area.name_en,
        "topic": feature.topic or "",
        "session": session.code.lower() if session else "",
        "sessionCode": session.code if session else "",
        "event": session.event.slug if session else "",
        "summary": markdown_text(feature.summary or feature.summary_en),
        "nameLang": "" if language == "en" else "en",
        "text": feature.search_text,
    }


def index_data(language: str) -> dict:
    """The index of one language, as data."""
    with translation.override(language):
        catalog_folder = posixpath.dirname(archive_file(reverse("features:catalog")))
        index_file = posixpath.join(catalog_folder, INDEX_NAME)
        features = list(Feature.objects.for_catalog())
        count = len(features)
        return {
            "features": [_entry(feature, index_file, language) for feature in features],
            # The catalog's own words, so the results read as the server's would.
            "counts": [
                ngettext("%(counter)s feature found", "%(counter)s features found", n)
                % {"counter": n}
                for n in range(count + 1)
            ],
            "noMatch": gettext("No features match"),
            "noMatchHint": gettext("Try removing a filter or using fewer words in the search."),
            "tooManyWords": gettext("Search with at most %(limit)d words.")
            % {"limit": SEARCH_MAX_WORDS},
            "maxWords": SEARCH_MAX_WORDS,
            "maxLength": SEARCH_MAX_LENGTH,
        }


def index(language: str) -> bytes:
    """The index of one language as the script the catalog loads; it records its own address,
    against which the links in it are relative."""
    data = json.dumps(index_data(language), ensure_ascii=False, sort_keys=True)
    # "</" could end an inline script; the file is never inlined, but keep it inert anyway.
    data = data.replace("</", "<\\/")
    script = f"window.igniteSearchIndex = {{base: document.currentScript.src, data: {data}}};\n"
    return script.encode()
