"""The published round that filled the three batches opened on 30 July 2025: residents of
Kota Bontang first (the city paid), then the public lottery. Historic: no messages."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from vokasi.catalog.models import Batch, BatchState, Intake
from vokasi.core.models import User
from vokasi.demo import accounts
from vokasi.selection.models import Objection, Offer, OfferState, SelectionRound
from vokasi.selection.objections import objection_answer, objection_submit
from vokasi.selection.offers import batch_fill, offer_accept, offer_decline, offers_lapse
from vokasi.selection.services import round_draw, round_publish, round_publish_seed, round_set_rules

SEED = "2025-07-14 Aula UPTD BLKI Bontang 05-19-33-41"


def load_story_round() -> SelectionRound | None:
    intake = Intake.objects.filter(code="REG-2025-2").first()
    if intake is None:
        return None
    existing = intake.rounds.first()
    if existing is not None:
        return existing
    # In July 2025 these batches were in selection while they were drawn and the places
    # answered; they are loaded as they are today, so they go back to that state for the
    # replay.
    batches = intake.batches.all()
    states = dict(batches.values_list("pk", "state"))
    batches.update(state=BatchState.SELECTION)
    round_ = SelectionRound.objects.create(intake=intake, name="Seleksi Gelombang II 2025")
    round_set_rules(round_=round_, rules=["domicile_funder"], actor=None)
    round_publish_seed(round_=round_, seed=SEED, actor=None)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=None, notify=False)
    _answer_offers(round_)
    for pk, state in states.items():
        Batch.objects.filter(pk=pk).update(state=state)
    _back_to_2025(round_)
    return round_


def _back_to_2025(round_: SelectionRound) -> None:
    """The replay ran today; its dates are put back to July 2025, when it happened: the
    seed drawn in public on 14 July, the result published the next morning, a week to
    confirm, the objection answered within the three days."""
    wita = ZoneInfo("Asia/Makassar")

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2025, 7, day, hour, minute, tzinfo=wita)

    published = at(15, 8)
    SelectionRound.objects.filter(pk=round_.pk).update(
        seed_set_at=at(14, 9), run_at=at(14, 10, 15), published_at=published
    )
    rng = random.Random("vokasi-story-offers")
    for offer in round_.offers.order_by("pk"):
        decided = None
        if offer.state == OfferState.LAPSED:
            decided = at(22, 8)
        elif offer.state != OfferState.OPEN:
            decided = published + dt.timedelta(minutes=rng.randint(60, 6 * 24 * 60))
        Offer.objects.filter(pk=offer.pk).update(
            created_at=published, deadline=at(22, 8), decided_at=decided
        )
    round_.objections.update(created_at=at(16, 10, 30), answered_at=at(17, 14))


def _answer_offers(round_: SelectionRound) -> None:
    """Two admitted applicants declined (found work, moved away) and one never came to
    confirm; their seats went down the waiting lists; everyone else confirmed. One
    applicant left without a seat objected, and staff answered."""
    for code in ("OTO-2025-1", "LIS-2025-1"):
        first = (
            Offer.objects.filter(round=round_, batch__code=code, state=OfferState.OPEN)
            .order_by("application__number")
            .first()
        )
        if first is not None:
            offer_decline(offer=first, actor=None)
    silent = (
        Offer.objects.filter(round=round_, batch__code="DKV-2025-1", state=OfferState.OPEN)
        .order_by("application__number")
        .first()
    )
    if silent is not None:
        Offer.objects.filter(pk=silent.pk).update(deadline=silent.created_at)
        offers_lapse(now=silent.created_at + dt.timedelta(minutes=1))
    # Seats left by applicants who moved up are refilled after commit; the demo loads in one
    # transaction, so fill them here until every batch is full.
    batches = list(Batch.objects.filter(offers__round=round_).distinct())
    while any([batch_fill(round_=round_, batch=b) for b in batches]):
        pass
    for offer in Offer.objects.filter(round=round_, state=OfferState.OPEN):
        offer_accept(offer=offer, actor=None)
    _objection(round_)


def _objection(round_: SelectionRound) -> None:
    unserved = (
        round_.outcomes.filter(
            batch__isnull=True, application__applicant__domicile__code__startswith="6474"
        )
        .select_related("application")
        .order_by("application__number")
        .first()
    )
    if unserved is None:
        return
    objection = objection_submit(
        round_=round_,
        application=unserved.application,
        text=(
            "Saya warga Bontang dan sudah dua kali mendaftar pelatihan di BLKI, "
            "mengapa belum juga mendapat kursi?"
        ),
        actor=None,
    )
    accounts.load_accounts()  # idempotent; the answer is signed by the training staff
    objection_answer(
        objection=objection,
        verdict=Objection.Verdict.REJECTED,
        answer=(
            "Semua pendaftar ber-KTP dan berdomisili Bontang berada pada prioritas yang sama; "
            "urutan di antara mereka ditentukan undian publik 14 Juli 2025. Anda berada di "
            "daftar tunggu dan akan kami hubungi bila ada kursi kosong."
        ),
        actor=User.objects.filter(username="staf").first(),
        notify=False,
    )
