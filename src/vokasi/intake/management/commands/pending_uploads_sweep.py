from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vokasi.intake.pending import pending_sweep


class Command(BaseCommand):
    help = "Removes uploads kept for an unfinished form for more than a day (run daily from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Removed {pending_sweep()} kept uploads.")
