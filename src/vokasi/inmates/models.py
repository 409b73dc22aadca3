"""The inmate programme: people nominated by a prison (Lapas) for a batch held inside it.

A criminal record is specific personal data (UU PDP 27/2022): the inmate's number and
release date live here, beside the Applicant rather than on it, so that every read of them
goes through `inmates.selectors`, which knows who may see them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch, Partner
from vokasi.intake.models import Applicant


class Inmate(models.Model):
    """A person's record as an inmate (warga binaan) of one prison."""

    applicant = models.OneToOneField(
        Applicant, on_delete=models.PROTECT, related_name="inmate", verbose_name=_("person")
    )
    prison = models.ForeignKey(
        Partner,
        verbose_name=_("prison"),
        on_delete=models.PROTECT,
        related_name="inmates",
        limit_choices_to={"kind": Partner.Kind.PRISON},
    )
    number = models.CharField(_("inmate registration number"), max_length=40)
    expected_release = models.DateField(_("expected release date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inmate")
        verbose_name_plural = _("inmates")
        constraints = [
            models.UniqueConstraint(
                fields=["prison", "number"], name="inmate_number_unique_per_prison"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prison_id}/{self.number}"


class NominationState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated, waiting for review")
    ENROLLED = "enrolled", _("Enrolled")
    REJECTED = "rejected", _("Not accepted")


class Nomination(models.Model):
    """A prison's proposal that one inmate takes part in one batch held inside it.

    Staff review it: accepting enrols the person (`training.services.participant_enrol`).
    """

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="nominations")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="nominations")
    prison = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="nominations")
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=NominationState.choices,
        default=NominationState.NOMINATED,
    )
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["batch", "nominated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "applicant"], name="nomination_once_per_batch"
            ),
            models.CheckConstraint(
                condition=Q(state__in=NominationState.values), name="nomination_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=NominationState.NOMINATED) | Q(decided_at__isnull=False),
                name="nomination_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.code}: {self.applicant_id}"
