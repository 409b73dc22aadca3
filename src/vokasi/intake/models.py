"""Applicants: the people who ask for training. Registration (applications, ranked
choices, documents) builds on this record."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch, Intake, Schooling
from vokasi.regions.models import Region


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Employment(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Not working, looking for work")
    LAID_OFF = "laid_off", _("Laid off (PHK)")
    SCHOOL_LEAVER = "school_leaver", _("Just finished school")
    EMPLOYED = "employed", _("Working")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    STUDENT = "student", _("In school or college")


class Applicant(models.Model):
    """A person, identified by their NIK. Personal data: masked unless the viewer needs it."""

    # The applicant's own account, when they registered online; walk-ins have none.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applicant",
    )
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
    employment = models.CharField(
        _("employment status"),
        max_length=20,
        choices=Employment.choices,
        default=Employment.UNEMPLOYED,
    )
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


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for verification")
    DOCUMENTS_TO_FIX = "documents_to_fix", _("Documents to fix")
    VERIFIED = "verified", _("Documents verified")
    ELIGIBLE = "eligible", _("Eligible for selection")
    INELIGIBLE = "ineligible", _("Not eligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """One person's registration for one intake, with their ranked batch choices.

    One per NIK per intake, held by a database constraint: a second attempt, a double
    click or a second tab finds the first application instead of making another.
    """

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="applications")
    number = models.CharField(
        _("registration number"), max_length=30, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    consent_at = models.DateTimeField(_("consent to data processing given at"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The member of staff who typed it in at the counter; empty when the applicant did."
        ),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "intake"], name="application_one_per_nik_per_intake"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["intake", "status"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Choice(models.Model):
    """A batch the applicant wants, in order of preference (rank 1 first)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("rank"))
    eligible = models.BooleanField(_("eligible"), default=True)
    ineligible_reason = models.CharField(_("why not eligible"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_unique"),
            models.UniqueConstraint(fields=["application", "batch"], name="choice_batch_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="choice_rank_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.rank}: {self.batch.code}"


def _private_storage() -> Storage:
    return storages["private"]


class Document(models.Model):
    """An uploaded KTP or diploma, stored outside the web root (PRIVATE_MEDIA_ROOT)."""

    class Kind(models.TextChoices):
        KTP = "ktp", _("KTP (identity card)")
        DIPLOMA = "diploma", _("Latest diploma (ijazah)")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", storage=_private_storage)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # The latest upload of a kind replaces the earlier one (kept as history in the audit trail).
            models.UniqueConstraint(fields=["application", "kind"], name="document_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"

    @property
    def format(self) -> str:
        """PDF, JPEG or PNG: what staff call the file, not its MIME type."""
        return self.content_type.rsplit("/", 1)[-1].upper()


class ConfirmationCode(models.Model):
    """A 6-digit code sent to an applicant's email or WhatsApp, to confirm the account or
    reset its password. Only a hash is stored; a code works once, for a short time, and a
    few wrong guesses void it."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("Confirm the account")
        RESET = "reset", _("Reset the password")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose}"
