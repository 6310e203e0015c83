"""Per-language text fields store "" rather than NULL for a missing translation.

django-modeltranslation makes its per-language columns nullable; a mix of NULL and "" would show
up as meaningless changes in the history and in imports. Every save stores "" instead.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator


def _text_translation_fields(model) -> list[str]:
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return [
        field.name
        for fields in options.all_fields.values()
        for field in fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def store_blank_not_null(*content_models) -> None:
    for model in content_models:
        names = _text_translation_fields(model)
        if not names:
            continue

        def blank_missing(sender, instance, names=tuple(names), **kwargs):
            for name in names:
                if getattr(instance, name) is None:
                    setattr(instance, name, "")

        pre_save.connect(
            blank_missing, sender=model, weak=False, dispatch_uid=f"blank:{model._meta.label}"
        )


def in_every_language(message, field: str) -> dict[str, str]:
    """A translatable message as the per-language values of a field, e.g. note_en / note_ja."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[f"{field}_{code}"] = str(message)
    return values


def text_in_language(obj, field: str, language: str) -> tuple[str, str | None]:
    """A translated field's text in `language`, and the language it fell back to (None if it
    did not): English first, then any other language that has the text; ("", None) if none."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if own := getattr(obj, f"{field}_{language}", None):
        return own, None
    for other in dict.fromkeys([default, *(code for code, _name in settings.LANGUAGES)]):
        if other != language and (text := getattr(obj, f"{field}_{other}", None)):
            return text, other
    return "", None
