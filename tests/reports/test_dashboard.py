"""The dashboard's numbers equal counts made here another way: by walking the objects in
Python, person by person, instead of grouped queries over a summary table."""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.conftest import INMATE_NAME, World
from vokasi.core.models import User
from vokasi.intake.models import Application
from vokasi.placement.models import PlacementRecord
from vokasi.reports.excel import HEADER_ROW
from vokasi.reports.refresh import refresh
from vokasi.reports.selectors import Filters
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db

PLACED = {"employed", "self_employed", "migrant"}


def independent(*, regency: str | None = None, sex: str | None = None) -> dict[str, int]:
    """Counts by walking each application and participant (no GROUP BY, no summary)."""

    def keep(person: object) -> bool:
        return (regency is None or person.domicile_id.startswith(regency)) and (  # type: ignore[attr-defined]
            sex is None or person.sex == sex  # type: ignore[attr-defined]
        )

    out = dict.fromkeys(
        (
            "applicants",
            "eligible",
            "admitted",
            "unmet",
            "started",
            "graduated",
            "certified",
            "placed",
            "known",
        ),
        0,
    )
    for a in Application.objects.select_related("applicant"):
        if not keep(a.applicant) or not a.choices.exists():
            continue
        out["applicants"] += 1
        if a.status == "eligible":
            out["eligible"] += 1
            if a.offers.exists():
                out["admitted"] += 1
            else:
                out["unmet"] += 1
    for p in Participant.objects.select_related("applicant", "batch"):
        if not keep(p.applicant):
            continue
        out["started"] += 1
        if p.status == "graduated" and p.batch.state == "completed":
            out["graduated"] += 1
            if p.bnsp_candidacies.filter(result="K").exists():
                out["certified"] += 1
            records = list(
                PlacementRecord.objects.filter(participant=p).order_by("recorded_at", "id")
            )
            if records:
                out["known"] += 1
                if records[-1].outcome in PLACED:
                    out["placed"] += 1
    return out


def page_funnel(html: str) -> list[int]:
    found = re.findall(r'data-stage="(\d)"><strong>([\d.,]+)</strong>', html)
    return [int(value.replace(".", "").replace(",", "")) for _stage, value in found]


def funnel_of(counts: dict[str, int]) -> list[int]:
    return [
        counts[k]
        for k in (
            "applicants",
            "eligible",
            "admitted",
            "started",
            "graduated",
            "certified",
            "placed",
        )
    ]


def test_the_world_as_designed(world: World) -> None:
    # The hand-made world's numbers, so that the independent count itself is checked.
    assert independent() == {
        "applicants": 12,
        "eligible": 9,
        "admitted": 5,
        "unmet": 4,
        "started": 7,
        "graduated": 4,
        "certified": 1,
        "placed": 2,
        "known": 3,
    }


@pytest.mark.parametrize(
    ("query", "regency", "sex"),
    [
        ("", None, None),
        ("regency=6474", "6474", None),
        ("regency=6472&sex=F", "6472", "F"),
        ("sex=F", None, "F"),
    ],
)
def test_page_numbers_equal_an_independent_count(
    world: World, client: Client, viewer: User, query: str, regency: str | None, sex: str | None
) -> None:
    client.force_login(viewer)
    response = client.get(reverse("backoffice:reports") + "?" + query)
    assert response.status_code == 200
    assert page_funnel(response.content.decode()) == funnel_of(
        independent(regency=regency, sex=sex)
    )


def test_rates_show_their_denominators_and_the_tracer_response(
    world: World, client: Client, viewer: User
) -> None:
    client.force_login(viewer)
    html = client.get(reverse("backoffice:reports")).content.decode()
    # Placed of known outcome: 2 of n = 3; known of graduates: 3 of n = 4; surveys: 2 of 4.
    assert re.search(r"66.7%</td><td class=\"num\">2</td><td class=\"num nowrap\">n = 3<", html)
    assert re.search(r"75.0%</td><td class=\"num\">3</td><td class=\"num nowrap\">n = 4<", html)
    assert "2 of 4 graduates with a survey due have answered" in html
    # The funnel's graduation share has the rate table's denominator: those who finished.
    from vokasi.reports.selectors import totals
    from vokasi.reports.tables import dashboard

    board = dashboard(Filters.parse(QueryDict()))
    graduated = next(row for row in board.funnel.rows if row[0] == "Graduated")
    assert graduated[3] == totals(Filters.parse(QueryDict())).finished
    assert graduated[4] == "Finished training"


