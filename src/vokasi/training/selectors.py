"""Reads about who takes part in which batch, the schedule, attendance and results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vokasi.catalog.models import Batch, CompetencyUnit, Programme
from vokasi.core.models import User
from vokasi.training.models import (
    ATTENDED,
    Assessment,
    Attendance,
    AttendanceStatus,
    AttitudeAssessment,
    BatchStaff,
    GraduationRule,
    Participant,
    Result,
    Session,
    StaffRole,
)
from vokasi.training.rules import (
    RuleSettings,
    UnitRef,
    attendance_percent,
    reason_text,
    reasons_not_graduated,
)


def seats_taken(batches: Iterable[Batch]) -> dict[int, int]:
    """Participants per batch in one query. Seats are derived, never a stored counter."""
    ids = [b.pk for b in batches]
    rows = (
        Participant.objects.filter(batch_id__in=ids)
        .exclude(status=Participant.Status.DROPPED)
        .values("batch_id")
        .annotate(n=Count("id"))
    )
    return {row["batch_id"]: row["n"] for row in rows}


def rule_for(programme: Programme) -> GraduationRule:
    """The programme's graduation rule, or the defaults (unsaved) when it has none."""
    rule = GraduationRule.objects.filter(programme=programme).first()
    return rule if rule is not None else GraduationRule(programme=programme)


def staff_of(batch: Batch, role: str) -> QuerySet[User]:
    return User.objects.filter(staffing__batch=batch, staffing__role=role).order_by("full_name")


def is_staff_of(batch: Batch, user: User, role: str) -> bool:
    return BatchStaff.objects.filter(batch=batch, user=user, role=role).exists()


