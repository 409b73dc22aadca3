from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vokasi.placement.services import tracer_send_due


class Command(BaseCommand):
    help = (
        "Sends the tracer-study surveys that are due (3, 6 and 12 months after graduation) "
        "through the outbox. Safe to repeat; run it daily from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = tracer_send_due()
        self.stdout.write(
            f"{run.created} surveys due, {run.sent} sent, {run.without_contact} without a "
            "working email or WhatsApp number (staff can phone them)."
        )
