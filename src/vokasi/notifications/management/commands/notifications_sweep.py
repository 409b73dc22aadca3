"""Run every few minutes from cron: see docs/notifications.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vokasi.notifications.services import messages_sweep


class Command(BaseCommand):
    help = (
        "Queue delivery of outbox messages that are due but have no task, and take back "
        "messages stuck in 'sending' because their worker stopped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = messages_sweep()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"scheduled {result.scheduled}, revived {result.revived}, failed {result.failed}"
            )
