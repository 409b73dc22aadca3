"""Unmet demand: the eligible left without a seat per programme and region, and the cost
of serving them, checked against a count made here person by person."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.conftest import World
from vokasi.core.models import User
from vokasi.intake.models import Application
from vokasi.reports.excel import HEADER_ROW
from vokasi.reports.refresh import refresh
from vokasi.reports.selectors import programme_costs
from vokasi.selection.models import SelectionRound

pytestmark = pytest.mark.django_db


def left_without_a_seat() -> dict[tuple[str, str], int]:
    """(programme code, regency) -> eligible applications never offered a seat."""
    out: dict[tuple[str, str], int] = {}
    for a in Application.objects.filter(status="eligible"):
        if a.offers.exists():
            continue
        first = a.choices.order_by("rank").first()
        assert first is not None
        key = (first.batch.programme.code, a.applicant.domicile_id[:4])
        out[key] = out.get(key, 0) + 1
    return out


def test_costs_per_participant(world: World) -> None:
    costs = programme_costs()
    # Set by staff: Rp64.000.000 for the usual 16.
    assert costs[world.welding.pk].per_participant == 4_000_000
    assert not costs[world.welding.pk].derived
    # Not set: derived from its one batch, Rp40.000.000 for 10 seats.
    assert costs[world.barista.pk].per_participant == 4_000_000
    assert costs[world.barista.pk].derived


def test_page_and_excel_agree_with_a_count(world: World, client: Client, viewer: User) -> None:
    expected = left_without_a_seat()
    assert expected == {("LAS", "6472"): 1, ("LAS", "6474"): 2, ("BAR", "6408"): 1}
    client.force_login(viewer)
    html = client.get(reverse("backoffice:reports_unmet")).content.decode()
    assert re.search(r'id="unmet-total"><strong>4</strong>', html)
    assert re.search(r'id="unmet-cost"><strong>Rp16\.000\.000</strong>', html)
    response = client.get(reverse("backoffice:reports_unmet_excel"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[HEADER_ROW]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    unmet = header.index("Left without a seat")
    samarinda = header.index("Kota Samarinda")
    assert rows["Pengelasan"][unmet] == 3 and rows["Pengelasan"][samarinda] == 1
    assert rows["Barista"][unmet] == 1
    cost = header.index("Cost to serve them (Rp)")
    assert rows["Total"][unmet] == 4 and rows["Total"][cost] == 16_000_000
    assert rows["Pengelasan"][cost] == 12_000_000
    # Filtered to one regency.
    html = client.get(reverse("backoffice:reports_unmet") + "?regency=6474").content.decode()
    assert re.search(r'id="unmet-total"><strong>2</strong>', html)


def test_nobody_is_turned_away_before_the_selection_is_published(
    world: World, client: Client, viewer: User
) -> None:
    SelectionRound.objects.update(state="run")
    refresh()
    client.force_login(viewer)
    html = client.get(reverse("backoffice:reports_unmet")).content.decode()
    assert re.search(r'id="unmet-total"><strong>0</strong>', html)
    assert "selection not yet published" in html
    # ... and the chart says so beside the bare 0 instead of showing demand met.
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "not yet announced" in chart
