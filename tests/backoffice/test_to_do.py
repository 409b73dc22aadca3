"""The overview lists what waits for the member of staff, each with its link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicantFactory, BatchFactory, GraduateFactory, ParticipantFactory
from vokasi.catalog.models import BatchState, CompetencyUnit, Intake
from vokasi.core.models import User
from vokasi.intake.models import Application
from vokasi.notifications.models import Message
from vokasi.training.models import Session

pytestmark = pytest.mark.django_db


def _world() -> dict[str, Any]:
    from tests.factories import CentreFactory

    today = timezone.localdate()
    intake = Intake.objects.create(centre=CentreFactory(), name="Gelombang I", code="G1")
    Application.objects.create(
        applicant=ApplicantFactory(), intake=intake, number="G1-000001", consent_at=timezone.now()
    )
    selecting = BatchFactory(intake=intake, state=BatchState.SELECTION, code="LAS-SEL")
    running = BatchFactory(
        state=BatchState.RUNNING,
        code="OTO-RUN",
        training_starts=today - dt.timedelta(days=10),
        training_ends=today + dt.timedelta(days=10),
    )
    ParticipantFactory(batch=running)
    unit = CompetencyUnit.objects.create(
        programme=running.programme, order=1, code="U1", title="Unit", hours_jp=8
    )
    for day in (-3, -2, 2):  # two past sessions without attendance, one still to come
        Session.objects.create(
            batch=running,
            date=today + dt.timedelta(days=day),
            starts=dt.time(8),
            ends=dt.time(11),
            jp=4,
            unit=unit,
        )
    GraduateFactory()
    Message.objects.create(
        channel="email",
        recipient="a@example.org",
        language="id",
        template="application_submitted",
        subject="s",
        body="b",
        state="failed",
        next_attempt_at=timezone.now(),
        idempotency_key="x",
    )
    return {"selecting": selecting, "running": running}


def test_staff_see_what_waits_with_links(client: Client, staff: User) -> None:
    world = _world()
    client.force_login(staff)
    html = client.get(reverse("backoffice:home")).content.decode()
    box = html[html.index('id="to-do"') : html.index("</section>", html.index('id="to-do"'))]
    assert "1 pendaftaran menunggu verifikasi" in box
    assert reverse("backoffice:applications") in box
    assert "1 paket dalam seleksi belum memiliki tahap seleksi" in box
    assert "OTO-RUN: presensi 2 sesi yang sudah lewat belum dicatat" in box
    assert reverse("backoffice:batch_schedule", args=[world["running"].pk]) in box
    assert "1 lulusan belum memiliki sertifikat pelatihan" in box
    assert "1 pesan tidak dapat terkirim" in box


def test_an_instructor_and_a_quiet_day_show_no_list(
    client: Client, staff: User, instructor: User
) -> None:
    client.force_login(staff)
    assert 'id="to-do"' not in client.get(reverse("backoffice:home")).content.decode()
    _world()
    client.force_login(instructor)
    assert 'id="to-do"' not in client.get(reverse("backoffice:home")).content.decode()
