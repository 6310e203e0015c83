"""Fields every API object is built from: texts in the response's language with a note of the
ones that fell back to another, Markdown as HTML too, and each object's two addresses."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ignite.markdown import render_markdown
from ignite.translations import text_in_language

URL_SCHEMA = {"type": "string", "format": "uri"}


def response_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@extend_schema_field(OpenApiTypes.STR)
class TranslatedText(serializers.Field):
    """A text editors write in each language: in the response's language, or in the language
    `fallback_languages` names when it has none."""

    def __init__(self, field: str | None = None, of: str | None = None, **kwargs):
        self.translated_field = field
        self.holder = of  # the attribute holding the translated object, if not the object itself
        super().__init__(source="*", read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.translated_field = self.translated_field or field_name

    def text(self, obj) -> tuple[str, str | None]:
        if self.holder:
            obj = getattr(obj, self.holder)
        if obj is None:
            return "", None
        return text_in_language(obj, self.translated_field, response_language())

    def to_representation(self, obj) -> str:
        return self.text(obj)[0]


@extend_schema_field(OpenApiTypes.STR)
class TranslatedHTML(TranslatedText):
    """A translated Markdown text rendered to sanitised HTML, exactly as the site shows it."""

    def __init__(self, field: str, **kwargs):
        kwargs.setdefault("help_text", f"`{field}` as sanitised HTML, as the site shows it.")
        super().__init__(field, **kwargs)

    def to_representation(self, obj) -> str:
        return str(render_markdown(self.text(obj)[0]))


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "enum": ["en", "ja"]},
        "description": (
            "The texts of this object that are not in the response's language, each with the "
            'language it is given in instead (e.g. {"body": "en"}); empty when all are.'
        ),
    }
)
class FallbackLanguages(serializers.Field):
    """Which translated texts of the object fell back to another language, and to which."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> dict[str, str]:
        found = {}
        for name, field in self.parent.fields.items():
            if type(field) is TranslatedText:
                _text, fell_back_to = field.text(obj)
                if fell_back_to:
                    found[name] = fell_back_to
        return found


@extend_schema_field(URL_SCHEMA)
class SiteURL(serializers.Field):
    """The object's page on the site, in the response's language."""

    def __init__(self, path: Callable | None = None, **kwargs):
        self.path = path or (lambda obj: obj.get_absolute_url())
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return self.context["request"].build_absolute_uri(self.path(obj))


@extend_schema_field(URL_SCHEMA)
class APIURL(serializers.Field):
    """An address in the API, e.g. the object's own (`api:feature` with its slug)."""

    def __init__(self, view_name: str, kwargs: Callable | None = None, query=None, **options):
        options.setdefault("help_text", "Its address in this API.")
        self.view_name = view_name
        self.url_kwargs = kwargs or (lambda obj: {"slug": obj.slug})
        self.query = query
        super().__init__(source="*", read_only=True, **options)

    def to_representation(self, obj) -> str:
        path = reverse(self.view_name, kwargs=self.url_kwargs(obj))
        if self.query:
            path += "?" + self.query(obj)
        return self.context["request"].build_absolute_uri(path)


@extend_schema_field({**URL_SCHEMA, "type": ["string", "null"]})
class OptionalURL(serializers.Field):
    """An address the editors may leave empty: null then."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str | None:
        return value or None
