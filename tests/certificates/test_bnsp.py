"""BNSP certification: LSPs, schemes, tests, results per unit, certificates and reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from vokasi.catalog.models import Batch
from vokasi.certificates.models import Candidate, CandidateResult, CompetencyTest
from vokasi.certificates.services import (
    CertificateError,
    add_years,
    candidate_record_certificate,
    candidate_record_results,
    candidates_add,
    competency_test_create,
    expiry_reminders_send,
    lsp_create,
    scheme_create,
)
from vokasi.core.masking import mask_nik
from vokasi.core.models import AuditEntry, User
from vokasi.notifications.models import Message
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def test(batch: Batch, staff: User) -> CompetencyTest:
    lsp = lsp_create(
        name="LSP Las Kaltim", licence_number="BNSP-LSP-1187-ID", kind="P3", actor=staff
    )
    scheme = scheme_create(
        body=lsp, name="Juru Las SMAW 3G", programme=batch.programme, actor=staff
    )
    return competency_test_create(
        scheme=scheme,
        test_site="TUK Sewaktu BLKI Bontang",
        held_on=dt.date(2025, 8, 13),
        assessors="Hendra Saputra (MET.000.004512 2019)",
        actor=staff,
    )


@pytest.fixture
def candidate(test: CompetencyTest, batch: Batch) -> Candidate:
    graduate = Participant.objects.filter(batch=batch, status="graduated").first()
    assert graduate is not None
    candidates_add(test=test, participants=[graduate], actor=None)
    return Candidate.objects.get(test=test)


def test_bad_lsp_and_scheme_input_is_refused_with_a_message(staff: User) -> None:
    with pytest.raises(CertificateError, match="P1, P2 or P3"):
        lsp_create(name="LSP X", licence_number="1", kind="P4", actor=staff)
    lsp = lsp_create(name="LSP X", licence_number="1", kind="P1", actor=staff)
    with pytest.raises(CertificateError, match="exists"):
        lsp_create(name="lsp x", licence_number="2", kind="P1", actor=staff)
    with pytest.raises(CertificateError, match="between 1 and 10"):
        scheme_create(body=lsp, name="S", programme=None, validity_years=0, actor=staff)


def test_the_scheme_takes_the_programmes_units_and_validity_defaults_to_3(
    test: CompetencyTest, batch: Batch
) -> None:
    assert test.scheme.validity_years == 3
    assert set(test.scheme.units.all()) == set(batch.programme.units.all())


def test_only_graduates_become_candidates(test: CompetencyTest, batch: Batch) -> None:
    dropped = Participant.objects.get(batch=batch, status="dropped")
    with pytest.raises(CertificateError, match="not a graduate"):
        candidates_add(test=test, participants=[dropped], actor=None)
    graduates = list(Participant.objects.filter(batch=batch, status="graduated"))
    assert candidates_add(test=test, participants=graduates, actor=None) == 3
    assert candidates_add(test=test, participants=graduates, actor=None) == 0


def test_the_overall_result_follows_the_units(candidate: Candidate) -> None:
    first, second = candidate.test.scheme.units.order_by("order")
    candidate_record_results(candidate=candidate, results={first.pk: "K"}, actor=None)
    assert candidate.result == CandidateResult.PENDING
    candidate_record_results(candidate=candidate, results={second.pk: "BK"}, actor=None)
    assert candidate.result == CandidateResult.NOT_YET
    candidate_record_results(candidate=candidate, results={second.pk: "K"}, actor=None)
    assert candidate.result == CandidateResult.COMPETENT
    with pytest.raises(CertificateError, match="K or BK"):
        candidate_record_results(candidate=candidate, results={first.pk: "X"}, actor=None)


def test_the_certificate_is_for_the_competent_and_expires_with_the_scheme(
    candidate: Candidate,
) -> None:
    with pytest.raises(CertificateError, match="competent"):
        candidate_record_certificate(
            candidate=candidate,
            certificate_number="25250001",
            registration_number="LAS.1187.00001.2025",
            issued_on=dt.date(2025, 11, 13),
            actor=None,
        )
    units = candidate.test.scheme.units.all()
    candidate_record_results(candidate=candidate, results={u.pk: "K" for u in units}, actor=None)
    candidate_record_certificate(
        candidate=candidate,
        certificate_number="25250001",
        registration_number="LAS.1187.00001.2025",
        issued_on=dt.date(2025, 11, 13),
        actor=None,
    )
    assert candidate.expires_on == dt.date(2028, 11, 13)
    assert AuditEntry.objects.filter(action="candidate.certificate").count() == 1
    assert add_years(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)


def _certified(candidate: Candidate, issued_on: dt.date) -> None:
    units = candidate.test.scheme.units.all()
    candidate_record_results(candidate=candidate, results={u.pk: "K" for u in units}, actor=None)
    candidate_record_certificate(
        candidate=candidate,
        certificate_number="25250001",
        registration_number="LAS.1187.00001.2025",
        issued_on=issued_on,
        actor=None,
    )


def test_expiry_reminders_go_out_once_at_90_and_once_at_30_days(candidate: Candidate) -> None:
    candidate.participant.applicant.phone = "081253451234"
    candidate.participant.applicant.save()
    _certified(candidate, dt.date(2025, 11, 13))
    expires = dt.date(2028, 11, 13)
    assert expiry_reminders_send(today=expires - dt.timedelta(days=91)) == 0
    assert expiry_reminders_send(today=expires - dt.timedelta(days=90)) == 1
    assert expiry_reminders_send(today=expires - dt.timedelta(days=89)) == 0
    assert expiry_reminders_send(today=expires - dt.timedelta(days=30)) == 1
    assert expiry_reminders_send(today=expires - dt.timedelta(days=10)) == 0
    assert expiry_reminders_send(today=expires + dt.timedelta(days=1)) == 0
    messages = Message.objects.order_by("id")
    assert messages.count() == 2
    assert "25250001" in messages[0].body


def test_the_reminder_command_runs_and_refuses_a_bad_date(
    candidate: Candidate, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate.participant.applicant.email = "peserta@example.com"
    candidate.participant.applicant.save()
    _certified(candidate, dt.date(2025, 11, 13))
    call_command("certificates_remind_expiry", "--today", "2028-10-01")
    assert "1 reminders queued" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("certificates_remind_expiry", "--today", "kemarin")


def test_the_apl01_export_lists_the_candidates_and_is_audited(
    candidate: Candidate, client: Client, staff: User
) -> None:
    client.force_login(staff)
    response = client.get(reverse("backoffice:bnsp_test_export", args=[candidate.test_id]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    row = [cell.value for cell in sheet[5]]
    applicant = candidate.participant.applicant
    assert row[1] == applicant.full_name and row[2] == applicant.nik
    assert AuditEntry.objects.filter(action="competency_test.export").count() == 1
    # Without the personal-data permission the NIK is masked.
    from vokasi.certificates.bnsp_export import candidates_xlsx

    masked = load_workbook(io.BytesIO(candidates_xlsx(candidate.test, whole_nik=False))).active
    assert masked is not None and masked["C5"].value == mask_nik(applicant.nik)


def test_the_test_page_saves_results_and_rejects_bad_input(
    candidate: Candidate, client: Client, staff: User
) -> None:
    client.force_login(staff)
    url = reverse("backoffice:bnsp_test", args=[candidate.test_id])
    units = list(candidate.test.scheme.units.all())
    data = {"action": "results", "candidate": candidate.pk} | {f"unit-{u.pk}": "K" for u in units}
    assert client.post(url, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.result == CandidateResult.COMPETENT
    for bad in (
        {"action": "certificate", "candidate": candidate.pk, "issued_on": "besok"},
        {"action": "add"},
        {"action": "results", "candidate": "x"},
    ):
        assert client.post(url, bad, follow=True).status_code in (200, 404)
    assert client.get(url).status_code == 200
    tests_url = reverse("backoffice:bnsp_tests")
    assert client.post(tests_url, {"scheme": "abc", "held_on": "x"}, follow=True).status_code == 200
    bodies = reverse("backoffice:bnsp_bodies")
    assert client.post(bodies, {"action": "scheme", "body": "999"}, follow=True).status_code == 200
