from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from ignite.admin import (
    LabelledInputs,
    LabelledTabularInline,
    MarkdownTextarea,
    PublicationStateFilter,
    PublishableAdmin,
    TranslationReviewForm,
)
from ignite.dates import date_range
from ignite.links.admin import BrokenLinksFilter

from .models import Event, KeyPoint, Session, SessionSpeaker, Speaker, SpeakerLink


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = [
        "name",
        "dates",
        "city",
        "session_count",
        "state_display",
        "last_changed",
    ]
    list_filter = [PublicationStateFilter, BrokenLinksFilter]
    search_fields = ["name_en", "name_ja", "slug", "city_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    date_hierarchy = "start_date"
    ordering = ["-start_date"]
    fieldsets = [
        (None, {"fields": [("name_en", "name_ja"), "slug", ("start_date", "end_date")]}),
        (_("Place and links"), {"fields": [("city_en", "city_ja"), "url"]}),
        (_("Introduction"), {"fields": [("intro_en", "intro_ja")]}),
        (_("What matters most"), {"fields": [("highlights_en", "highlights_ja")]}),
        (_("Sources"), {"fields": [("sources_en", "sources_ja")]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_total=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_total")
    def session_count(self, obj: Event) -> int:
        return obj.session_total

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj: Event) -> str:
        """ "17–21 November 2025": one column where two full dates left the list too wide."""
        return date_range(obj.start_date, obj.end_date)


class SpeakerLinkInline(LabelledTabularInline):
    model = SpeakerLink
    extra = 0
    fields = ["label_en", "label_ja", "url", "order"]


@admin.register(Speaker)
class SpeakerAdmin(PublishableAdmin):
    list_display = ["name", "role", "affiliation", "session_count", "state_display", "last_changed"]
    list_filter = [PublicationStateFilter, "sessions__event", BrokenLinksFilter]
    search_fields = ["name", "slug", "affiliation", "role_en", "role_ja"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", ("role_en", "role_ja"), "affiliation"]}),
        (_("Short bio"), {"fields": [("bio_en", "bio_ja")]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_total=Count("appearances"))

    @admin.display(description=_("sessions"), ordering="session_total")
    def session_count(self, obj: Speaker) -> int:
        return obj.session_total


class SessionSpeakerInline(LabelledInputs, admin.TabularInline):
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "role", "order"]
    verbose_name = _("speaker")
    verbose_name_plural = _("speakers, in the order the session lists them")


class KeyPointInline(TranslationStackedInline):
    """Stacked: each point's two languages side by side, with room for their previews."""

    model = KeyPoint
    form = TranslationReviewForm
    extra = 0
    formfield_overrides = {models.TextField: {"widget": MarkdownTextarea(attrs={"rows": 3})}}
    fields = ["order", ("heading_en", "heading_ja"), ("text_en", "text_ja")]
    verbose_name_plural = _(
        "key points (in order; a point with a heading starts a new group under that heading)"
    )


@admin.register(Session)
class SessionAdmin(PublishableAdmin):
    list_display = [
        "code",
        "title",
        "event",
        "kind",
        "speaker_names",
        "state_display",
        "last_changed",
    ]
    list_display_links = ["code", "title"]
    list_filter = [PublicationStateFilter, "event", "kind", BrokenLinksFilter]
    search_fields = ["code", "title", "slug", "summary_en", "summary_ja"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["code"]}
    inlines = [SessionSpeakerInline, KeyPointInline]
    ordering = ["-event__start_date", "code"]
    fieldsets = [
        (None, {"fields": ["event", ("code", "slug"), "title", "japanese_title", "kind"]}),
        (_("Links"), {"fields": ["url", "repository_url"]}),
        (_("Summary"), {"fields": [("summary_en", "summary_ja")]}),
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .prefetch_related("appearances__speaker")
        )

    @admin.display(description=_("speakers"))
    def speaker_names(self, obj: Session) -> str:
        return ", ".join(appearance.speaker.name for appearance in obj.appearances.all())
