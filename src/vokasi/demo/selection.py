"""The published round that filled the three batches opened on 30 July 2025: residents of
Kota Bontang first (the city paid), then the public lottery. Historic: no messages."""

from __future__ import annotations

from vokasi.catalog.models import Intake
from vokasi.selection.models import Offer, OfferState, SelectionRound
from vokasi.selection.offers import offer_accept, offer_decline
from vokasi.selection.services import round_draw, round_publish, round_publish_seed, round_set_rules

SEED = "2025-07-14 Aula UPTD BLKI Bontang 05-19-33-41"


def load_story_round() -> SelectionRound | None:
    intake = Intake.objects.filter(code="REG-2025-2").first()
    if intake is None:
        return None
    existing = intake.rounds.first()
    if existing is not None:
        return existing
    round_ = SelectionRound.objects.create(intake=intake, name="Seleksi Gelombang II 2025")
    round_set_rules(round_=round_, rules=["domicile_funder"], actor=None)
    round_publish_seed(round_=round_, seed=SEED, actor=None)
    round_draw(round_=round_)
    round_publish(round_=round_, actor=None, notify=False)
    _answer_offers(round_)
    return round_


def _answer_offers(round_: SelectionRound) -> None:
    """Two admitted applicants declined (found work, moved away); their seats went down the
    waiting lists; everyone else confirmed."""
    for code in ("OTO-2025-1", "LIS-2025-1"):
        first = (
            Offer.objects.filter(round=round_, batch__code=code, state=OfferState.OPEN)
            .order_by("application__number")
            .first()
        )
        if first is not None:
            offer_decline(offer=first, actor=None)
    for offer in Offer.objects.filter(round=round_, state=OfferState.OPEN):
        offer_accept(offer=offer, actor=None)
