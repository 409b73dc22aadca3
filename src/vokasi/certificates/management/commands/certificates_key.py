"""Prints a new Ed25519 signing key as the settings line to put into the environment."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vokasi.certificates import signing


class Command(BaseCommand):
    help = "Create an Ed25519 key for signing certificates and print the setting line."

    def handle(self, *args: Any, **options: Any) -> None:
        text = signing.new_private_key_text()
        key = signing.parse_private_key(text)
        public = signing.public_key_text(key)
        self.stderr.write(
            "Keep this secret (like SECRET_KEY). Public key fingerprint: "
            f"{signing.fingerprint(public)}. Old keys stay known to the database, so "
            "certificates signed before a change still verify."
        )
        self.stdout.write(f"CERTIFICATE_SIGNING_KEY={text}")
