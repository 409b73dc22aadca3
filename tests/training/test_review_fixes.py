"""Defects found in review, each pinned by a test that failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.training.conftest import World, add_session
from vokasi.notifications.models import Message
from vokasi.training.models import GraduationRule, Session
from vokasi.training.services import attendance_record

pytestmark = pytest.mark.django_db

LATER = timezone.make_aware(dt.datetime(2025, 8, 1, 12, 0))


def _take(world: World, session: Session, exceptions: dict[int, str] | None = None) -> int:
    return attendance_record(
        session=session, exceptions=exceptions or {}, actor=world.instructor, now=LATER
    )


def test_correcting_an_earlier_session_does_not_repeat_the_absence_warning(world: World) -> None:
    """Absent three times running: one warning. Re-saving the first of those sessions (a
    correction that changes nothing) is the same run of absences, not a new one."""
    GraduationRule.objects.create(programme=world.batch.programme, absence_streak=3)
    sessions = [add_session(world, d, jp=1) for d in range(4)]
    p1 = world.people[0]
    for session in sessions[:3]:
        _take(world, session, {p1.pk: "absent"})
    warned = Message.objects.filter(template="training_absence_streak")
    assert warned.count() == 1
    _take(world, sessions[0], {p1.pk: "absent"})
    _take(world, sessions[1], {p1.pk: "absent"})
    assert warned.count() == 1


def test_attendance_for_a_session_removed_meanwhile_is_refused_with_a_reason(
    world: World,
) -> None:
    """Staff remove a session while the instructor's page is open: saving its attendance
    says so (before: DatabaseError from saving a row that no longer exists, a 500)."""
    from vokasi.training.models import Attendance
    from vokasi.training.services import TrainingError

    session = add_session(world, 0)
    Session.objects.filter(pk=session.pk).delete()
    with pytest.raises(TrainingError, match="removed"):
        _take(world, session, {world.people[0].pk: "absent"})
    assert not Attendance.objects.exists()


def _broken_xlsx(part: str) -> bytes:
    """A real workbook with one of its XML parts garbled (a bad export from another
    program) or, for "truncated", its sheet cut in half after good rows."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIK", "Unit code", "Result", "Date", "Nomor pendaftaran", "Nilai"])
    for _ in range(50):
        sheet.append(["6474011203980001", "C.29LAS00.001.1", "K", "2025-06-20", "X", 1])
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if part == "truncated" and name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            elif name == part:
                data = b"<worksheet><<"
            target.writestr(name, data)
    return broken.getvalue()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "truncated"])
