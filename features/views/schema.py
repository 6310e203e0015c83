"""The JSON Schema of the content format, published for tools that read or write exports."""

import hashlib
import json
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from features.content_io import format as fmt
from features.content_io.schema import SCHEMA_FILE, SCHEMA_PATH


@cache
def _published() -> bytes:
    """The schema file, identified by its address on the configured site."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    document = {"$schema": schema.pop("$schema"), "$id": fmt.site_url(SCHEMA_PATH), **schema}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def _etag(request: HttpRequest) -> str:
    return hashlib.sha256(_published()).hexdigest()[:32]


@require_safe
@condition(etag_func=_etag)
def content_schema(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_published(), content_type="application/schema+json")
    # The same for everyone and changed only by a release (a new version gets a new address).
    patch_cache_control(response, public=True, max_age=86400)
    response["Access-Control-Allow-Origin"] = "*"
    return response
