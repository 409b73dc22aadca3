"""Defects found in review, each pinned by a test that failed before its fix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.selection.test_offers import _live, _published
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


def test_withdrawing_gives_the_seat_back_and_the_offer_cannot_be_confirmed(
    client: Any, intake: Intake, staff: User
) -> None:
    """An admitted applicant who withdraws in the portal no longer holds a seat: it goes
    to the next on the waiting list, and their old offer can no longer be confirmed."""
    from django.urls import reverse
    from django.utils import timezone

    from vokasi.selection.models import OfferState
    from vokasi.selection.offers import OfferError, offer_accept

    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    offer = Offer.objects.get()
    owner = User.objects.create_user(
        "pelamar1", password="x", role="applicant", confirmed_at=timezone.now()
    )
    holder = offer.application.applicant
    holder.user = owner
    holder.save()
    client.force_login(owner)
    client.post(reverse("portal:application_withdraw", args=[offer.application.number]))
    offer.refresh_from_db()
    assert offer.state not in LIVE_OFFER_STATES
    assert Offer.objects.get(batch=las, state=OfferState.OPEN).application != offer.application
    assert _live(las) == 1
    with pytest.raises(OfferError):
        offer_accept(offer=offer, actor=owner)


def test_a_withdrawn_application_cannot_confirm_an_open_offer(intake: Intake, staff: User) -> None:
    from vokasi.intake.models import ApplicationStatus
    from vokasi.selection.offers import OfferError, offer_accept

    las = _batch(intake, "LAS-S", quota=1)
    _apply(intake, 1, "647401", [las])
    _published(intake, staff)
    offer = Offer.objects.get()
    offer.application.status = ApplicationStatus.WITHDRAWN
    offer.application.save()
    with pytest.raises(OfferError, match="withdrawn"):
        offer_accept(offer=offer, actor=None)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "truncated"])
def test_a_garbled_score_file_is_refused_with_the_reason(
    intake: Intake, staff: User, part: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.training.test_review_fixes import _broken_xlsx
    from vokasi.selection.inputs import scores_check

    round_ = _round(intake, staff, [])
    upload = SimpleUploadedFile("nilai.xlsx", _broken_xlsx(part))
    checked = scores_check(round_=round_, upload=upload)
    assert checked.errors and checked.errors[0].row == 0
    assert "not an Excel workbook" in checked.errors[0].message


def test_no_seat_is_offered_in_a_batch_whose_training_has_started(
    intake: Intake, staff: User
) -> None:
    """A batch opened while an offer was still unanswered: when that offer lapses, the
    seat is not offered down the waiting list (nobody could confirm it any more: the
    roster was made at the opening)."""
    import datetime as dt

    from django.utils import timezone

    from vokasi.catalog.models import Batch, BatchState
    from vokasi.selection.models import OfferState
    from vokasi.selection.offers import offers_lapse

    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    _published(intake, staff)
    Batch.objects.filter(pk=las.pk).update(state=BatchState.RUNNING)
    assert offers_lapse(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not Offer.objects.filter(state=OfferState.OPEN).exists()


def test_a_second_round_of_the_same_intake_never_overfills_a_batch(
    intake: Intake, staff: User
) -> None:
    """Staff may open a second round for the seats left (or by a double click). Its draw
    counts only the seats still free, passes over whoever already holds one, and
    publication re-checks under the batch lock: accepted + open never exceed the quota."""
    from vokasi.selection.models import SelectionRound

    las = _batch(intake, "LAS-S", quota=2)
    first = [_apply(intake, i, "647401", [las]) for i in (1, 2, 3)]
    _published(intake, staff)
    held = Offer.objects.filter(batch=las).values_list("application_id", flat=True)
    assert _live(las) == 2
    offer_decline(offer=Offer.objects.filter(batch=las).first(), actor=None)  # type: ignore[arg-type]
    assert _live(las) == 2  # the waiting list refilled it
    _apply(intake, 4, "647401", [las])
    again = SelectionRound.objects.create(intake=intake, name="Seleksi II")
    round_publish_seed(round_=again, seed="benih kedua", actor=staff)
    round_draw(round_=again)
    assert not again.outcomes.filter(batch=las, application_id__in=list(held)).exists()
    assert not again.outcomes.filter(batch=las).exists()  # no seat is free
    round_publish(round_=again, actor=staff)
    assert _live(las) == 2
    assert {o.application_id for o in Offer.objects.filter(state__in=LIVE_OFFER_STATES)} <= {
        a.pk for a in first
    }


def test_publication_is_refused_when_seats_were_taken_since_the_draw(
    intake: Intake, staff: User
) -> None:
    from vokasi.selection.models import RoundState, SelectionRound
    from vokasi.selection.services import SelectionError

    las = _batch(intake, "LAS-S", quota=1)
    _apply(intake, 1, "647401", [las])
    _apply(intake, 2, "647401", [las])
    one = SelectionRound.objects.create(intake=intake, name="Seleksi I")
    two = SelectionRound.objects.create(intake=intake, name="Seleksi I (dua kali diklik)")
    for r in (one, two):
        round_publish_seed(round_=r, seed="benih publik", actor=staff)
        round_draw(round_=r)
    round_publish(round_=one, actor=staff)
    with pytest.raises(SelectionError, match="draw again"):
        round_publish(round_=two, actor=staff)
    two.refresh_from_db()
    assert two.state == RoundState.RUN
    assert _live(las) == 1


def test_someone_already_in_training_is_not_moved_to_a_higher_choice(
    intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    """X ranked A over B, was drawn into B and confirmed; B has opened (X is on its
    roster). A seat in A frees later: X is in training, so it goes to the next person
    who can still take it, and X's place in B stays as it is."""
    from vokasi.catalog.models import Batch, BatchState
    from vokasi.selection.models import OfferState
    from vokasi.selection.offers import offer_accept

    a, b = _batch(intake, "A-S", quota=1), _batch(intake, "B-S", quota=1)
    p = _apply(intake, 1, "647401", [a])
    x = _apply(intake, 2, "647201", [a, b])
    y = _apply(intake, 3, "647201", [a])
    round_ = _round(intake, staff, ["domicile_funder"])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    in_b = Offer.objects.get(application=x)
    assert in_b.batch == b
    offer_accept(offer=in_b, actor=None)
    Batch.objects.filter(pk=b.pk).update(state=BatchState.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        offer_decline(offer=Offer.objects.get(application=p), actor=None)
    in_b.refresh_from_db()
    assert in_b.state == OfferState.ACCEPTED
    assert Offer.objects.get(batch=a, state__in=LIVE_OFFER_STATES).application == y


def test_publication_waits_for_a_new_draw_when_an_admitted_applicant_withdrew(
    intake: Intake, staff: User
) -> None:
    """Publishing would offer a seat to someone who withdrew after the draw, where it
    would sit unanswerable until it lapsed while others wait. Publication asks for the
    draw to be run again (it leaves the withdrawn out), so every admitted gets a place."""
    from vokasi.intake.models import ApplicationStatus
    from vokasi.selection.services import SelectionError

    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    admitted = round_.outcomes.get(batch=las).application
    admitted.status = ApplicationStatus.WITHDRAWN
    admitted.save()
    with pytest.raises(SelectionError, match="withdrawn"):
        round_publish(round_=round_, actor=staff)
    assert not Offer.objects.exists()
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    assert Offer.objects.get().application != admitted
