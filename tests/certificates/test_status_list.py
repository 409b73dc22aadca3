"""The badges' revocation list (W3C Bitstring Status List): a wallet checks a badge
without asking about that one certificate."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest
from django.test import Client

from vokasi.catalog.models import Batch
from vokasi.certificates import signing
from vokasi.certificates.models import SigningKey
from vokasi.certificates.services import (
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_batch,
    open_badge,
)
from vokasi.certificates.status_list import LIST_SIZE, bit, decode, encode

pytestmark = pytest.mark.django_db


def _bits_of(client: Client, badge: dict) -> tuple[bytes, int, dict]:
    entry = badge["credentialStatus"]
    url = entry["statusListCredential"]
    assert entry["id"] == f"{url}#{entry['statusListIndex']}"
    assert (entry["type"], entry["statusPurpose"]) == ("BitstringStatusListEntry", "revocation")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200 and "max-age" in response["Cache-Control"]
    listed = response.json()
    subject = listed["credentialSubject"]
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    bits = decode(subject["encodedList"])
    assert len(bits) * 8 == LIST_SIZE
    return bits, int(entry["statusListIndex"]), listed


def test_revoking_and_correcting_set_the_badges_bits_and_the_list_is_signed(
    batch: Batch, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "http://testserver"  # the test follows the URLs in the badge
    first, second, *_ = certificates_issue_for_batch(batch=batch, actor=None)
    badges = [open_badge(first), open_badge(second)]
    public = SigningKey.objects.get().public_key
    assert all(signing.verify_proof(b, public) for b in badges)  # the status is signed too
    bits, index, listed = _bits_of(client, badges[0])
    assert bit(bits, index) == 0 and signing.verify_proof(listed, public)

    certificate_revoke(certificate=first, reason="Data palsu", actor=None)
    certificate_reissue(certificate=second, reason="Nama salah ketik", actor=None)
    bits, index, listed = _bits_of(client, badges[0])
    assert bit(bits, index) == 1 and signing.verify_proof(listed, public)
    bits, index2, _ = _bits_of(client, badges[1])
    assert bit(bits, index2) == 1  # replaced by a corrected version: no longer in force
    assert sum(bin(b).count("1") for b in bits) == 2  # nobody else's bit moved
    forged = dict(
        listed,
        credentialSubject=dict(
            listed["credentialSubject"], encodedList=encode(bytearray(LIST_SIZE // 8))
        ),
    )
    assert not signing.verify_proof(forged, public)


def test_the_encoding_is_the_specifications() -> None:
    bits = bytearray(LIST_SIZE // 8)
    bits[0] = 0b1000_0001  # positions 0 and 7
    encoded = encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == bytes(bits)
    assert [bit(raw, i) for i in range(9)] == [1, 0, 0, 0, 0, 0, 0, 1, 0]


def test_a_list_number_beyond_any_centre_is_not_computed(client: Client) -> None:
    assert client.get("/verifikasi/status/99999999.json").status_code == 404
    assert client.get("/verifikasi/status/-1.json").status_code == 404
