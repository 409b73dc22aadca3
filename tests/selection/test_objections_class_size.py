"""Objections to a published result; batches below their minimum class size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.selection.test_offers import _live, _published
from tests.selection.test_round import _apply, _batch
from vokasi.catalog.models import BatchState, Intake
from vokasi.core.models import User
from vokasi.notifications.models import Message
from vokasi.selection.class_size import (
    ClassSizeError,
    class_size_merge,
    class_size_postpone,
    class_size_run_anyway,
    round_places,
)
from vokasi.selection.models import ClassSizeDecision, Objection, Offer, OfferState
from vokasi.selection.objections import ObjectionError, objection_answer, objection_submit
from vokasi.selection.offers import offer_accept

pytestmark = pytest.mark.django_db


def test_an_objection_is_taken_once_in_time_and_its_answer_is_sent(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    a = _apply(intake, 1, "647401", [las], email="a@contoh.id")
    b = _apply(intake, 2, "647401", [las], email="b@contoh.id")
    round_ = _published(intake, staff)
    loser = b if Offer.objects.get().application_id == a.pk else a
    with pytest.raises(ObjectionError, match="characters"):
        objection_submit(round_=round_, application=loser, text="tidak", actor=None)
    objection = objection_submit(
        round_=round_, application=loser, text="Saya warga Bontang sejak lahir.", actor=None
    )
    with pytest.raises(ObjectionError, match="already objected"):
        objection_submit(round_=round_, application=loser, text="Sekali lagi, mohon.", actor=None)
    with pytest.raises(ObjectionError, match="upheld"):
        objection_answer(objection=objection, verdict="maybe", answer="x" * 20, actor=staff)
    objection_answer(
        objection=objection,
        verdict="rejected",
        answer="Alamat Anda di Bontang; undian publik menentukan urutan.",
        actor=staff,
    )
    with pytest.raises(ObjectionError, match="already answered"):
        objection_answer(objection=objection, verdict="upheld", answer="x" * 20, actor=staff)
    message = Message.objects.get(template="selection_objection_answered")
    assert "Tidak diterima" in message.body  # the message goes out in Indonesian
    assert message.recipient == loser.applicant.email
    # After the objection period nobody can object any more.
    round_.published_at = timezone.now() - dt.timedelta(days=round_.objection_days, minutes=1)
    round_.save()
    Objection.objects.all().delete()
    with pytest.raises(ObjectionError, match="passed"):
        objection_submit(
            round_=round_, application=loser, text="Terlambat tapi penting.", actor=None
        )


def test_a_batch_that_cannot_reach_its_minimum_is_flagged(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    las.min_participants = 3
    las.save()
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    round_ = _published(intake, staff)
    (row,) = round_places(round_)
    assert (row.accepted, row.open, row.below_minimum, row.settled) == (0, 2, True, False)
    with pytest.raises(ClassSizeError, match="reason"):
        class_size_run_anyway(round_=round_, batch=las, reason="", actor=staff)
    class_size_run_anyway(
        round_=round_, batch=las, reason="Sponsor hanya bisa bulan ini", actor=staff
    )
    with pytest.raises(ClassSizeError, match="already recorded"):
        class_size_postpone(round_=round_, batch=las, reason="Tunggu peserta", actor=staff)
    (row,) = round_places(round_)
    assert row.decision is not None and row.decision.kind == ClassSizeDecision.Kind.RUN_ANYWAY


def test_postponing_keeps_the_places_and_tells_their_holders(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    las.min_participants = 3
    las.save()
    for i in (1, 2):
        _apply(intake, i, "647401", [las], email=f"p{i}@contoh.id")
    round_ = _published(intake, staff)
    class_size_postpone(round_=round_, batch=las, reason="Peserta belum cukup", actor=staff)
    las.refresh_from_db()
    assert las.state == BatchState.POSTPONED
    assert _live(las) == 2
    assert Message.objects.filter(template="selection_batch_postponed").count() == 2


def test_merging_moves_every_place_with_its_state_and_cancels_the_batch(
    intake: Intake, staff: User
) -> None:
    small = _batch(intake, "LAS-A", quota=4)
    small.min_participants = 3
    small.save()
    big = _batch(intake, "LAS-B", quota=3)
    big.programme = small.programme
    big.save()
    for i in (1, 2):
        _apply(intake, i, "647401", [small], email=f"m{i}@contoh.id")
    _apply(intake, 3, "647401", [big])
    round_ = _published(intake, staff)
    first = Offer.objects.filter(batch=small).first()
    assert first is not None
    offer_accept(offer=first, actor=None)
    class_size_merge(
        round_=round_, batch=small, target=big, reason="Kelas terlalu kecil", actor=staff
    )
    small.refresh_from_db()
    assert small.state == BatchState.CANCELLED
    assert _live(small) == 0 and _live(big) == 3
    assert Offer.objects.filter(batch=big, state=OfferState.ACCEPTED).count() == 1
    assert Offer.objects.filter(batch=small, state=OfferState.MOVED).count() == 2
    assert Message.objects.filter(template="selection_batch_merged").count() == 2


def test_a_merge_that_does_not_fit_changes_nothing(intake: Intake, staff: User) -> None:
    small = _batch(intake, "LAS-A", quota=4)
    small.min_participants = 3
    small.save()
    full = _batch(intake, "LAS-B", quota=1)
    full.programme = small.programme
    full.save()
    other = _batch(intake, "OTO-A", quota=4)
    for i in (1, 2):
        _apply(intake, i, "647401", [small])
    _apply(intake, 3, "647401", [full])
    round_ = _published(intake, staff)
    with pytest.raises(ClassSizeError, match="free seats"):
        class_size_merge(round_=round_, batch=small, target=full, reason="Digabung", actor=staff)
    with pytest.raises(ClassSizeError, match="same programme"):
        class_size_merge(round_=round_, batch=small, target=other, reason="Digabung", actor=staff)
    small.refresh_from_db()
    assert small.state == BatchState.SELECTION
    assert _live(small) == 2
    assert not ClassSizeDecision.objects.exists()


def test_no_decision_for_a_batch_that_can_still_reach_its_minimum(
    intake: Intake, staff: User
) -> None:
    las = _batch(intake, "LAS-S", quota=4)  # minimum 1
    _apply(intake, 1, "647401", [las])
    round_ = _published(intake, staff)
    with pytest.raises(ClassSizeError, match="can still reach"):
        class_size_postpone(round_=round_, batch=las, reason="Tunggu peserta", actor=staff)
    las.refresh_from_db()
    assert las.state == BatchState.SELECTION
