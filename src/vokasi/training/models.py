"""Participants of a batch. Training delivery (schedule, attendance, assessment) builds on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch
from vokasi.intake.models import Applicant


class Participant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In training")
        DROPPED = "dropped", _("Dropped out")
        GRADUATED = "graduated", _("Graduated")
        NOT_GRADUATED = "not_graduated", _("Not graduated")

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="participants")
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="participations"
    )
    number = models.PositiveSmallIntegerField(_("participant number"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "applicant"], name="participant_once_per_batch"
            ),
            models.UniqueConstraint(fields=["batch", "number"], name="participant_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.batch.code} #{self.number}"
