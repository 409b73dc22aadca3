"""Ed25519 signatures over certificates, and the Open Badges 3.0 credential.

The certificate's own signature covers a canonical payload: the fields printed on the
certificate, serialised as JCS (RFC 8785) JSON. For our payloads (strings, integers,
lists, objects with ASCII keys) JCS is exactly `json.dumps(sort_keys=True,
separators=(",", ":"), ensure_ascii=False)` in UTF-8; there are no floats to format.

The Open Badges credential carries a Data Integrity proof with the `eddsa-jcs-2022`
cryptosuite (W3C vc-di-eddsa): sign SHA-256(JCS(proof options)) || SHA-256(JCS(document)).
We chose the JCS suite over `eddsa-rdfc-2022` because it needs no RDF canonicalisation
(no JSON-LD processor, no fetching contexts) and is still a standard a verifier knows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.conf import settings


class SigningKeyMissing(Exception):
    """No key configured; the message is for the operator."""


DEV_KEY_FILE = "certificate-signing-dev.key"


def canonical(data: Any) -> bytes:
    """JCS (RFC 8785) for JSON without floats."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def new_private_key_text() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return base64.b64encode(raw).decode()


def parse_private_key(text: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise SigningKeyMissing("CERTIFICATE_SIGNING_KEY is not valid base64") from None
    if len(raw) != 32:
        raise SigningKeyMissing("CERTIFICATE_SIGNING_KEY must be 32 bytes (base64, 44 characters)")
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_key() -> Ed25519PrivateKey:
    """The configured key; in development and tests a generated one kept under VAR_DIR."""
    if settings.CERTIFICATE_SIGNING_KEY:
        return parse_private_key(settings.CERTIFICATE_SIGNING_KEY)
    if not (settings.DEBUG or settings.TESTING):
        raise SigningKeyMissing(
            "CERTIFICATE_SIGNING_KEY is not set: run `manage.py certificates_key` and put "
            "the line it prints into the environment."
        )
    # Tests keep their key out of a developer's var/, like their uploads.
    folder = Path(tempfile.gettempdir()) if settings.TESTING else Path(settings.VAR_DIR)
    path = folder / DEV_KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes racing here keep the first file, never a mix; 0600: a
            # key is not for other users of the machine, even a development one.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(new_private_key_text())
    return parse_private_key(path.read_text())


def public_key_text(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


def sign(key: Ed25519PrivateKey, payload: dict[str, Any]) -> str:
    return base64.b64encode(key.sign(canonical(payload))).decode()


def verify(public_key: str, payload: dict[str, Any], signature: str) -> bool:
    try:
        load_public_key(public_key).verify(base64.b64decode(signature), canonical(payload))
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public_key: str) -> str:
    """Short and stable, for showing a verifier which key signed."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()
    return ":".join(digest[i : i + 4] for i in range(0, 16, 4))


# --- multibase / Multikey (for the Data Integrity proof) ---------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key: str) -> str:
    """Ed25519 public key as a Multikey: multibase base58btc of 0xed01 + the raw key."""
    return "z" + base58btc(b"\xed\x01" + base64.b64decode(public_key))


def _proof_hash(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    return (
        hashlib.sha256(canonical(proof_options)).digest()
        + hashlib.sha256(canonical(document)).digest()
    )


def add_proof(
    document: dict[str, Any], key: Ed25519PrivateKey, *, verification_method: str, created: str
) -> dict[str, Any]:
    """The document with an `eddsa-jcs-2022` DataIntegrityProof attached."""
    options = {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_proof_hash(document, options))
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = "z" + base58btc(signature)
    return document | {"proof": proof}


def verify_proof(credential: dict[str, Any], public_key: str) -> bool:
    """Checks an `eddsa-jcs-2022` proof made by add_proof against `public_key`."""
    proof = credential.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return False
    value = str(proof.get("proofValue", ""))
    document = {k: v for k, v in credential.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = document.get("@context")
    try:
        signature = base58btc_decode(value[1:]) if value.startswith("z") else b""
        load_public_key(public_key).verify(signature, _proof_hash(document, options))
    except (InvalidSignature, ValueError):
        return False
    return True