def test_a_garbled_workbook_is_refused_with_the_reason(
    world: World, login: object, part: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = login(world.assessor)  # type: ignore[operator]
    url = reverse("backoffice:batch_assessment_import", args=[world.batch.pk])
    upload = SimpleUploadedFile("hasil.xlsx", _broken_xlsx(part))
    response = client.post(url, {"file": upload, "action": "check"})
    assert response.status_code == 200
    assert "xlsx" in response.content.decode()


def test_an_instructor_of_another_batch_gets_no_attendance_sheet(
    world: World, login: object
) -> None:
    """The sheet lists the session's roster: like the attendance page itself, it is for
    the batch's own instructors and the training staff."""
    from django.urls import reverse

    from tests.training.conftest import Role, other_user

    session = add_session(world, 0)
    url = reverse("backoffice:session_sheet", args=[session.pk])
    outsider = login(other_user(Role.INSTRUCTOR))  # type: ignore[operator]
    assert outsider.get(url).status_code == 403
    assert (
        outsider.get(reverse("backoffice:session_attendance", args=[session.pk])).status_code == 403
    )
    assert login(world.instructor).get(url).status_code == 200  # type: ignore[operator]


def test_a_correction_after_closing_updates_the_graduation_outcome(
    world: World, staff: object, admin: object
) -> None:
    """An administrator corrects a mistyped BK after closing: the participant's outcome
    follows the corrected record (and the change is on the audit trail), rather than
    staying "not graduated" for a reason that no longer holds."""
    from vokasi.core.models import AuditEntry
    from vokasi.training.models import Participant
    from vokasi.training.services import AssessmentInput, assessments_record, batch_close

    sessions = [add_session(world, d, jp=4) for d in range(5)]
    p1, p2, p3 = world.people
    for s in sessions:
        _take(world, s, {p3.pk: "absent"} if s in sessions[:2] else {})
    on = world.batch.training_starts

    def row(p: object, unit: int, result: str) -> AssessmentInput:
        return AssessmentInput(participant=p, unit=world.units[unit], result=result, assessed_on=on)  # type: ignore[arg-type]

    rows = [row(p, u, "K") for p in (p1, p2, p3) for u in (0, 1)]
    rows[3] = row(p2, 1, "BK")
    assessments_record(batch=world.batch, rows=rows, assessor=world.assessor, actor=world.assessor)
    assert batch_close(batch=world.batch, actor=staff) == (1, 2)  # type: ignore[arg-type]
    assessments_record(
        batch=world.batch,
        rows=[row(p2, 1, "K")],
        assessor=world.assessor,
        actor=admin,  # type: ignore[arg-type]
    )
    p2.refresh_from_db()
    assert p2.status == Participant.Status.GRADUATED and p2.outcome_reasons == []
    entry = AuditEntry.objects.filter(action="participant.regrade").get()
    assert entry.data["status"] == "graduated"
    # Attendance corrected after closing: p3 was present after all on the first session.
    _take_as(admin, sessions[0], {})
    p3.refresh_from_db()
    assert p3.status == Participant.Status.GRADUATED  # 16 of 20 JP: 80 %
    p1.refresh_from_db()
    assert p1.status == Participant.Status.GRADUATED


def _take_as(actor: object, session: Session, exceptions: dict[int, str]) -> int:
    return attendance_record(session=session, exceptions=exceptions, actor=actor, now=LATER)  # type: ignore[arg-type]


def test_a_schedule_correction_after_closing_updates_the_outcome(
    world: World, staff: object, admin: object
) -> None:
    from vokasi.training.models import Participant
    from vokasi.training.services import (
        AssessmentInput,
        assessments_record,
        batch_close,
        session_save,
    )

    sessions = [add_session(world, d, jp=4) for d in range(5)]
    p3 = world.people[2]
    for s in sessions:
        _take(world, s, {p3.pk: "absent"} if s in sessions[:2] else {})
    rows = [
        AssessmentInput(participant=p, unit=u, result="K", assessed_on=world.batch.training_starts)
        for p in world.people
        for u in world.units
    ]
    assessments_record(batch=world.batch, rows=rows, assessor=world.assessor, actor=world.assessor)
    batch_close(batch=world.batch, actor=staff)  # type: ignore[arg-type]
    p3.refresh_from_db()
    assert p3.status == Participant.Status.NOT_GRADUATED  # 12 of 20 JP
    for s in sessions[:2]:  # the two sessions p3 missed were one JP each, not four
        s.refresh_from_db()
        s.jp = 1
        s.ends = dt.time(8, 45)
        session_save(session=s, actor=admin)  # type: ignore[arg-type]
    p3.refresh_from_db()
    assert p3.status == Participant.Status.GRADUATED  # 12 of 14 JP


def test_a_session_cannot_be_added_to_a_batch_closed_meanwhile(world: World, staff: object) -> None:
    """The session form was opened while the batch ran; another member of staff closed it
    before this one saved. The state is read under the batch lock, not from the page."""
    from vokasi.catalog.models import Batch, BatchState
    from vokasi.training.services import TrainingError, session_save

    stale = Batch.objects.get(pk=world.batch.pk)
    Batch.objects.filter(pk=world.batch.pk).update(state=BatchState.COMPLETED)
    session = Session(
        batch=stale,
        date=world.batch.training_starts,
        starts=dt.time(8),
        ends=dt.time(11),
        jp=4,
        topic="K3",
    )
    with pytest.raises(TrainingError, match="closed"):
        session_save(session=session, actor=staff)  # type: ignore[arg-type]
    assert not Session.objects.exists()


def test_a_batch_without_a_schedule_cannot_be_closed(world: World, staff: object) -> None:
    """With no session there is no attendance to judge: the rule would count 0 of 0 JP as
    100 % and graduate everyone whose units are competent. Closing asks for the schedule."""
    from vokasi.catalog.models import BatchState
    from vokasi.training.models import Participant
    from vokasi.training.services import TrainingError, batch_close

    with pytest.raises(TrainingError, match="no schedule"):
        batch_close(batch=world.batch, actor=staff)  # type: ignore[arg-type]
    world.batch.refresh_from_db()
    assert world.batch.state == BatchState.RUNNING
    assert set(Participant.objects.values_list("status", flat=True)) == {"active"}
