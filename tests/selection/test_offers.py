"""Offers: confirm, decline, lapse, the cascade down the waiting lists, and the seat
invariant under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.selection.test_round import _apply, _batch, _round
from vokasi.catalog.models import Intake
from vokasi.core.models import User
from vokasi.selection.models import LIVE_OFFER_STATES, Offer, OfferState, SelectionRound
from vokasi.selection.offers import (
    OfferError,
    batch_fill,
    offer_accept,
    offer_decline,
    offers_lapse,
)
from vokasi.selection.services import round_draw, round_publish, round_publish_seed

pytestmark = pytest.mark.django_db


def _published(intake: Intake, staff: User) -> SelectionRound:
    round_ = _round(intake, staff, [])
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    return round_


def _live(batch: Any) -> int:
    return Offer.objects.filter(batch=batch, state__in=LIVE_OFFER_STATES).count()


def test_publication_offers_each_admitted_a_seat(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=2)
    for i in range(1, 6):
        _apply(intake, i, "647401", [las])
    _published(intake, staff)
    assert _live(las) == 2
    assert set(Offer.objects.values_list("state", flat=True)) == {OfferState.OPEN}


def test_a_decline_goes_to_the_next_on_the_waiting_list(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 4):
        _apply(intake, i, "647401", [las])
    round_ = _published(intake, staff)
    first = Offer.objects.get()
    offer_decline(offer=first, actor=None)
    second = Offer.objects.get(state=OfferState.OPEN)
    assert second.application_id == round_.waiting.get(position=1).application_id
    offer_accept(offer=second, actor=None)
    with pytest.raises(OfferError):
        offer_accept(offer=second, actor=None)
    assert _live(las) == 1


def test_lapsed_offers_free_their_seats(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in range(1, 3):
        _apply(intake, i, "647401", [las])
    _published(intake, staff)
    assert offers_lapse(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert Offer.objects.filter(state=OfferState.LAPSED).count() == 1
    assert Offer.objects.filter(state=OfferState.OPEN).count() == 1
    late = Offer.objects.get(state=OfferState.OPEN)
    Offer.objects.filter(pk=late.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    late.refresh_from_db()
    with pytest.raises(OfferError, match="passed"):
        offer_accept(offer=late, actor=None)


def test_a_freed_seat_in_a_higher_choice_moves_the_applicant_up(
    intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    las, oto = _batch(intake, "LAS-S", quota=1), _batch(intake, "OTO-S", quota=1)
    # Two want LAS first; the loser of the draw for LAS gets OTO, their second choice.
    a = _apply(intake, 1, "647401", [las, oto])
    b = _apply(intake, 2, "647401", [las, oto])
    c = _apply(intake, 3, "647401", [oto])
    _published(intake, staff)
    in_las = Offer.objects.get(batch=las)
    moved = b if in_las.application_id == a.pk else a
    held = Offer.objects.get(application=moved)
    assert held.batch == oto
    offer_accept(offer=held, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        offer_decline(offer=in_las, actor=None)
    now_las = Offer.objects.get(batch=las, state__in=LIVE_OFFER_STATES)
    assert now_las.application == moved
    assert now_las.state == OfferState.ACCEPTED  # they had confirmed: no need to confirm again
    assert Offer.objects.get(batch=oto, state__in=LIVE_OFFER_STATES).application == c
    assert _live(las) == 1 and _live(oto) == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_declines_never_overfill_a_batch() -> None:
    """Twenty threads at once: the quota holds, whatever the interleaving (PostgreSQL)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; this needs PostgreSQL's concurrent transactions")
    from tests.factories import CentreFactory, UserFactory
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    staff = UserFactory(username="staf-race")
    intake = Intake.objects.create(centre=CentreFactory(), name="G", code="REG-RACE")
    las = _batch(intake, "LAS-R", quota=5)
    for i in range(1, 41):
        _apply(intake, i, "647401", [las])
    _published(intake, staff)
    offers = list(Offer.objects.filter(state=OfferState.OPEN))
    barrier = threading.Barrier(len(offers) + 10)
    errors: list[BaseException] = []

    def decline(offer: Offer) -> None:
        try:
            barrier.wait()
            offer_decline(offer=offer, actor=None)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def fill() -> None:
        try:
            barrier.wait()
            batch_fill(round_=SelectionRound.objects.get(intake=intake), batch=las)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decline, args=(o,)) for o in offers] + [
        threading.Thread(target=fill) for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert _live(las) == 5


def test_the_applicant_confirms_or_declines_on_the_status_page(
    client: Any, intake: Intake, staff: User
) -> None:
    from django.urls import reverse

    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    _published(intake, staff)
    offer = Offer.objects.get()
    owner = User.objects.create_user(
        "pelamar1", password="x", role="applicant", confirmed_at=timezone.now()
    )
    holder = offer.application.applicant
    holder.user = owner
    holder.save()
    client.force_login(owner)
    page = client.get(reverse("portal:application_status")).content.decode()
    assert offer.batch.name in page
    number = offer.application.number
    stranger = User.objects.create_user(
        "pelamar2", password="x", role="applicant", confirmed_at=timezone.now()
    )
    other = type(client)()
    other.force_login(stranger)
    assert (
        other.post(
            reverse("portal:offer_answer", args=[number, offer.pk]), {"answer": "accept"}
        ).status_code
        == 404
    )
    client.post(reverse("portal:offer_answer", args=[number, offer.pk]), {"answer": "accept"})
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED


def test_a_seat_reserved_for_women_goes_to_the_next_woman_on_the_list(
    intake: Intake, staff: User
) -> None:
    from vokasi.selection.models import Reservation

    las = _batch(intake, "LAS-S", quota=2)
    for i in range(1, 7):
        _apply(intake, i, "647401", [las], sex="F" if i in (5, 6) else "M")
    round_ = _round(intake, staff, [])
    Reservation.objects.create(round=round_, batch=las, group="perempuan", seats=1)
    round_publish_seed(round_=round_, seed="benih publik", actor=staff)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=staff)
    woman = Offer.objects.get(application__applicant__sex="F")
    man = Offer.objects.get(application__applicant__sex="M")
    offer_decline(offer=woman, actor=None)
    # Men stand before the other woman on the waiting list, but the reserved seat is hers.
    new = Offer.objects.get(state=OfferState.OPEN, batch=las, application__applicant__sex="F")
    assert new.application_id != woman.application_id
    offer_decline(offer=man, actor=None)
    first_man = (
        round_.waiting.filter(batch=las, application__applicant__sex="M")
        .order_by("position")
        .first()
    )
    assert first_man is not None
    taken = Offer.objects.get(state=OfferState.OPEN, batch=las, application__applicant__sex="M")
    assert taken.application_id == first_man.application_id
    assert _live(las) == 2


