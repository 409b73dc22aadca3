"""Writes to the catalogue. Each state change is one function and the only path for it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, BatchState, TrainingCentre
from vokasi.catalog.selectors import forget_centre_timezone
from vokasi.catalog.transitions import find_transition
from vokasi.core.audit import audit_log
from vokasi.core.models import User


class TransitionError(Exception):
    """A state change that is not allowed; the message is for the user."""


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
