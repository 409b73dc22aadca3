"""The published round that filled the three batches opened on 30 July 2025: residents of
Kota Bontang first (the city paid), then the public lottery. Historic: no messages."""

from __future__ import annotations

from vokasi.catalog.models import Intake
from vokasi.selection.models import SelectionRound
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
    return round_
