"""Change history for content, recorded by django-simple-history.

History is registered after django-modeltranslation has added its per-language fields, so each
historical record keeps both languages. The untranslated original columns are left out: they only
mirror the language that happened to be active.
"""

import importlib

from modeltranslation.translator import NotRegistered, translator
from simple_history import register
from simple_history.models import HistoricalChanges

IMPORT_REASON = "import_content"


def track_history(*models, m2m_fields: dict | None = None) -> None:
    """Record every change of these models; `m2m_fields` names the relations to record too."""
    for model in models:
        try:
            translated = list(translator.get_options_for_model(model).all_fields)
        except NotRegistered:
            translated = []
        register(
            model,
            # and what a model works out from its other columns (e.g. Feature.search_text)
            excluded_fields=translated + list(getattr(model, "history_excluded_fields", ())),
            m2m_fields=(m2m_fields or {}).get(model, ()),
        )
        # simple-history names the app package as the module of a history model whose app
        # label differs from its package (ignite_sessions); make it importable from there too,
        # as `manage.py shell` expects of every model.
        history_model = model.history.model
        module = importlib.import_module(history_model.__module__)
        setattr(module, history_model.__name__, history_model)


def is_history_model(model) -> bool:
    return issubclass(model, HistoricalChanges)
