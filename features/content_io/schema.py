"""The JSON Schema (draft 2020-12) of the content format, built from the format's shapes.

`content-v<N>.schema.json` beside this module is `build_schema(N)` written out for each version
the site reads (a test keeps them equal; `manage.py content_schema` prints them); the site
publishes them at /schemas/content-v<N>.json and `import_content` checks every file against the
schema of its own version first. The schema describes the shape of a
file; the import also checks what a schema cannot say (references, uniqueness, order, the
models' own rules).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from . import format as fmt
from .problems import MAX_PROBLEMS, TOO_MANY, ImportFailed, Problem

SCHEMA_FILES = {
    version: Path(__file__).with_name(f"content-v{version}.schema.json")
    for version in fmt.READABLE_VERSIONS
}
SCHEMA_FILE = SCHEMA_FILES[fmt.SCHEMA_VERSION]


def schema_path(version: int = fmt.SCHEMA_VERSION) -> str:
    return f"/schemas/content-v{version}.json"


SCHEMA_PATH = schema_path()

NO_NUL = "^[^\\u0000]*$"
HTTP_URL = "^(https?://.*)?$"
UUID = f"^{fmt.UUID_PATTERN}$"
SLUG = "^[-a-zA-Z0-9_]+$"
DATE = f"^{fmt.DATE_PATTERN}$"
DATE_TIME = f"^{fmt.DATE_TIME_PATTERN}$"
SLUG_REF = {"type": "string", "minLength": 1}
OPTIONAL_SLUG_REF = {"type": ["string", "null"], "minLength": 1}


def _list_of(item: dict) -> dict:
    """A list of children; null means none, as in the import."""
    return {"type": ["array", "null"], "items": item}


def _kinds(version: int) -> dict[str, tuple[fmt.Shape, dict[str, dict]]]:
    """Each kind of item of a version: its shape and the keys it carries besides its fields."""
    f = fmt.shapes(version)
    status_refs = (
        dict.fromkeys(fmt.STATUS_CHANGE_REFERENCES, OPTIONAL_SLUG_REF) if version >= 2 else {}
    )
    feature_children = {
        "area": SLUG_REF,
        "session": OPTIONAL_SLUG_REF,
        "related": _list_of(SLUG_REF),
        "doc_links": _list_of({"$ref": "#/$defs/doc_link"}),
        "status_history": _list_of({"$ref": "#/$defs/status_change"}),
    }
    if version >= 2:
        feature_children["material_updates"] = _list_of({"$ref": "#/$defs/material_update"})
    kinds = {
        "area": (f.AREA, {}),
        "event": (f.EVENT, {}),
        "speaker_link": (f.SPEAKER_LINK, {}),
        "speaker": (f.SPEAKER, {"links": _list_of({"$ref": "#/$defs/speaker_link"})}),
        "session_speaker": (f.SESSION_SPEAKER, {"speaker": SLUG_REF}),
        "key_point": (f.KEY_POINT, {}),
        "session": (
            f.SESSION,
            {
                "event": SLUG_REF,
                "speakers": _list_of({"$ref": "#/$defs/session_speaker"}),
                "key_points": _list_of({"$ref": "#/$defs/key_point"}),
            },
        ),
        "doc_link": (f.DOC_LINK, {}),
        "status_change": (f.STATUS_CHANGE, status_refs),
        "feature": (f.FEATURE, feature_children),
        "column": (f.COLUMN, {}),
        # A row's cells, one per column in order; null is an empty cell.
        "row": (f.ROW, {"cells": _list_of({"$ref": "#/$defs/cell"})}),
        "comparison": (
            f.COMPARISON,
            {
                "session": OPTIONAL_SLUG_REF,
                "columns": _list_of({"$ref": "#/$defs/column"}),
                "rows": _list_of({"$ref": "#/$defs/row"}),
            },
        ),
        "redirect": (f.REDIRECT, {}),
    }
    if version >= 2:
        kinds["material_update"] = (f.MATERIAL_UPDATE, {})
    return kinds


SECTION_KINDS = {
    "areas": "area",
    "events": "event",
    "speakers": "speaker",
    "sessions": "session",
    "features": "feature",
    "comparisons": "comparison",
    "redirects": "redirect",
}


def build_schema(version: int = fmt.SCHEMA_VERSION) -> dict:
    """The schema of a format version, from the shapes in `format`."""
    defs = {name: _item_schema(shape, extra) for name, (shape, extra) in _kinds(version).items()}
    cell_field = fmt.CELL.field("text")
    defs["cell"] = {**_translated_schema(cell_field), "type": ["object", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Ignite Recap content, version {version}",
        "description": (
            "The JSON written by `manage.py export_content --format json` and read by "
            "`manage.py import_content`. Rows are identified by slugs, codes, URLs and "
            "positions; every field is written, empty or not."
        ),
        "type": "object",
        "required": ["schema_version"],
        "properties": {
            "schema_version": {"const": version},
            "complete": {
                "type": "boolean",
                "description": "True only for an export with every draft and no filters.",
            },
            **{
                section: _list_of({"$ref": f"#/$defs/{SECTION_KINDS[section]}"})
                for section in fmt.SECTIONS
            },
        },
        "additionalProperties": False,
        "$defs": defs,
    }


def _item_schema(shape: fmt.Shape, extra: dict[str, dict]) -> dict:
    plain = shape.plain + (fmt.PUBLICATION_FIELDS if shape.publishable else ())
    plain += shape.optional_names
    properties = {name: _field_schema(shape.field(name)) for name in plain}
    properties |= {name: _translated_schema(shape.field(name)) for name in shape.translated}
    properties |= extra
    if shape.reviewed:
        marks = [f"{name}.{language}" for name in shape.translated for language in fmt.LANGUAGES]
        # Optional: written only when a translation needs review.
        properties[fmt.REVIEW_KEY] = {
            "type": "array",
            "items": {"enum": marks},
            "uniqueItems": True,
            "description": "Translations to review: field.language, e.g. summary.ja.",
        }
    return {
        "type": "object",
        # In the order the import reports what is missing.
        "required": [*extra, *shape.field_names],
        "properties": properties,
        "additionalProperties": False,
    }


def _field_schema(field: models.Field) -> dict:
    schema: dict[str, Any]
    if isinstance(field, models.UUIDField):
        schema = {"type": "string", "pattern": UUID}
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "pattern": DATE_TIME}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "pattern": DATE}
    elif isinstance(field, models.IntegerField):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        schema = {"type": "integer", "minimum": low, "maximum": high}
    elif field.choices:
        schema = {"enum": [value for value, _label in field.flatchoices]}
        if field.blank and "" not in schema["enum"]:
            schema["enum"].append("")
    else:
        schema = _text_schema(field)
    if field.null and "enum" in schema:
        schema["enum"].append(None)
    elif field.null:
        schema["type"] = [schema["type"], "null"]
    return schema


def _text_schema(field: models.Field) -> dict:
    schema: dict[str, Any] = {"type": "string", "maxLength": fmt.text_limit(field)}
    if isinstance(field, models.URLField):
        schema["pattern"] = HTTP_URL
    elif isinstance(field, models.SlugField):
        schema["pattern"] = SLUG
    else:
        schema["pattern"] = NO_NUL
    if not (field.blank or field.has_default()):
        schema["minLength"] = 1
    return schema


def _translated_schema(field: models.Field) -> dict:
    text = {**_text_schema(field), "type": ["string", "null"]}
    text.pop("minLength", None)  # an empty translation is allowed; the import checks English
    return {
        "type": "object",
        "required": list(fmt.LANGUAGES),
        "properties": dict.fromkeys(fmt.LANGUAGES, text),
        "additionalProperties": False,
    }


@cache
def _validator(version: int) -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILES[version].read_text(encoding="utf-8")))


@cache
def _compiled(version: int) -> jsonschema_rs.Draft202012Validator:
    """The same schema compiled (jsonschema-rs): it tells a valid file about 80 times faster.
    Only its "valid" is trusted; a file it doubts is judged, and described, by `_validator`."""
    schema = json.loads(SCHEMA_FILES[version].read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=False)


def surely_valid(version: int, document: Any) -> bool:
    """Whether the compiled schema finds `document` valid (False when it cannot tell)."""
    try:
        return _compiled(version).is_valid(document)
    except Exception:  # e.g. a lone surrogate it cannot read: the full check judges the file
        return False


def schema_problems(document: Any) -> list[Problem]:
    """What the published schema finds wrong with `document`, in the import's words.

    Raises ImportFailed at once for a schema_version this site cannot read: nothing else in
    such a file can be judged.
    """
    problems: list[Problem] = []
    version = document.get("schema_version") if isinstance(document, dict) else None
    # A version the site does not read is judged by the newest schema, which names it.
    if isinstance(version, bool) or version not in fmt.READABLE_VERSIONS:
        version = fmt.SCHEMA_VERSION
    elif surely_valid(version, document):
        return problems
    try:
        for error in _validator(version).iter_errors(document):
            problems += _problems(error)
            if len(problems) > MAX_PROBLEMS:
                return [*problems[:MAX_PROBLEMS], TOO_MANY]
    except RecursionError:
        raise ImportFailed([Problem("$", "not a content file: nested too deeply")]) from None
    wrong_version = [problem for problem in problems if problem.path == "schema_version"]
    if wrong_version:
        raise ImportFailed(wrong_version)
    return problems


def _path(parts) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "$"


def _at(path: str, key: str) -> str:
    return key if path == "$" else f"{path}.{key}"


def _problems(error: ValidationError) -> list[Problem]:
    path = _path(error.absolute_path)
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if path == "schema_version" or (keyword == "required" and "schema_version" in value):
        return [Problem("schema_version", _version_message(instance, keyword))]
    if keyword == "required":
        hints = {name: _missing_hint(name, error.schema) for name in value}
        return [
            Problem(_at(path, name), f"is missing{hints[name]}")
            for name in value
            if name not in instance
        ]
    if keyword == "additionalProperties":
        known = error.schema.get("properties", {})
        return [
            Problem(_at(path, key), _unknown_key_message(path, known))
            for key in instance
            if key not in known
        ]
    return [Problem(path, _message(keyword, error))]


def _version_message(instance: Any, keyword: str) -> str:
    version = instance if keyword != "required" else None
    if version is None:
        return f"missing (this site reads version {fmt.SCHEMA_VERSION})"
    if isinstance(version, bool) or not isinstance(version, int):
        return "expected a whole number"
    if version > fmt.SCHEMA_VERSION:
        return (
            f"the file is version {version}, newer than this site reads "
            f"({fmt.SCHEMA_VERSION}); upgrade the site before importing it"
        )
    return f"unknown version {version}"


def _missing_hint(name: str, schema: dict) -> str:
    if set(schema.get("properties", {})) == set(fmt.LANGUAGES):
        return ' (write "" for none)'
    kind = schema.get("properties", {}).get(name, {}).get("type")
    if isinstance(kind, list) and "null" in kind and "array" in kind:
        return " (write null or [] for none)"
    return ""


def _unknown_key_message(path: str, known: dict) -> str:
    if path == "$":
        return f"unknown section (expected one of: {', '.join(fmt.SECTIONS)})"
    if set(known) == set(fmt.LANGUAGES):
        return "unknown language"
    return "unknown field"


TYPE_MESSAGES = {
    "integer": "expected a whole number",
    "string": "expected text",
    "array": "expected a list",
    "boolean": "expected true or false",
}
PATTERN_MESSAGES = {
    DATE: "expected a date such as 2025-11-17",
    DATE_TIME: "expected a date and time such as 2025-11-17T09:00:00Z",
    HTTP_URL: "must be an http:// or https:// address",
    SLUG: "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    NO_NUL: "contains a NUL character, which cannot be stored",
    UUID: "expected an identifier such as 3f2a1c9e-7b4d-4e1a-9c2b-0d5e6f7a8b9c",
}


def _message(keyword: str, error: ValidationError) -> str:
    schema, instance = error.schema, error.instance
    if keyword == "type":
        kinds = [kind for kind in _as_list(schema["type"]) if kind != "null"]
        if kinds == ["object"]:
            if set(schema.get("properties", {})) == set(fmt.LANGUAGES):
                return 'expected a text per language, e.g. {"en": "…"}'
            return "expected an object"
        return TYPE_MESSAGES.get(kinds[0], f"expected {kinds[0]}")
    if keyword == "enum":
        return f"Value {instance!r} is not a valid choice."
    if keyword in ("minimum", "maximum"):
        return f"expected a whole number from {schema['minimum']} to {schema['maximum']}"
    if keyword == "maxLength":
        return fmt.too_long(len(instance), schema["maxLength"])
    if keyword == "minLength":
        return "is required"
    if keyword == "pattern":
        return PATTERN_MESSAGES.get(schema["pattern"], f"does not match {schema['pattern']}")
    return error.message[:200]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]
