"""Batches left below their minimum class size after daftar ulang, and what staff decide.

A batch is flagged when its confirmed plus still-open places cannot reach the minimum.
Staff then postpone it, merge it into another batch of the same programme (everyone's
place moves with them), or run it anyway with a reason. Each decision is recorded once per
round and batch, audited, and the people affected are told through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, BatchState
from vokasi.catalog.services import TransitionError, batch_transition
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.intake.services import application_notify
from vokasi.selection.models import (
    LIVE_OFFER_STATES,
    ClassSizeDecision,
    Offer,
    OfferState,
    SelectionRound,
)

MERGE_TARGET_STATES = (BatchState.DRAFT, BatchState.OPEN, BatchState.SELECTION)


class ClassSizeError(Exception):
    """The message is for staff."""


@dataclass(frozen=True)
class BatchPlaces:
    batch: Batch
    accepted: int
    open: int
    decision: ClassSizeDecision | None

    @property
    def below_minimum(self) -> bool:
        return self.accepted + self.open < self.batch.min_participants

    @property
    def settled(self) -> bool:
        """Daftar ulang is over for this batch: nobody still has to answer."""
        return self.open == 0


def round_places(round_: SelectionRound) -> list[BatchPlaces]:
    """Per batch of the round: confirmed and open places (all rounds count: a seat is a
    seat) and the class-size decision, if any. Two queries."""
    counts: dict[int, tuple[int, int]] = {
        batch: (accepted, open_)
        for batch, accepted, open_ in Offer.objects.filter(batch__intake_id=round_.intake_id)
        .values("batch")
        .annotate(
            accepted=Count("id", filter=Q(state=OfferState.ACCEPTED)),
            open=Count("id", filter=Q(state=OfferState.OPEN)),
        )
        .values_list("batch", "accepted", "open")
    }
    decisions = {d.batch_id: d for d in round_.class_size_decisions.select_related("target")}
    batches = (
        Batch.objects.filter(intake_id=round_.intake_id)
        .select_related("programme")
        .order_by("code")
    )
    return [
        BatchPlaces(
            batch=b,
            accepted=counts.get(b.pk, (0, 0))[0],
            open=counts.get(b.pk, (0, 0))[1],
            decision=decisions.get(b.pk),
        )
        for b in batches
    ]


def merge_targets(batch: Batch) -> list[Batch]:
    return list(
        Batch.objects.filter(programme_id=batch.programme_id, state__in=MERGE_TARGET_STATES)
        .exclude(pk=batch.pk)
        .order_by("training_starts")
    )


def _record(
    round_: SelectionRound,
    batch: Batch,
    kind: str,
    reason: str,
    actor: User | None,
    target: Batch | None = None,
) -> ClassSizeDecision:
    if len(reason.strip()) < 5:
        raise ClassSizeError(_("Please give the reason."))
    live = Offer.objects.filter(
        batch=batch, state__in=[OfferState.OPEN, OfferState.ACCEPTED]
    ).count()
    if live >= batch.min_participants:
        raise ClassSizeError(_("This batch can still reach its minimum class size."))
    try:
        with transaction.atomic():
            decision = ClassSizeDecision.objects.create(
                round=round_,
                batch=batch,
                kind=kind,
                target=target,
                reason=reason.strip(),
                decided_by=actor if actor is not None and actor.pk else None,
            )
    except IntegrityError:
        raise ClassSizeError(_("A decision for this batch was already recorded.")) from None
    audit_log(actor=actor, action=f"class_size.{kind}", obj=batch, round=round_.pk, reason=reason)
    return decision


def _tell(offers: list[Offer], template: str, key: str, **extra: str) -> None:
    for offer in offers:
        application_notify(
            offer.application,
            template,
            key_suffix=f"{key}:{offer.batch_id}",
            batch=offer.batch.name,
            **extra,
        )


def class_size_postpone(
    *, round_: SelectionRound, batch: Batch, reason: str, actor: User | None
) -> ClassSizeDecision:
    """The batch waits for more people; those with a place keep it for when it resumes."""
    with transaction.atomic():
        decision = _record(round_, batch, ClassSizeDecision.Kind.POSTPONE, reason, actor)
        try:
            batch_transition(batch=batch, target=BatchState.POSTPONED, actor=actor, reason=reason)
        except TransitionError as error:
            raise ClassSizeError(str(error)) from None
        holders = list(
            Offer.objects.filter(batch=batch, state__in=LIVE_OFFER_STATES).select_related(
                "application__applicant", "batch"
            )
        )
        _tell(holders, "selection_batch_postponed", "postponed", reason=reason.strip())
    return decision


def class_size_merge(
    *, round_: SelectionRound, batch: Batch, target: Batch, reason: str, actor: User | None
) -> ClassSizeDecision:
    """Moves every live place of `batch` to `target` (same programme, enough free seats),
    keeping each person's state, and cancels `batch`."""
    if target.pk == batch.pk or target.programme_id != batch.programme_id:
        raise ClassSizeError(_("Merge only into another batch of the same programme."))
    if target.state not in MERGE_TARGET_STATES:
        raise ClassSizeError(_("That batch has already started or ended."))
    with transaction.atomic():
        # Both rows locked in a fixed order, so two merges never wait on each other.
        locked = {
            b.pk: b
            for b in Batch.objects.select_for_update()
            .filter(pk__in=[batch.pk, target.pk])
            .order_by("pk")
        }
        source, into = locked[batch.pk], locked[target.pk]
        decision = _record(round_, source, ClassSizeDecision.Kind.MERGE, reason, actor, into)
        # Locked, so a confirmation arriving meanwhile waits and then finds the place moved,
        # instead of the move copying a state that is no longer true.
        movers = list(
            Offer.objects.select_for_update(of=("self",))
            .filter(batch=source, state__in=LIVE_OFFER_STATES)
            .select_related("application__applicant")
        )
        taken = Offer.objects.filter(batch=into, state__in=LIVE_OFFER_STATES).count()
        if taken + len(movers) > into.quota:
            raise ClassSizeError(
                _("%(batch)s has %(free)d free seats; %(n)d are needed.")
                % {"batch": into.code, "free": into.quota - taken, "n": len(movers)}
            )
        for offer in movers:
            Offer.objects.filter(pk=offer.pk).update(state=OfferState.MOVED)
            Offer.objects.update_or_create(
                round_id=offer.round_id,
                application_id=offer.application_id,
                batch=into,
                defaults={"state": offer.state, "deadline": offer.deadline},
            )
        try:
            batch_transition(
                batch=source,
                target=BatchState.CANCELLED,
                actor=actor,
                reason=_("Merged into %(batch)s: %(reason)s")
                % {"batch": into.code, "reason": reason.strip()},
            )
        except TransitionError as error:
            raise ClassSizeError(str(error)) from None
        for offer in movers:
            offer.batch = into
        _tell(movers, "selection_batch_merged", "merged", old=source.name, reason=reason.strip())
    return decision


def class_size_run_anyway(
    *, round_: SelectionRound, batch: Batch, reason: str, actor: User | None
) -> ClassSizeDecision:
    """Nothing changes for the participants; the reason stays on record for the report."""
    with transaction.atomic():
        return _record(round_, batch, ClassSizeDecision.Kind.RUN_ANYWAY, reason, actor)
