"""batch_transition: the only way a batch changes state."""

from __future__ import annotations

import pytest

from tests.factories import BatchFactory
from vokasi.catalog.models import Batch, BatchState
from vokasi.catalog.services import TransitionError, batch_transition
from vokasi.catalog.transitions import TRANSITIONS
from vokasi.core.audit import audit_entries_for
from vokasi.core.models import User

pytestmark = pytest.mark.django_db


def test_opening_registration_is_recorded_with_who_and_from_where(staff: User) -> None:
    batch = BatchFactory()
    batch_transition(batch=batch, target=BatchState.OPEN, actor=staff)
    batch.refresh_from_db()
    assert batch.state == BatchState.OPEN
    entry = audit_entries_for(batch).get()
    assert entry.actor == staff
    assert entry.data == {"source": "draft", "target": "open", "reason": ""}


def test_the_whole_life_of_a_batch(staff: User) -> None:
    batch = BatchFactory()
    for target in (BatchState.OPEN, BatchState.SELECTION, BatchState.RUNNING, BatchState.COMPLETED):
        batch_transition(batch=batch, target=target, actor=staff)
    assert Batch.objects.get(pk=batch.pk).state == BatchState.COMPLETED
    assert audit_entries_for(batch).count() == 4


def test_a_move_from_the_wrong_state_is_refused_and_changes_nothing(staff: User) -> None:
    batch = BatchFactory(state=BatchState.COMPLETED)
    with pytest.raises(TransitionError, match="cannot be moved"):
        batch_transition(batch=batch, target=BatchState.OPEN, actor=staff)
    assert Batch.objects.get(pk=batch.pk).state == BatchState.COMPLETED
    assert not audit_entries_for(batch).exists()


def test_cancelling_needs_a_reason(staff: User) -> None:
    batch = BatchFactory()
    with pytest.raises(TransitionError, match="reason"):
        batch_transition(batch=batch, target=BatchState.CANCELLED, actor=staff, reason="  ")
    batch_transition(
        batch=batch, target=BatchState.CANCELLED, actor=staff, reason="Peserta kurang dari minimum"
    )
    batch.refresh_from_db()
    assert (batch.state, batch.state_reason) == (
        BatchState.CANCELLED,
        "Peserta kurang dari minimum",
    )


def test_a_stale_page_cannot_move_a_batch_someone_else_already_moved(staff: User) -> None:
    batch = BatchFactory()
    stale = Batch.objects.get(pk=batch.pk)
    batch_transition(batch=batch, target=BatchState.OPEN, actor=staff)
    # The second click was made on a page loaded when the batch was still a draft.
    with pytest.raises(TransitionError, match="someone else"):
        batch_transition(batch=stale, target=BatchState.CANCELLED, actor=staff, reason="x")
    assert Batch.objects.get(pk=batch.pk).state == BatchState.OPEN
    assert audit_entries_for(batch).count() == 1


def test_a_nominated_batch_starts_without_registration(staff: User) -> None:
    batch = BatchFactory(registration_opens=None, registration_closes=None)
    with pytest.raises(TransitionError, match="registration dates"):
        batch_transition(batch=batch, target=BatchState.OPEN, actor=staff)
    batch_transition(batch=batch, target=BatchState.RUNNING, actor=staff)
    assert batch.state == BatchState.RUNNING


def test_a_batch_with_registration_cannot_skip_it(staff: User) -> None:
    with pytest.raises(TransitionError, match="open registration instead"):
        batch_transition(batch=BatchFactory(), target=BatchState.RUNNING, actor=staff)


def test_terminal_states_have_no_way_out() -> None:
    assert not [t for t in TRANSITIONS if t.source in (BatchState.COMPLETED, BatchState.CANCELLED)]