def test_who_declined_or_withdrew_is_out_of_the_waiting_lists(intake: Intake, staff: User) -> None:
    from vokasi.intake.models import ApplicationStatus

    las = _batch(intake, "LAS-S", quota=1)
    oto = _batch(intake, "OTO-S", quota=1)
    apps = [_apply(intake, i, "647401", [las, oto]) for i in range(1, 5)]
    _published(intake, staff)
    x = Offer.objects.get(batch=las)
    y = Offer.objects.get(batch=oto)
    offer_decline(offer=y, actor=None)  # Y gave up a place: out of every list of the round
    z = Offer.objects.get(batch=oto, state=OfferState.OPEN)
    holders = {x.application_id, y.application_id, z.application_id}
    w = next(a for a in apps if a.pk not in holders)
    w.status = ApplicationStatus.WITHDRAWN
    w.save()
    offer_decline(offer=x, actor=None)
    # Only Z still wants LAS: they move up from OTO; nobody is left for OTO.
    assert Offer.objects.get(batch=las, state__in=LIVE_OFFER_STATES).application_id == (
        z.application_id
    )
    assert _live(oto) == 0


def test_a_place_cannot_change_once_training_has_started(intake: Intake, staff: User) -> None:
    from vokasi.catalog.models import BatchState

    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    _published(intake, staff)
    offer = Offer.objects.get()
    offer_accept(offer=offer, actor=None)
    las.state = BatchState.RUNNING
    las.save()
    with pytest.raises(OfferError, match="started or ended"):
        offer_decline(offer=offer, actor=None)
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED
