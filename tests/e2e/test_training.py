"""An instructor marks a session on a phone; an assessor records results; staff close the
batch and see who graduated and why not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import screenshot
from tests.factories import ApplicantFactory, BatchFactory, ParticipantFactory, UserFactory
from vokasi.catalog.models import BatchState, CompetencyUnit
from vokasi.core.roles import Role
from vokasi.training.models import Assessment, Attendance, BatchStaff, Participant, Session

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Rahmat Hidayat", "Siti Nurhaliza", "Andi Baso", "Yohana Pasulu", "Muh. Fadli"]


@pytest.fixture
def running(transactional_db: None) -> dict[str, Any]:
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    today = timezone.localdate()
    batch = BatchFactory(
        code="LAS-E2E-1",
        name="Pengelasan SMAW 3G Angkatan E2E",
        state=BatchState.RUNNING,
        registration_opens=today - dt.timedelta(days=60),
        registration_closes=today - dt.timedelta(days=30),
        training_starts=today - dt.timedelta(days=7),
        training_ends=today + dt.timedelta(days=30),
    )
    unit = CompetencyUnit.objects.create(
        programme=batch.programme,
        order=1,
        code="C.24LAS01.011.1",
        title="Mengelas pelat posisi 3G",
        hours_jp=4,
    )
    instructor = UserFactory(username="guru", role=Role.INSTRUCTOR, full_name="Bambang S.")
    assessor = UserFactory(username="penguji", role=Role.ASSESSOR, full_name="Ir. Syamsul B.")
    UserFactory(username="petugas", role=Role.STAFF, full_name="Andi M. Ikhsan")
    BatchStaff.objects.create(batch=batch, user=instructor, role="instructor")
    BatchStaff.objects.create(batch=batch, user=assessor, role="assessor")
    people = [
        ParticipantFactory(
            batch=batch,
            number=n,
            applicant=ApplicantFactory(nik=f"64740112039800{n:02d}", full_name=name),
        )
        for n, name in enumerate(NAMES, start=1)
    ]
    session = Session.objects.create(
        batch=batch,
        date=today - dt.timedelta(days=1),
        starts=dt.time(8),
        ends=dt.time(11),
        jp=4,
        unit=unit,
        instructor=instructor,
        room="Bengkel Las 1",
    )
    return {"batch": batch, "unit": unit, "people": people, "session": session}


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw")
    page.locator(".login-box button[type=submit]").click()
    # Staff land on the overview, instructors on their sessions, assessors on their batches.
    page.wait_for_url("**/backoffice/**")


def test_instructor_assessor_and_staff_deliver_a_batch(
    running: dict[str, Any], live_server: Any, phone: Any, desktop: Any
) -> None:
    people, session = running["people"], running["session"]
    # An instructor on a phone: everyone present by default, two taps, one save.
    _login(phone, live_server.url, "guru")
    phone.goto(live_server.url + "/backoffice/sesi-saya/?all=1")
    phone.locator(f"a[href='/backoffice/sesi/{session.pk}/presensi/']").click()
    phone.locator(f"label[for=p{people[1].pk}-absent]").click()
    phone.locator(f"label[for=p{people[2].pk}-late]").click()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone, "training-attendance-phone")
    phone.locator("form.attendance button[type=submit]").click()
    phone.wait_for_selector(".msg.success")
    marks = dict(Attendance.objects.values_list("participant__number", "status"))
    assert marks == {1: "present", 2: "absent", 3: "late", 4: "present", 5: "present"}

    # The assessor records the unit for everyone, one not yet competent.
    _login(desktop, live_server.url, "penguji")
    batch = running["batch"]
    desktop.goto(live_server.url + f"/backoffice/paket/{batch.pk}/asesmen/")
    for p in people:
        result = "BK" if p.number == 4 else "K"
        desktop.locator(f"label[for=r{p.pk}-{result}]").click()
    desktop.locator(f"input[name=e-{people[0].pk}]").fill("Uji praktik pelat 3G, lulus visual")
    screenshot(desktop, "training-assessment")
    desktop.locator("button.block[type=submit]").click()
    desktop.wait_for_selector(".msg.success")
    assert Assessment.objects.filter(assessor__username="penguji").count() == 5
    desktop.context.clear_cookies()

    # Staff close the batch and see who graduated and why not.
    _login(desktop, live_server.url, "petugas")
    desktop.goto(live_server.url + f"/backoffice/paket/{batch.pk}/")
    closing = desktop.locator("details.confirm:has(input[value=completed])")
    closing.locator("summary").click()
    closing.locator("button[type=submit]").click()
    desktop.wait_for_selector(".msg.success")
    desktop.goto(live_server.url + f"/backoffice/paket/{batch.pk}/pelatihan/")
    statuses = dict(Participant.objects.values_list("number", "status"))
    assert statuses == {
        1: "graduated",
        2: "not_graduated",
        3: "graduated",
        4: "not_graduated",
        5: "graduated",
    }
    row2 = desktop.locator(f"tr#p{people[1].pk}").inner_text()
    row4 = desktop.locator(f"tr#p{people[3].pk}").inner_text()
    assert "0,0" in row2 and "C.24LAS01.011.1" in row4
    screenshot(desktop, "training-closed")


def test_a_closed_batch_reads_as_closed_to_staff_and_as_a_correction_to_an_admin(
    running: dict[str, Any], live_server: Any, phone: Any, desktop: Any
) -> None:
    batch = running["batch"]
    batch.state = BatchState.COMPLETED
    batch.save()
    Participant.objects.filter(batch=batch).update(status=Participant.Status.GRADUATED)
    Participant.objects.filter(batch=batch, number=5).update(
        status=Participant.Status.DROPPED,
        dropout_reason="found_work",
        dropped_on=batch.training_starts,
    )
    UserFactory(username="adm", role=Role.ADMIN, full_name="Admin BLKI")
    UserFactory(username="pemkot", role=Role.VIEWER, full_name="Bappeda Bontang")
    base = live_server.url + f"/backoffice/paket/{batch.pk}"

    # Staff: the pages a closed batch keeps, with nothing to press.
    for page, name in ((desktop, "desktop"), (phone, "phone")):
        _login(page, live_server.url, "petugas")
        for path in ("sikap", "asesmen", "staf"):
            page.goto(f"{base}/{path}/")
            assert page.locator("main form[method=post]").count() == 0, path
            assert page.locator(".msg.read-only").count() == 1, path
            assert page.evaluate("document.documentElement.scrollWidth") <= (
                360 if name == "phone" else 1280
            )
        page.goto(f"{base}/sikap/")
        screenshot(page, f"training-closed-attitude-{name}")
        page.goto(f"{base}/")
        screenshot(page, f"batch-detail-staff-{name}")
        page.context.clear_cookies()

    # An administrator: the same pages with their controls, marked as audited corrections.
    _login(desktop, live_server.url, "adm")
    desktop.goto(f"{base}/sikap/")
    assert desktop.locator(".msg.correction").count() == 1
    assert desktop.locator("main form[method=post]").count() == 4  # one per participant
    screenshot(desktop, "training-closed-attitude-admin")
    desktop.context.clear_cookies()

    # A viewer: the batch without the training links that would be refused.
    _login(phone, live_server.url, "pemkot")
    phone.goto(f"{base}/")
    assert phone.locator(".training-links").count() == 0
    screenshot(phone, "batch-detail-viewer-phone")
