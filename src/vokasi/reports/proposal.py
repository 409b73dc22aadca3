"""The planner's proposal as tables and sentences: what the page, Excel and the PDF show.

The numbers come from `vokasi.reports.planner` (the decision) and
`vokasi.reports.planning` (the form and each programme's figures); this module only words
them, stating every assumption the expectation rests on.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vokasi.reports.planner import Plan, PlanError, solve
from vokasi.reports.planning import PlanForm, decided_intakes
from vokasi.reports.selectors import as_of
from vokasi.reports.tables import Table


def objective_labels() -> dict[str, str]:
    return {
        "placements": _("Expected extra placements in work"),
        "graduates": _("Expected extra graduates"),
        "seats": _("Extra seats"),
    }


def make_plan(form: PlanForm) -> tuple[Plan | None, list[str]]:
    if not form.submitted or form.errors or form.amount is None:
        return None, form.errors
    try:
        return solve(budget=form.amount, options=form.options(), objective=form.objective), []
    except PlanError as error:
        return None, [str(error)]


def rupiah(value: int) -> str:
    return "Rp" + f"{value:,}".replace(",", ".")


def plan_tables(form: PlanForm, plan: Plan) -> list[Table]:
    packages = {line.option.key: line for line in plan.lines}
    rows: list[list[Any]] = []
    for r in form.rows:
        line = packages.get(r.programme_id)
        n = line.packages if line else 0
        rows.append(
            [
                r.label,
                r.package_cost,
                r.package_size,
                r.unmet,
                r.justified,
                round(100 * r.graduation_rate, 1),
                round(100 * r.placement_rate, 1),
                n,
                n * r.package_size,
                n * r.package_cost,
                round(line.graduates, 1) if line else 0.0,
                round(line.placements, 1) if line else 0.0,
            ]
        )
    proposal = Table(
        "plan",
        _("Proposed extra packages"),
        [
            _("Programme"),
            _("Package cost (Rp)"),
            _("Seats per package"),
            _("Left without a seat"),
            _("Packages the demand fills"),
            _("Graduation rate (%)"),
            _("Placement rate (%)"),
            _("Extra packages"),
            _("Extra seats"),
            _("Cost (Rp)"),
            _("Expected graduates"),
            _("Expected placements"),
        ],
        rows,
        footer=[
            _("Total"),
            None,
            None,
            sum(r.unmet for r in form.rows),
            sum(r.justified for r in form.rows),
            None,
            None,
            plan.packages,
            plan.seats,
            plan.cost,
            round(plan.graduates, 1),
            round(plan.placements, 1),
        ],
        # Twelve columns on a 1280 px screen and an A4 page: the rates' headings shortened
        # (Excel keeps the full ones).
        short=[
            _("Programme"),
            _("Package cost (Rp)"),
            _("Seats per package"),
            _("Left without a seat"),
            _("Packages the demand fills"),
            _("Graduation (%)"),
            _("Placement (%)"),
            _("Extra packages"),
            _("Extra seats"),
            _("Cost (Rp)"),
            _("Expected graduates"),
            _("Expected placements"),
        ],
    )
    basis = Table(
        "basis",
        _("What the rates rest on"),
        [
            _("Programme"),
            _("Finished training (n)"),
            _("Graduated"),
            _("Graduates with a known outcome (n)"),
            _("Placed"),
            _("Note"),
        ],
        [
            [
                r.label,
                r.finished,
                r.graduated,
                r.outcome_known,
                r.placed,
                "; ".join(
                    n
                    for n in (
                        _("no history of its own: the centre's average rates are used")
                        if r.rates_assumed
                        else "",
                        _("package cost derived from past batches") if r.cost_derived else "",
                    )
                    if n
                ),
            ]
            for r in form.rows
        ],
        numeric_from=1,
        text_columns=(5,),
    )
    return [proposal, basis]


def plan_lines(form: PlanForm, plan: Plan) -> list[str]:
    intakes = dict(decided_intakes())
    demand = intakes.get(form.intake, "") if form.intake is not None else _("all published intakes")
    return [
        _("Amount to plan: %(amount)s; maximising: %(objective)s.")
        % {"amount": rupiah(plan.budget), "objective": objective_labels()[plan.objective]},
        _("Unmet demand from: %(intake)s.") % {"intake": demand},
        _("Proposed: %(packages)d packages, %(seats)d seats, costing %(cost)s; %(left)s left over.")
        % {
            "packages": plan.packages,
            "seats": plan.seats,
            "cost": rupiah(plan.cost),
            "left": rupiah(plan.left),
        },
        _("Expected: %(graduates)s extra graduates and %(placements)s extra placements in work.")
        % {"graduates": f"{plan.graduates:.0f}", "placements": f"{plan.placements:.0f}"},
        _(
            "Assumptions: each package fills all its seats from the eligible applicants left "
            "without one; each programme graduates and places as it did so far (graduates of "
            "those who finished; placed of graduates whose outcome is known, so graduates not "
            "heard from are assumed to fare like those who answered: this is an extrapolation). "
            "A programme without history of its own uses the centre's average. Packages are "
            "capped at the number of full packages its unmet demand fills, unless staff set a "
            "higher minimum or a lock."
        ),
        as_of(),
    ]
