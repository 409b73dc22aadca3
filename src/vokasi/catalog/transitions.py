"""Which batch state may follow which, and what each move means.

One table, so the back office's buttons, the service and the tests agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vokasi.catalog.models import BatchState as S


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    label: str | Promise
    needs_reason: bool = False
    # Partner-nominated batches skip registration and selection.
    only_without_registration: bool = False
    only_with_registration: bool = False
    danger: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.OPEN, _("Open registration"), only_with_registration=True),
    Transition(
        S.DRAFT,
        S.RUNNING,
        _("Start training (nominated participants)"),
        only_without_registration=True,
    ),
    Transition(S.OPEN, S.SELECTION, _("Close registration and start selection")),
    Transition(S.SELECTION, S.OPEN, _("Reopen registration"), needs_reason=True),
    Transition(S.SELECTION, S.RUNNING, _("Open training (pembukaan)")),
    Transition(S.RUNNING, S.COMPLETED, _("Close training (penutupan)")),
    Transition(S.DRAFT, S.POSTPONED, _("Postpone"), needs_reason=True, danger=True),
    Transition(S.OPEN, S.POSTPONED, _("Postpone"), needs_reason=True, danger=True),
    Transition(S.SELECTION, S.POSTPONED, _("Postpone"), needs_reason=True, danger=True),
    Transition(S.POSTPONED, S.DRAFT, _("Resume planning")),
    Transition(
        S.DRAFT,
        S.CANCELLED,
        pgettext_lazy("batch action", "Cancel"),
        needs_reason=True,
        danger=True,
    ),
    Transition(
        S.OPEN, S.CANCELLED, pgettext_lazy("batch action", "Cancel"), needs_reason=True, danger=True
    ),
    Transition(
        S.SELECTION,
        S.CANCELLED,
        pgettext_lazy("batch action", "Cancel"),
        needs_reason=True,
        danger=True,
    ),
    Transition(
        S.POSTPONED,
        S.CANCELLED,
        pgettext_lazy("batch action", "Cancel"),
        needs_reason=True,
        danger=True,
    ),
)


def find_transition(source: str, target: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def transitions_from(source: str, *, has_registration: bool) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS
        if t.source == source
        and not (t.only_without_registration and has_registration)
        and not (t.only_with_registration and not has_registration)
    ]
