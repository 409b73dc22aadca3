"""A training page offers only the changes its user may make: once a batch is closed (and,
for its records, before it runs) staff see read-only pages, where the services would refuse
the write; an administrator keeps the correction path, marked as audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.training.conftest import World, add_session
from vokasi.catalog.models import BatchState
from vokasi.core.models import User
from vokasi.training.models import Participant, Session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client: Client) -> None:
    """Pages in the source language (the UI default is Indonesian)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _forms(client: Client, url: str) -> list[str]:
    """The POST forms inside the page's main content (not the header's logout and
    language forms)."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    main = html[html.index('<main class="wrap" id="main">') : html.index("</main>")]
    return re.findall(r'<form method="post"[^>]*>.*?</form>', main, flags=re.S)


def _pages(world: World, session: Session) -> dict[str, str]:
    pk = world.batch.pk
    return {
        "schedule": reverse("backoffice:batch_schedule", args=[pk]),
        "session": reverse("backoffice:session_update", args=[session.pk]),
        "session_new": reverse("backoffice:batch_schedule_add", args=[pk]),
        "attendance": reverse("backoffice:session_attendance", args=[session.pk]),
        "assessment": reverse("backoffice:batch_assessment", args=[pk]),
        "attitude": reverse("backoffice:batch_attitude", args=[pk]),
        "import": reverse("backoffice:batch_assessment_import", args=[pk]),
        "staffing": reverse("backoffice:batch_staffing", args=[pk]),
        "enrol": reverse("backoffice:batch_enrol", args=[pk]),
    }


def _nominated(world: World) -> None:
    """A batch without public registration, so the enrolment page applies to it."""
    world.batch.registration_opens = world.batch.registration_closes = None
    world.batch.save()


def _close(world: World) -> None:
    world.batch.state = BatchState.COMPLETED
    world.batch.save()
    Participant.objects.filter(batch=world.batch).update(status=Participant.Status.GRADUATED)


def test_a_closed_batch_shows_staff_no_control_anywhere(
    world: World, staff: User, login: Any
) -> None:
    _nominated(world)
    session = add_session(world, 0)
    _close(world)
    client = login(staff)
    for name, url in _pages(world, session).items():
        assert _forms(client, url) == [], name
    page = client.get(_pages(world, session)["staffing"]).content.decode()
    assert "read-only" in page and "only an administrator" in page


def test_and_the_write_it_would_have_offered_is_refused(
    world: World, staff: User, login: Any
) -> None:
    _close(world)
    client = login(staff)
    client.post(
        reverse("backoffice:batch_staffing", args=[world.batch.pk]),
        {"remove": str(world.batch.staffing.first().pk)},  # type: ignore[union-attr]
    )
    assert world.batch.staffing.count() == 2


def test_an_administrator_keeps_the_correction_path_marked_as_audited(
    world: World, admin: User, login: Any
) -> None:
    _nominated(world)
    session = add_session(world, 0)
    _close(world)
    client = login(admin)
    pages = _pages(world, session)
    for name in ("session", "session_new", "attendance", "assessment", "attitude", "staffing"):
        assert _forms(client, pages[name]), name
        page = client.get(pages[name]).content.decode()
        assert 'class="msg warning correction"' in page and "audit trail" in page, name
    # A closed batch keeps its schedule and roster, even for an administrator.
    assert not any("Remove this session" in f for f in _forms(client, pages["session"]))
    assert _forms(client, pages["enrol"]) == []


def test_the_administrator_s_correction_is_taken(world: World, admin: User, login: Any) -> None:
    session = add_session(world, 0)
    _close(world)
    client = login(admin)
    response = client.post(
        reverse("backoffice:session_update", args=[session.pk]),
        {
            "date": session.date.isoformat(),
            "starts": "08:00",
            "ends": "11:00",
            "jp": "3",
            "unit": str(world.units[0].pk),
            "topic": "",
            "instructor": str(world.instructor.pk),
            "room": "Bengkel 2",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.jp == 3 and session.room == "Bengkel 2"


def test_before_training_runs_records_are_read_only_but_planning_is_open(
    world: World, staff: User, login: Any
) -> None:
    _nominated(world)
    session = add_session(world, 0)
    world.batch.state = BatchState.DRAFT
    world.batch.save()
    client = login(staff)
    pages = _pages(world, session)
    for name in ("attendance", "assessment", "attitude", "import"):
        assert _forms(client, pages[name]) == [], name
        assert "once training is open" in client.get(pages[name]).content.decode(), name
    for name in ("session", "staffing", "enrol"):
        assert _forms(client, pages[name]), name
    assert pages["session_new"] in client.get(pages["schedule"]).content.decode()


def test_a_running_batch_keeps_every_control(world: World, staff: User, login: Any) -> None:
    _nominated(world)
    session = add_session(world, 0)
    client = login(staff)
    for name, url in _pages(world, session).items():
        if name == "schedule":
            continue  # it has sessions, so no "generate"; its controls are links
        assert _forms(client, url), name
        assert "read-only" not in client.get(url).content.decode(), name


def test_the_dropout_page_of_a_closed_batch_shows_the_status_not_a_form(
    world: World, staff: User, admin: User, login: Any
) -> None:
    participant = world.people[0]
    _close(world)
    url = reverse("backoffice:participant_dropout", args=[participant.pk])
    assert _forms(login(staff), url) == []
    # Nor for an administrator: only a participant in training can drop out.
    assert _forms(login(admin), url) == []
    assert "Only a participant in training can drop out." in login(admin).get(url).content.decode()


def test_a_running_batch_s_dropout_page_has_its_form(world: World, staff: User, login: Any) -> None:
    url = reverse("backoffice:participant_dropout", args=[world.people[0].pk])
    assert len(_forms(login(staff), url)) == 1


def test_an_instructor_sees_a_closed_session_s_marks_without_inputs(
    world: World, login: Any
) -> None:
    session = add_session(world, 0)
    client = login(world.instructor)
    client.post(
        reverse("backoffice:session_attendance", args=[session.pk]),
        {f"p-{world.people[1].pk}": "absent"},
    )
    _close(world)
    url = reverse("backoffice:session_attendance", args=[session.pk])
    assert _forms(client, url) == []
    page = client.get(url).content.decode()
    assert "Peserta 2" in page and "Absent" in page


def test_a_closed_schedule_lists_sessions_without_edit_links(
    world: World, staff: User, login: Any
) -> None:
    session = add_session(world, 0)
    _close(world)
    page = login(staff).get(reverse("backoffice:batch_schedule", args=[world.batch.pk]))
    html = page.content.decode()
    assert reverse("backoffice:session_update", args=[session.pk]) not in html
    assert reverse("backoffice:batch_schedule_add", args=[world.batch.pk]) not in html
