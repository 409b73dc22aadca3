"""Defects found in review, each pinned by a test that failed before its fix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.selection.test_offers import _live
from tests.selection.test_round import _apply, _batch, _round
from vokasi.catalog.models import Intake
from vokasi.core.models import User
from vokasi.selection.models import LIVE_OFFER_STATES, Offer
from vokasi.selection.offers import offer_decline
from vokasi.selection.services import round_draw, round_publish, round_publish_seed

pytestmark = pytest.mark.django_db


def test_a_seat_freed_in_a_lower_choice_never_moves_someone_down(
    intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    """X ranked A, B, C and was drawn into C, waiting on A and B. A seat in A frees: X moves
    up to A. A seat in B frees later: B is below A for X, so X stays in A."""
    a, b, c = (_batch(intake, code, quota=1) for code in ("A-S", "B-S", "C-S"))
    p = _apply(intake, 1, "647401", [a])  # Bontang residents win A and B
    q = _apply(intake, 2, "647401", [b])
    x = _apply(intake, 3, "647201", [a, b, c])
    round_ = _round(intake, staff, ["domicile_funder"])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    assert Offer.objects.get(application=x).batch == c
    assert round_.waiting.filter(application=x).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        offer_decline(offer=Offer.objects.get(application=p), actor=None)
    assert Offer.objects.get(application=x, state__in=LIVE_OFFER_STATES).batch == a
    with django_capture_on_commit_callbacks(execute=True):
        offer_decline(offer=Offer.objects.get(application=q), actor=None)
    assert Offer.objects.get(application=x, state__in=LIVE_OFFER_STATES).batch == a
    assert _live(b) == 0
