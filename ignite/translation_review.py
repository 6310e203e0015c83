"""Translations that say when they are stale.

When one language of a translated field changes and another language of it, which has text,
does not, that other language may now say something else: it is marked as needing review
("summary.ja"). Writing it again (catching up, which marks nothing in turn), or emptying it,
clears the mark; so does an editor saying it was reviewed. Marks are kept on the row
(`stale_translations`) so that pages show them without another query, and they travel with
the row through history and exports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


class TranslationReviewed(models.Model):
    """A model whose translated fields remember which language needs a review."""

    stale_translations = models.JSONField(
        _("translations to review"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Fields whose text in one language changed after the other was written."),
    )

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        _remember(cls, instance)
        return instance

    def needs_review(self, field: str, language: str) -> bool:
        return f"{field}.{language}" in (self.stale_translations or [])

    def mark_reviewed(self, *marks: str) -> None:
        """Clear these marks ("summary.ja"), or all of them."""
        self.stale_translations = [m for m in self.stale_translations if marks and m not in marks]


def translated_fields(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def stale_marks(fields, before: dict[str, str], after: dict[str, str], marks: list[str]):
    """The marks after a change from `before` to `after` (column values such as summary_en)."""
    kept = list(marks)
    for field in fields:
        changed = {
            language
            for language in LANGUAGES
            if (before.get(f"{field}_{language}") or "") != (after.get(f"{field}_{language}") or "")
        }
        # Only a language that now has text can make another one lag behind it, and not when
        # it was itself marked: rewriting a stale text is catching up, not leading.
        leading = {
            language
            for language in changed
            if after.get(f"{field}_{language}") and f"{field}.{language}" not in marks
        }
        for language in LANGUAGES:
            mark = f"{field}.{language}"
            if language in changed or not after.get(f"{field}_{language}"):
                if mark in kept:
                    kept.remove(mark)
            elif leading - {language} and mark not in kept:
                kept.append(mark)
    return sorted(kept)


def _columns(fields) -> list[str]:
    return [f"{field}_{language}" for field in fields for language in LANGUAGES]


def _mark_stale(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None or getattr(instance, "_stale_translations_given", False):
        return
    fields = translated_fields(sender)
    columns = _columns(fields)
    before = dict(getattr(instance, "_translations_in_db", {}))
    missing = [column for column in columns if column not in before]
    if missing:  # built some other way (a history revert) or loaded in part: ask the database
        stored = sender._base_manager.filter(pk=instance.pk).values(*missing).first()
        if stored is None:
            return  # a new row with a chosen primary key
        before |= stored
    after = {column: getattr(instance, column) for column in columns}
    instance.stale_translations = stale_marks(
        fields, before, after, instance.stale_translations or []
    )


def _remember(sender, instance, **kwargs) -> None:
    """What the row holds in the database now: the base the next save compares with."""
    columns = _columns(translated_fields(sender))
    instance._translations_in_db = {
        column: instance.__dict__[column] for column in columns if column in instance.__dict__
    }


def track_stale_translations(*content_models) -> None:
    """Keep `stale_translations` up to date on every save of these models."""
    for model in content_models:
        if not issubclass(model, TranslationReviewed):
            continue
        uid = f"stale:{model._meta.label}"
        pre_save.connect(_mark_stale, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(_remember, sender=model, dispatch_uid=f"{uid}:post")
