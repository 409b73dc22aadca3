"""Review of issue 8: a repeated outcome, a double click, adds no second placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicantFactory, BatchFactory, GraduateFactory, ProgrammeFactory
from vokasi.catalog.models import BatchState
from vokasi.core.models import User
from vokasi.placement.models import PlacementRecord, Referral, ReferralState, Vacancy
from vokasi.placement.services import referrals_send, referrals_shortlist

pytestmark = pytest.mark.django_db


def test_recording_hired_twice_appends_one_placement(client: Client, staff: User) -> None:
    programme = ProgrammeFactory()
    batch = BatchFactory(programme=programme, state=BatchState.COMPLETED)
    grad = GraduateFactory(batch=batch, applicant=ApplicantFactory(email="a@example.org"))
    vacancy = Vacancy.objects.create(
        employer="PT Pupuk Kaltim",
        position="Welder",
        programme=programme,
        closes_on=timezone.localdate() + dt.timedelta(days=10),
    )
    referrals_shortlist(vacancy=vacancy, participants=[grad], actor=staff)
    referrals_send(vacancy=vacancy, actor=staff)
    referral = Referral.objects.get()
    client.force_login(staff)
    url = reverse("backoffice:vacancy", args=[vacancy.pk])
    post = {"action": "outcome", "referral": referral.pk, "state": ReferralState.HIRED}
    assert client.post(url, post).status_code == 302
    assert client.post(url, post).status_code == 302  # the double click
    assert PlacementRecord.objects.filter(participant=grad).count() == 1
    # A real correction still goes through.
    post["state"] = ReferralState.NOT_HIRED
    assert client.post(url, post).status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.NOT_HIRED


def test_the_graduate_page_records_who_saw_an_inmate_number(client: Client, staff: User) -> None:
    from tests.factories import PartnerFactory
    from vokasi.core.models import AuditEntry
    from vokasi.inmates.models import Inmate

    prison = PartnerFactory(kind="prison")
    batch = BatchFactory(
        state=BatchState.COMPLETED,
        venue_partner=prison,
        registration_opens=None,
        registration_closes=None,
    )
    grad = GraduateFactory(batch=batch)
    Inmate.objects.create(applicant=grad.applicant, prison=prison, number="B-9")
    free = GraduateFactory(batch=BatchFactory(state=BatchState.COMPLETED))
    client.force_login(staff)
    page = client.get(reverse("backoffice:placement_participant", args=[grad.pk]))
    assert "B-9" in page.content.decode()
    entry = AuditEntry.objects.get(action="inmate.viewed")
    assert entry.actor == staff and entry.object_id == str(grad.applicant_id)
    client.get(reverse("backoffice:placement_participant", args=[free.pk]))
    assert AuditEntry.objects.filter(action="inmate.viewed").count() == 1


def test_an_inmates_answer_by_phone_counts_its_wave_from_the_release(staff: User) -> None:
    from tests.factories import PartnerFactory
    from vokasi.inmates.models import Inmate
    from vokasi.placement.models import TracerSurvey
    from vokasi.placement.services import PlacementData, tracer_phone_answer

    prison = PartnerFactory(kind="prison")
    batch = BatchFactory(
        state=BatchState.COMPLETED,
        venue_partner=prison,
        registration_opens=None,
        registration_closes=None,
        training_starts=dt.date(2025, 5, 1),
        training_ends=dt.date(2025, 7, 30),
    )
    grad = GraduateFactory(batch=batch)
    Inmate.objects.create(
        applicant=grad.applicant, prison=prison, number="B-1", expected_release=dt.date(2025, 9, 1)
    )
    tracer_phone_answer(
        participant=grad, wave=3, data=PlacementData(outcome="not_employed"), actor=staff
    )
    # The same day the link job would have given it: three months after release.
    assert TracerSurvey.objects.get().due_on == dt.date(2025, 12, 1)
