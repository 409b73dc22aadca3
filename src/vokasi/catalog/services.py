"""Writes to the catalogue. Each state change is one function and the only path for it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from vokasi.catalog.models import FROZEN_BATCH_STATES, Batch, BatchState, Programme, TrainingCentre
from vokasi.catalog.selectors import forget_centre_timezone
from vokasi.catalog.transitions import find_transition
from vokasi.core.audit import audit_log
from vokasi.core.models import User


class TransitionError(Exception):
    """A state change that is not allowed; the message is for the user."""


class EditError(Exception):
    """A change to a batch or programme that cannot be saved; the message is for the user."""


def _saved(obj: models.Model, *, fields: Sequence[str] | None) -> None:
    """Saves only the named fields, so an edit never rewrites a column (such as a batch's
    state) that someone else changed since the form was loaded."""
    try:
        with transaction.atomic():
            obj.save(update_fields=fields) if fields is not None else obj.save()
    except IntegrityError:
        # The form checked the same rules; only a concurrent change gets here.
        raise EditError(
            _(
                "Someone else changed this record or took this code in the meantime; reload and try again."
            )
        ) from None


def batch_create(*, batch: Batch, instructors: Iterable[User], actor: User) -> Batch:
    """Saves a new batch as a draft; `batch` has passed the form's validation."""
    with transaction.atomic():
        batch.state = BatchState.DRAFT
        _saved(batch, fields=None)
        batch.instructors.set(instructors)
        audit_log(actor=actor, action="batch.create", obj=batch)
    return batch


def batch_update(
    *, batch: Batch, fields: Sequence[str], instructors: Iterable[User] | None, actor: User
) -> Batch:
    """Writes the edited `fields` of `batch` under a row lock, refusing frozen batches."""
    with transaction.atomic():
        current = Batch.objects.select_for_update().get(pk=batch.pk)
        if current.state in FROZEN_BATCH_STATES:
            raise EditError(_("A completed or cancelled batch can no longer be edited."))
        columns = [f for f in fields if f != "instructors"]
        if columns:
            _saved(batch, fields=columns)
        if instructors is not None:
            batch.instructors.set(instructors)
        audit_log(actor=actor, action="batch.update", obj=batch, fields=list(fields))
    return batch


def programme_create(
    *, programme: Programme, domicile_regions: Iterable[models.Model], actor: User
) -> Programme:
    with transaction.atomic():
        _saved(programme, fields=None)
        programme.domicile_regions.set(domicile_regions)  # type: ignore[arg-type]
        audit_log(actor=actor, action="programme.create", obj=programme)
    return programme


def programme_update(
    *,
    programme: Programme,
    fields: Sequence[str],
    domicile_regions: Iterable[models.Model] | None,
    actor: User,
) -> Programme:
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        columns = [f for f in fields if f != "domicile_regions"]
        if columns:
            _saved(programme, fields=columns)
        if domicile_regions is not None:
            programme.domicile_regions.set(domicile_regions)  # type: ignore[arg-type]
        audit_log(actor=actor, action="programme.update", obj=programme, fields=list(fields))
    return programme


def batch_transition(*, batch: Batch, target: str, actor: User | None, reason: str = "") -> Batch:
    """Moves `batch` to `target`, if the table allows it from the state it is in *now*.

    Compare-and-set on the state: if another user moved the batch since the page was
    loaded, the update matches no row and nothing changes.
    """
    reason = reason.strip()
    move = find_transition(batch.state, target)
    if move is None:
        raise TransitionError(
            _("A batch in state “%(source)s” cannot be moved to “%(target)s”.")
            % {
                "source": batch.get_state_display(),
                "target": BatchState(target).label if target in BatchState.values else target,
            }
        )
    if move.only_without_registration and batch.has_public_registration:
        raise TransitionError(_("This batch takes registrations; open registration instead."))
    if move.only_with_registration and not batch.has_public_registration:
        raise TransitionError(_("Set the registration dates before opening registration."))
    if move.needs_reason and not reason:
        raise TransitionError(_("Please give the reason."))
    source = batch.state
    with transaction.atomic():
        changed = Batch.objects.filter(pk=batch.pk, state=source).update(
            state=target, state_reason=reason
        )
        if changed != 1:
            raise TransitionError(
                _("The batch was changed by someone else in the meantime; reload the page.")
            )
        batch.state, batch.state_reason = target, reason
        audit_log(
            actor=actor,
            action="batch.transition",
            obj=batch,
            source=source,
            target=target,
            reason=reason,
        )
    return batch


def centre_saved(centre: TrainingCentre) -> None:
    """Call after a centre's settings change: its time zone is cached per process."""
    forget_centre_timezone()


def programme_units_set(
    *, programme: Programme, units: Sequence[tuple[str, str, int]], actor: User
) -> None:
    """Makes the programme's units exactly `units` (code, title, JP), in that order.

    Units are matched by code, so a unit kept keeps its row (later records such as
    assessments point at it); a unit that is still referenced cannot be removed.
    """
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        existing = {u.code: u for u in programme.units.all()}
        wanted = {code for code, _, _ in units}
        try:
            with transaction.atomic():
                programme.units.exclude(code__in=wanted).delete()
        except models.ProtectedError:
            raise EditError(
                _("A unit that already has records cannot be removed; rename it instead.")
            ) from None
        for order, (code, title, hours) in enumerate(units, start=1):
            unit = existing.get(code)
            if unit is None:
                programme.units.create(code=code, title=title, hours_jp=hours, order=order)
            elif (unit.title, unit.hours_jp, unit.order) != (title, hours, order):
                unit.title, unit.hours_jp, unit.order = title, hours, order
                unit.save(update_fields=["title", "hours_jp", "order"])
        audit_log(
            actor=actor,
            action="programme.units",
            obj=programme,
            units=[code for code, _, _ in units],
        )
