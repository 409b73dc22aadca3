"""Simultaneous attendance for one session (two instructors' phones, a double tap): one set
of marks, each warning once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.training.conftest import add_session, make_world
from tests.training.test_delivery import LATER
from vokasi.core.roles import Role
from vokasi.notifications.models import Message
from vokasi.training.models import Attendance
from vokasi.training.services import attendance_record


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attendance_gives_one_set_of_marks_and_one_warning() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; this needs PostgreSQL's concurrent transactions")
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    world = make_world(
        UserFactory(username="guru-race", role=Role.INSTRUCTOR),
        UserFactory(username="asesor-race", role=Role.ASSESSOR),
    )
    sessions = [add_session(world, d) for d in range(3)]
    p3 = world.people[2]
    attendance_record(
        session=sessions[0], exceptions={p3.pk: "absent"}, actor=world.instructor, now=LATER
    )
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def mark(status: str) -> None:
        try:
            barrier.wait()
            attendance_record(
                session=sessions[1],
                exceptions={p3.pk: status},
                actor=world.instructor,
                now=LATER,
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark, args=(s,)) for s in ["absent", "excused"] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Attendance.objects.filter(session=sessions[1]).count() == 3
    # 12 JP scheduled, 4 missed, 4 more missed: 4 of 12 reachable, below 80 %: warned once.
    assert Message.objects.filter(template="training_attendance_at_risk").count() == 1
