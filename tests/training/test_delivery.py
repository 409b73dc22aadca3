"""Opening, staffing, schedule, attendance, warnings, dropouts, assessments and closing:
the rules, and every refusal leaving nothing half written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ApplicantFactory, BatchFactory, UserFactory
from tests.training.conftest import START, World, add_session
from vokasi.catalog.models import BatchState, CompetencyUnit
from vokasi.core.models import AuditEntry, User
from vokasi.core.roles import Role
from vokasi.notifications.models import Message
from vokasi.training.models import (
    Assessment,
    Attendance,
    AttitudeAssessment,
    BatchStaff,
    GraduationRule,
    Participant,
    Session,
    StaffRole,
)
from vokasi.training.selectors import batch_standings, instructor_sessions
from vokasi.training.services import (
    AssessmentInput,
    TrainingError,
    assessments_record,
    attendance_record,
    attitude_record,
    batch_close,
    batch_open,
    participant_drop,
    participant_enrol_direct,
    schedule_generate,
    session_save,
    staff_assign,
    staff_remove,
)

pytestmark = pytest.mark.django_db
WITA = dt.timezone(dt.timedelta(hours=8))
LATER = dt.datetime(2025, 7, 30, 12, tzinfo=WITA)  # after every session of the world


def _take(world: World, session: Session, marks: dict[int, str] | None = None) -> int:
    return attendance_record(
        session=session, exceptions=marks or {}, actor=world.instructor, now=LATER
    )


# --- opening ------------------------------------------------------------------------------


def test_opening_enrols_the_accepted_offers_only_and_starts_training(staff: User) -> None:
    from vokasi.catalog.models import Intake
    from vokasi.intake.models import Application
    from vokasi.selection.models import Offer, OfferState, SelectionRound

    batch = BatchFactory(state=BatchState.SELECTION)
    teacher = UserFactory(role=Role.INSTRUCTOR)
    batch.instructors.add(teacher)
    intake = Intake.objects.create(centre=batch.programme.centre, name="G", code="REG-T")
    round_ = SelectionRound.objects.create(intake=intake, name="S")
    for i, state in enumerate(["accepted", "accepted", "declined", "open"]):
        application = Application.objects.create(
            applicant=ApplicantFactory(), intake=intake, number=f"R-{i}", consent_at=timezone.now()
        )
        Offer.objects.create(
            round=round_,
            application=application,
            batch=batch,
            state=state,
            deadline=timezone.now(),
        )
    assert batch_open(batch=batch, actor=staff) == 2
    batch.refresh_from_db()
    assert batch.state == BatchState.RUNNING
    assert sorted(batch.participants.values_list("number", flat=True)) == [1, 2]
    accepted = set(
        Offer.objects.filter(state=OfferState.ACCEPTED).values_list(
            "application__applicant_id", flat=True
        )
    )
    assert set(batch.participants.values_list("applicant_id", flat=True)) == accepted
    assert BatchStaff.objects.filter(batch=batch, user=teacher, role="instructor").exists()
    # The place nobody confirmed lapsed at the opening, on record.
    assert not Offer.objects.filter(state=OfferState.OPEN).exists()
    assert Offer.objects.filter(state=OfferState.LAPSED, decided_by=staff).count() == 1


def test_direct_enrolment_only_for_nominated_batches(staff: User) -> None:
    public = BatchFactory(state=BatchState.DRAFT)
    with pytest.raises(TrainingError, match="roster comes from the accepted offers"):
        participant_enrol_direct(batch=public, applicant=ApplicantFactory(), actor=staff)
    nominated = BatchFactory(
        state=BatchState.DRAFT, registration_opens=None, registration_closes=None
    )
    p = participant_enrol_direct(batch=nominated, applicant=ApplicantFactory(), actor=staff)
    assert p.number == 1 and public.participants.count() == 0


# --- staffing and schedule ----------------------------------------------------------------


def test_only_an_assessor_account_can_be_staffed_as_assessor(world: World, staff: User) -> None:
    with pytest.raises(TrainingError):
        staff_assign(batch=world.batch, user=world.instructor, role=StaffRole.ASSESSOR, actor=staff)
    assert not BatchStaff.objects.filter(user=world.instructor, role="assessor").exists()


def test_the_draft_schedule_covers_the_units_on_weekdays(world: World, staff: User) -> None:
    n = schedule_generate(batch=world.batch, actor=staff)
    sessions = list(world.batch.sessions.order_by("date", "starts"))
    assert n == len(sessions) == 4  # 2 units x 8 JP in blocks of 4
    assert sum(s.jp for s in sessions) == 16
    assert all(s.date.weekday() < 5 for s in sessions)
    assert [s.unit for s in sessions] == [world.units[0]] * 2 + [world.units[1]] * 2
    # Four JP of 45 minutes from 08:00.
    assert (sessions[0].starts, sessions[0].ends) == (dt.time(8), dt.time(11))
    assert all(s.instructor == world.instructor for s in sessions)
    with pytest.raises(TrainingError, match="already has a schedule"):
        schedule_generate(batch=world.batch, actor=staff)
    assert world.batch.sessions.count() == 4


def test_a_session_with_a_unit_of_another_programme_is_refused(world: World, staff: User) -> None:
    stranger = CompetencyUnit.objects.create(
        programme=BatchFactory().programme, code="X.1", title="Other", hours_jp=4
    )
    session = Session(
        batch=world.batch, date=START, starts=dt.time(8), ends=dt.time(11), jp=4, unit=stranger
    )
    with pytest.raises(TrainingError, match="not in this batch's programme"):
        session_save(session=session, actor=staff)
    outsider = UserFactory(role=Role.INSTRUCTOR)
    session.unit, session.instructor = world.units[0], outsider
    with pytest.raises(TrainingError, match="does not teach this batch"):
        session_save(session=session, actor=staff)
    assert not Session.objects.exists()


def test_my_sessions_lists_what_the_instructor_teaches(world: World) -> None:
    mine = add_session(world, 0)
    assert list(instructor_sessions(world.instructor)) == [mine]
    assert list(instructor_sessions(UserFactory(role=Role.INSTRUCTOR))) == []


# --- attendance ---------------------------------------------------------------------------


def test_everyone_is_present_unless_marked_and_jp_add_up(world: World) -> None:
    a, b = add_session(world, 0, jp=4), add_session(world, 1, jp=6)
    p1, p2, p3 = world.people
    assert _take(world, a, {p2.pk: "late", p3.pk: "absent"}) == 3
    _take(world, b, {p3.pk: "excused"})
    jp = {s.participant.pk: s.attended_jp for s in batch_standings(world.batch)}
    assert jp == {p1.pk: 10, p2.pk: 10, p3.pk: 0}
    # Taking it again replaces the marks.
    _take(world, a)
    assert Attendance.objects.filter(session=a, status="present").count() == 3


def test_attendance_for_a_session_that_has_not_started_is_refused(world: World) -> None:
    session = add_session(world, 0)
    before_it = dt.datetime.combine(session.date, dt.time(7, 59), tzinfo=WITA)
    with pytest.raises(TrainingError, match="has not started yet"):
        attendance_record(session=session, exceptions={}, actor=world.instructor, now=before_it)
    session.refresh_from_db()
    assert session.attendance_taken_at is None and not Attendance.objects.exists()


def test_attendance_refuses_strangers_and_bad_marks_writing_nothing(world: World) -> None:
    session = add_session(world, 0)
    other = add_session(world, 1)
    _take(world, other)
    outsider = UserFactory(role=Role.INSTRUCTOR)
    with pytest.raises(TrainingError, match="instructors and staff"):
        attendance_record(session=session, exceptions={}, actor=outsider, now=LATER)
    with pytest.raises(TrainingError, match="not on this session's roster"):
        _take(world, session, {999999: "absent"})
    with pytest.raises(TrainingError, match="Unknown attendance mark"):
        _take(world, session, {world.people[0].pk: "asleep"})
    assert not Attendance.objects.filter(session=session).exists()
    assert Attendance.objects.filter(session=other).count() == 3


def test_an_instructor_taken_off_the_batch_no_longer_takes_its_attendance(
    world: World, staff: User
) -> None:
    held, unrecorded, coming = add_session(world, 0), add_session(world, 1), add_session(world, 2)
    _take(world, held)
    staffing = BatchStaff.objects.get(batch=world.batch, user=world.instructor)
    assert staff_remove(staff=staffing, actor=staff, today=coming.date) == 1
    for session in (held, unrecorded, coming):
        session.refresh_from_db()
    # Sessions already held keep who taught them; the coming one waits for a new instructor.
    assert held.instructor == unrecorded.instructor == world.instructor
    assert coming.instructor is None
    with pytest.raises(TrainingError, match="instructors and staff"):
        attendance_record(session=held, exceptions={}, actor=world.instructor, now=LATER)
    assert AuditEntry.objects.get(action="batch.staff_remove").data["sessions_unassigned"] == 1
    # Staff still can.
    assert attendance_record(session=coming, exceptions={}, actor=staff, now=LATER) == 3


def test_warning_when_the_threshold_can_no_longer_be_reached_sent_once(world: World) -> None:
    sessions = [add_session(world, d, jp=4) for d in range(5)]  # 20 JP, 80 % = 16
    p3 = world.people[2]
    _take(world, sessions[0], {p3.pk: "excused"})
    assert not Message.objects.exists()  # 16 of 20 JP still reachable
    _take(world, sessions[1], {p3.pk: "excused"})
    warned = Message.objects.filter(template="training_attendance_at_risk")
    assert list(warned.values_list("recipient", flat=True)) == ["p3@example.id"]
    _take(world, sessions[1], {p3.pk: "excused"})  # a correction does not warn twice
    _take(world, sessions[2], {p3.pk: "excused"})
    assert warned.count() == 1


def test_staff_are_warned_of_consecutive_absences(world: World) -> None:
    GraduationRule.objects.create(programme=world.batch.programme, absence_streak=2)
    UserFactory(role=Role.STAFF, email="staf@blki.example.id")
    sessions = [add_session(world, d, jp=1) for d in range(10)]
    p1 = world.people[0]
    _take(world, sessions[0], {p1.pk: "absent"})
    assert not Message.objects.filter(template="training_absence_streak").exists()
    _take(world, sessions[1], {p1.pk: "absent"})
    assert (
        Message.objects.filter(
            template="training_absence_streak", recipient="p1@example.id"
        ).count()
        == 1
    )
    staff_mail = Message.objects.get(template="training_staff_attendance_warning")
    assert staff_mail.recipient == "staf@blki.example.id" and "Peserta 1" in staff_mail.body


def test_a_dropout_has_a_reason_and_a_date_and_attendance_stops(world: World, staff: User) -> None:
    s1, s2 = add_session(world, 0), add_session(world, 3)
    _take(world, s1)
    _take(world, s2)
    p = world.people[0]
    with pytest.raises(TrainingError, match="Describe the reason"):
        participant_drop(participant=p, reason="other", on=START, note=" ", actor=staff)
    participant_drop(
        participant=p, reason="found_work", on=START + dt.timedelta(days=1), note="", actor=staff
    )
    p.refresh_from_db()
    assert (p.status, p.dropout_reason, p.dropped_on) == (
        "dropped",
        "found_work",
        dt.date(2025, 6, 17),
    )
    assert not Attendance.objects.filter(participant=p, session=s2).exists()
    _take(world, s2)
    assert Attendance.objects.filter(session=s2).count() == 2
    with pytest.raises(TrainingError, match="Only a participant in training"):
        participant_drop(participant=p, reason="moved", on=START, note="", actor=staff)


# --- assessment ---------------------------------------------------------------------------


def _row(world: World, n: int, result: str = "K", unit: int = 0, day: int = 5) -> AssessmentInput:
    return AssessmentInput(
        participant=world.people[n],
        unit=world.units[unit],
        result=result,
        assessed_on=START + dt.timedelta(days=day),
        evidence="Uji praktik",
    )


def test_an_assessment_by_someone_not_assessing_the_batch_is_refused(world: World) -> None:
    stranger = UserFactory(role=Role.ASSESSOR)
    with pytest.raises(TrainingError, match="is not an assessor of this batch"):
        assessments_record(
            batch=world.batch, rows=[_row(world, 0)], assessor=stranger, actor=stranger
        )
    assert not Assessment.objects.exists()


def test_one_bad_row_refuses_them_all(world: World) -> None:
    stranger = CompetencyUnit.objects.create(
        programme=BatchFactory().programme, code="X.9", title="Other", hours_jp=4
    )
    bad = AssessmentInput(world.people[1], stranger, "K", START)
    with pytest.raises(TrainingError, match=r"Unit X\.9 is not in this batch's programme"):
        assessments_record(
            batch=world.batch,
            rows=[_row(world, 0), bad],
            assessor=world.assessor,
            actor=world.assessor,
        )
    with pytest.raises(TrainingError, match="K \\(competent\\) or BK"):
        assessments_record(
            batch=world.batch,
            rows=[_row(world, 0, "L")],
            assessor=world.assessor,
            actor=world.assessor,
        )
    assert not Assessment.objects.exists()


def test_reassessment_keeps_the_history_and_the_latest_counts(world: World) -> None:
    a = world.assessor
    assessments_record(batch=world.batch, rows=[_row(world, 0, "BK", day=4)], assessor=a, actor=a)
    assessments_record(batch=world.batch, rows=[_row(world, 0, "K", day=9)], assessor=a, actor=a)
    assert Assessment.objects.count() == 2
    standing = batch_standings(world.batch)[0]
    assert standing.results[world.units[0].pk].result == "K"


def test_attitude_is_five_scores_from_one_to_five(world: World) -> None:
    scores = dict.fromkeys(
        ["discipline", "cooperation", "responsibility", "initiative", "safety"], 4
    )
    with pytest.raises(TrainingError, match="from 1 to 5"):
        attitude_record(
            participant=world.people[0],
            scores=scores | {"safety": 6},
            assessed_on=START,
            assessor=world.assessor,
            actor=world.assessor,
        )
    attitude_record(
        participant=world.people[0],
        scores=scores,
        assessed_on=START,
        assessor=world.assessor,
        actor=world.assessor,
    )
    assert AttitudeAssessment.objects.get().safety == 4


# --- closing ------------------------------------------------------------------------------


def _delivered(world: World) -> None:
    sessions = [add_session(world, d, jp=4) for d in range(5)]
    p3 = world.people[2]
    for s in sessions[:2]:
        _take(world, s, {p3.pk: "absent"})
    for s in sessions[2:]:
        _take(world, s)
    rows = [_row(world, n, "K", unit=u) for n in (0, 1, 2) for u in (0, 1)]
    rows[3] = _row(world, 1, "BK", unit=1)
    assessments_record(batch=world.batch, rows=rows, assessor=world.assessor, actor=world.assessor)


def test_closing_decides_graduation_with_reasons_and_locks_the_batch(
    world: World, staff: User, admin: User
) -> None:
    _delivered(world)
    assert batch_close(batch=world.batch, actor=staff) == (1, 2)
    p1, p2, p3 = (Participant.objects.get(pk=p.pk) for p in world.people)
    assert p1.status == "graduated" and p1.outcome_reasons == []
    assert p2.status == "not_graduated"
    assert p2.outcome_reasons == [{"code": "unit", "unit": world.units[1].code, "result": "BK"}]
    assert p3.outcome_reasons == [{"code": "attendance", "percent": 60.0, "threshold": 80}]
    world.batch.refresh_from_db()
    assert world.batch.state == BatchState.COMPLETED
    # Locked: staff are refused, an administrator may, and it is recorded.
    session = world.batch.sessions.first()
    assert session is not None
    with pytest.raises(TrainingError, match="only an administrator"):
        attendance_record(session=session, exceptions={}, actor=staff, now=LATER)
    with pytest.raises(TrainingError, match="only an administrator"):
        assessments_record(
            batch=world.batch,
            rows=[_row(world, 1, "K", unit=1)],
            assessor=world.assessor,
            actor=world.assessor,
        )
    BatchStaff.objects.create(batch=world.batch, user=admin, role="assessor")
    assessments_record(
        batch=world.batch, rows=[_row(world, 1, "K", unit=1)], assessor=world.assessor, actor=admin
    )
    entry = AuditEntry.objects.filter(action="assessment.record").latest("id")
    assert entry.actor == admin and entry.data["after_closing"] is True


def test_closing_is_refused_while_a_session_has_no_attendance(world: World, staff: User) -> None:
    add_session(world, 0)
    with pytest.raises(TrainingError, match="1 session has no attendance"):
        batch_close(batch=world.batch, actor=staff)
    world.batch.refresh_from_db()
    assert world.batch.state == BatchState.RUNNING
    assert set(Participant.objects.values_list("status", flat=True)) == {"active"}


def test_records_are_refused_before_training_opens(world: World) -> None:
    from vokasi.catalog.models import Batch

    Batch.objects.filter(pk=world.batch.pk).update(state=BatchState.SELECTION)
    session = add_session(world, 0)
    with pytest.raises(TrainingError, match="once training is open"):
        _take(world, session)
