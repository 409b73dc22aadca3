"""Placement: partners' agreements and contacts, vacancies and referrals, where graduates
end up (an append-only history), and the tracer study that asks them (Perpres 68/2022)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import CompetencyUnit, Partner, Programme
from vokasi.training.models import Participant


def _private_storage() -> Storage:
    return storages["private"]


class Agreement(models.Model):
    """An MoU or cooperation agreement (PKS) with a partner; the signed file stays private."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    number = models.CharField(_("agreement number"), max_length=100)
    scope = models.TextField(_("scope"))
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(
        _("signed file (PDF)"), upload_to="agreements/%Y/", storage=_private_storage, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("signed_on")),
                name="agreement_valid_after_signing",
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Contact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone / WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContributionKind(models.TextChoices):
    INSTRUCTORS = "instructors", _("Instructors")
    WORKSHOP = "workshop", _("Workshop or equipment")
    VACANCIES = "vacancies", _("Vacancies")
    CANDIDATES = "candidates", _("Candidates")
    FUNDING = "funding", _("Funding")
    OTHER = "other", _("Other")


class Contribution(models.Model):
    """What a partner brings to the centre."""

    Kind = ContributionKind

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=12, choices=ContributionKind.choices)
    note = models.CharField(_("details"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values), name="contribution_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.note}"


class Outcome(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed (wirausaha)")
    MIGRANT = "migrant", _("Migrant worker abroad (PMI)")
    STUDY = "study", _("Further study or training")
    NOT_EMPLOYED = "not_employed", _("Not yet employed")


class WageBand(models.TextChoices):
    UNDER_2 = "lt2", _("Under Rp2 million")
    FROM_2 = "2to35", _("Rp2–3.5 million")
    FROM_35 = "35to5", _("Rp3.5–5 million")
    FROM_5 = "5to8", _("Rp5–8 million")
    OVER_8 = "gt8", _("Over Rp8 million")


class Source(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    TRACER = "tracer", _("Tracer study (link)")
    PHONE = "phone", _("Tracer study (by phone)")
    REFERRAL = "referral", _("Referral outcome")


class PlacementRecord(models.Model):
    """Where a graduate is, as known on one day. Rows are only added, never changed: the
    latest is the current state and the earlier ones are the history a tracer study needs."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="placements"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    employer = models.CharField(_("employer"), max_length=150, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    wage_band = models.CharField(
        _("monthly wage"), max_length=6, choices=WageBand.choices, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    business = models.CharField(_("kind of business"), max_length=150, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    agency = models.CharField(_("placement agency (P3MI)"), max_length=150, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    survey = models.ForeignKey(
        "TracerSurvey",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("placement record")
        verbose_name_plural = _("placement records")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["participant", "-recorded_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="placement_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.EMPLOYED) | ~Q(employer=""),
                name="placement_employed_has_employer",
                violation_error_message=_("Name the employer."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.MIGRANT) | ~Q(country=""),
                name="placement_migrant_has_country",
                violation_error_message=_("Name the country."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.SELF_EMPLOYED) | ~Q(business=""),
                name="placement_self_employed_has_business",
                violation_error_message=_("Say what kind of business."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.outcome}"


class Vacancy(models.Model):
    """An opening passed on to graduates: from a partner, or typed in by staff."""

    class Location(models.TextChoices):
        HOME = "home", _("In Indonesia")
        ABROAD = "abroad", _("Abroad")

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    employer = models.CharField(
        _("employer"), max_length=150, help_text=_("As the graduate will see it.")
    )
    position = models.CharField(_("position"), max_length=150)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme sought"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    competencies = models.TextField(_("competencies sought"), blank=True)
    units = models.ManyToManyField(
        CompetencyUnit,
        verbose_name=_("competency units required"),
        blank=True,
        related_name="vacancies",
        help_text=_("Only graduates assessed competent in every unit chosen are matched."),
    )
    location = models.CharField(
        _("location"), max_length=6, choices=Location.choices, default=Location.HOME
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    agency = models.CharField(_("placement agency (P3MI)"), max_length=150, blank=True)
    openings = models.PositiveSmallIntegerField(_("number of openings"), default=1)
    closes_on = models.DateField(_("closing date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-closes_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(openings__gte=1), name="vacancy_openings_positive"),
            models.CheckConstraint(
                condition=Q(location="home") | ~Q(country=""),
                name="vacancy_abroad_has_country",
                violation_error_message=_("A vacancy abroad needs its country."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} – {self.employer}"


class ReferralState(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SENT = "sent", _("Referred")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")
    DECLINED = "declined", _("Declined by the graduate")


REFERRAL_OUTCOMES = (ReferralState.HIRED, ReferralState.NOT_HIRED, ReferralState.DECLINED)


class Referral(models.Model):
    """One graduate put forward for one vacancy: shortlisted, referred, then an outcome."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="referrals")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="referrals")
    state = models.CharField(
        _("state"), max_length=12, choices=ReferralState.choices, default=ReferralState.SHORTLISTED
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    shortlisted_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("outcome at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["vacancy", "shortlisted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "participant"], name="referral_once_per_vacancy"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReferralState.values), name="referral_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="shortlisted") | Q(sent_at__isnull=False),
                name="referral_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.participant_id}"


class TracerSurvey(models.Model):
    """One wave (3, 6 or 12 months after graduation) of the tracer study for one graduate.

    The personal link carries a random token; only its SHA-256 is stored here, so this table
    cannot be turned back into working links. (The message that carries the link sits in the
    outbox, which only staff with the personal-data permission read.) The link works until
    `expires_at`, once.
    """

    class Wave(models.IntegerChoices):
        M3 = 3, _("3 months")
        M6 = 6, _("6 months")
        M12 = 12, _("12 months")

    class Via(models.TextChoices):
        LINK = "link", _("Personal link")
        PHONE = "phone", _("By phone")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="tracer_surveys"
    )
    wave = models.PositiveSmallIntegerField(_("wave"), choices=Wave.choices)
    due_on = models.DateField(_("due on"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_via = models.CharField(_("answered"), max_length=6, choices=Via.choices, blank=True)

    class Meta:
        verbose_name = _("tracer survey")
        verbose_name_plural = _("tracer surveys")
        ordering = ["participant", "wave"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "wave"], name="tracer_once_per_wave"),
            models.CheckConstraint(condition=Q(wave__in=[3, 6, 12]), name="tracer_wave_valid"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answered_via=""),
                name="tracer_answer_has_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} +{self.wave}m"
