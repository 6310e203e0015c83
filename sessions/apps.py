from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Events, sessions and speakers.

    The label is not "sessions": django.contrib.sessions already owns that one.
    """

    name = "sessions"
    label = "ignite_sessions"
    verbose_name = _("Events, sessions and speakers")

    def ready(self) -> None:
        from ignite.history import track_history
        from ignite.links.sources import register as register_link_sources
        from ignite.translation_review import track_stale_translations
        from ignite.translations import store_blank_not_null

        from . import models
        from .link_sources import LINK_SOURCES

        content_models = (
            models.Event,
            models.Speaker,
            models.SpeakerLink,
            models.Session,
            models.SessionSpeaker,
            models.KeyPoint,
        )
        track_history(*content_models)
        store_blank_not_null(*content_models)
        track_stale_translations(*content_models)
        register_link_sources(*LINK_SOURCES)
