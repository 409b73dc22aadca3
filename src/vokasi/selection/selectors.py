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
    # The batches that were drawn: those with someone admitted or waiting in this round.
    drawn = set(round_.outcomes.filter(batch__isnull=False).values_list("batch_id", flat=True))
    drawn |= set(round_.waiting.values_list("batch_id", flat=True))
    batches = (
        round_.intake.batches.filter(pk__in=drawn).select_related("programme").order_by("code")
    )
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


def tier_preview(round_: SelectionRound, *, batch_id: int | None = None) -> list[dict[str, Any]]:
    """Each eligible application's tier per eligible choice, with every rule met or not:
    what the draw will be given, before it runs. Three queries whatever the size."""
    from vokasi.selection.rules import load_facts, tier, tier_reasons
    from vokasi.selection.services import eligible_applications

    applications = eligible_applications(round_)
    facts = load_facts(applications, intake_id=round_.intake_id, round_=round_)
    scores = {s.application_id: s.score for s in round_.scores.all()}
    rows = []
    for a in applications:
        choices = [c for c in a.choices.all() if c.eligible]
        if batch_id is not None and not any(c.batch_id == batch_id for c in choices):
            continue
        rows.append(
            {
                "application": a,
                "score": scores.get(a.pk),
                "choices": [
                    {
                        "rank": c.rank,
                        "batch": c.batch,
                        "tier": tier(a, c.batch, round_.rules, facts),
                        "reasons": tier_reasons(a, c.batch, round_.rules, facts),
                    }
                    for c in sorted(choices, key=lambda c: c.rank)
                ],
            }
        )
    return rows


def application_results(application_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """For the applicant's status page: per application, each published round's result
    (admitted batch, or best waiting-list places) and their objection."""
    from vokasi.selection.models import Objection, Offer, OfferState, Outcome, WaitingPlace
    from vokasi.selection.objections import objection_deadline, objection_open

    outcomes = Outcome.objects.filter(
        application_id__in=application_ids, round__state=RoundState.PUBLISHED
    ).select_related("round", "batch")
    waiting: dict[tuple[int, int], list[WaitingPlace]] = {}
    for w in WaitingPlace.objects.filter(
        application_id__in=application_ids, round__state=RoundState.PUBLISHED
    ).select_related("batch"):
        waiting.setdefault((w.round_id, w.application_id), []).append(w)
    objections = {
        (o.round_id, o.application_id): o
        for o in Objection.objects.filter(application_id__in=application_ids)
    }
    # The last place given up (declined or lapsed), to say so instead of "admitted".
    given_up = {
        (o.round_id, o.application_id): o
        for o in Offer.objects.filter(
            application_id__in=application_ids,
            state__in=[OfferState.DECLINED, OfferState.LAPSED],
        )
        .select_related("batch")
        .order_by("decided_at")
    }
    results: dict[int, list[dict[str, Any]]] = {}
    for o in outcomes:
        results.setdefault(o.application_id, []).append(
            {
                "round": o.round,
                "batch": o.batch,
                "waiting": sorted(
                    waiting.get((o.round_id, o.application_id), []), key=lambda w: w.position
                ),
                "objection": objections.get((o.round_id, o.application_id)),
                "given_up": given_up.get((o.round_id, o.application_id)),
                "can_object": objection_open(o.round),
                "objection_deadline": objection_deadline(o.round),
            }
        )
    return results
