"""The demo's 2025 batches are delivered consistently with each participant's outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from vokasi.catalog.models import Batch, BatchState
from vokasi.demo.loader import load_demo
from vokasi.training.models import Assessment, Attendance, Participant, Session
from vokasi.training.selectors import batch_standings

pytestmark = pytest.mark.django_db


def test_every_2025_batch_agrees_with_the_graduation_rule() -> None:
    load_demo(today=dt.date(2026, 11, 28), say=lambda _: None)
    batches = Batch.objects.filter(training_starts__year=2025, state=BatchState.COMPLETED)
    assert batches.count() == 9
    for batch in batches:
        assert batch.sessions.filter(attendance_taken_at__isnull=True).count() == 0
        assert batch.staffing.filter(user__username="asesor", role="assessor").exists()
        assert batch.staffing.filter(role="instructor").exists()
        for s in batch_standings(batch):
            p = s.participant
            if p.status == Participant.Status.GRADUATED:
                assert s.reasons == [], (batch.code, p.number, s.reasons)
            elif p.status == Participant.Status.NOT_GRADUATED:
                assert s.reasons and p.outcome_reasons == s.reasons, (batch.code, p.number)
            else:
                assert p.dropped_on and p.dropout_reason, (batch.code, p.number)
                assert not Attendance.objects.filter(
                    participant=p, session__date__gte=p.dropped_on
                ).exists()
    kinds = {
        r["code"]
        for p in Participant.objects.filter(status="not_graduated")
        for r in p.outcome_reasons
    }
    assert kinds == {"attendance", "unit"}
    # Re-assessment history exists: some unit was assessed more than once.
    assert (
        Assessment.objects.values("participant", "unit").distinct().count()
        < Assessment.objects.count()
    )
    counts = (Session.objects.count(), Attendance.objects.count(), Assessment.objects.count())
    load_demo(today=dt.date(2026, 11, 28), say=lambda _: None)
    assert (
        Session.objects.count(),
        Attendance.objects.count(),
        Assessment.objects.count(),
    ) == counts


def test_a_running_batch_names_its_teacher_in_the_catalogue_too() -> None:
    """The batch page and the training page name the same instructor (LAS-LPS-2026-1)."""
    from vokasi.backoffice.selectors import batch_instructors

    load_demo(today=dt.date(2026, 11, 28), say=lambda _: None)
    running = Batch.objects.filter(state=BatchState.RUNNING, staffing__isnull=False).distinct()
    assert running.filter(code="LAS-LPS-2026-1").exists()
    for batch in running:
        staffed = set(batch.staffing.filter(role="instructor").values_list("user_id", flat=True))
        assert staffed and set(batch.instructors.values_list("pk", flat=True)) == staffed
        assert {u.pk for u in batch_instructors(batch)} == staffed
