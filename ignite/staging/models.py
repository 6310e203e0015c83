"""Staged edits: changes to published content prepared now, published later as one change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StagedState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


OPEN_STATES = (StagedState.PENDING, StagedState.SCHEDULED, StagedState.FAILED)


class StagedEditQuerySet(models.QuerySet):
    def open(self) -> StagedEditQuerySet:
        """Not published nor discarded: still to be decided (a failed edit may be retried)."""
        return self.filter(state__in=OPEN_STATES)

    def for_object(self, obj: models.Model) -> StagedEditQuerySet:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=obj.pk)

    def due(self, now) -> StagedEditQuerySet:
        return self.filter(state=StagedState.SCHEDULED, publish_at__lte=now)


class StagedEdit(models.Model):
    """A change to a published object, kept aside until published: the change form's submitted
    data (inlines included) or a status change, with when and by whom it may go live."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of content")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    object_label = models.CharField(
        _("object"), max_length=300, help_text=_("The object's name when the change was staged.")
    )
    form_data = models.JSONField(
        _("form data"),
        default=dict,
        blank=True,
        help_text=_("The change form as submitted, inlines included: each field's values."),
    )
    status_entry = models.JSONField(
        _("status change"),
        null=True,
        blank=True,
        help_text=_("A release status change to record in the feature's history."),
    )
    base_updated_at = models.DateTimeField(
        _("live version of"),
        help_text=_("When the live object was last changed before this was staged."),
    )
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=StagedState.choices,
        default=StagedState.PENDING,
        db_index=True,
    )
    message = models.TextField(
        _("message"), blank=True, help_text=_("Why the last attempt to publish failed.")
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Set by a publisher: the change goes live at this moment."),
    )
    proposed_publish_at = models.DateTimeField(
        _("proposed time"),
        null=True,
        blank=True,
        help_text=_("A time an editor suggests; a publisher decides."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("staged"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords()
    objects = StagedEditQuerySet.as_manager()

    class Meta:
        verbose_name = _("staged change")
        verbose_name_plural = _("staged changes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=StagedState.values), name="ignite_stagededit_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=StagedState.SCHEDULED) | Q(publish_at__isnull=False),
                name="ignite_stagededit_scheduled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return _("Staged change #%(number)s to %(object)s") % {
            "number": self.pk,
            "object": self.object_label,
        }

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def live_object(self) -> models.Model | None:
        """The object as stored now (None if it has been deleted)."""
        model = self.content_type.model_class()
        if model is None:
            return None
        return model._base_manager.filter(pk=self.object_id).first()
