from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vokasi.selection.offers import offers_lapse


class Command(BaseCommand):
    help = "Lapses offers past their deadline and offers their seats down the waiting lists (cron, e.g. hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{offers_lapse()} offers lapsed.")
