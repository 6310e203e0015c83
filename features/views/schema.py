"""The JSON Schemas of the content format, published for tools that read or write exports: one
address per version, kept for as long as the site reads that version."""

import hashlib
import json
from functools import cache

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from features.content_io import format as fmt
from features.content_io.schema import SCHEMA_FILES, schema_path


@cache
def _published(version: int) -> bytes:
    """The schema file of a version, identified by its address on the configured site."""
    schema = json.loads(SCHEMA_FILES[version].read_text(encoding="utf-8"))
    identity = fmt.site_url(schema_path(version))
    document = {"$schema": schema.pop("$schema"), "$id": identity, **schema}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _etag(request: HttpRequest, version: int) -> str | None:
    if version not in SCHEMA_FILES:
        return None
    return hashlib.sha256(_published(version)).hexdigest()[:32]


@require_safe
@condition(etag_func=_etag)
def content_schema(request: HttpRequest, version: int) -> HttpResponse:
    if version not in SCHEMA_FILES:
        raise Http404
    response = HttpResponse(_published(version), content_type="application/schema+json")
    # The same for everyone and changed only by a release (a new version gets a new address).
    patch_cache_control(response, public=True, max_age=86400)
    response["Access-Control-Allow-Origin"] = "*"
    return response
