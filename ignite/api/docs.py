"""/api/docs/: the API reference, rendered on the server from the OpenAPI document itself, so
it can never disagree with it and needs no script (it works under the site's strict CSP)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from ignite.markdown import render_markdown
from ignite.page_cache import public_page

from .schema import openapi_document

REF_PREFIX = "#/components/schemas/"


@dataclass
class TypePart:
    text: str
    anchor: str = ""  # the id of an object described on the page


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: list[TypePart]
    description: SafeString
    example: str


@dataclass
class Answer:
    status: str
    description: SafeString
    type: list[TypePart]
    media_type: str
    examples: list[tuple[str, str]]


@dataclass
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: SafeString
    parameters: list[Parameter]
    answers: list[Answer]


@dataclass
class Section:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"tag-{self.name.lower()}"


@dataclass
class Property:
    name: str
    required: bool
    type: list[TypePart]
    description: SafeString


@dataclass
class ObjectSchema:
    name: str
    description: SafeString
    properties: list[Property]
    values: list[str]  # an enumeration's values

    @property
    def anchor(self) -> str:
        return schema_anchor(self.name)


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


def type_parts(schema: dict) -> list[TypePart]:
    """A schema as words a reader follows: “array of FeatureSummary”, “string (uri) or null”."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return [TypePart(name, schema_anchor(name))]
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            parts: list[TypePart] = []
            for i, option in enumerate(schema[combinator]):
                if i:
                    parts.append(TypePart(" or "))
                parts += type_parts(option)
            return parts
    kind = schema.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    parts = []
    for i, name in enumerate(kinds):
        if i:
            parts.append(TypePart(" or "))
        if name == "array":
            parts += [TypePart("array of "), *type_parts(schema.get("items", {}))]
        elif name == "object" and isinstance(schema.get("additionalProperties"), dict):
            parts += [TypePart("object of "), *type_parts(schema["additionalProperties"])]
        else:
            label = name
            if name != "null" and schema.get("format"):
                label += f" ({schema['format']})"
            parts.append(TypePart(label))
    if "enum" in schema:
        values = " | ".join("null" if value is None else str(value) for value in schema["enum"])
        parts.append(TypePart(f": {values}"))
    if "minimum" in schema and "maximum" in schema:
        parts.append(TypePart(f", {schema['minimum']}–{schema['maximum']}"))
    return parts


def _markdown(text: str | None) -> SafeString:
    return render_markdown(text or "")


def _example_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _parameter(parameter: dict) -> Parameter:
    schema = parameter.get("schema", {})
    example = parameter.get("example")
    if example is None and parameter.get("examples"):
        example = next(iter(parameter["examples"].values())).get("value")
    return Parameter(
        name=parameter["name"],
        location=parameter["in"],
        required=parameter.get("required", False),
        type=type_parts(schema),
        description=_markdown(parameter.get("description")),
        example="" if example is None else json.dumps(example, ensure_ascii=False),
    )


def _answers(responses: dict) -> list[Answer]:
    answers = []
    for status, response in sorted(responses.items()):
        media_type, content = next(iter(response.get("content", {}).items()), ("", {}))
        examples = [
            (example.get("summary") or name, _example_text(example["value"]))
            for name, example in content.get("examples", {}).items()
        ]
        answers.append(
            Answer(
                status=status,
                description=_markdown(response.get("description")),
                type=type_parts(content["schema"]) if "schema" in content else [],
                media_type=media_type,
                examples=examples,
            )
        )
    return answers


def _objects(components: dict) -> list[ObjectSchema]:
    objects = []
    for name, schema in sorted(components.items()):
        required = set(schema.get("required", []))
        properties = [
            Property(
                name=prop,
                required=prop in required,
                type=type_parts(details),
                description=_markdown(details.get("description")),
            )
            for prop, details in schema.get("properties", {}).items()
        ]
        values = [str(value) for value in schema.get("enum", [])]
        objects.append(ObjectSchema(name, _markdown(schema.get("description")), properties, values))
    return objects


@lru_cache(maxsize=1)
def reference_data() -> dict:
    """What the page shows, from the OpenAPI document (built once per process)."""
    document = openapi_document()
    sections = {
        tag["name"]: Section(tag["name"], tag.get("description", "")) for tag in document["tags"]
    }
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or ["API"])[0]
            section = sections.setdefault(tag, Section(tag, ""))
            section.operations.append(
                Operation(
                    id=operation["operationId"],
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=_markdown(operation.get("description")),
                    parameters=[_parameter(p) for p in operation.get("parameters", [])],
                    answers=_answers(operation.get("responses", {})),
                )
            )
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "openapi": document["openapi"],
        "overview": _markdown(document["info"].get("description")),
        "sections": [section for section in sections.values() if section.operations],
        "objects": _objects(document.get("components", {}).get("schemas", {})),
    }


def _english(view):
    """The reference is in English, like the OpenAPI document it is rendered from."""

    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override("en"):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response

    return wrapper


@_english
@public_page
def reference(request: HttpRequest) -> HttpResponse:
    path = reverse("api-docs")
    context = {
        **reference_data(),
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "base_url": request.build_absolute_uri(reverse("api:index")),
        "canonical": path,
        # The reference has one language: the switcher offers only it.
        "language_links": [{"code": "en", "name": "English", "url": path, "current": True}],
    }
    return TemplateResponse(request, "ignite/api_docs.html", context)
