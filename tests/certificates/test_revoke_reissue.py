"""Revoking a certificate, and a corrected version after a name correction."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vokasi.catalog.models import Batch
from vokasi.certificates.models import CertificateState, TrainingCertificate
from vokasi.certificates.services import (
    CertificateError,
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_batch,
)
from vokasi.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(batch: Batch) -> TrainingCertificate:
    return certificates_issue_for_batch(batch=batch, actor=None)[0]


def test_revoking_needs_a_reason_and_is_audited(cert: TrainingCertificate, staff: User) -> None:
    with pytest.raises(CertificateError, match="reason"):
        certificate_revoke(certificate=cert, reason="  ", actor=staff)
    certificate_revoke(certificate=cert, reason="Data kelulusan keliru", actor=staff)
    cert.refresh_from_db()
    assert cert.state == CertificateState.REVOKED and cert.revoked_at is not None
    entry = AuditEntry.objects.get(action="certificate.revoke")
    assert entry.actor == staff and entry.data["reason"] == "Data kelulusan keliru"
    with pytest.raises(CertificateError, match="valid"):
        certificate_revoke(certificate=cert, reason="again", actor=staff)


def test_a_corrected_version_keeps_the_number(cert: TrainingCertificate, staff: User) -> None:
    applicant = cert.participant.applicant
    applicant.full_name = "Muhammad Rizky Pratama"
    applicant.save()
    new = certificate_reissue(certificate=cert, reason="Salah ketik nama", actor=staff)
    cert.refresh_from_db()
    assert (new.number, new.seq, new.version) == (cert.number, cert.seq, 2)
    assert new.previous == cert and new.holder_name == "Muhammad Rizky Pratama"
    assert cert.state == CertificateState.SUPERSEDED and new.state == CertificateState.VALID
    assert new.code != cert.code
    assert new.training_starts == cert.training_starts
    assert AuditEntry.objects.get(action="certificate.reissue").data["old_name"] == cert.holder_name
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=cert, reason="twice", actor=staff)


def test_the_old_code_says_replaced_and_links_the_new_one(
    cert: TrainingCertificate, client: Client, staff: User
) -> None:
    new = certificate_reissue(certificate=cert, reason="Salah ketik nama", actor=staff)
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert b'data-status="superseded"' in page.content
    assert reverse("certificates:verify", args=[new.code]).encode() in page.content
    fresh = client.get(reverse("certificates:verify", args=[new.code]))
    assert b'data-status="valid"' in fresh.content


def test_staff_revoke_from_the_back_office(
    cert: TrainingCertificate, client: Client, staff: User
) -> None:
    client.force_login(staff)
    url = reverse("backoffice:certificate", args=[cert.pk])
    empty = client.post(url, {"action": "revoke", "reason": ""}, follow=True)
    assert empty.status_code == 200
    assert b"Give the reason" in empty.content or b"alasan" in empty.content.lower()
    cert.refresh_from_db()
    assert cert.state == CertificateState.VALID
    client.post(url, {"action": "revoke", "reason": "Peserta tidak memenuhi syarat"})
    cert.refresh_from_db()
    assert cert.state == CertificateState.REVOKED
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert b'data-status="revoked"' in page.content


def test_staff_issue_a_corrected_version_from_the_back_office(
    cert: TrainingCertificate, client: Client, staff: User
) -> None:
    applicant = cert.participant.applicant
    applicant.full_name = "Siti Nurhaliza Rahman"
    applicant.save()
    client.force_login(staff)
    url = reverse("backoffice:certificate", args=[cert.pk])
    response = client.post(url, {"action": "reissue", "reason": "Nama sesuai KTP"})
    new = TrainingCertificate.objects.get(previous=cert)
    assert response["Location"] == reverse("backoffice:certificate", args=[new.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Siti Nurhaliza Rahman" in page and cert.number in page
    assert client.post(url, {"action": "unknown"}).status_code == 404


def test_a_revoked_certificate_is_not_brought_back_by_a_correction(
    cert: TrainingCertificate, staff: User
) -> None:
    certificate_revoke(certificate=cert, reason="Data kelulusan keliru", actor=staff)
    with pytest.raises(CertificateError, match="revoked"):
        certificate_reissue(certificate=cert, reason="Nama", actor=staff)
    assert TrainingCertificate.objects.count() == 3
