"""Training delivery: who takes part, who teaches and assesses, the schedule, attendance,
competency and attitude assessments, and the graduation rule.

Assessments are append-only: a re-assessment adds a row and the latest one counts, so the
history an auditor asks for is the table itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch, CompetencyUnit, Programme
from vokasi.intake.models import Applicant


class DropoutReason(models.TextChoices):
    FOUND_WORK = "found_work", _("Found work")
    MOVED = "moved", _("Moved away")
    ILLNESS = "illness", _("Illness")
    FAMILY = "family", _("Family matters")
    ABSENCE = "absence", _("Too many absences")
    DISCIPLINE = "discipline", _("Discipline")
    OTHER = "other", _("Other")


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
    dropped_on = models.DateField(_("dropped out on"), null=True, blank=True)
    dropout_reason = models.CharField(
        _("reason for dropping out"), max_length=16, choices=DropoutReason.choices, blank=True
    )
    dropout_note = models.CharField(_("note"), max_length=250, blank=True)
    # Why the rule said "not graduated", fixed at closing: [{"code": ..., ...}, ...].
    outcome_reasons: models.JSONField[list[dict[str, object]]] = models.JSONField(
        _("reasons"), default=list, blank=True
    )

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


class GraduationRule(models.Model):
    """A programme's graduation settings; a programme without a row uses the defaults."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="graduation_rule"
    )
    attendance_threshold = models.PositiveSmallIntegerField(_("minimum attendance (%)"), default=80)
    all_units_competent = models.BooleanField(_("every unit must be competent"), default=True)
    absence_streak = models.PositiveSmallIntegerField(
        _("consecutive absences that trigger a warning"), default=3
    )

    class Meta:
        verbose_name = _("graduation rule")
        verbose_name_plural = _("graduation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_threshold__lte=100), name="rule_threshold_percent"
            ),
            models.CheckConstraint(condition=Q(absence_streak__gte=1), name="rule_streak_positive"),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class StaffRole(models.TextChoices):
    INSTRUCTOR = "instructor", _("Instructor")
    ASSESSOR = "assessor", _("Assessor")


class BatchStaff(models.Model):
    """Who teaches and who assesses a batch: an assessment by anyone else is refused."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="staffing")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staffing"
    )
    role = models.CharField(_("role"), max_length=12, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("batch staff")
        verbose_name_plural = _("batch staff")
        ordering = ["batch", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "user", "role"], name="staff_once_per_role"),
            models.CheckConstraint(condition=Q(role__in=StaffRole.values), name="staff_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.batch.code} {self.role} {self.user}"


class Session(models.Model):
    """One lesson block of a batch's schedule. Attendance is taken once it has started."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    jp = models.PositiveSmallIntegerField(_("JP"))
    unit = models.ForeignKey(
        CompetencyUnit,
        verbose_name=_("competency unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions_taught",
    )
    room = models.CharField(_("room or workshop"), max_length=100, blank=True)
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)
    attendance_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["batch", "date", "starts"]
        indexes = [
            models.Index(fields=["batch", "date"]),
            models.Index(fields=["instructor", "date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="session_ends_after"),
            models.CheckConstraint(condition=Q(jp__gte=1, jp__lte=12), name="session_jp_range"),
        ]

    def __str__(self) -> str:
        return f"{self.batch.code} {self.date:%Y-%m-%d} {self.starts:%H:%M}"

    @property
    def subject(self) -> str:
        return self.unit.title if self.unit_id and self.unit else self.topic


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Late still earns the session's JP; excused does not (the hours were not attended), but
# it does not count towards the consecutive-absence warning.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.participant_id} {self.status}"


class Result(models.TextChoices):
    COMPETENT = "K", _("Competent")
    NOT_YET = "BK", _("Not yet competent")


class Assessment(models.Model):
    """One assessment of one unit for one participant; never updated, only added to."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="assessments")
    result = models.CharField(_("result"), max_length=2, choices=Result.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    evidence = models.CharField(_("evidence"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["participant", "unit", "assessed_on", "id"]
        indexes = [models.Index(fields=["participant", "unit", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=Result.values), name="assessment_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.unit_id} {self.result} {self.assessed_on}"


ATTITUDE_CRITERIA = ("discipline", "cooperation", "responsibility", "initiative", "safety")


class AttitudeAssessment(models.Model):
    """Sikap on five criteria, 1 to 5 each; append-only like competency assessments."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attitude")
    discipline = models.PositiveSmallIntegerField(_("discipline"))
    cooperation = models.PositiveSmallIntegerField(_("cooperation"))
    responsibility = models.PositiveSmallIntegerField(_("responsibility"))
    initiative = models.PositiveSmallIntegerField(_("initiative"))
    safety = models.PositiveSmallIntegerField(_("work safety"))
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attitude assessment")
        verbose_name_plural = _("attitude assessments")
        ordering = ["participant", "assessed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{c}__gte": 1 for c in ATTITUDE_CRITERIA})
                & Q(**{f"{c}__lte": 5 for c in ATTITUDE_CRITERIA}),
                name="attitude_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.assessed_on}"
