"""The catalogue: training centres, programmes (kejuruan), funding, partners and batches."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vokasi.regions.models import Region


class Schooling(models.IntegerChoices):
    """Highest schooling completed; the values order them, so "at least SMA" is a comparison."""

    NONE = 0, _("No schooling")
    SD = 10, _("SD / equivalent")
    SMP = 20, _("SMP / equivalent")
    SMA = 30, _("SMA / equivalent")
    SMK = 31, _("SMK")
    D1 = 41, _("D1")
    D2 = 42, _("D2")
    D3 = 43, _("D3")
    D4 = 44, _("D4")
    S1 = 50, _("S1 or above")


class TrainingCentre(models.Model):
    class Kind(models.TextChoices):
        UPTD_BLK = "uptd_blk", _("UPTD BLK (regional government)")
        UPTD_BLKI = "uptd_blki", _("UPTD BLKI (regional government, industrial)")
        BPVP = "bpvp", _("BPVP (Ministry of Manpower)")
        LPK = "lpk", _("LPK (private)")

    name = models.CharField(_("name"), max_length=150)
    short_code = models.SlugField(
        _("short code"),
        max_length=20,
        unique=True,
        help_text=_("Used in letter numbers, e.g. BLKI-BTG."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    government = models.CharField(
        _("government or ministry"), max_length=150, help_text=_("e.g. Pemerintah Kota Bontang")
    )
    office = models.CharField(
        _("office"), max_length=150, blank=True, help_text=_("e.g. Dinas Ketenagakerjaan")
    )
    letterhead = models.TextField(
        _("letterhead lines"),
        help_text=_("One line each, from the government's name down to the address."),
    )
    logo = models.FileField(_("logo"), upload_to="centre/", blank=True)
    address = models.CharField(_("address"), max_length=250)
    region = models.ForeignKey(
        Region, verbose_name=_("regency / city"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    timezone = models.CharField(_("time zone"), max_length=40, default="Asia/Makassar")
    jp_minutes = models.PositiveSmallIntegerField(
        _("length of one lesson hour (JP), minutes"), default=45
    )

    class Meta:
        verbose_name = _("training centre")
        verbose_name_plural = _("training centres")
        constraints = [
            models.CheckConstraint(
                condition=Q(jp_minutes__gte=30, jp_minutes__lte=60), name="centre_jp_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def letterhead_lines(self) -> list[str]:
        return [line.strip() for line in self.letterhead.splitlines() if line.strip()]


class Partner(models.Model):
    """An institution the centre works with. Placement adds agreements, contacts, vacancies.

    It lives in the catalogue because batches are held at partner sites (a prison) and
    partner officers' accounts are scoped to one; the layers above only add to it.
    """

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        SMK = "smk", _("Vocational school (SMK)")
        PRISON = "prison", _("Prison (Lapas)")
        BPVP = "bpvp", _("BPVP")
        MANPOWER_OFFICE = "manpower_office", _("Manpower office")
        BNN = "bnn", _("BNN")
        GOVERNMENT = "government", _("Government / legislature")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("regency / city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Inmates' home districts are picked from the prison's province: without it the
        # nomination form would list all 7,000 districts of Indonesia.
        if self.kind == self.Kind.PRISON and self.region_id is None:
            raise ValidationError(
                {"region": _("A prison needs its regency / city, for its inmates' districts.")}
            )


class Programme(models.Model):
    """A kejuruan: what is taught, for how long, to whom, towards which certificate."""

    class Domicile(models.TextChoices):
        ANYWHERE = "anywhere", _("Anywhere in Indonesia")
        PROVINCE = "province", _("In the province")
        REGENCIES = "regencies", _("In the listed regencies / cities")

    centre = models.ForeignKey(TrainingCentre, on_delete=models.PROTECT, related_name="programmes")
    code = models.SlugField(_("code"), max_length=12, help_text=_("Short, e.g. LAS or OTO."))
    name = models.CharField(_("name"), max_length=150)
    field = models.CharField(_("field (kejuruan)"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    hours_jp = models.PositiveSmallIntegerField(_("length (JP)"))
    certification_scheme = models.CharField(
        _("certification scheme"),
        max_length=200,
        blank=True,
        help_text=_("The BNSP scheme this programme prepares for."),
    )
    package_cost = models.PositiveBigIntegerField(
        _("usual package cost (Rp)"),
        default=0,
        help_text=_("What one batch of the usual size costs; used for planning."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=17)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=40)
    min_schooling = models.PositiveSmallIntegerField(
        _("minimum schooling"), choices=Schooling.choices, default=Schooling.SMP
    )
    domicile_rule = models.CharField(
        _("domicile"), max_length=12, choices=Domicile.choices, default=Domicile.ANYWHERE
    )
    domicile_regions = models.ManyToManyField(
        Region,
        verbose_name=_("domicile regions"),
        blank=True,
        related_name="+",
        help_text=_("The province, or the regencies / cities, whose residents may apply."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], name="programme_code_unique_per_centre"
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=F("max_age")),
                name="programme_age_range_ordered",
                violation_error_message=_("The minimum age must not be above the maximum age."),
            ),
            models.CheckConstraint(condition=Q(hours_jp__gt=0), name="programme_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CompetencyUnit(models.Model):
    """An SKKNI unit; the code is text because pre-2012 codes have another shape."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="units")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("unit code"), max_length=40)
    title = models.CharField(_("title"), max_length=250)
    hours_jp = models.PositiveSmallIntegerField(_("JP"), default=0)

    class Meta:
        verbose_name = _("competency unit")
        verbose_name_plural = _("competency units")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="unit_code_unique_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        APBD_CITY = "apbd_city", _("APBD regency / city")
        APBD_PROVINCE = "apbd_province", _("APBD province")
        APBN = "apbn", _("APBN (via BPVP)")
        INDUSTRY = "industry", _("Industry / CSR")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.CharField(_("government or body"), max_length=150)
    # The area of the paying government: its residents may be given priority in selection.
    region = models.ForeignKey(
        Region,
        verbose_name=_("area of the paying government"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"), default=0)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100), name="funding_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Intake(models.Model):
    """A registration round (gelombang) covering several batches.

    An applicant may send one application per intake, ranking up to `max_choices` of its
    batches, so competing batches are filled together and nobody holds two seats.
    """

    centre = models.ForeignKey(TrainingCentre, on_delete=models.PROTECT, related_name="intakes")
    name = models.CharField(
        _("name"), max_length=150, help_text=_("e.g. Pendaftaran APBD 2026 Gelombang I")
    )
    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("Used in registration numbers.")
    )
    max_choices = models.PositiveSmallIntegerField(_("choices per applicant"), default=3)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__gte=1, max_choices__lte=10),
                name="intake_max_choices_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BatchState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    SELECTION = "selection", _("Selection")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# Once completed or cancelled, a batch is history: reports rely on it, so it is not edited.
