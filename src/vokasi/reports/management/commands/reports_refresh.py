"""manage.py reports_refresh: recount the reports' summary table now.

Run it from cron (e.g. every night, or hourly in the busy weeks of an intake); staff can
also ask for a recount from the dashboard, which queues the same work for the worker.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vokasi.reports.refresh import refresh


class Command(BaseCommand):
    help = "Recounts the reports' summary table (dashboard, unmet demand, planner)."

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = refresh()
        self.stdout.write(
            f"Reports: {snapshot.cells} summary rows counted in {snapshot.seconds:.2f} s."
        )
