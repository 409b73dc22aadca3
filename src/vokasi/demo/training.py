"""Training delivery of the 2025 batches: staffing, schedules, attendance, competency and
attitude assessments, consistent with each participant's outcome.

- graduated: attendance well above the threshold, every unit competent (a few only at a
  second assessment, so the history shows);
- dropped out: a reason and a date, attendance that stops there, a few absences before;
- not graduated: a reason the rule shows, either attendance below the threshold or a unit
  still not yet competent after re-assessment.

Everything is derived from a seeded generator and written with bulk_create; a batch that
already has sessions is left alone, so loading twice duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from vokasi.catalog.models import Batch, BatchState
from vokasi.core.models import User
from vokasi.demo import accounts
from vokasi.training.models import (
    ATTITUDE_CRITERIA,
    Assessment,
    Attendance,
    AttendanceStatus,
    AttitudeAssessment,
    BatchStaff,
    DropoutReason,
    Participant,
    Session,
    StaffRole,
)
from vokasi.training.selectors import batch_standings, rule_for
from vokasi.training.services import draft_sessions

STORY_YEAR = 2025
# Why the not-graduated of each programme did not pass: attendance, or a unit not yet competent.
LOW_ATTENDANCE = {"ALB": True, "LAS": False, "ACR": True, "OTO": False, "LIS": True}
DROPOUT_STORY = (
    (DropoutReason.FOUND_WORK, "Diterima bekerja di kontraktor tambang, Sangatta"),
    (DropoutReason.MOVED, "Pindah ikut keluarga ke Balikpapan"),
    (DropoutReason.ILLNESS, "Dirawat di RSUD Taman Husada, surat dokter terlampir"),
    (DropoutReason.FAMILY, "Mengurus orang tua yang sakit"),
    (DropoutReason.FOUND_WORK, "Diterima sebagai karyawan kontrak PT Pupuk Kaltim"),
)
EVIDENCE = (
    "Observasi praktik di bengkel",
    "Uji praktik dan tanya jawab",
    "Portofolio hasil kerja dan uji tulis",
    "Demonstrasi dengan daftar periksa",
)


def load_training() -> int:
    """Delivers the completed batches of 2025; returns the number of sessions created."""
    accounts.load_accounts()  # the instructors and assessor the batches are staffed with
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["instruktur", "instruktur2", "asesor"])
    }
    created = 0
    batches = (
        Batch.objects.filter(training_starts__year=STORY_YEAR, state=BatchState.COMPLETED)
        .select_related("programme__centre")
        .order_by("training_starts", "code")
    )
    for batch in batches:
        if batch.sessions.exists() or not batch.participants.exists():
            continue
        created += _deliver(batch, users)
    return created


def _teacher(batch: Batch, users: dict[str, User]) -> User | None:
    name = "instruktur2" if batch.programme.code in {"TRS", "BAR", "DKV", "PIK"} else "instruktur"
    return users.get(name)


def _deliver(batch: Batch, users: dict[str, User]) -> int:
    rng = random.Random(f"vokasi-training-{batch.code}")
    teacher, assessor = _teacher(batch, users), users.get("asesor")
    for user, role in ((teacher, StaffRole.INSTRUCTOR), (assessor, StaffRole.ASSESSOR)):
        if user is not None:
            BatchStaff.objects.get_or_create(batch=batch, user=user, role=role)
    if teacher is not None and not batch.instructors.exists():
        batch.instructors.add(teacher)
    tz = ZoneInfo(batch.programme.centre.timezone)
    units = list(batch.programme.units.order_by("order", "id"))
    sessions = draft_sessions(
        batch=batch,
        units=units,
        minutes=batch.programme.centre.jp_minutes,
        instructor_id=teacher.pk if teacher else None,
    )
    for s in sessions:
        s.attendance_taken_at = dt.datetime.combine(s.date, s.ends, tzinfo=tz)
        s.attendance_taken_by = teacher
    Session.objects.bulk_create(sessions)
    sessions = list(batch.sessions.order_by("date", "starts"))
    threshold = rule_for(batch.programme).attendance_threshold
    participants = list(batch.participants.order_by("number"))
    marks: list[Attendance] = []
    results: list[Assessment] = []
    attitude: list[AttitudeAssessment] = []
    # The last session of each unit: its assessment follows on that day.
    unit_day = {s.unit_id: s.date for s in sessions if s.unit_id}
    failed_kind = 0
    for p in participants:
        if p.status == Participant.Status.DROPPED:
            marks += _dropout(p, sessions, rng)
            continue
        low_attendance = False
        if p.status == Participant.Status.NOT_GRADUATED:
            # Alternate the reasons across the batches' not-graduated participants.
            low_attendance = LOW_ATTENDANCE.get(batch.programme.code, failed_kind % 2 == 0)
            low_attendance = low_attendance or not units
            failed_kind += 1
        marks += _attendance(p, sessions, rng, threshold=threshold, low=low_attendance)
        failing_unit = (
            rng.choice(units)
            if p.status == Participant.Status.NOT_GRADUATED and not low_attendance
            else None
        )
        for unit in units:
            day = unit_day.get(unit.pk, batch.training_ends)
            if unit == failing_unit or rng.random() < 0.06:
                results.append(_assessment(p, unit.pk, "BK", day, assessor, rng))
                day = min(day + dt.timedelta(days=rng.randint(2, 6)), batch.training_ends)
            result = "BK" if unit == failing_unit else "K"
            results.append(_assessment(p, unit.pk, result, day, assessor, rng))
        if assessor is not None:
            scores = {c: rng.choice((3, 4, 4, 4, 5, 5)) for c in ATTITUDE_CRITERIA}
            if p.status == Participant.Status.NOT_GRADUATED and low_attendance:
                scores["discipline"] = 2
            attitude.append(
                AttitudeAssessment(
                    participant=p, assessed_on=batch.training_ends, assessor=assessor, **scores
                )
            )
    Attendance.objects.bulk_create(marks, batch_size=2000)
    Assessment.objects.bulk_create([r for r in results if r.assessor_id], batch_size=2000)
    AttitudeAssessment.objects.bulk_create(attitude)
    _fix_outcomes(batch)
    return len(sessions)


def _attendance(
    p: Participant, sessions: list[Session], rng: random.Random, *, threshold: int, low: bool
) -> list[Attendance]:
    total = sum(s.jp for s in sessions)
    statuses: list[str] = []
    for _ in sessions:
        roll = rng.random()
        if low:
            status = "absent" if roll < 0.22 else "excused" if roll < 0.3 else "present"
        else:
            status = (
                "absent"
                if roll < 0.02
                else "excused"
                if roll < 0.04
                else "late"
                if roll < 0.08
                else "present"
            )
        statuses.append(status)
    attended = sum(
        s.jp for s, st in zip(sessions, statuses, strict=True) if st in ("present", "late")
    )
    if low:
        # Make sure the rule shows it: below the threshold by a visible margin.
        i = 0
        while total and 100 * attended / total >= threshold - 5 and i < len(sessions):
            if statuses[i] in ("present", "late"):
                statuses[i] = "absent"
                attended -= sessions[i].jp
            i += 3 if i + 3 < len(sessions) else 1
    else:
        i = 0
        while total and 100 * attended / total < threshold + 5 and i < len(sessions):
            if statuses[i] not in ("present", "late"):
                statuses[i] = "present"
                attended += sessions[i].jp
            i += 1
    return [
        Attendance(session=s, participant=p, status=st)
        for s, st in zip(sessions, statuses, strict=True)
    ]


def _dropout(p: Participant, sessions: list[Session], rng: random.Random) -> list[Attendance]:
    if not sessions:
        return []
    cut = int(len(sessions) * rng.uniform(0.2, 0.55))
    last_day = sessions[max(cut - 1, 0)].date
    reason, note = rng.choice(DROPOUT_STORY)
    Participant.objects.filter(pk=p.pk).update(
        dropped_on=last_day + dt.timedelta(days=1), dropout_reason=reason, dropout_note=note
    )
    marks = []
    for i, s in enumerate(sessions[:cut]):
        # Absent in the last days before leaving, as usually happens.
        status = (
            AttendanceStatus.ABSENT
            if i >= cut - 3 and rng.random() < 0.7
            else AttendanceStatus.PRESENT
        )
        marks.append(Attendance(session=s, participant=p, status=status))
    return marks


def _assessment(
    p: Participant,
    unit_id: int,
    result: str,
    day: dt.date,
    assessor: User | None,
    rng: random.Random,
) -> Assessment:
    return Assessment(
        participant=p,
        unit_id=unit_id,
        result=result,
        assessed_on=day,
        assessor=assessor,
        evidence=rng.choice(EVIDENCE),
        recorded_by=assessor,
    )


def _fix_outcomes(batch: Batch) -> None:
    """Stores the rule's reasons as closing would have, from the records just written."""
    for standing in batch_standings(batch):
        p = standing.participant
        if p.status == Participant.Status.NOT_GRADUATED:
            Participant.objects.filter(pk=p.pk).update(outcome_reasons=standing.reasons)


