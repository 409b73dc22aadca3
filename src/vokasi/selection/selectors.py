"""Reads of selection rounds, for staff and for the public announcement."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vokasi.core.masking import mask_name
from vokasi.selection.models import RoundState, SelectionRound


def published_rounds() -> QuerySet[SelectionRound]:
    return (
        SelectionRound.objects.filter(state=RoundState.PUBLISHED)
        .select_related("intake")
        .order_by("-published_at")
    )


def round_by_batch(round_: SelectionRound, *, public: bool) -> list[dict[str, Any]]:
    """Per batch: the admitted and the waiting list, in order. Public lists carry the
    registration number and a masked name only, and never a batch held inside a prison."""
    batches = round_.intake.batches.select_related("programme").order_by("code")
    if public:
        batches = batches.exclude(venue_partner__kind="prison")
    outcomes = round_.outcomes.select_related("application__applicant").order_by(
        "application__number"
    )
    waiting = round_.waiting.select_related("application__applicant")
    admitted: dict[int, list[dict[str, str]]] = {}
    for o in outcomes:
        if o.batch_id is not None:
            admitted.setdefault(o.batch_id, []).append(_person(o.application, public=public))
    queue: dict[int, list[dict[str, str]]] = {}
    for w in waiting:
        queue.setdefault(w.batch_id, []).append(_person(w.application, public=public))
    return [
        {"batch": b, "admitted": admitted.get(b.pk, []), "waiting": queue.get(b.pk, [])}
        for b in batches
    ]


def _person(application: Any, *, public: bool) -> dict[str, str]:
    name = application.applicant.full_name
    return {
        "number": application.number,
        "name": mask_name(name) if public else name,
        "pk": application.pk,
    }
