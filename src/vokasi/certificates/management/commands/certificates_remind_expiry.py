"""Queues reminders to holders of BNSP certificates that expire within 90 and 30 days.

Run daily (cron or systemd timer). Safe to run again: each reminder has an idempotency key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vokasi.certificates.services import expiry_reminders_send


class Command(BaseCommand):
    help = "Queue reminders for BNSP certificates that expire soon (90 and 30 days before)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="YYYY-MM-DD; default: today in the centre's zone")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date, YYYY-MM-DD") from None
        queued = expiry_reminders_send(today=today)
        self.stdout.write(f"{queued} reminders queued.")
