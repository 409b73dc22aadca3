"""Offers (daftar ulang): confirm, decline, lapse, and the cascade down the waiting lists.

The invariant: for every batch, accepted + open offers <= quota. Seats are only ever
handed out by `batch_fill`, which locks the batch row, counts the live offers from the
table, and offers exactly the free seats. Accepting an offer takes no new seat (the offer
already holds it), so it needs only a compare-and-set on the offer itself.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, BatchState
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.intake.models import Application, ApplicationStatus, Choice
from vokasi.selection.models import (
    LIVE_OFFER_STATES,
    Offer,
    OfferState,
    SelectionRound,
    WaitingPlace,
)
from vokasi.selection.rules import groups_of


class OfferError(Exception):
    """The message is for the applicant or staff."""


def _deadline(round_: SelectionRound) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=round_.offer_days)


def offers_create_for_admitted(round_: SelectionRound) -> int:
    """One open offer per admitted applicant, right after publication."""
    deadline = _deadline(round_)
    rows = [
        Offer(round=round_, application_id=o.application_id, batch=o.batch, deadline=deadline)
        for o in round_.outcomes.filter(batch__isnull=False).select_related("batch")
    ]
    Offer.objects.bulk_create(rows)
    return len(rows)


def _cas(offer: Offer, *, sources: tuple[str, ...], target: str, actor: User | None) -> None:
    changed = Offer.objects.filter(pk=offer.pk, state__in=sources).update(
        state=target, decided_at=timezone.now(), decided_by=actor
    )
    if changed != 1:
        raise OfferError(_("This offer was already answered or has lapsed."))
    offer.state = target


# Places are answered only before training starts: at the opening (pembukaan) the accepted
# places become the roster, and from then on leaving is a dropout, not a declined place.
ANSWERABLE_BATCH_STATES = (
    BatchState.DRAFT,
    BatchState.OPEN,
    BatchState.SELECTION,
    BatchState.POSTPONED,
)


def _check_answerable(offer: Offer) -> None:
    state = Batch.objects.filter(pk=offer.batch_id).values_list("state", flat=True).first()
    if state not in ANSWERABLE_BATCH_STATES:
        raise OfferError(
            _("Training in this batch has started or ended; the place can no longer change.")
        )


def offer_accept(*, offer: Offer, actor: User | None) -> Offer:
    with transaction.atomic():
        _check_answerable(offer)
        if offer.deadline < timezone.now():
            raise OfferError(_("The time to confirm this place has passed."))
        if Application.objects.filter(
            pk=offer.application_id, status=ApplicationStatus.WITHDRAWN
        ).exists():
            raise OfferError(_("This application was withdrawn; its place cannot be confirmed."))
        _cas(offer, sources=(OfferState.OPEN,), target=OfferState.ACCEPTED, actor=actor)
        audit_log(actor=actor, action="offer.accept", obj=offer.application, batch=offer.batch_id)
    return offer


def offer_decline(*, offer: Offer, actor: User | None) -> Offer:
    """Gives the seat back; it goes at once to the next on the waiting list."""
    with transaction.atomic():
        _check_answerable(offer)
        _cas(offer, sources=LIVE_OFFER_STATES, target=OfferState.DECLINED, actor=actor)
        audit_log(actor=actor, action="offer.decline", obj=offer.application, batch=offer.batch_id)
        batch_fill(round_=offer.round, batch=offer.batch)
    return offer


def offers_release(*, application: Application, actor: User | None) -> int:
    """An application is withdrawn: every seat it holds in a batch not yet under way goes
    down that batch's waiting list. (In a running batch the person is a participant: staff
    record the dropout.) Returns how many seats were given back."""
    released = 0
    with transaction.atomic():
        for offer in Offer.objects.filter(
            application=application,
            state__in=LIVE_OFFER_STATES,
            batch__state__in=ANSWERABLE_BATCH_STATES,
        ).select_related("round", "batch", "application"):
            try:
                offer_decline(offer=offer, actor=actor)
            except OfferError:
                continue  # answered meanwhile (e.g. lapsed by the periodic job): nothing held
            released += 1
    return released


def offers_lapse(*, now: dt.datetime | None = None) -> int:
    """The periodic job: open offers past their deadline lapse, and their seats move on."""
    now = now or timezone.now()
    lapsed = 0
    for offer in Offer.objects.filter(state=OfferState.OPEN, deadline__lt=now).select_related(
        "round", "batch", "application"
    ):
        with transaction.atomic():
            changed = Offer.objects.filter(pk=offer.pk, state=OfferState.OPEN).update(
                state=OfferState.LAPSED, decided_at=now
            )
            if changed:
                lapsed += 1
                audit_log(
                    actor=None, action="offer.lapse", obj=offer.application, batch=offer.batch_id
                )
                batch_fill(round_=offer.round, batch=offer.batch)
    return lapsed


def batch_fill(*, round_: SelectionRound, batch: Batch) -> list[Offer]:
    """Offers the batch's free seats to the next applicants on its waiting list.

    Someone on this list who holds a seat elsewhere in the round ranked this batch higher
    (that is what being on the list means, once those who have since moved above it are
    left out, see `_without_higher_seats`), so they move up: their other seat is given back
    (marked moved, and refilled after this commits) and the new offer keeps the state the old one had —
    an applicant who already confirmed does not have to confirm again.
    """
    made: list[Offer] = []
    freed: list[Offer] = []
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.state not in ANSWERABLE_BATCH_STATES:
            # Training has started (or the batch is gone): the roster was made at the
            # opening, so a seat offered now could never be confirmed.
            return made
        free = (
            locked.quota - Offer.objects.filter(batch=locked, state__in=LIVE_OFFER_STATES).count()
        )
        if free <= 0:
            return made
        # Out of line: anyone already offered this batch, and anyone who gave up a place
        # in this round (declined or let it lapse) or withdrew: they no longer want one.
        out = set(
            Offer.objects.filter(round=round_)
            .filter(Q(batch=locked) | Q(state__in=[OfferState.DECLINED, OfferState.LAPSED]))
            .values_list("application_id", flat=True)
        )
        waiting = [
            place
            for place in round_.waiting.filter(batch=locked)
            .exclude(application__status=ApplicationStatus.WITHDRAWN)
            .select_related("application__applicant")
            .order_by("position")
            if place.application_id not in out
        ]
        waiting = _without_higher_seats(round_, locked, waiting)
        deadline = _deadline(round_)
        for place in next_in_line(waiting, free=free, short=reserved_short(round_, locked)):
            held = (
                Offer.objects.select_for_update()
                .filter(
                    round=round_, application_id=place.application_id, state__in=LIVE_OFFER_STATES
                )
                .first()
            )
            state = OfferState.OPEN
            if held is not None:
                state = OfferState(held.state)
                Offer.objects.filter(pk=held.pk).update(
                    state=OfferState.MOVED, decided_at=timezone.now()
                )
                freed.append(held)
            offer = Offer.objects.create(
                round=round_,
                application_id=place.application_id,
                batch=locked,
                deadline=deadline,
                state=state,
            )
            made.append(offer)
        for offer in made:
            audit_log(
                actor=None, action="offer.from_waiting_list", obj=offer.application, batch=locked.pk
            )
        # Refilled after commit, each under its own lock, so two batches never wait on each other.
        for old in freed:
            transaction.on_commit(partial(batch_fill, round_=round_, batch=old.batch))
    return made


def _without_higher_seats(
    round_: SelectionRound, batch: Batch, waiting: list[WaitingPlace]
) -> list[WaitingPlace]:
    """Drops from `batch`'s waiting list whoever now holds a seat they ranked above it,
    or a seat in a batch whose training has started.

    The engine puts a person on the list of every choice above the one they were drawn
    into; once a freed seat has moved them up, the lists of the choices in between are
    below where they sit, and taking a seat there would move them down. A seat in a batch
    they never chose (their batch was merged into it) does not count as ranked.
    """
    ids = [place.application_id for place in waiting]
    live = Offer.objects.filter(round=round_, application_id__in=ids, state__in=LIVE_OFFER_STATES)
    # Whoever holds a place in a batch that has opened is in training there (on its
    # roster): that place is no longer theirs to trade, so they are passed over.
    in_training = set(
        live.exclude(batch__state__in=ANSWERABLE_BATCH_STATES).values_list(
            "application_id", flat=True
        )
    )
    waiting = [place for place in waiting if place.application_id not in in_training]
    held = dict(live.values_list("application_id", "batch_id"))
    if not held:
        return waiting
    ranks = {
        (application_id, batch_id): rank
        for application_id, batch_id, rank in Choice.objects.filter(
            application_id__in=list(held), batch_id__in=[batch.pk, *held.values()]
        ).values_list("application_id", "batch_id", "rank")
    }

    def higher_seat(application_id: int) -> bool:
        if application_id not in held:
            return False
        here = ranks.get((application_id, batch.pk))
        there = ranks.get((application_id, held[application_id]))
        return here is not None and there is not None and there < here

    return [place for place in waiting if not higher_seat(place.application_id)]


def reserved_short(round_: SelectionRound, batch: Batch) -> dict[str, int]:
    """Per reserved group of the batch, in the round's order: how many of its reserved seats
    are not held by a member of the group right now."""
    reservations = list(round_.reservations.filter(batch=batch).order_by("order", "id"))
    if not reservations:
        return {}
    holders = [
        groups_of(offer.application.applicant)
        for offer in Offer.objects.filter(batch=batch, state__in=LIVE_OFFER_STATES).select_related(
            "application__applicant"
        )
    ]
    return {
        r.group: max(0, r.seats - sum(r.group in groups for groups in holders))
        for r in reservations
    }


def next_in_line(
    waiting: list[WaitingPlace], *, free: int, short: dict[str, int]
) -> list[WaitingPlace]:
    """Who gets the `free` seats: first members of groups whose reserved seats are short,
    each group in order and its members by waiting-list position, then everyone else by
    position. A person in two groups fills a reserved seat of each."""
    short = dict(short)
    picked: list[WaitingPlace] = []

    def take(place: WaitingPlace) -> None:
        picked.append(place)
        for group in groups_of(place.application.applicant):
            if short.get(group, 0) > 0:
                short[group] -= 1

    for group in list(short):
        for place in waiting:
            if len(picked) == free or short[group] == 0:
                break
            if place not in picked and group in groups_of(place.application.applicant):
                take(place)
    for place in waiting:
        if len(picked) == free:
            break
        if place not in picked:
            take(place)
    return picked
