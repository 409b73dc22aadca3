"""The budget planner: how many extra packages per programme an added amount should buy.

An exact integer program solved with HiGHS through `scipy.optimize.milp`:

    maximise    sum_i  value_i * x_i          (value: expected placements, graduates or seats
                                               of one package of programme i, in whole
                                               thousandths of a person)
    subject to  sum_i  cost_i * x_i <= budget
                low_i <= x_i <= high_i,  x_i integer

where high_i is the number of full packages its unmet demand fills (floor(unmet / size)),
raised to the staff's minimum if that is higher, and low_i the staff's minimum; a locked
programme has low_i = high_i = the locked number. Among the plans with the best value, a
second solve picks the cheapest, so money is not spent for nothing. HiGHS runs with no
optimality gap, and the values are integers, so "best" is exact, not "within 0.01 %".

Plain data in, plain data out: the view gathers the numbers, this module only decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]

OBJECTIVES = ("placements", "graduates", "seats")
SCALE = 1000  # scores count thousandths of an expected person
# No relative or absolute gap: the search stops only at the proven optimum.
EXACT = {"mip_rel_gap": 0.0, "presolve": True}


class PlanError(Exception):
    """The plan cannot be made as asked; the message is for the user."""


@dataclass(frozen=True)
class Option:
    """One programme as the planner sees it."""

    key: int
    label: str
    package_cost: int
    package_size: int
    unmet: int
    graduation_rate: float  # expected graduates per seat
    placement_rate: float  # expected placements per graduate
    minimum: int = 0
    lock: int | None = None

    @property
    def justified(self) -> int:
        """Full packages the unmet demand would fill."""
        return self.unmet // self.package_size if self.package_size else 0

    @property
    def high(self) -> int:
        if self.lock is not None:
            return self.lock
        return max(self.justified, self.minimum)

    @property
    def low(self) -> int:
        return self.lock if self.lock is not None else self.minimum

    def value(self, objective: str) -> float:
        seats = float(self.package_size)
        if objective == "seats":
            return seats
        if objective == "graduates":
            return seats * self.graduation_rate
        return seats * self.graduation_rate * self.placement_rate

    def score(self, objective: str) -> int:
        """The value in thousandths of a person, a whole number: the solver then compares
        plans exactly (no floating-point tie can hide a better plan)."""
        return round(SCALE * self.value(objective))


@dataclass(frozen=True)
class Line:
    option: Option
    packages: int

    @property
    def seats(self) -> int:
        return self.packages * self.option.package_size

    @property
    def cost(self) -> int:
        return self.packages * self.option.package_cost

    @property
    def graduates(self) -> float:
        return self.seats * self.option.graduation_rate

    @property
    def placements(self) -> float:
        return self.graduates * self.option.placement_rate


@dataclass(frozen=True)
class Plan:
    budget: int
    objective: str
    lines: list[Line] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return sum(line.cost for line in self.lines)

    @property
    def left(self) -> int:
        return self.budget - self.cost

    @property
    def packages(self) -> int:
        return sum(line.packages for line in self.lines)

    @property
    def seats(self) -> int:
        return sum(line.seats for line in self.lines)

    @property
    def graduates(self) -> float:
        return sum(line.graduates for line in self.lines)

    @property
    def placements(self) -> float:
        return sum(line.placements for line in self.lines)


def solve(*, budget: int, options: list[Option], objective: str) -> Plan:
    """The best plan within the budget; PlanError when the minimums and locks cannot fit."""
    if objective not in OBJECTIVES:
        raise PlanError(_("Choose what to maximise."))
    usable = [o for o in options if o.package_cost > 0 and o.package_size > 0]
    for o in usable:
        if o.lock is not None and o.minimum > o.lock:
            raise PlanError(
                _("%(programme)s: the minimum is above the locked number.") % {"programme": o.label}
            )
    floor_cost = sum(o.low * o.package_cost for o in usable)
    if floor_cost > budget:
        raise PlanError(
            _(
                "The minimums and locked packages alone cost Rp%(cost)s, more than the amount to plan."
            )
            % {"cost": f"{floor_cost:,}".replace(",", ".")}
        )
    if not usable:
        return Plan(budget, objective, [])
    costs = np.array([float(o.package_cost) for o in usable])
    values = np.array([float(o.score(objective)) for o in usable])
    bounds = Bounds(
        np.array([float(o.low) for o in usable]), np.array([float(o.high) for o in usable])
    )
    integrality = np.ones(len(usable))
    budget_row = LinearConstraint(costs.reshape(1, -1), -np.inf, float(budget))
    best = milp(
        -values, constraints=[budget_row], bounds=bounds, integrality=integrality, options=EXACT
    )
    if best.x is None:  # pragma: no cover - the bounds above make it feasible
        raise PlanError(_("No plan fits the amount."))
    x = np.round(best.x)
    # Second pass: the cheapest plan among those as good as the best (ties in value).
    optimum = float(values @ x)  # a whole number of thousandths
    if optimum > 0:
        # Scores are integers, so "at least as good" is "more than optimum - 1/2".
        keep = LinearConstraint(values.reshape(1, -1), optimum - 0.5, np.inf)
        cheaper = milp(
            costs,
            constraints=[budget_row, keep],
            bounds=bounds,
            integrality=integrality,
            options=EXACT,
        )
        if cheaper.x is not None:
            x = np.round(cheaper.x)
    lines = [Line(o, int(n)) for o, n in zip(usable, x, strict=True)]
    return Plan(budget, objective, lines)
