"""The staff batch and graduate pages, and the graduate's own page in the portal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.certificates.conftest import completed_batch
from vokasi.catalog.models import Batch
from vokasi.certificates.models import TrainingCertificate
from vokasi.certificates.services import certificates_issue_for_batch
from vokasi.core.models import User

pytestmark = pytest.mark.django_db


def test_staff_issue_a_batch_and_download_a_pdf(batch: Batch, client: Client, staff: User) -> None:
    client.force_login(staff)
    url = reverse("backoffice:certificate_issue", args=[batch.pk])
    assert "Terbitkan sertifikat untuk 3 lulusan" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert response.status_code == 200
    certs = list(TrainingCertificate.objects.order_by("seq"))
    assert len(certs) == 3
    page = client.get(url).content.decode()
    assert all(c.number in page for c in certs)
    assert 'id="issue-certificates"' not in page  # nothing left to issue
    assert "Semua lulusan paket ini sudah memiliki sertifikat" in page
    pdf = client.get(reverse("backoffice:certificate_pdf", args=[certs[0].pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    again = client.post(url, follow=True)
    assert again.status_code == 200 and TrainingCertificate.objects.count() == 3


def test_the_batch_page_does_not_query_per_graduate(client: Client, staff: User) -> None:
    batch = completed_batch(graduates=12, others=0, code="BIG-1")
    certificates_issue_for_batch(batch=batch, actor=None)
    client.force_login(staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("backoffice:certificate_issue", args=[batch.pk]))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("backoffice:certificate_issue", args=[batch.pk]))
    small = completed_batch(graduates=2, others=0, code="SMALL-1")
    certificates_issue_for_batch(batch=small, actor=None)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("backoffice:certificate_issue", args=[small.pk]))
    assert len(queries) == len(few)


def test_the_graduate_sees_their_own_certificates_only(
    batch: Batch, client: Client, applicant_user: User
) -> None:
    mine, other = certificates_issue_for_batch(batch=batch, actor=None)[:2]
    applicant = mine.participant.applicant
    applicant.user = applicant_user
    applicant.save()
    client.force_login(applicant_user)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert mine.number in page and other.number not in page
    assert client.get(reverse("certificates:mine_pdf", args=[mine.pk])).status_code == 200
    assert client.get(reverse("certificates:mine_pdf", args=[other.pk])).status_code == 404
    badge = client.get(reverse("certificates:mine_badge", args=[mine.pk]))
    assert badge.status_code == 200 and b"OpenBadgeCredential" in badge.content


def test_an_account_without_a_person_sees_an_empty_page(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get(reverse("certificates:mine")).status_code == 200


def test_anonymous_visitors_log_in_for_their_certificates(batch: Batch, client: Client) -> None:
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    for url in (
        reverse("certificates:mine"),
        reverse("certificates:mine_pdf", args=[cert.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_staff_graduate_page_shows_both_certificates(
    batch: Batch, client: Client, staff: User
) -> None:
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    client.force_login(staff)
    page = client.get(reverse("backoffice:graduate_certificates", args=[cert.participant_id]))
    assert page.status_code == 200
    assert cert.number in page.content.decode()
