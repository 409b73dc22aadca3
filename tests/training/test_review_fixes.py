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
