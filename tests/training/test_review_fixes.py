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
