from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vokasi.demo.accounts import DEMO_PASSWORD
from vokasi.demo.loader import RegionsMissing, load_demo


class Command(BaseCommand):
    help = "Loads the UPTD BLKI Bontang 2025 demo (safe to run again: nothing is duplicated)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            accounts = load_demo(say=self.stdout.write)
        except RegionsMissing as error:
            raise CommandError(str(error)) from None
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, name in accounts:
            self.stdout.write(f"  {username:<12} {role:<28} {name}")
