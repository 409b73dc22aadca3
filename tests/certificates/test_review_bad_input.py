"""Forged or careless input on the BNSP pages gets a message, never a 500, and nothing
half written (review of issue 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BatchFactory, ParticipantFactory
from vokasi.catalog.models import Batch, BatchState
from vokasi.certificates.models import (
    Candidate,
    CertificationBody,
    CertificationScheme,
    CompetencyTest,
)
from vokasi.certificates.services import (
    candidate_record_results,
    candidates_add,
    competency_test_create,
    lsp_create,
    scheme_create,
)
from vokasi.core.models import User
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def test(batch: Batch, staff: User) -> CompetencyTest:
    lsp = lsp_create(name="LSP Las Kaltim", licence_number="BNSP-LSP-1", kind="P3", actor=staff)
    scheme = scheme_create(body=lsp, name="Juru Las SMAW", programme=batch.programme, actor=staff)
    return competency_test_create(
        scheme=scheme, test_site="TUK BLKI", held_on=dt.date(2025, 8, 13), assessors="", actor=staff
    )


@pytest.fixture
def competent(test: CompetencyTest, batch: Batch) -> Candidate:
    graduate = Participant.objects.filter(batch=batch, status="graduated").first()
    assert graduate is not None
    candidates_add(test=test, participants=[graduate], actor=None)
    candidate = Candidate.objects.get(test=test)
    return candidate_record_results(
        candidate=candidate,
        results={u.pk: "K" for u in test.scheme.units.all()},
        actor=None,
    )


def test_overlong_lsp_scheme_and_test_site_are_refused(client: Client, staff: User) -> None:
    """PostgreSQL refuses a value longer than its column with a DataError (a 500)."""
    client.force_login(staff)
    url = reverse("backoffice:bnsp_bodies")
    response = client.post(url, {"name": "LSP " + "X" * 300, "licence_number": "1", "kind": "P1"})
    assert response.status_code == 302
    response = client.post(url, {"name": "LSP Y", "licence_number": "9" * 100, "kind": "P1"})
    assert response.status_code == 302
    assert not CertificationBody.objects.exists()
    body = CertificationBody.objects.create(name="LSP Z", licence_number="1", kind="P1")
    response = client.post(
        url, {"action": "scheme", "body": body.pk, "name": "S" * 300, "validity_years": "3"}
    )
    assert response.status_code == 302
    assert not CertificationScheme.objects.exists()
    scheme = CertificationScheme.objects.create(body=body, name="S")
    response = client.post(
        reverse("backoffice:bnsp_tests"),
        {"scheme": scheme.pk, "held_on": "2025-08-13", "test_site": "T" * 300},
    )
    assert response.status_code == 302
    assert not CompetencyTest.objects.exists()


def test_a_bnsp_certificate_from_the_far_future_or_overlong_is_refused(
    client: Client, staff: User, test: CompetencyTest, competent: Candidate
) -> None:
    client.force_login(staff)
    url = reverse("backoffice:bnsp_test", args=[test.pk])
    post = {
        "action": "certificate",
        "candidate": competent.pk,
        "certificate_number": "62090 2411 3 0001234 2025",
        "registration_number": "MET.000.001234 2025",
    }
    for issued_on in ("9999-12-31", (dt.date.today() + dt.timedelta(days=30)).isoformat()):
        response = client.post(url, post | {"issued_on": issued_on})
        assert response.status_code == 302, issued_on
    response = client.post(url, post | {"issued_on": "2025-11-01", "certificate_number": "9" * 100})
    assert response.status_code == 302
    competent.refresh_from_db()
    assert competent.certificate_number == "" and competent.issued_on is None


def test_a_forged_post_cannot_add_a_graduate_of_another_programme(
    client: Client, staff: User, test: CompetencyTest
) -> None:
    other = BatchFactory(code="TKR-2025-1", state=BatchState.COMPLETED)
    outsider = ParticipantFactory(batch=other, number=1, status=Participant.Status.GRADUATED)
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:bnsp_test", args=[test.pk]),
        {"action": "add", "participants": [str(outsider.pk)]},
    )
    assert response.status_code == 302
    assert not Candidate.objects.filter(participant=outsider).exists()


@pytest.mark.parametrize(
    "pattern",
    [
        "{seq.real}/{year}",  # attribute access: AttributeError, was a 500 at the ceremony
        "BLKI/{programme}/{year}",  # no running number: every certificate the same number
        "{seq:>130}/{year}",  # a number longer than its column (a DataError on PostgreSQL)
    ],
)
def test_a_pattern_that_cannot_give_unique_numbers_falls_back_to_the_default(
    batch: Batch, pattern: str
) -> None:
    from vokasi.certificates.models import CertificateSettings
    from vokasi.certificates.services import certificates_issue_for_batch

    CertificateSettings.objects.create(centre=batch.programme.centre, number_pattern=pattern)
    certs = certificates_issue_for_batch(batch=batch, actor=None)
    code = batch.programme.code
    assert [c.number for c in certs] == [f"00{n}/BLKI-BTG/{code}/2025" for n in (1, 2, 3)]


def test_the_admin_refuses_a_pattern_without_the_running_number(batch: Batch) -> None:
    from django.core.exceptions import ValidationError

    from vokasi.certificates.models import CertificateSettings

    config = CertificateSettings(centre=batch.programme.centre, number_pattern="BLKI/{year}")
    with pytest.raises(ValidationError) as caught:
        config.full_clean()
    assert "number_pattern" in caught.value.message_dict
    config.number_pattern = "560/{seq}/{centre}/{year}"
    config.full_clean()


def test_a_missing_signing_key_makes_the_badge_unavailable_not_a_500(
    batch: Batch, client: Client, applicant_user: User, settings: Any
) -> None:
    from vokasi.certificates.services import certificates_issue_for_batch

    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    applicant = cert.participant.applicant
    applicant.user = applicant_user
    applicant.save()
    # The operator lost the key from the environment after certificates were issued.
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.DEBUG = settings.TESTING = False
    response = client.get(reverse("certificates:badge", args=[cert.code]))
    assert response.status_code == 503
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert b'data-status="valid"' in page.content  # checking needs only the public key
    client.force_login(applicant_user)
    assert client.get(reverse("certificates:mine_badge", args=[cert.pk])).status_code == 503


def test_no_expiry_reminder_for_a_certificate_already_renewed(
    staff: User, test: CompetencyTest, competent: Candidate
) -> None:
    from vokasi.certificates.services import candidate_record_certificate, expiry_reminders_send
    from vokasi.notifications.models import Message

    applicant = competent.participant.applicant
    applicant.email = "peserta@example.com"
    applicant.save()
    candidate_record_certificate(
        candidate=competent,
        certificate_number="25250001",
        registration_number="LAS.1187.00001.2025",
        issued_on=dt.date(2025, 11, 13),
        actor=None,
    )
    # Re-certified in the same scheme two months before the first one runs out.
    retest = competency_test_create(
        scheme=test.scheme, test_site="TUK", held_on=dt.date(2028, 9, 1), assessors="", actor=staff
    )
    Candidate.objects.create(
        test=retest,
        participant=competent.participant,
        result="K",
        certificate_number="28280077",
        registration_number="LAS.1187.00077.2028",
        issued_on=dt.date(2028, 9, 20),
        expires_on=dt.date(2031, 9, 20),
    )
    assert expiry_reminders_send(today=dt.date(2028, 10, 20)) == 0
    assert not Message.objects.exists()
    # The renewed one is reminded of in its own time.
    assert expiry_reminders_send(today=dt.date(2031, 7, 1)) == 1


def test_every_competency_unit_is_printed_however_many(batch: Batch) -> None:
    """The list of units went on one page and stopped at its foot: a programme with more
    units than fit got a certificate that silently left some out."""
    import io

    from pypdf import PdfReader

    from vokasi.catalog.models import CompetencyUnit
    from vokasi.certificates.pdf import certificate_pdf
    from vokasi.certificates.services import certificates_issue_for_batch

    for i in range(3, 31):
        CompetencyUnit.objects.create(
            programme=batch.programme,
            order=i,
            code=f"C.259000.{i:03d}.01",
            title="Melaksanakan pekerjaan pengelasan pelat dan pipa sesuai prosedur "
            "keselamatan dan kesehatan kerja yang berlaku di tempat kerja",
            hours_jp=8,
        )
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    reader = PdfReader(io.BytesIO(certificate_pdf(cert)))
    text = " ".join(page.extract_text() for page in reader.pages)
    missing = [u[0] for u in cert.units if u[0] not in text]
    assert missing == []
    assert len(reader.pages) > 2


def test_a_revoked_or_replaced_certificate_prints_as_such(batch: Batch, staff: User) -> None:
    """The holder can still download their revoked certificate; printed without a mark it
    looked as good as a valid one to anyone who does not scan the QR code."""
    import io

    from pypdf import PdfReader

    from vokasi.certificates.pdf import certificate_pdf
    from vokasi.certificates.services import (
        certificate_reissue,
        certificate_revoke,
        certificates_issue_for_batch,
    )

    first, second = certificates_issue_for_batch(batch=batch, actor=None)[:2]

    def pages(cert: object) -> list[str]:
        reader = PdfReader(io.BytesIO(certificate_pdf(cert)))  # type: ignore[arg-type]
        return [page.extract_text() for page in reader.pages]

    assert not any("DICABUT" in text for text in pages(first))
    certificate_revoke(certificate=first, reason="Data palsu", actor=staff)
    assert all("DICABUT" in text for text in pages(first))
    certificate_reissue(certificate=second, reason="Nama", actor=staff)
    second.refresh_from_db()
    assert all("DIGANTI" in text for text in pages(second))


def test_a_long_name_stays_inside_the_frame(batch: Batch) -> None:
    """Names may have 150 characters; at the fixed 24 pt a long one ran off the page."""
    import io

    from pypdf import PdfReader

    from vokasi.certificates.pdf import certificate_pdf
    from vokasi.certificates.services import certificates_issue_for_batch

    graduate = Participant.objects.filter(batch=batch, status="graduated").first()
    assert graduate is not None
    name = "Raden Mas Muhammad Abdurrahman Wahyudi Setiawan Kusumaningrat Prawiranegara Putra"
    graduate.applicant.full_name = name
    graduate.applicant.save()
    cert = next(
        c
        for c in certificates_issue_for_batch(batch=batch, actor=None)
        if c.participant_id == graduate.pk
    )
    page = PdfReader(io.BytesIO(certificate_pdf(cert))).pages[0]
    starts: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if name.upper()[:20] in text:
            starts.append(float(tm[4]))

    page.extract_text(visitor_text=visit)
    assert starts, "the name is printed"
    frame = 13 * 72 / 25.4  # the inner frame, 13 mm from the edge
    assert min(starts) >= frame  # centred: its end is as far inside on the right
