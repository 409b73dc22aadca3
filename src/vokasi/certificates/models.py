"""Certificates a graduate may hold: the centre's training certificate, and the BNSP
competency certificate issued by a licensed certification body (LSP) after a test.

A training certificate is a document: what it says (name, programme, dates, signatory) is
copied onto the row when it is issued and signed, so that later edits to the person or the
programme never change a certificate that is already in someone's hands.
"""

from __future__ import annotations

from string import Formatter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import CompetencyUnit, Programme, TrainingCentre
from vokasi.training.models import Participant

DEFAULT_NUMBER_PATTERN = "{seq}/{centre}/{programme}/{year}"
NUMBER_PLACEHOLDERS = frozenset({"seq", "centre", "programme", "year"})
NUMBER_MAX_LENGTH = 120


def number_pattern_problem(pattern: str) -> str | None:
    """Why a pattern cannot give every graduate their own number, or None when it can.

    Only the plain placeholders are allowed (no `{seq.attr}` or `{year[0]}`), and `{seq}`
    must be there: without it every certificate of a year would carry the same number."""
    try:
        names = [
            name for _text, name, _spec, _conv in Formatter().parse(pattern) if name is not None
        ]
    except ValueError:
        return str(_("A brace is not closed."))
    unknown = sorted({name for name in names if name not in NUMBER_PLACEHOLDERS})
    if unknown:
        return str(_("Unknown placeholder: %(names)s.") % {"names": ", ".join(unknown)})
    if "seq" not in names:
        return str(_("The pattern needs {seq}, the running number."))
    return None


class CertificateSettings(models.Model):
    """Per centre: how numbers look and who signs. Editable by an administrator.

    Its row is also the lock that serialises numbering for the centre.
    """

    centre = models.OneToOneField(
        TrainingCentre, on_delete=models.CASCADE, related_name="certificate_settings"
    )
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=120,
        default=DEFAULT_NUMBER_PATTERN,
        help_text=_(
            "Placeholders: {seq} (the running number in the year, e.g. 007), {centre}, "
            "{programme} (its code) and {year}."
        ),
    )
    signatory_place = models.CharField(_("place of signing"), max_length=80, default="Bontang")
    signatory_title = models.CharField(
        _("signatory's title"), max_length=150, default="Kepala UPTD BLKI"
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150, blank=True)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=30, blank=True)
    key_id = models.SlugField(
        _("signing key id"),
        max_length=60,
        default="key-1",
        help_text=_("A name for the key in CERTIFICATE_SIGNING_KEY, shown to verifiers."),
    )

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")

    def __str__(self) -> str:
        return str(self.centre)

    def clean(self) -> None:
        problem = number_pattern_problem(self.number_pattern)
        if problem is None:
            sample = self.number_pattern.format(
                seq="0001", centre="X" * 20, programme="X" * 12, year=2025
            )
            if len(sample) > NUMBER_MAX_LENGTH:
                problem = str(_("The numbers would be too long."))
        if problem is not None:
            raise ValidationError({"number_pattern": problem})


class SigningKey(models.Model):
    """A public key the centre has signed with. Kept after the key is replaced, so that
    certificates signed before still verify."""

    key_id = models.CharField(max_length=60)
    public_key = models.CharField(max_length=64, unique=True)  # base64 of the 32 raw bytes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.key_id


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Replaced by a corrected version")


