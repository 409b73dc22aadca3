"""Applicants: the people who ask for training. Registration (applications, ranked
choices, documents) builds on this record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Schooling
from vokasi.regions.models import Region


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Applicant(models.Model):
    """A person, identified by their NIK. Personal data: masked unless the viewer needs it."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk = models.CharField(_("family card number (KK)"), max_length=16, blank=True)
    full_name = models.CharField(_("full name as on the KTP"), max_length=150)
    birth_place = models.CharField(_("place of birth"), max_length=80)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("address"), max_length=250, blank=True)
    # Where the person lives now (district or village); the NIK says where it was issued.
    domicile = models.ForeignKey(
        Region, verbose_name=_("domicile"), on_delete=models.PROTECT, related_name="+"
    )
    schooling = models.PositiveSmallIntegerField(_("schooling"), choices=Schooling.choices)
    disability = models.CharField(_("disability"), max_length=100, blank=True)
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="applicant_nik_16_digits"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="applicant_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name