def session_start(session: Session, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(session.date, session.starts, tzinfo=tz)


def calendar_marks(sessions: list[Session]) -> dict[str, object]:
    """What a list of sessions marks, by the clock of the centre's zone (which
    CentreTimezoneMiddleware makes the current one): `today`, the `next_session` to teach
    (today's or the first ahead), and the sessions `not_started`, whose attendance cannot
    be taken yet."""
    now = timezone.localtime()
    today = now.date()
    coming = next((s for s in sessions if s.date >= today), None)
    return {
        "today": today,
        "next_session": coming.pk if coming else None,
        "not_started": {s.pk for s in sessions if (s.date, s.starts) > (today, now.time())},
    }


def centre_tz(batch: Batch) -> ZoneInfo:
    return ZoneInfo(batch.programme.centre.timezone)


def sessions_by_week(sessions: Iterable[Session]) -> list[tuple[dt.date, list[Session]]]:
    """Sessions grouped by the Monday of their week, in date order."""
    weeks: dict[dt.date, list[Session]] = defaultdict(list)
    for s in sessions:
        weeks[s.date - dt.timedelta(days=s.date.weekday())].append(s)
    return sorted(weeks.items())


def batch_sessions(batch: Batch) -> QuerySet[Session]:
    return batch.sessions.select_related("unit", "instructor").order_by("date", "starts")


def instructor_sessions(user: User) -> QuerySet[Session]:
    """The sessions an instructor teaches, or of the batches they are staffed on."""
    staffed = BatchStaff.objects.filter(user=user, role=StaffRole.INSTRUCTOR).values("batch_id")
    return (
        Session.objects.filter(Q(instructor=user) | Q(batch_id__in=staffed))
        .select_related("batch", "unit", "instructor")
        .order_by("date", "starts")
    )


def roster(batch: Batch) -> QuerySet[Participant]:
    return batch.participants.select_related("applicant__domicile__parent").order_by("number")


def present_on(batch: Batch, day: dt.date) -> list[Participant]:
    """Who is on the roster on `day`: everyone except those who dropped out before it."""
    return [
        p
        for p in roster(batch)
        if not (p.status == Participant.Status.DROPPED and p.dropped_on and p.dropped_on <= day)
    ]


def latest_results(participant_ids: Iterable[int]) -> dict[int, dict[int, Assessment]]:
    """participant id -> unit id -> the latest assessment (by date, then by entry)."""
    latest: dict[int, dict[int, Assessment]] = defaultdict(dict)
    rows = (
        Assessment.objects.filter(participant_id__in=list(participant_ids))
        .select_related("assessor")
        .order_by("assessed_on", "id")
    )
    for a in rows:
        latest[a.participant_id][a.unit_id] = a
    return latest


def latest_attitude(participant_ids: Iterable[int]) -> dict[int, AttitudeAssessment]:
    latest: dict[int, AttitudeAssessment] = {}
    for a in AttitudeAssessment.objects.filter(participant_id__in=list(participant_ids)).order_by(
        "assessed_on", "id"
    ):
        latest[a.participant_id] = a
    return latest


@dataclass
class Standing:
    """Where a participant stands: attendance in JP, unit results, the rule's verdict."""

    participant: Participant
    attended_jp: int
    missed_jp: int
    open_jp: int  # JP of sessions whose attendance is not yet taken
    total_jp: int
    results: dict[int, Assessment] = field(default_factory=dict)
    attitude: AttitudeAssessment | None = None
    reasons: list[dict[str, object]] = field(default_factory=list)
    absent_streak: int = 0
    # The first session of that run of absences: what names the run, however often the
    # attendance of its sessions is saved again.
    streak_start: int | None = None

    @property
    def percent(self) -> float:
        return attendance_percent(attended_jp=self.attended_jp, total_jp=self.total_jp)

    @property
    def reachable_percent(self) -> float:
        return attendance_percent(
            attended_jp=self.attended_jp + self.open_jp, total_jp=self.total_jp
        )

    def outlook(self, *, threshold: int) -> list[str]:
        """While training runs, what may still keep the participant from graduating, judged
        on what has happened so far, not against sessions still to come."""
        lines = []
        held = self.attended_jp + self.missed_jp
        if self.reachable_percent < threshold:
            lines.append(
                _("Can no longer reach %(threshold)s%% attendance: at most %(best)s%%.")
                % {"threshold": threshold, "best": number_format(self.reachable_percent, 1)}
            )
        elif held and self.attended_jp * 100 < threshold * held:
            lines.append(
                _(
                    "Attended %(percent)s%% of the sessions held so far; the minimum is "
                    "%(threshold)s%%."
                )
                % {
                    "percent": number_format(self.attended_jp * 100 / held, 1),
                    "threshold": threshold,
                }
            )
        units = [r for r in self.reasons if r.get("code") == "unit"]
        lines += [reason_text(r) for r in units if r.get("result") == Result.NOT_YET]
        if waiting := sum(1 for r in units if not r.get("result")):
            lines.append(
                ngettext("%(n)d unit not yet assessed.", "%(n)d units not yet assessed.", waiting)
                % {"n": waiting}
            )
        return lines


def batch_standings(batch: Batch, *, only: Iterable[int] | None = None) -> list[Standing]:
    """Every participant's standing in a handful of queries, whatever the batch's size."""
    rule = rule_for(batch.programme)
    settings = RuleSettings(rule.attendance_threshold, rule.all_units_competent)
    units = list(CompetencyUnit.objects.filter(programme_id=batch.programme_id))
    refs = [UnitRef(u.pk, u.code) for u in units]
    sessions = list(
        batch.sessions.order_by("date", "starts").only("pk", "jp", "attendance_taken_at")
    )
    total = sum(s.jp for s in sessions)
    participants = list(roster(batch))
    if only is not None:
        wanted = set(only)
        participants = [p for p in participants if p.pk in wanted]
    ids = [p.pk for p in participants]
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for pid, sid, status in Attendance.objects.filter(participant_id__in=ids).values_list(
        "participant_id", "session_id", "status"
    ):
        marks[pid][sid] = status
    results = latest_results(ids)
    attitude = latest_attitude(ids)
    standings = []
    for p in participants:
        attended = missed = open_jp = streak = 0
        streak_start: int | None = None
        for s in sessions:
            mark = marks[p.pk].get(s.pk)
            if s.attendance_taken_at is None:
                open_jp += s.jp
            elif mark in ATTENDED:
                attended += s.jp
            else:
                missed += s.jp
            if s.attendance_taken_at is not None and mark is not None:
                streak = streak + 1 if mark == AttendanceStatus.ABSENT else 0
                if streak == 1:
                    streak_start = s.pk
        latest = {unit_id: a.result for unit_id, a in results[p.pk].items()}
        standings.append(
            Standing(
                participant=p,
                attended_jp=attended,
                missed_jp=missed,
                open_jp=open_jp,
                total_jp=total,
                results=results[p.pk],
                attitude=attitude.get(p.pk),
                reasons=reasons_not_graduated(
                    rule=settings, attended_jp=attended, total_jp=total, units=refs, latest=latest
                ),
                absent_streak=streak,
                streak_start=streak_start if streak else None,
            )
        )
    return standings