class TrainingCertificate(models.Model):
    """One version of a graduate's training certificate (sertifikat pelatihan).

    A correction issues a new version with the same number that points back to the one it
    replaces; the number (centre, year, seq) belongs to the graduate for ever.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="certificates"
    )
    centre = models.ForeignKey(TrainingCentre, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("running number"))
    number = models.CharField(_("certificate number"), max_length=120)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        verbose_name=_("replaces"),
    )
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=CertificateState.choices, default=CertificateState.VALID
    )
    # What the certificate says, as it was printed.
    holder_name = models.CharField(_("name"), max_length=150)
    birth_place = models.CharField(_("place of birth"), max_length=80)
    birth_date = models.DateField(_("date of birth"))
    programme_code = models.CharField(max_length=12)
    programme_name = models.CharField(_("programme"), max_length=150)
    hours_jp = models.PositiveSmallIntegerField(_("JP"))
    training_starts = models.DateField(_("training starts"))
    training_ends = models.DateField(_("training ends"))
    issued_on = models.DateField(_("issued on"))
    centre_name = models.CharField(max_length=150)
    units = models.JSONField(default=list)  # [[code, title, jp], ...]
    signatory = models.JSONField(default=dict)  # place, title, name, nip
    # Ed25519 over the canonical payload (see signing.py).
    signature = models.CharField(max_length=100)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason"), max_length=250, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training certificate")
        verbose_name_plural = _("training certificates")
        ordering = ["centre", "year", "seq", "version"]
        constraints = [
            # One number per graduate: however many requests race, only one first version.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(previous__isnull=True),
                name="certificate_one_number_per_graduate",
            ),
            models.UniqueConstraint(
                fields=["centre", "year", "seq", "version"],
                name="certificate_number_version_unique",
            ),
            # At most one version in force (valid or revoked) per graduate.
            models.UniqueConstraint(
                fields=["participant"],
                condition=~Q(state="superseded"),
                name="certificate_one_current_per_graduate",
            ),
            models.CheckConstraint(
                condition=Q(state__in=CertificateState.values), name="certificate_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True)
                | Q(version__gt=1, previous__isnull=False),
                name="certificate_version_chain",
            ),
            models.CheckConstraint(
                condition=~Q(state="revoked") | Q(revoked_at__isnull=False),
                name="certificate_revoked_has_date",
            ),
            models.CheckConstraint(
                condition=Q(training_ends__gte=F("training_starts")),
                name="certificate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"


# --- BNSP certification -------------------------------------------------------------


class CertificationBody(models.Model):
    """A Lembaga Sertifikasi Profesi licensed by BNSP."""

    class Kind(models.TextChoices):
        P1 = "P1", _("P1 (first party: a training or education institution)")
        P2 = "P2", _("P2 (second party: for its own staff or supply chain)")
        P3 = "P3", _("P3 (third party: an association or independent body)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    licence_number = models.CharField(_("BNSP licence number"), max_length=80)
    kind = models.CharField(_("type"), max_length=2, choices=Kind.choices)

    class Meta:
        verbose_name = _("certification body (LSP)")
        verbose_name_plural = _("certification bodies (LSP)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["P1", "P2", "P3"]), name="lsp_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name


class CertificationScheme(models.Model):
    body = models.ForeignKey(
        CertificationBody, verbose_name=_("LSP"), on_delete=models.PROTECT, related_name="schemes"
    )
    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The programme whose graduates take this scheme."),
    )
    units = models.ManyToManyField(CompetencyUnit, verbose_name=_("units"), related_name="+")
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), default=3)

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="scheme_name_unique_per_lsp"),
            models.CheckConstraint(
                condition=Q(validity_years__gte=1, validity_years__lte=10),
                name="scheme_validity_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CompetencyTest(models.Model):
    """An uji kompetensi: one LSP, one scheme, at a test site (TUK) on a day."""

    body = models.ForeignKey(
        CertificationBody, verbose_name=_("LSP"), on_delete=models.PROTECT, related_name="tests"
    )
    scheme = models.ForeignKey(
        CertificationScheme,
        verbose_name=_("scheme"),
        on_delete=models.PROTECT,
        related_name="tests",
    )
    test_site = models.CharField(_("test site (TUK)"), max_length=200)
    held_on = models.DateField(_("date"))
    assessors = models.TextField(
        _("assessors"), blank=True, help_text=_("One per line: name and MET registration number.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("competency test")
        verbose_name_plural = _("competency tests")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.held_on:%d-%m-%Y}"

    @property
    def assessor_lines(self) -> list[str]:
        return [line.strip() for line in self.assessors.splitlines() if line.strip()]


class CandidateResult(models.TextChoices):
    PENDING = "pending", _("Awaiting result")
    COMPETENT = "K", _("Competent (K)")
    NOT_YET = "BK", _("Not yet competent (BK)")


class Candidate(models.Model):
    """A graduate registered for a competency test, and what came of it."""

    test = models.ForeignKey(CompetencyTest, on_delete=models.CASCADE, related_name="candidates")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="bnsp_candidacies"
    )
    result = models.CharField(
        _("result"), max_length=8, choices=CandidateResult.choices, default=CandidateResult.PENDING
    )
    certificate_number = models.CharField(_("BNSP certificate number"), max_length=80, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["test", "participant__applicant__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["test", "participant"], name="candidate_once_per_test"),
            models.CheckConstraint(
                condition=Q(result__in=CandidateResult.values), name="candidate_result_valid"
            ),
            # A certificate is recorded only for a competent candidate, with its dates.
            models.CheckConstraint(
                condition=Q(certificate_number="")
                | (Q(result="K") & Q(issued_on__isnull=False) & Q(expires_on__isnull=False)),
                name="candidate_certificate_needs_competent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.test} · {self.participant}"


class UnitResult(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="unit_results")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(
        _("result"),
        max_length=2,
        choices=[(CandidateResult.COMPETENT.value, "K"), (CandidateResult.NOT_YET.value, "BK")],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "unit"], name="unit_result_once"),
            models.CheckConstraint(condition=Q(result__in=["K", "BK"]), name="unit_result_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.result}"