def test_filters_by_year_disability_age_and_programme(
    world: World, client: Client, viewer: User
) -> None:
    client.force_login(viewer)

    def funnel(query: str) -> list[int]:
        return page_funnel(client.get(reverse("backoffice:reports") + "?" + query).content.decode())

    # 2026: only the prison batch, which has no applications.
    assert funnel("year=2026") == [0, 0, 0, 2, 0, 0, 0]
    assert funnel("disability=yes") == [1, 1, 1, 1, 0, 0, 0]
    # Age in 2025, the year training starts: born 1985 (ineligible) and 1990 (35, dropped out).
    assert funnel("age=5") == [2, 1, 1, 1, 0, 0, 0]
    # Batches without an intake: the prison's, whose two inmates started.
    assert funnel("intake=0") == [0, 0, 0, 2, 0, 0, 0]
    barista = world.barista.pk
    assert funnel(f"programme={barista}") == [4, 3, 2, 2, 2, 0, 1]
    # Rubbish in the query string is ignored, never a 500.
    assert funnel("year=abc&regency=<script>&sex=X&age=99&programme=-1") == funnel("")


def test_summary_follows_the_data_after_a_refresh(
    world: World, client: Client, viewer: User
) -> None:
    client.force_login(viewer)
    p = Participant.objects.filter(status="graduated", placements__isnull=True).first()
    assert p is not None
    PlacementRecord.objects.create(
        participant=p, outcome="migrant", country="Jepang", source="staff"
    )
    before = page_funnel(client.get(reverse("backoffice:reports")).content.decode())
    refresh()
    after = page_funnel(client.get(reverse("backoffice:reports")).content.decode())
    assert after[6] == before[6] + 1 == independent()["placed"]


def test_excel_has_the_page_numbers(world: World, client: Client, viewer: User) -> None:
    client.force_login(viewer)
    html = client.get(reverse("backoffice:reports") + "?regency=6474").content.decode()
    response = client.get(reverse("backoffice:reports_excel") + "?regency=6474")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    funnel = book.worksheets[0]
    values = [row[1] for row in funnel.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert values == page_funnel(html)
    # The programme table's total equals the funnel's applicants.
    programme = next(s for s in book.worksheets if s.title == "By programme")
    rows = list(programme.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert rows[-1][0] == "Total" and rows[-1][1] == values[0]
    assert sum(r[1] for r in rows[:-1]) == values[0]


def test_pdf_is_a_pdf_on_the_letterhead(world: World, client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(reverse("backoffice:reports_pdf") + "?regency=6474")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_inmates_are_counted_but_never_named(world: World, client: Client, staff: User) -> None:
    client.force_login(staff)
    for name in (
        "reports",
        "reports_excel",
        "reports_unmet",
        "reports_unmet_excel",
        "reports_planner",
    ):
        body = client.get(reverse(f"backoffice:{name}")).content
        assert INMATE_NAME.encode() not in body, name
    # ... and they are in the numbers: started includes the two of them.
    assert page_funnel(client.get(reverse("backoffice:reports")).content.decode())[3] == 7


def test_the_dashboard_takes_a_fixed_number_of_queries(
    world: World, client: Client, viewer: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ParticipantFactory

    client.force_login(viewer)
    client.get(reverse("backoffice:reports"))  # sessions, caches
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("backoffice:reports") + "?regency=6474&sex=M")
    for n in range(20, 30):
        ParticipantFactory(batch=world.las, number=n, status="graduated")
    refresh()
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("backoffice:reports") + "?regency=6474&sex=M")
    assert len(first) == len(second) <= 25


def test_staff_can_ask_for_a_recount(
    world: World,
    client: Client,
    staff: User,
    viewer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("backoffice:reports_refresh")
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    p = Participant.objects.filter(status="graduated", placements__isnull=True).first()
    assert p is not None
    PlacementRecord.objects.create(
        participant=p, outcome="employed", employer="PT X", source="staff"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    # The test settings run tasks at once.
    html = client.get(reverse("backoffice:reports")).content.decode()
    assert page_funnel(html)[6] == independent()["placed"] == 3


def test_breakdown_headings_are_short_and_explained(
    world: World, client: Client, viewer: User
) -> None:
    """Ten columns fit a 1280 px screen with short headings; each shortened one keeps its
    full meaning in a tooltip, and a legend says what every column counts."""
    from vokasi.reports.tables import legend

    client.force_login(viewer)
    html = client.get(reverse("backoffice:reports")).content.decode()
    table = html[html.index('id="table-programme"') :]
    table = table[: table.index("</thead>")]
    assert '<abbr title="Eligible, left without a seat">Left without a seat</abbr>' in table
    assert table.count("<th ") == 10
    section = html[html.index('id="report-legend"') :]
    for label, meaning in legend():
        assert f"<dt>{label}</dt><dd>{escape(meaning)}</dd>" in section
    # Row labels are row headings; the numbers stay right-aligned cells.
    assert re.search(r'<th scope="row">Pengelasan</th><td class="num">\d', html)