FROZEN_BATCH_STATES = (BatchState.COMPLETED, BatchState.CANCELLED)


class Batch(models.Model):
    """A paket / angkatan: one run of a programme with its own quota, money and dates.

    Seats are not stored: the free seats are derived from the quota and the admissions.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="batches"
    )
    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("e.g. LAS-2025-1"))
    name = models.CharField(_("name"), max_length=150, help_text=_("e.g. Las SMAW Angkatan I"))
    intake = models.ForeignKey(
        Intake,
        verbose_name=_("intake"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="batches",
        help_text=_("The registration round; empty for nominated batches."),
    )
    funding = models.ForeignKey(
        FundingSource,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    cost = models.PositiveBigIntegerField(_("cost (Rp)"), default=0)
    quota = models.PositiveSmallIntegerField(_("quota"), default=16)
    min_participants = models.PositiveSmallIntegerField(_("minimum to run"), default=10)
    venue_partner = models.ForeignKey(
        Partner,
        verbose_name=_("held at partner site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_batches",
        help_text=_("Leave empty when the batch is held at the centre."),
    )
    venue_note = models.CharField(
        _("venue"), max_length=150, blank=True, help_text=_("Workshop or room.")
    )
    # Partner-nominated batches (e.g. inside a prison) have no public registration window.
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    training_starts = models.DateField(_("training starts"))
    training_ends = models.DateField(_("training ends"))
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="batches_taught",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=BatchState.choices, default=BatchState.DRAFT
    )
    state_reason = models.CharField(_("reason"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-training_starts", "code"]
        indexes = [models.Index(fields=["state", "training_starts"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quota__gte=F("min_participants")) & Q(min_participants__gte=1),
                name="batch_quota_at_least_minimum",
                violation_error_message=_(
                    "The quota must be at least the minimum to run, and the minimum at least 1."
                ),
            ),
            models.CheckConstraint(
                condition=Q(training_ends__gte=F("training_starts")),
                name="batch_training_dates_ordered",
                violation_error_message=_("Training cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(
                    (Q(registration_opens__isnull=True) & Q(registration_closes__isnull=True))
                    | (
                        # Spelled out: a NULL would make the comparisons unknown, and a CHECK
                        # passes on unknown.
                        Q(registration_opens__isnull=False)
                        & Q(registration_closes__isnull=False)
                        & Q(registration_opens__lte=F("registration_closes"))
                        & Q(registration_closes__lt=F("training_starts"))
                    )
                ),
                name="batch_registration_window_valid",
                violation_error_message=_(
                    "Registration needs both dates, must open before it closes, and must close before training starts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=BatchState.values), name="batch_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[BatchState.OPEN, BatchState.SELECTION])
                | Q(registration_opens__isnull=False),
                name="batch_open_has_registration_window",
                violation_error_message=_(
                    "A batch open for registration or in selection needs its registration dates."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_public_registration(self) -> bool:
        return self.registration_opens is not None

    @property
    def cost_per_seat(self) -> int:
        return self.cost // self.quota if self.quota else 0

    @property
    def at_partner_site(self) -> bool:
        return self.venue_partner_id is not None
