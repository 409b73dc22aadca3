"""The budget planner: exact on small cases whose optimum is known or found by trying
every combination; minimums, locks and the demand cap; bad input gives a message."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.reports.conftest import World
from vokasi.core.models import User
from vokasi.reports.excel import HEADER_ROW
from vokasi.reports.planner import Option, PlanError, solve
from vokasi.reports.planning import parse_amount


def option(key: int, cost: int, size: int, unmet: int, **kw: object) -> Option:
    return Option(
        key=key,
        label=f"P{key}",
        package_cost=cost,
        package_size=size,
        unmet=unmet,
        graduation_rate=float(kw.pop("grad", 1.0)),  # type: ignore[arg-type]
        placement_rate=float(kw.pop("place", 1.0)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def packages(plan: object) -> dict[int, int]:
    return {line.option.key: line.packages for line in plan.lines}  # type: ignore[attr-defined]


def test_beats_the_greedy_choice() -> None:
    # Best value per rupiah first would take A (10 for 60) and have no room left for B;
    # two B packages (16 for 100) are better.
    plan = solve(
        budget=100, options=[option(1, 60, 10, 100), option(2, 50, 8, 100)], objective="seats"
    )
    assert packages(plan) == {1: 0, 2: 2}
    assert plan.seats == 16 and plan.cost == 100 and plan.left == 0


def test_no_more_packages_than_the_unmet_demand_fills() -> None:
    # B's 12 people left without a seat fill one package of 8, not two.
    plan = solve(
        budget=100, options=[option(1, 60, 10, 100), option(2, 50, 8, 12)], objective="seats"
    )
    assert packages(plan) == {1: 1, 2: 0}


def test_placements_weigh_the_rates() -> None:
    options = [
        option(1, 50, 16, 100, grad=0.9, place=0.2),  # 2.88 placements a package
        option(2, 50, 16, 100, grad=0.8, place=0.6),  # 7.68
    ]
    assert packages(solve(budget=100, options=options, objective="placements")) == {1: 0, 2: 2}
    assert packages(solve(budget=100, options=options, objective="graduates")) == {1: 2, 2: 0}
    plan = solve(budget=100, options=options, objective="placements")
    assert plan.graduates == pytest.approx(2 * 16 * 0.8)
    assert plan.placements == pytest.approx(2 * 16 * 0.8 * 0.6)


def test_minimums_and_locks() -> None:
    options = [
        option(1, 60, 10, 100, lock=1),
        option(2, 50, 8, 100),
        option(3, 30, 16, 0, minimum=1),  # no unmet demand, but staff want one
    ]
    plan = solve(budget=200, options=options, objective="seats")
    assert packages(plan) == {1: 1, 2: 2, 3: 1}
    locked_out = [option(1, 60, 10, 100, lock=0), option(2, 50, 8, 100)]
    assert packages(solve(budget=120, options=locked_out, objective="seats")) == {1: 0, 2: 2}


def test_of_equal_plans_the_cheaper() -> None:
    options = [option(1, 80, 10, 100), option(2, 50, 10, 100)]
    # 90 buys one package of either (two of B cost 100): the same seats, B for less.
    plan = solve(budget=90, options=options, objective="seats")
    assert packages(plan) == {1: 0, 2: 1} and plan.left == 40


def test_minimums_beyond_the_amount_are_refused() -> None:
    with pytest.raises(PlanError, match="more than the amount"):
        solve(budget=100, options=[option(1, 60, 10, 100, minimum=2)], objective="seats")
    with pytest.raises(PlanError, match="minimum is above the locked"):
        solve(budget=1000, options=[option(1, 60, 10, 100, minimum=3, lock=2)], objective="seats")


def brute_force(budget: int, options: list[Option], objective: str) -> int:
    best = -1

    def walk(i: int, left: int, value: int) -> None:
        nonlocal best
        if i == len(options):
            best = max(best, value)
            return
        o = options[i]
        for n in range(o.low, o.high + 1):
            if n * o.package_cost > left:
                break
            walk(i + 1, left - n * o.package_cost, value + n * o.score(objective))

    walk(0, budget, 0)
    return best


@settings(max_examples=150, deadline=None)
# Found by Hypothesis: a package worth 4 millionths of a placement once hid behind the
# solver's default optimality gap.
@example(
    budget=20,
    specs=[(10, 4, 0, 1.0, 0.0, 0), (10, 4, 0, 1.0, 1.0, 1), (10, 4, 4, 1.0, 1e-06, 0)],
    objective="placements",
)
@example(
    budget=1_000_000_000,
    specs=[
        (55_000_000, 16, 40, 0.97, 0.53, 0),
        (70_000_000, 16, 213, 0.94, 0.44, 0),
        (80_000_000, 16, 201, 0.94, 0.73, 0),
        (90_000_000, 16, 218, 0.88, 0.67, 0),
    ],
    objective="placements",
)
@given(
    budget=st.integers(0, 400),
    specs=st.lists(
        st.tuples(
            st.integers(10, 120),
            st.integers(4, 20),
            st.integers(0, 60),
            st.floats(0.3, 1.0),
            st.floats(0.0, 1.0),
            st.integers(0, 1),
        ),
        min_size=1,
        max_size=4,
    ),
    objective=st.sampled_from(["placements", "graduates", "seats"]),
)
def test_as_good_as_trying_every_combination(
    budget: int, specs: list[tuple[int, int, int, float, float, int]], objective: str
) -> None:
    options = [
        option(i, cost, size, unmet, grad=grad, place=place, minimum=minimum)
        for i, (cost, size, unmet, grad, place, minimum) in enumerate(specs)
    ]
    if sum(o.low * o.package_cost for o in options) > budget:
        with pytest.raises(PlanError):
            solve(budget=budget, options=options, objective=objective)
        return
    plan = solve(budget=budget, options=options, objective=objective)
    assert plan.cost <= budget
    for line in plan.lines:
        assert line.option.low <= line.packages <= line.option.high
    # Exactly as good as the best combination (scores are whole thousandths of a person).
    score = sum(line.packages * line.option.score(objective) for line in plan.lines)
    assert score == brute_force(budget, options, objective)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1000000000", 1_000_000_000),
        ("1.000.000.000", 1_000_000_000),
        ("Rp 500.000.000", 500_000_000),
        ("rp1,500,000", 1_500_000),
        (" 250 000 000 ", 250_000_000),
    ],
)
def test_amounts_as_people_write_them(text: str, value: int) -> None:
    assert parse_amount(text) == (value, "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the amount"),
        ("-500000", "cannot be negative"),
        ("abc", "whole rupiah"),
        ("1,5", "whole rupiah"),
        ("1.500,50", "whole rupiah"),
        ("1.5e9", "whole rupiah"),
        ("１２３", "whole rupiah"),
        ("0", "more than zero"),
        ("99999999999999999999999", "larger than"),
        ("10.000.000.000.001", "larger than"),
    ],
)
def test_bad_amounts_get_a_message(text: str, message: str) -> None:
    value, error = parse_amount(text)
    assert value is None and message in error


@pytest.mark.django_db
def test_planner_page_proposes_within_the_amount(
    world: World, client: Client, viewer: User
) -> None:
    client.force_login(viewer)
    url = reverse("backoffice:reports_planner")
    page = client.get(url)
    assert page.status_code == 200
    # Welding: 3 left without a seat, packages of 16: none justified. Barista (cost derived
    # from its batch: Rp40.000.000 for 10): 1 left, none justified. A minimum forces one.
    response = client.get(
        url, {"amount": "100.000.000", "objective": "placements", f"min_{world.welding.pk}": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plan-packages"><strong>1</strong>' in html
    assert 'id="plan-seats"><strong>16</strong>' in html
    excel = client.get(
        reverse("backoffice:reports_planner_excel"),
        {"amount": "100.000.000", "objective": "placements", f"min_{world.welding.pk}": "1"},
    )
    book = load_workbook(io.BytesIO(excel.content))
    rows = list(book.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert rows[-1][0] == "Total" and rows[-1][7] == 1 and rows[-1][9] == 64_000_000
    pdf = client.get(
        reverse("backoffice:reports_planner_pdf"),
        {"amount": "100.000.000", f"min_{world.welding.pk}": "1"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"amount": "lima ratus juta"}, "whole rupiah"),
        ({"amount": "-1"}, "cannot be negative"),
        ({"amount": "1" * 30}, "larger than"),
        ({"amount": "100000000", "min_WELDING": "abc"}, "whole number of packages"),
        ({"amount": "100000000", "lock_WELDING": "-2"}, "whole number of packages"),
        ({"amount": "100000000", "min_WELDING": "3", "lock_WELDING": "1"}, "above the locked"),
        ({"amount": "100000000", "min_WELDING": "2"}, "more than the amount"),
        ({"amount": "100000000", "objective": "<script>"}, "Choose what to maximise"),
    ],
)
def test_bad_input_gets_a_clear_message_never_a_500(
    world: World, client: Client, staff: User, params: dict[str, str], message: str
) -> None:
    client.force_login(staff)
    params = {k.replace("WELDING", str(world.welding.pk)): v for k, v in params.items()}
    response = client.get(reverse("backoffice:reports_planner"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    # What was typed stays in the form.
    assert f'value="{params["amount"]}"' in html
    download = client.get(reverse("backoffice:reports_planner_excel"), params)
    assert download.status_code == 302
