"""Writes of selection: the seed, the draw, publication. Each checks the round's state."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi import allocation
from vokasi.catalog.models import Batch, BatchState, Intake
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.notifications.services import InvalidRecipient, message_enqueue
from vokasi.selection.models import (
    LIVE_OFFER_STATES,
    Offer,
    Outcome,
    RoundState,
    SelectionRound,
    WaitingPlace,
)
from vokasi.selection.offers import offers_create_for_admitted
from vokasi.selection.rules import RULES, groups_of, load_facts, tier


class SelectionError(Exception):
    """The message is for staff."""


def _move(round_: SelectionRound, *, sources: list[str], target: str, **fields: object) -> None:
    changed = SelectionRound.objects.filter(pk=round_.pk, state__in=sources).update(
        state=target, **fields
    )
    if changed != 1:
        raise SelectionError(
            _("The round was changed meanwhile, or is in the wrong state; reload the page.")
        )
    round_.refresh_from_db()


def round_set_rules(*, round_: SelectionRound, rules: list[str], actor: User | None) -> None:
    unknown = [r for r in rules if r not in RULES]
    if unknown or len(set(rules)) != len(rules):
        raise SelectionError(_("Choose each rule from the list at most once."))
    with transaction.atomic():
        _move(round_, sources=[RoundState.DRAFT], target=RoundState.DRAFT, rules=rules)
        audit_log(actor=actor, action="round.rules", obj=round_, rules=rules)


def round_create(*, intake: Intake, actor: User | None) -> tuple[SelectionRound, bool]:
    """A new draft round for `intake`, or the draft it already has: a double click, or two
    members of staff at once, make one round (the intake's row is the lock)."""
    with transaction.atomic():
        Intake.objects.select_for_update().filter(pk=intake.pk).first()
        draft = SelectionRound.objects.filter(intake=intake, state=RoundState.DRAFT).first()
        if draft is not None:
            return draft, False
        round_ = SelectionRound.objects.create(
            intake=intake,
            name=_("Selection for %(intake)s") % {"intake": intake.name},
            created_by=actor,
        )
        audit_log(actor=actor, action="round.create", obj=round_)
    return round_, True


def round_delete(*, round_: SelectionRound, actor: User | None) -> None:
    """A round made by mistake goes, while it is a draft: nothing about it is public yet."""
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().filter(pk=round_.pk).first()
        if locked is None or locked.state != RoundState.DRAFT:
            raise SelectionError(
                _("Only a draft round, before its seed is published, can be deleted.")
            )
        audit_log(actor=actor, action="round.delete", obj=locked, name=locked.name)
        locked.delete()


def round_publish_seed(*, round_: SelectionRound, seed: str, actor: User | None) -> None:
    """Fixes the seed in public, before the draw. It cannot change afterwards."""
    seed = seed.strip()
    if not 4 <= len(seed) <= 120:
        raise SelectionError(
            _(
                "The seed must be 4 to 120 characters, e.g. the date and the numbers drawn in public."
            )
        )
    with transaction.atomic():
        _move(
            round_,
            sources=[RoundState.DRAFT],
            target=RoundState.SEEDED,
            seed=seed,
            seed_set_at=timezone.now(),
        )
        audit_log(actor=actor, action="round.seed", obj=round_, seed=seed)


def eligible_applications(round_: SelectionRound) -> list[Application]:
    return list(
        Application.objects.filter(intake=round_.intake, status=ApplicationStatus.ELIGIBLE)
        .select_related("applicant")
        .prefetch_related("choices__batch__funding")
        .order_by("number")
    )


def _seats_held_elsewhere(round_: SelectionRound) -> tuple[dict[int, int], set[int]]:
    """Live offers (open or accepted) of the intake's batches from other rounds: how many
    per batch, and which applications hold them."""
    live = Offer.objects.filter(
        batch__intake_id=round_.intake_id, state__in=LIVE_OFFER_STATES
    ).exclude(round=round_)
    taken: dict[int, int] = {}
    holders: set[int] = set()
    for batch_id, application_id in live.values_list("batch_id", "application_id"):
        taken[batch_id] = taken.get(batch_id, 0) + 1
        holders.add(application_id)
    return taken, holders


def build_input(round_: SelectionRound) -> bytes:
    """The engine's input file: registration numbers, choices, tiers, scores, groups —
    nothing personal, so it can be published."""
    applications = eligible_applications(round_)
    facts = load_facts(applications, intake_id=round_.intake_id, round_=round_)
    scores = {s.application_id: s.score for s in round_.scores.all()}
    batches = {b.pk: b for b in draw_batches(round_)}
    # Another round of the intake may already hold seats (a second round for the seats
    # left): the draw is for the seats still free, among those who hold none.
    taken, holders = _seats_held_elsewhere(round_)
    capacity = {pk: max(0, b.quota - taken.get(pk, 0)) for pk, b in batches.items()}
    reservations: dict[int, list[allocation.Reservation]] = {}
    for r in round_.reservations.order_by("order", "id"):
        kept = reservations.setdefault(r.batch_id, [])
        left = capacity.get(r.batch_id, 0) - sum(k.seats for k in kept)
        if min(r.seats, left) > 0:  # never more reserved than there are seats to draw
            kept.append(allocation.Reservation(group=r.group, seats=min(r.seats, left)))
    reserved_groups = {pk: {r.group for r in kept} for pk, kept in reservations.items()}
    engine_batches = [
        allocation.Batch(
            id=b.code, capacity=capacity[b.pk], reserved=tuple(reservations.get(b.pk, ()))
        )
        for b in sorted(batches.values(), key=lambda b: b.code)
    ]
    applicants = []
    for a in applications:
        if a.pk in holders:
            continue
        choices = [c for c in a.choices.all() if c.eligible and c.batch_id in batches]
        if not choices:
            continue
        applicants.append(
            allocation.Applicant(
                id=str(a.number),
                choices=tuple(c.batch.code for c in choices),
                tiers=tuple(tier(a, c.batch, round_.rules, facts) for c in choices),
                score=float(scores.get(a.pk, Decimal(0))),
                # Only groups the draw needs: those with reserved seats in a batch this
                # applicant chose. Membership of any other group is nobody's business.
                groups=tuple(
                    g
                    for g in groups_of(a.applicant)
                    if any(g in reserved_groups.get(c.batch_id, ()) for c in choices)
                ),
            )
        )
    return allocation.encode_problem(
        seed=round_.seed, batches=engine_batches, applicants=applicants
    )


def draw_batches(round_: SelectionRound) -> QuerySet[Batch]:
    """The batches a draw is for: those of the intake whose registration has closed (in
    selection). A batch still taking registrations waits for a later round."""
    return round_.intake.batches.filter(state=BatchState.SELECTION).order_by("code")


def round_run(*, round_: SelectionRound, actor: User) -> None:
    """Queues the draw; it runs in the background worker (seconds even for a large wave)."""
    if round_.state not in (RoundState.SEEDED, RoundState.RUN):
        raise SelectionError(_("Publish the seed before the draw."))
    if not draw_batches(round_).exists():
        raise SelectionError(
            _("No batch of this intake is in selection: close registration of a batch first.")
        )
    audit_log(actor=actor, action="round.run_requested", obj=round_)
    transaction.on_commit(lambda: run_round_task.enqueue(round_.pk))


@task()
def run_round_task(round_id: int) -> None:
    round_draw(round_=SelectionRound.objects.get(pk=round_id))


def round_draw(*, round_: SelectionRound) -> None:
    """Builds the input, solves it, stores both files and the outcomes."""
    data = build_input(round_)
    problem = allocation.load_problem(data)
    result = allocation.solve(problem)
    result_bytes = allocation.encode_result(result)
    by_number = {
        a.number: a.pk
        for a in Application.objects.filter(intake=round_.intake).only("pk", "number")
    }
    codes = {b.code: b.pk for b in round_.intake.batches.all()}
    with transaction.atomic():
        _move(
            round_,
            sources=[RoundState.SEEDED, RoundState.RUN],
            target=RoundState.RUN,
            input_file=data,
            input_sha256=hashlib.sha256(data).hexdigest(),
            result_file=result_bytes,
            result_sha256=hashlib.sha256(result_bytes).hexdigest(),
            run_at=timezone.now(),
        )
        round_.outcomes.all().delete()
        round_.waiting.all().delete()
        Outcome.objects.bulk_create(
            Outcome(
                round=round_,
                application_id=by_number[number],
                batch_id=codes[code] if code else None,
            )
            for number, code in result.assignments().items()
        )
        WaitingPlace.objects.bulk_create(
            WaitingPlace(
                round=round_, batch_id=codes[code], application_id=by_number[number], position=i
            )
            for code, numbers in result.waiting_lists().items()
            for i, number in enumerate(numbers, start=1)
        )
        audit_log(actor=None, action="round.drawn", obj=round_, input_sha256=round_.input_sha256)


def round_publish(*, round_: SelectionRound, actor: User | None, notify: bool = True) -> None:
    """Locks the round and tells every applicant in it their result (outbox); `notify` is
    off only for historic rounds loaded as demo data."""
    with transaction.atomic():
        withdrawn = round_.outcomes.filter(
            batch__isnull=False, application__status=ApplicationStatus.WITHDRAWN
        ).count()
        if withdrawn:
            # Their seats would sit unanswerable until they lapsed; a new draw (which
            # leaves them out) gives every seat to someone who still wants it.
            raise SelectionError(
                _(
                    "%(n)d admitted applications were withdrawn since the draw; "
                    "run the draw again before publishing."
                )
                % {"n": withdrawn}
            )
        _check_seats_still_free(round_)
        _move(
            round_,
            sources=[RoundState.RUN],
            target=RoundState.PUBLISHED,
            published_at=timezone.now(),
        )
        audit_log(
            actor=actor, action="round.publish", obj=round_, result_sha256=round_.result_sha256
        )
        offers_create_for_admitted(round_)
        if notify:
            _notify_results(round_)


def _check_seats_still_free(round_: SelectionRound) -> None:
    """Under the lock of every batch the round admits to (the lock batch_fill takes), the
    seats it gives must still be free: another round of the intake may have been
    published, or a seat given, since this draw."""
    admitted: dict[int, int] = {}
    for batch_id in round_.outcomes.filter(batch__isnull=False).values_list("batch_id", flat=True):
        admitted[batch_id] = admitted.get(batch_id, 0) + 1
    # Locked first (in a fixed order), counted after: the count is then final.
    locked = list(Batch.objects.select_for_update().filter(pk__in=list(admitted)).order_by("pk"))
    live = Offer.objects.filter(batch_id__in=list(admitted), state__in=LIVE_OFFER_STATES)
    taken: dict[int, int] = {}
    for batch_id in live.values_list("batch_id", flat=True):
        taken[batch_id] = taken.get(batch_id, 0) + 1
    for batch in locked:
        if taken.get(batch.pk, 0) + admitted[batch.pk] > batch.quota:
            raise SelectionError(
                _(
                    "Seats of %(batch)s were given in another round since this draw; "
                    "run the draw again before publishing."
                )
                % {"batch": batch.code}
            )


def _notify_results(round_: SelectionRound) -> None:
    url = settings.SITE_URL + reverse("portal:announcement", args=[round_.pk])
    # Ordered by descending position, so each application keeps its best (lowest) place.
    best_place = {
        w.application_id: w for w in round_.waiting.select_related("batch").order_by("-position")
    }
    for outcome in round_.outcomes.select_related("application__applicant", "batch"):
        applicant = outcome.application.applicant
        channel, address = (
            ("email", applicant.email) if applicant.email else ("whatsapp", applicant.phone)
        )
        if not address:
            continue
        context: dict[str, object] = {
            "name": applicant.full_name,
            "number": outcome.application.number,
            "round": round_.name,
            "url": url,
        }
        if outcome.batch is not None:
            template, context["batch"] = "selection_admitted", outcome.batch.name
        elif (place := best_place.get(outcome.application_id)) is not None:
            template = "selection_waiting"
            context |= {"batch": place.batch.name, "position": place.position}
        else:
            continue
        try:
            message_enqueue(
                channel=channel,
                recipient=address,
                template=template,
                context=context,
                language="id",
                idempotency_key=f"round:{round_.pk}:{outcome.application_id}",
                about=outcome.application,
            )
        except InvalidRecipient:
            continue  # a broken contact must not block the publication
