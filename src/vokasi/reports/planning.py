"""The planner's form: reading what staff typed, and the numbers each programme brings.

Everything a user types is checked here and every fault comes back as a message for them;
`vokasi.reports.planner` only ever sees clean numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from vokasi.catalog.models import Intake, Programme
from vokasi.reports.models import FunnelCell
from vokasi.reports.planner import OBJECTIVES, Option
from vokasi.reports.selectors import programme_costs, snapshot

# Ten trillion rupiah: more than any province's whole budget; above it a typo is likelier.
MAX_AMOUNT = 10_000_000_000_000
MAX_PACKAGES = 200
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def parse_amount(text: str) -> tuple[int | None, str]:
    """Whole rupiah from "500000000", "500.000.000", "Rp 500.000.000"; else a message."""
    cleaned = text.strip()
    if cleaned.lower().startswith("rp"):
        cleaned = cleaned[2:].strip()
    cleaned = cleaned.replace(" ", "")
    if not cleaned:
        return None, _("Enter the amount to plan, in rupiah.")
    if cleaned.startswith("-"):
        return None, _("The amount cannot be negative.")
    if cleaned.isascii() and cleaned.isdigit():
        value = int(cleaned) if len(cleaned) <= 16 else MAX_AMOUNT + 1
    elif _GROUPED.match(cleaned) and len({c for c in cleaned if not c.isdigit()}) == 1:
        value = int(re.sub(r"\D", "", cleaned))
    else:
        return None, _("Write the amount in whole rupiah, e.g. 500.000.000 (no decimals).")
    if value == 0:
        return None, _("The amount must be more than zero.")
    if value > MAX_AMOUNT:
        return None, _("The amount is larger than Rp10.000.000.000.000; check the number.")
    return value, ""


def _count(text: str, label: str) -> tuple[int | None, str]:
    text = text.strip()
    if not text:
        return None, ""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_PACKAGES:
        return None, _("%(programme)s: write a whole number of packages from 0 to %(max)d.") % {
            "programme": label,
            "max": MAX_PACKAGES,
        }
    return int(text), ""


@dataclass
class Row:
    """One programme in the planner's form, with the figures behind it."""

    programme_id: int
    label: str
    package_cost: int
    package_size: int
    cost_derived: bool
    unmet: int
    finished: int
    graduated: int
    outcome_known: int
    placed: int
    graduation_rate: float
    placement_rate: float
    rates_assumed: bool  # no history of its own: the centre's average was used
    minimum: str = ""
    lock: str = ""

    @property
    def justified(self) -> int:
        return self.unmet // self.package_size if self.package_size else 0


@dataclass
class PlanForm:
    amount_text: str = ""
    objective: str = "placements"
    intake: int | None = None
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    amount: int | None = None
    submitted: bool = False

    def options(self) -> list[Option]:
        out = []
        for r in self.rows:
            minimum, _m = _count(r.minimum, r.label)
            lock, _l = _count(r.lock, r.label)
            out.append(
                Option(
                    key=r.programme_id,
                    label=r.label,
                    package_cost=r.package_cost,
                    package_size=r.package_size,
                    unmet=r.unmet,
                    graduation_rate=r.graduation_rate,
                    placement_rate=r.placement_rate,
                    minimum=minimum or 0,
                    lock=lock,
                )
            )
        return out


def decided_intakes() -> list[tuple[int, str]]:
    snap = snapshot()
    ids = snap.decided_intakes if snap else []
    return list(Intake.objects.filter(pk__in=ids).order_by("-id").values_list("pk", "name"))


def _rate(part: int, n: int) -> float:
    return part / n if n else 0.0


def planner_rows(intake: int | None) -> list[Row]:
    """Active programmes with a package cost, their unmet demand in `intake` (all decided
    intakes when None) and their rates over all years."""
    history: dict[int, dict[str, Any]] = {
        r["programme_id"]: dict(r)
        for r in FunnelCell.objects.values("programme_id")
        .annotate(
            finished=Sum("finished"),
            graduated=Sum("graduated"),
            outcome_known=Sum("outcome_known"),
            placed=Sum("placed"),
        )
        .order_by()
    }
    demand = FunnelCell.objects.all()
    if intake is not None:
        demand = demand.filter(intake_id=intake)
    unmet = dict(
        demand.values("programme_id")
        .annotate(unmet=Sum("unmet"))
        .order_by()
        .values_list("programme_id", "unmet")
    )
    centre: dict[str, int] = {"finished": 0, "graduated": 0, "outcome_known": 0, "placed": 0}
    for h in history.values():
        for k in centre:
            centre[k] += int(h[k] or 0)
    centre_grad = _rate(centre["graduated"], centre["finished"])
    centre_place = _rate(centre["placed"], centre["outcome_known"])
    costs = programme_costs()
    active = set(Programme.objects.filter(active=True).values_list("pk", flat=True))
    rows = []
    for pk, cost in costs.items():
        if pk not in active or cost.package_cost <= 0:
            continue
        h = history.get(pk, {})
        finished, graduated = int(h.get("finished") or 0), int(h.get("graduated") or 0)
        known, placed = int(h.get("outcome_known") or 0), int(h.get("placed") or 0)
        assumed = not finished or not known
        rows.append(
            Row(
                programme_id=pk,
                label=cost.name,
                package_cost=cost.package_cost,
                package_size=cost.package_size,
                cost_derived=cost.derived,
                unmet=int(unmet.get(pk) or 0),
                finished=finished,
                graduated=graduated,
                outcome_known=known,
                placed=placed,
                graduation_rate=_rate(graduated, finished) if finished else centre_grad,
                placement_rate=_rate(placed, known) if known else centre_place,
                rates_assumed=assumed,
            )
        )
    return rows


def read_form(data: Mapping[str, Any]) -> PlanForm:
    """The planner's inputs from a query string; `submitted` once an amount was sent."""
    intakes = decided_intakes()
    intake_text = str(data.get("intake", "") or "")
    valid = {str(pk): pk for pk, _name in intakes}
    if intake_text == "all":
        intake = None
    else:
        intake = valid.get(intake_text, intakes[0][0] if intakes else None)
    objective = str(data.get("objective", "") or "placements")
    form = PlanForm(
        amount_text=str(data.get("amount", "") or "")[:40],
        objective=objective if objective in OBJECTIVES else "placements",
        intake=intake,
        rows=planner_rows(intake),
        submitted="amount" in data,
    )
    if objective not in OBJECTIVES:
        form.errors.append(_("Choose what to maximise."))
    for row in form.rows:
        row.minimum = str(data.get(f"min_{row.programme_id}", "") or "")[:10]
        row.lock = str(data.get(f"lock_{row.programme_id}", "") or "")[:10]
    if not form.submitted:
        return form
    form.amount, message = parse_amount(form.amount_text)
    if message:
        form.errors.append(message)
    for row in form.rows:
        minimum, m1 = _count(row.minimum, row.label)
        lock, m2 = _count(row.lock, row.label)
        form.errors += [m for m in (m1, m2) if m]
        if minimum is not None and lock is not None and minimum > lock:
            form.errors.append(
                _("%(programme)s: the minimum is above the locked number.")
                % {"programme": row.label}
            )
    return form
