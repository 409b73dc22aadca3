"""The batch page's roster of a batch held in a prison: only for whom it concerns."""

from __future__ import annotations

import pytest

from tests.factories import BatchFactory, ParticipantFactory, PartnerFactory
from vokasi.backoffice.selectors import batch_participants
from vokasi.core.models import User
from vokasi.training.models import BatchStaff

pytestmark = pytest.mark.django_db


def test_a_roster_is_hidden_from_instructors_who_do_not_serve_the_batch(
    instructor: User, staff: User
) -> None:
    prison = PartnerFactory(kind="prison")
    batch = BatchFactory(venue_partner=prison)
    ParticipantFactory(batch=batch)
    assert batch_participants(batch, viewer=instructor) == []
    assert len(batch_participants(batch, viewer=staff)) == 1
    BatchStaff.objects.create(batch=batch, user=instructor, role="instructor")
    assert len(batch_participants(batch, viewer=instructor)) == 1
    # Any batch's people, inmates or not, only to the instructors and assessors serving it.
    ordinary = BatchFactory()
    ParticipantFactory(batch=ordinary)
    other = User.objects.create_user("instruktur3", password="x", role="instructor")
    assert batch_participants(ordinary, viewer=other) == []
    BatchStaff.objects.create(batch=ordinary, user=other, role="instructor")
    assert len(batch_participants(ordinary, viewer=other)) == 1
    assert len(batch_participants(ordinary, viewer=staff)) == 1