def load_running(now: dt.datetime) -> int:
    """Batches running today (the welding class inside Lapas Bontang): staffed, scheduled,
    and with attendance taken for the sessions already over, so an instructor can take
    today's on a phone. Returns the number of sessions created."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["instruktur", "instruktur2", "asesor"])
    }
    created = 0
    for batch in Batch.objects.filter(state=BatchState.RUNNING).select_related("programme__centre"):
        if batch.sessions.exists() or not batch.participants.exists():
            continue
        rng = random.Random(f"vokasi-running-{batch.code}")
        teacher, assessor = _teacher(batch, users), users.get("asesor")
        for user, role in ((teacher, StaffRole.INSTRUCTOR), (assessor, StaffRole.ASSESSOR)):
            if user is not None:
                BatchStaff.objects.get_or_create(batch=batch, user=user, role=role)
        # The catalogue names the same teacher as the staffing, as for the closed batches.
        if teacher is not None and not batch.instructors.exists():
            batch.instructors.add(teacher)
        tz = ZoneInfo(batch.programme.centre.timezone)
        sessions = draft_sessions(
            batch=batch,
            units=list(batch.programme.units.order_by("order", "id")),
            minutes=batch.programme.centre.jp_minutes,
            instructor_id=teacher.pk if teacher else None,
        )
        past = [s for s in sessions if dt.datetime.combine(s.date, s.ends, tzinfo=tz) < now]
        for s in past:
            s.attendance_taken_at = dt.datetime.combine(s.date, s.ends, tzinfo=tz)
            s.attendance_taken_by = teacher
        Session.objects.bulk_create(sessions)
        taken = list(batch.sessions.filter(attendance_taken_at__isnull=False))
        marks = [
            Attendance(
                session=s,
                participant=p,
                status="absent"
                if (roll := rng.random()) < 0.03
                else "late"
                if roll < 0.08
                else "present",
            )
            for p in batch.participants.all()
            for s in taken
        ]
        Attendance.objects.bulk_create(marks, batch_size=2000)
        created += len(sessions)
    return created
