"""Reads about who takes part in which batch."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from vokasi.catalog.models import Batch
from vokasi.training.models import Participant


def seats_taken(batches: Iterable[Batch]) -> dict[int, int]:
    """Participants per batch in one query. Seats are derived, never a stored counter."""
    ids = [b.pk for b in batches]
    rows = (
        Participant.objects.filter(batch_id__in=ids)
        .exclude(status=Participant.Status.DROPPED)
        .values("batch_id")
        .annotate(n=Count("id"))
    )
    return {row["batch_id"]: row["n"] for row in rows}
