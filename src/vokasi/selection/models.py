"""Selection rounds: published rules, a seed fixed before the draw, the engine's files and
what came out of them. The Django side of `vokasi.allocation`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch, Intake
from vokasi.intake.models import Application


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Draft: rules being set")
    SEEDED = "seeded", _("Seed published, ready to draw")
    RUN = "run", _("Drawn, not yet published")
    PUBLISHED = "published", _("Published")


class SelectionRound(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=150)
    # Rule keys from `vokasi.selection.rules.RULES`, in order of priority.
    rules: models.JSONField[list[str]] = models.JSONField(
        _("priority rules"), default=list, blank=True
    )
    seed = models.CharField(_("seed"), max_length=120, blank=True)
    seed_set_at = models.DateTimeField(_("seed published at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=RoundState.choices, default=RoundState.DRAFT
    )
    input_file = models.BinaryField(_("engine input"), null=True, blank=True)
    input_sha256 = models.CharField(max_length=64, blank=True)
    result_file = models.BinaryField(_("engine result"), null=True, blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    run_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    offer_days = models.PositiveSmallIntegerField(_("days to confirm a place"), default=7)
    # With the rule "score_pass": who scores at least this passed the test or interview.
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    objection_days = models.PositiveSmallIntegerField(
        _("days to object after publication"), default=3
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=RoundState.values), name="round_state_valid"
            ),
            # The draw is only fair if the seed was public before it.
            models.CheckConstraint(
                condition=Q(state=RoundState.DRAFT) | ~Q(seed=""), name="round_seed_before_draw"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Reservation(models.Model):
    """Seats of a batch kept for a group, taken in this order."""

    class Group(models.TextChoices):
        DISABILITY = "disabilitas", _("Persons with disabilities")
        WOMEN = "perempuan", _("Women")

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="reservations")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "batch", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "batch", "group"], name="reservation_once_per_group"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="reservation_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch.code}: {self.seats} {self.group}"


class Score(models.Model):
    """A selection test or interview score, entered before the draw."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="score_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.score}"


class Outcome(models.Model):
    """What the round gave one application: a batch, or a place on waiting lists."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="outcomes")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes")
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="admissions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="outcome_once_per_round")
        ]
        indexes = [models.Index(fields=["round", "batch"])]

    def __str__(self) -> str:
        return f"{self.application} → {self.batch.code if self.batch else '-'}"


class WaitingPlace(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="waiting")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "batch", "position"], name="waiting_position_unique"
            ),
            models.UniqueConstraint(
                fields=["round", "batch", "application"], name="waiting_once_per_batch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} #{self.position}"


class OfferState(models.TextChoices):
    OPEN = "open", _("Offered, waiting for confirmation")
    ACCEPTED = "accepted", _("Accepted (re-registered)")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed: not confirmed in time")
    # The person moved up to a higher choice, or their batch was merged into another one:
    # the seat went with them.
    MOVED = "moved", _("Moved to another batch")


LIVE_OFFER_STATES = (OfferState.OPEN, OfferState.ACCEPTED)


class Offer(models.Model):
    """A seat offered to an applicant, to confirm (daftar ulang) by a deadline.

    A batch's taken seats are its live offers (open or accepted), counted from these rows
    under a lock on the batch, never kept in a counter.
    """

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="offers")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="offers")
    state = models.CharField(
        _("state"), max_length=10, choices=OfferState.choices, default=OfferState.OPEN
    )
    deadline = models.DateTimeField(_("confirm by"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["batch", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=OfferState.values), name="offer_state_valid"
            ),
            # A person holds at most one live seat per round, whatever the race.
            models.UniqueConstraint(
                fields=["round", "application"],
                condition=Q(state__in=["open", "accepted"]),
                name="offer_one_live_per_application",
            ),
            # And is never offered the same batch twice in a round.
            models.UniqueConstraint(
                fields=["round", "application", "batch"], name="offer_once_per_batch"
            ),
        ]
        indexes = [models.Index(fields=["batch", "state"])]

    def __str__(self) -> str:
        return f"{self.application} → {self.batch.code} ({self.state})"


class Objection(models.Model):
    """An applicant's objection (sanggahan) to a published result, and staff's answer.

    A published round stays locked: an upheld objection is remedied by staff outside the
    draw (e.g. with the next freed seat), and the verdict is kept for the record.
    """

    class Verdict(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Not upheld")

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="objections")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField(_("objection"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"], name="objection_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(verdict="", answered_at__isnull=True)
                | (Q(verdict__in=["upheld", "rejected"]) & Q(answered_at__isnull=False)),
                name="objection_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.round_id})"


class ClassSizeDecision(models.Model):
    """What staff decided for a batch left below its minimum class size after daftar ulang."""

    class Kind(models.TextChoices):
        POSTPONE = "postpone", _("Postponed")
        MERGE = "merge", _("Merged into another batch")
        RUN_ANYWAY = "run_anyway", _("Runs anyway")

    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="class_size_decisions"
    )
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("decision"), max_length=12, choices=Kind.choices)
    target = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("class size decision")
        verbose_name_plural = _("class size decisions")
        constraints = [
            models.UniqueConstraint(fields=["round", "batch"], name="class_size_decided_once"),
            models.CheckConstraint(
                condition=Q(kind="merge", target__isnull=False)
                | (~Q(kind="merge") & Q(target__isnull=True)),
                name="class_size_merge_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.kind}"
