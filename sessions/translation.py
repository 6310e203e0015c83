"""Which fields editors write in both English and Japanese (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Event, KeyPoint, Session, Speaker, SpeakerLink


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("name", "city", "intro", "highlights", "sources")
    required_languages = ("en",)


@register(Speaker)
class SpeakerTranslation(TranslationOptions):
    fields = ("role", "bio")


@register(SpeakerLink)
class SpeakerLinkTranslation(TranslationOptions):
    fields = ("label",)
    required_languages = ("en",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("summary",)


@register(KeyPoint)
class KeyPointTranslation(TranslationOptions):
    fields = ("heading", "text")
    required_languages = ("en",)
