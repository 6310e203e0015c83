from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeaturesConfig(AppConfig):
    """Areas, features, their status history and comparison tables."""

    name = "features"
    verbose_name = _("Features and comparisons")

    def ready(self) -> None:
        from ignite.history import track_history
        from ignite.links.sources import register as register_link_sources
        from ignite.translation_review import track_stale_translations
        from ignite.translations import store_blank_not_null

        from . import models
        from .link_sources import LINK_SOURCES

        content_models = (
            models.Area,
            models.Feature,
            models.DocLink,
            models.StatusChange,
            models.MaterialUpdate,
            models.Comparison,
            models.ComparisonColumn,
            models.ComparisonRow,
            models.ComparisonCell,
        )
        track_history(*content_models, m2m_fields={models.Feature: ["related"]})
        store_blank_not_null(*content_models)
        track_stale_translations(*content_models)
        register_link_sources(*LINK_SOURCES)
