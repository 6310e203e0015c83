from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeaturesConfig(AppConfig):
    """Areas, features, their status history and comparison tables."""

    name = "features"
    verbose_name = _("Features and comparisons")

    def ready(self) -> None:
        from ignite.history import track_history

        from . import models

        track_history(
            models.Area,
            models.Feature,
            models.DocLink,
            models.StatusChange,
            models.Comparison,
            models.ComparisonColumn,
            models.ComparisonRow,
            models.ComparisonCell,
        )
