"""Revocation of the Open Badges credentials, as a W3C Bitstring Status List (v1.0).

A badge downloaded to a wallet is checked by its holder's verifiers without asking us
about that one certificate: each badge names a position in a public list, and the bit
at that position is 1 once the certificate is no longer in force (revoked, or replaced
by a corrected version). The position is the certificate's id; each list holds the
specification's minimum of 131,072 positions (16 KB before compression), so one list
serves a centre for many years and the next one starts where it ends.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from vokasi.certificates import signing
from vokasi.certificates.models import CertificateState, SigningKey, TrainingCertificate

LIST_SIZE = 131_072  # bits; the specification's minimum, so a list reveals little


def list_url(number: int) -> str:
    return settings.SITE_URL + reverse("certificates:status_list", args=[number])


def status_entry(cert: TrainingCertificate) -> dict[str, str]:
    """The badge's `credentialStatus`: where its bit is."""
    number, index = divmod(cert.pk, LIST_SIZE)
    url = list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encode(bits: bytearray) -> str:
    """GZIP, then base64url without padding, with the multibase prefix "u". The first
    position is the left-most (most significant) bit of the first byte."""
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not a base64url multibase value")
    text = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def bit(bits: bytes, index: int) -> int:
    return (bits[index // 8] >> (7 - index % 8)) & 1


def status_list_credential(number: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The signed list `number`, as it stands now."""
    first = number * LIST_SIZE
    bits = bytearray(LIST_SIZE // 8)
    withdrawn = (
        TrainingCertificate.objects.filter(pk__gte=first, pk__lt=first + LIST_SIZE)
        .exclude(state=CertificateState.VALID)
        .values_list("pk", flat=True)
    )
    for pk in withdrawn:
        index = pk - first
        bits[index // 8] |= 0x80 >> (index % 8)
    stamp = (now or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    issued = stamp.isoformat().replace("+00:00", "Z")
    url = list_url(number)
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": settings.SITE_URL + reverse("certificates:issuer"),
        "validFrom": issued,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(bits),
        },
    }
    key = signing.private_key()
    record = SigningKey.objects.filter(public_key=signing.public_key_text(key)).first()
    if record is None:
        return document  # nothing was ever signed with this key: no badge points here yet
    method = settings.SITE_URL + reverse("certificates:key", args=[record.pk]) + f"#{record.key_id}"
    return signing.add_proof(document, key, verification_method=method, created=issued)
