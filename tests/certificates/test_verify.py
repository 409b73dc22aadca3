"""The public verification page, its throttle, signatures and the Open Badges credential."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vokasi.catalog.models import Batch
from vokasi.certificates import signing
from vokasi.certificates.models import TrainingCertificate
from vokasi.certificates.services import (
    certificate_check,
    certificates_issue_for_batch,
    format_code,
    open_badge,
)
from vokasi.certificates.views import VERIFY_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(batch: Batch) -> TrainingCertificate:
    return certificates_issue_for_batch(batch=batch, actor=None)[0]


def test_a_valid_code_shows_holder_programme_dates_and_centre(
    cert: TrainingCertificate, client: Client
) -> None:
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-status="valid"' in body
    for text in (cert.holder_name, cert.programme_name, cert.centre_name, cert.number):
        assert text in body
    assert cert.participant.applicant.nik not in body
    assert signing.fingerprint(cert.signing_key.public_key) in body


def test_the_code_typed_by_hand_is_forgiving(cert: TrainingCertificate, client: Client) -> None:
    typed = format_code(cert.code).lower().replace("0", "o")
    response = client.get(reverse("certificates:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[cert.code])


def test_garbage_in_the_form_gets_a_message_not_an_error(client: Client) -> None:
    response = client.get(reverse("certificates:verify_form"), {"code": "<script>"})
    assert response.status_code == 400
    assert b"&lt;script&gt;" in response.content


def test_an_unknown_code_says_unknown(client: Client) -> None:
    page = client.get(reverse("certificates:verify", args=["ZZZZZZZZZZZZZZZZZZZZ"]))
    assert page.status_code == 404
    assert b'data-status="unknown"' in page.content


def test_a_tampered_record_fails_its_signature(cert: TrainingCertificate, client: Client) -> None:
    TrainingCertificate.objects.filter(pk=cert.pk).update(holder_name="Orang Lain")
    cert.refresh_from_db()
    assert not certificate_check(cert)
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert b'data-status="invalid"' in page.content


def test_lookups_are_throttled_per_connection(cert: TrainingCertificate, client: Client) -> None:
    url = reverse("certificates:verify", args=["ZZZZZZZZZZZZZZZZZZZZ"])
    statuses = [client.get(url).status_code for _ in range(VERIFY_LIMIT * 3)]
    assert set(statuses) == {404}
    assert client.get(reverse("certificates:verify", args=[cert.code])).status_code == 429
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.get(reverse("certificates:verify", args=[cert.code])).status_code == 200


def test_the_open_badge_verifies_and_a_tampered_one_does_not(cert: TrainingCertificate) -> None:
    badge = open_badge(cert)
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["name"] == cert.programme_name
    public = cert.signing_key.public_key
    assert signing.verify_proof(badge, public)
    forged = json.loads(json.dumps(badge))
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Orang Lain"
    assert not signing.verify_proof(forged, public)
    other_key = signing.public_key_text(signing.parse_private_key(signing.new_private_key_text()))
    assert not signing.verify_proof(badge, other_key)


def test_the_badge_downloads_for_a_valid_certificate_only(
    cert: TrainingCertificate, client: Client
) -> None:
    response = client.get(reverse("certificates:badge", args=[cert.code]))
    assert response.status_code == 200
    assert json.loads(response.content)["id"].endswith(cert.code)
    TrainingCertificate.objects.filter(pk=cert.pk).update(
        state="revoked", revoked_at="2025-08-01T00:00Z"
    )
    assert client.get(reverse("certificates:badge", args=[cert.code])).status_code == 404


def test_the_verification_method_publishes_the_key(
    cert: TrainingCertificate, client: Client
) -> None:
    badge = open_badge(cert)
    url = badge["proof"]["verificationMethod"].split("#")[0]
    doc = client.get(url.replace("http://127.0.0.1:8000", "")).json()
    assert doc["publicKeyMultibase"] == signing.multikey(cert.signing_key.public_key)


def test_base58_round_trips() -> None:
    for data in (b"", b"\0\0abc", bytes(range(64))):
        assert signing.base58btc_decode(signing.base58btc(data)) == data


def test_the_key_command_prints_a_usable_setting(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("certificates_key")
    line = capsys.readouterr().out.strip()
    assert line.startswith("CERTIFICATE_SIGNING_KEY=")
    signing.parse_private_key(line.split("=", 1)[1])


def test_a_broken_signing_key_is_found_by_the_system_check(settings: Any) -> None:
    from vokasi.certificates.checks import signing_key_check

    settings.CERTIFICATE_SIGNING_KEY = "bm90IGEga2V5"
    assert [m.id for m in signing_key_check(None)] == ["certificates.E001"]
    settings.CERTIFICATE_SIGNING_KEY = signing.new_private_key_text()
    assert signing_key_check(None) == []
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.DEBUG = settings.TESTING = False
    assert [m.id for m in signing_key_check(None)] == ["certificates.I001"]


def test_without_a_key_production_refuses_to_issue_with_a_message(
    batch: Batch, settings: Any
) -> None:
    from vokasi.certificates.services import CertificateError

    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.DEBUG = settings.TESTING = False
    with pytest.raises(CertificateError, match="certificates_key"):
        certificates_issue_for_batch(batch=batch, actor=None)
    assert not TrainingCertificate.objects.exists()


def test_a_configured_key_signs_and_old_certificates_still_verify(
    batch: Batch, settings: Any
) -> None:
    first = certificates_issue_for_batch(batch=batch, actor=None)[0]
    settings.CERTIFICATE_SIGNING_KEY = signing.new_private_key_text()
    from tests.factories import ParticipantFactory

    late = ParticipantFactory(batch=batch, number=20, status="graduated")
    second = certificates_issue_for_batch(batch=batch, actor=None)[0]
    assert second.participant == late
    assert second.signing_key != first.signing_key
    first.refresh_from_db()
    assert certificate_check(first) and certificate_check(second)


def test_a_typed_certificate_number_gets_told_to_use_the_code(client: Any) -> None:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        client.cookies["django_language"] = "en"
        response = client.get(
            reverse("certificates:verify_form"), {"code": "032/BLKI-BTG/ALB/2025"}
        )
    assert response.status_code == 400
    assert "beside the QR code" in response.content.decode()
