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
    # ... and the graduate is no longer shown as working there.
    current = PlacementRecord.objects.filter(participant=grad).first()
    assert current is not None and current.outcome == "not_employed"
    assert "PT Pupuk Kaltim" in current.note


def test_a_withdrawn_hire_restores_what_was_known_before_unless_something_newer_is_known(
    staff: User,
) -> None:
    from vokasi.placement.services import PlacementData, placement_record, referral_outcome

    programme = ProgrammeFactory()
    grads = [
        GraduateFactory(
            batch=BatchFactory(programme=programme, state=BatchState.COMPLETED),
            applicant=ApplicantFactory(email=f"g{n}@example.org"),
        )
        for n in range(2)
    ]
    for grad in grads:
        placement_record(
            participant=grad,
            data=PlacementData(outcome="self_employed", business="Bengkel las", place="Bontang"),
            source="staff",
            actor=staff,
        )
    vacancy = Vacancy.objects.create(
        employer="PT Badak NGL",
        position="Welder",
        programme=programme,
        closes_on=timezone.localdate() + dt.timedelta(days=10),
    )
    referrals_shortlist(vacancy=vacancy, participants=grads, actor=staff)
    referrals_send(vacancy=vacancy, actor=staff)
    first, second = (Referral.objects.get(participant=g) for g in grads)
    for referral in (first, second):
        referral_outcome(referral=referral, state=ReferralState.HIRED, actor=staff)
    # The second graduate's tracer answer came in after the hire: it stands.
    placement_record(
        participant=grads[1],
        data=PlacementData(outcome="employed", employer="PT Badak NGL", wage_band="5to8"),
        source="tracer",
        actor=None,
    )
    for referral in (first, second):
        referral_outcome(referral=referral, state=ReferralState.DECLINED, actor=staff)
    restored = PlacementRecord.objects.filter(participant=grads[0]).first()
    assert restored is not None
    assert (restored.outcome, restored.business, restored.place) == (
        "self_employed",
        "Bengkel las",
        "Bontang",
    )
    assert restored.referral == first and "PT Badak NGL" in restored.note
    kept = PlacementRecord.objects.filter(participant=grads[1]).first()
    assert kept is not None and (kept.outcome, kept.source) == ("employed", "tracer")
    assert PlacementRecord.objects.filter(participant=grads[1]).count() == 3


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


FORMULA = '=HYPERLINK("http://contoh.invalid/x","Klik")'


def _formula_cells(content: bytes) -> list[str]:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_text_typed_by_the_public_is_never_a_formula_in_an_export(
    client: Client, staff: User
) -> None:
    """A graduate answering the tracer link (no login) types the employer; registrants type
    their address: an export must show that text, not run it as an Excel formula."""
    from vokasi.placement.services import PlacementData, placement_record

    grad = GraduateFactory(applicant=ApplicantFactory(full_name="+Budi", address=FORMULA))
    placement_record(
        participant=grad,
        data=PlacementData(outcome="employed", employer=FORMULA),
        source="tracer",
        actor=None,
    )
    client.force_login(staff)
    response = client.get(reverse("backoffice:placements_export"))
    assert response.status_code == 200
    assert _formula_cells(response.content) == []


def test_the_apl01_and_nomination_exports_hold_no_formulas(client: Client, staff: User) -> None:
    from tests.factories import PrisonBatchFactory
    from vokasi.certificates.models import (
        Candidate,
        CertificationBody,
        CertificationScheme,
        CompetencyTest,
    )
    from vokasi.inmates.models import Nomination

    grad = GraduateFactory(applicant=ApplicantFactory(address=FORMULA, full_name="=1+1"))
    body = CertificationBody.objects.create(name="LSP", licence_number="1", kind="P1")
    scheme = CertificationScheme.objects.create(body=body, name="S")
    test = CompetencyTest.objects.create(
        body=body, scheme=scheme, test_site=FORMULA, held_on=dt.date(2025, 8, 1)
    )
    Candidate.objects.create(test=test, participant=grad)
    prison_batch = PrisonBatchFactory()
    Nomination.objects.create(
        batch=prison_batch,
        applicant=ApplicantFactory(full_name=FORMULA),
        prison=prison_batch.venue_partner,
    )
    client.force_login(staff)
    for url in (
        reverse("backoffice:bnsp_test_export", args=[test.pk]),
        reverse("backoffice:inmate_export", args=[prison_batch.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _formula_cells(response.content) == [], url


def test_an_inmates_tracer_message_and_page_do_not_name_the_prison_batch(client: Client) -> None:
    """The link goes to a phone a family may share: it names the programme, not the class
    held inside the Lapas."""
    import re

    from tests.factories import PartnerFactory
    from vokasi.inmates.models import Inmate
    from vokasi.notifications.models import Message
    from vokasi.placement.services import tracer_send_due

    prison = PartnerFactory(kind="prison")
    batch = BatchFactory(
        name="Pengelasan SMAW Warga Binaan Lapas Bontang 2025",
        state=BatchState.COMPLETED,
        venue_partner=prison,
        registration_opens=None,
        registration_closes=None,
        training_starts=dt.date(2025, 5, 1),
        training_ends=dt.date(2025, 7, 30),
    )
    grad = GraduateFactory(batch=batch, applicant=ApplicantFactory(phone="081234567890"))
    Inmate.objects.create(
        applicant=grad.applicant, prison=prison, number="B-1", expected_release=dt.date(2025, 8, 1)
    )
    assert tracer_send_due(today=dt.date(2025, 11, 1)).sent == 1
    body = Message.objects.get().body
    assert "Lapas" not in body and batch.programme.name in body
    match = re.search(r"/tracer/([A-Za-z0-9_-]+)/", body)
    assert match
    page = client.get(reverse("tracer:answer", args=[match.group(1)])).content.decode()
    assert "Lapas" not in page and batch.programme.name in page


def test_two_hires_taken_back_in_any_order_end_where_the_graduate_started(staff: User) -> None:
    from vokasi.placement.services import PlacementData, placement_record, referral_outcome

    programme = ProgrammeFactory()
    grad = GraduateFactory(
        batch=BatchFactory(programme=programme, state=BatchState.COMPLETED),
        applicant=ApplicantFactory(email="g@example.org"),
    )
    placement_record(
        participant=grad,
        data=PlacementData(outcome="study", place="Politeknik Negeri Samarinda"),
        source="staff",
        actor=staff,
    )
    referrals = []
    for employer in ("PT Pupuk Kaltim", "PT Badak NGL"):
        vacancy = Vacancy.objects.create(
            employer=employer,
            position="Welder",
            programme=programme,
            closes_on=timezone.localdate() + dt.timedelta(days=10),
        )
        referrals_shortlist(vacancy=vacancy, participants=[grad], actor=staff)
        referrals_send(vacancy=vacancy, actor=staff)
        referral = Referral.objects.get(vacancy=vacancy)
        referral_outcome(referral=referral, state=ReferralState.HIRED, actor=staff)
        referrals.append(referral)

    def current() -> PlacementRecord:
        record = PlacementRecord.objects.filter(participant=grad).first()
        assert record is not None
        return record

    assert current().employer == "PT Badak NGL"
    referral_outcome(referral=referrals[1], state=ReferralState.NOT_HIRED, actor=staff)
    assert (current().outcome, current().employer) == ("employed", "PT Pupuk Kaltim")
    referral_outcome(referral=referrals[0], state=ReferralState.NOT_HIRED, actor=staff)
    assert (current().outcome, current().place) == ("study", "Politeknik Negeri Samarinda")
