"""Issuing a batch's training certificates: numbers, idempotency, what the PDF says."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection
from pypdf import PdfReader

from tests.certificates.conftest import completed_batch
from tests.factories import ApplicantFactory, ParticipantFactory
from vokasi.catalog.models import Batch, BatchState
from vokasi.certificates.models import CertificateSettings, TrainingCertificate
from vokasi.certificates.pdf import certificate_pdf
from vokasi.certificates.services import (
    CertificateError,
    certificate_check,
    certificates_issue_for_batch,
    verify_url,
)
from vokasi.core.models import AuditEntry, User
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db


def test_each_graduate_gets_the_next_number_and_only_graduates(batch: Batch, staff: User) -> None:
    certs = certificates_issue_for_batch(batch=batch, actor=staff)
    code = batch.programme.code
    assert [c.number for c in certs] == [
        f"001/BLKI-BTG/{code}/2025",
        f"002/BLKI-BTG/{code}/2025",
        f"003/BLKI-BTG/{code}/2025",
    ]
    assert {c.participant.status for c in certs} == {Participant.Status.GRADUATED}
    assert all(certificate_check(c) for c in certs)
    assert len({c.code for c in certs}) == 3 and all(len(c.code) == 20 for c in certs)
    entry = AuditEntry.objects.get(action="certificate.issue_batch")
    assert entry.actor == staff and entry.data["count"] == 3


def test_issuing_again_gives_nobody_a_second_number(batch: Batch) -> None:
    first = certificates_issue_for_batch(batch=batch, actor=None)
    assert certificates_issue_for_batch(batch=batch, actor=None) == []
    # A graduate added later (a late result) gets the next free number, not a reused one.
    ParticipantFactory(batch=batch, number=9, status=Participant.Status.GRADUATED)
    late = certificates_issue_for_batch(batch=batch, actor=None)
    assert [c.seq for c in late] == [4]
    assert TrainingCertificate.objects.count() == len(first) + 1


def test_numbers_run_on_across_batches_of_the_same_centre_and_year() -> None:
    a = completed_batch(graduates=2, others=0, code="A-2025")
    b = completed_batch(graduates=2, others=0, code="B-2025")
    certificates_issue_for_batch(batch=a, actor=None)
    second = certificates_issue_for_batch(batch=b, actor=None)
    assert [c.seq for c in second] == [3, 4]


def test_the_number_follows_the_centres_pattern(batch: Batch) -> None:
    centre = batch.programme.centre
    CertificateSettings.objects.create(centre=centre, number_pattern="560/{seq}/{centre}/{year}")
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    assert cert.number == "560/001/BLKI-BTG/2025"


def test_a_broken_pattern_falls_back_to_the_default(batch: Batch) -> None:
    CertificateSettings.objects.create(
        centre=batch.programme.centre, number_pattern="{seq}/{unknown}"
    )
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    assert cert.number == f"001/BLKI-BTG/{batch.programme.code}/2025"


def test_a_batch_that_is_not_completed_gets_no_certificates(batch: Batch) -> None:
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING)
    batch.refresh_from_db()
    with pytest.raises(CertificateError, match="completed"):
        certificates_issue_for_batch(batch=batch, actor=None)
    assert not TrainingCertificate.objects.exists()


def test_the_pdf_has_the_certificate_and_the_units_but_never_the_nik(batch: Batch) -> None:
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    nik = cert.participant.applicant.nik
    reader = PdfReader(io.BytesIO(certificate_pdf(cert)))
    assert len(reader.pages) == 2
    front, units = (page.extract_text() for page in reader.pages)
    assert cert.holder_name.upper() in front
    assert cert.number in front
    assert "Bontang, 12 Maret 1998" in front  # place and date of birth
    assert "240 jam pelajaran" in front
    assert "C.259000.002.01" in units
    assert nik not in front + units
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0]["/Annots"]]
    assert links == [verify_url(cert.code)]


def test_the_printed_text_is_a_copy_made_at_issue(batch: Batch) -> None:
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    applicant = cert.participant.applicant
    applicant.full_name = "Nama Lain"
    applicant.save()
    cert.refresh_from_db()
    assert cert.holder_name != "Nama Lain"
    assert certificate_check(cert)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issuing_never_gives_two_numbers_to_one_graduate() -> None:
    """Sixteen threads issue two batches at once: one number per graduate, no gaps (PostgreSQL)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; this needs PostgreSQL's concurrent transactions")
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    batches = [
        completed_batch(graduates=12, others=2, code="RACE-A"),
        completed_batch(graduates=9, others=0, code="RACE-B"),
    ]
    # Another applicant name so that factories do not collide across batches.
    ApplicantFactory()
    barrier = threading.Barrier(16)
    errors: list[BaseException] = []

    def issue(batch: Batch) -> None:
        try:
            barrier.wait()
            certificates_issue_for_batch(batch=batch, actor=None)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(batches[i % 2],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    certs = list(TrainingCertificate.objects.all())
    assert len(certs) == 21
    assert len({c.participant_id for c in certs}) == 21
    assert sorted(c.seq for c in certs) == list(range(1, 22))
