"""Two recounts at once (cron and a click on "Count again") take turns: no error, and the
summary holds one copy of the counts (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from tests.reports.conftest import build_world
from vokasi.reports.models import FunnelCell
from vokasi.reports.refresh import refresh


@pytest.mark.django_db(transaction=True)
def test_simultaneous_refreshes_leave_one_copy() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; this needs PostgreSQL's concurrent transactions")
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    build_world()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            refresh()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert FunnelCell.objects.aggregate(n=Sum("applicants"), s=Sum("started")) == {"n": 12, "s": 7}
