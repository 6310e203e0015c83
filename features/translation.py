"""Which fields editors write in both English and Japanese (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    MaterialUpdate,
    StatusChange,
)


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Feature)
class FeatureTranslation(TranslationOptions):
    fields = ("topic", "summary", "body", "editors_note")
    required_languages = {"en": ("summary",)}


@register(DocLink)
class DocLinkTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(StatusChange)
class StatusChangeTranslation(TranslationOptions):
    fields = ("note",)


@register(Comparison)
class ComparisonTranslation(TranslationOptions):
    fields = ("title", "intro", "notes")
    required_languages = {"en": ("title",)}


@register(ComparisonColumn)
class ComparisonColumnTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = ("en",)


@register(ComparisonRow)
class ComparisonRowTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = ("en",)


@register(ComparisonCell)
class ComparisonCellTranslation(TranslationOptions):
    fields = ("text",)


@register(MaterialUpdate)
class MaterialUpdateTranslation(TranslationOptions):
    fields = ("note",)
    required_languages = ("en",)
