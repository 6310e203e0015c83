from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        for model in (models.StatusChange, models.MaterialUpdate):
            uid = f"followed_at:{model._meta.label}"
            post_save.connect(_feature_followed, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(_feature_followed, sender=model, dispatch_uid=f"{uid}:delete")
        post_migrate.connect(_search_index, sender=self, dispatch_uid="features:search_index")


def _feature_followed(sender, instance, raw=False, **kwargs) -> None:
    """A status entry or material update saved or deleted: its feature's `followed_at` moves.
    A fixture row (loaddata) carries the feature's stored moment already."""
    if raw:
        return
    from .models import feature_followed

    feature_followed(instance.feature_id)


def _search_index(sender, using="default", **kwargs) -> None:
    """After migrate (and flush): SQLite's trigram index of the search text, where missing."""
    from django.db import connections

    from .search import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
