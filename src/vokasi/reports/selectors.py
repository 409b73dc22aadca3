"""Reads for the reports: sums over the summary table, filtered by the dashboard's choices.

Every function here is one query on `FunnelCell` (plus the small lookup tables for labels),
whatever the number of participants behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, FundingSource, Intake, Programme
from vokasi.core.forms import query_int
from vokasi.intake.models import Sex
from vokasi.regions.models import Region
from vokasi.reports.models import FUNNEL, MEASURES, AgeBand, FunnelCell, Snapshot

USUAL_PACKAGE_SIZE = 16  # the usual class size when a programme has no batch to go by
DIMENSIONS = ("year", "intake", "programme", "funding", "regency", "sex", "age", "disability")


@dataclass
class Filters:
    year: int | None = None
    intake: int | None = None
    programme: int | None = None
    funding: int | None = None
    regency: str = ""
    sex: str = ""
    age: int | None = None
    disability: str = ""  # "yes", "no" or ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Filters:
        """Anything that is not a valid choice counts as "all": a stale link never fails."""

        def text(name: str) -> str:
            return str(data.get(name, "") or "").strip()

        regency = text("regency")
        return cls(
            year=query_int(text("year"), low=2000, high=2100),
            intake=query_int(text("intake"), low=0),
            programme=query_int(text("programme")),
            funding=query_int(text("funding")),
            regency=regency if len(regency) == 4 and regency.isdigit() else "",
            sex=text("sex") if text("sex") in Sex.values else "",
            age=query_int(text("age"), low=1, high=len(AgeBand.values)),
            disability=text("disability") if text("disability") in ("yes", "no") else "",
        )

    def q(self) -> Q:
        q = Q()
        if self.year is not None:
            q &= Q(year=self.year)
        if self.intake is not None:
            q &= Q(intake_id=self.intake)
        if self.programme is not None:
            q &= Q(programme_id=self.programme)
        if self.funding is not None:
            q &= Q(funding_id=self.funding)
        if self.regency:
            q &= Q(regency=self.regency)
        if self.sex:
            q &= Q(sex=self.sex)
        if self.age is not None:
            q &= Q(age_band=self.age)
        if self.disability:
            q &= Q(disability=self.disability == "yes")
        return q

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            name: value
            for name, value in (
                ("year", self.year),
                ("intake", self.intake),
                ("programme", self.programme),
                ("funding", self.funding),
                ("regency", self.regency),
                ("sex", self.sex),
                ("age", self.age),
                ("disability", self.disability),
            )
            if value not in (None, "")
        }
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.query_string())


@dataclass
class Counts:
    """Sums of the measures for one group of cells, with the rates the pages show."""

    label: str = ""
    key: Any = None
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))

    def __getattr__(self, name: str) -> int:
        values = self.__dict__.get("values", {})
        if name in values:
            return int(values[name])
        raise AttributeError(name)

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [(name, self.values[name]) for name in FUNNEL]


@dataclass(frozen=True)
class Rate:
    label: str
    part: int
    n: int
    note: str = ""

    @property
    def percent(self) -> float | None:
        return round(100 * self.part / self.n, 1) if self.n else None


def stage_labels() -> dict[str, str]:
    return {
        "applicants": _("Applicants"),
        "eligible": _("Eligible"),
        "admitted": _("Admitted"),
        "started": _("Started training"),
        "finished": _("Finished training"),
        "graduated": _("Graduated"),
        "certified": _("BNSP-certified"),
        "placed": _("Placed in work"),
        "unmet": _("Eligible, left without a seat"),
    }


def no_intake_label() -> str:
    """Batches without an intake: nominated by a partner (a prison), or filled before
    registration ran in vokasi. Their participants have no application here."""
    return _("No intake (nominated, or registered before vokasi)")


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in MEASURES}


def _cells(filters: Filters) -> QuerySet[FunnelCell]:
    return FunnelCell.objects.filter(filters.q())


def totals(filters: Filters) -> Counts:
    row = _cells(filters).aggregate(**_sums())
    return Counts(label=_("Total"), values={k: int(v or 0) for k, v in row.items()})


def rates(c: Counts) -> list[Rate]:
    """The funnel's rates, each with its denominator; outcomes with the response rate."""
    return [
        Rate(_("Eligible of applicants"), c.eligible, c.applicants),
        Rate(_("Admitted of eligible"), c.admitted, c.eligible),
        Rate(_("Graduated of those who finished training"), c.graduated, c.finished),
        Rate(_("BNSP-certified of graduates"), c.certified, c.graduated),
        Rate(
            _("Outcome known (tracer response) of graduates"),
            c.outcome_known,
            c.graduated,
        ),
        Rate(
            _("Placed of graduates whose outcome is known"),
            c.placed,
            c.outcome_known,
            _("Not extrapolated: graduates who have not answered are not counted either way."),
        ),
        Rate(
            _("Placed of all graduates (those not heard from counted as not placed)"),
            c.placed,
            c.graduated,
        ),
    ]


def _labels(dimension: str, keys: list[Any]) -> dict[Any, str]:
    if dimension == "programme_id":
        return dict(Programme.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "regency":
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    if dimension == "funding_id":
        return dict(FundingSource.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "intake_id":
        names = dict(Intake.objects.filter(pk__in=keys).values_list("pk", "name"))
        return {k: names.get(k, no_intake_label()) for k in keys}
    if dimension == "sex":
        return {k: str(Sex(k).label) if k in Sex.values else k for k in keys}
    if dimension == "age_band":
        return {k: str(AgeBand(k).label) for k in keys if k in AgeBand.values}
    if dimension == "disability":
        return {True: _("With a disability"), False: _("Without a disability")}
    return {k: str(k) for k in keys}


def breakdown(filters: Filters, dimension: str) -> list[Counts]:
    """The measures per value of one dimension (a column of FunnelCell), largest first."""
    rows = list(_cells(filters).values(dimension).annotate(**_sums()).order_by(dimension))
    labels = _labels(dimension, [r[dimension] for r in rows])
    out = [
        Counts(
            label=labels.get(r[dimension], str(r[dimension])),
            key=r[dimension],
            values={k: int(r[k] or 0) for k in MEASURES},
        )
        for r in rows
    ]
    if dimension in ("programme_id", "regency", "funding_id"):
        out.sort(key=lambda c: (-c.values["started"] - c.values["applicants"], c.label))
    return out


@dataclass(frozen=True)
class Choices:
    years: list[int]
    intakes: list[tuple[int, str]]
    programmes: list[tuple[int, str]]
    funding: list[tuple[int, str]]
    regencies: list[tuple[str, str]]
    sexes: list[tuple[str, str]]
    ages: list[tuple[int, str]]


def filter_choices() -> Choices:
    """What the filter menus offer: the values present in the summary (one query)."""
    present: dict[str, set[Any]] = {"year": set(), "regency": set()}
    for year, regency in FunnelCell.objects.values_list("year", "regency").distinct():
        present["year"].add(year)
        present["regency"].add(regency)
    regencies = Region.objects.filter(code__in=present["regency"]).order_by("name")
    return Choices(
        years=sorted(present["year"], reverse=True),
        intakes=[
            *Intake.objects.order_by("-id").values_list("pk", "name"),
            (0, no_intake_label()),
        ],
        programmes=list(Programme.objects.order_by("name").values_list("pk", "name")),
        funding=list(
            FundingSource.objects.order_by("-fiscal_year", "name").values_list("pk", "name")
        ),
        regencies=[(r.code, r.name) for r in regencies],
        sexes=[(str(v), str(label)) for v, label in Sex.choices],
        ages=[(int(v), str(label)) for v, label in AgeBand.choices],
    )


def snapshot() -> Snapshot | None:
    return Snapshot.objects.filter(pk=1).first()


def as_of() -> str:
    """When the figures were counted, in words, for every page and document."""
    snap = snapshot()
    if snap is None:
        return _("The figures have not been counted yet.")
    when = date_format(timezone.localtime(snap.refreshed_at), "DATETIME_FORMAT")
    return _("Figures as counted on %(when)s.") % {"when": when}


# --------------------------------------------------------------------------------------
# Cost per participant.


@dataclass(frozen=True)
class ProgrammeCost:
    programme_id: int
    code: str
    name: str
    package_cost: int  # Rp for one package
    package_size: int  # seats in one package
    derived: bool  # True when the cost was worked out from the batches, not set by staff

    @property
    def per_participant(self) -> int:
        return self.package_cost // self.package_size if self.package_size else 0


def programme_costs() -> dict[int, ProgrammeCost]:
    """Each programme's package cost and size.

    The cost is the programme's "usual package cost" set by staff; where that is 0 it is
    derived from its batches (their costs over their quotas, times the usual size). The
    size is the quota most of its batches have (16 when it has none).
    """
    quotas: dict[int, Counter[int]] = {}
    spent: dict[int, list[int]] = {}
    for programme_id, quota, cost in Batch.objects.values_list("programme_id", "quota", "cost"):
        quotas.setdefault(programme_id, Counter())[quota] += 1
        if cost and quota:
            totals_ = spent.setdefault(programme_id, [0, 0])
            totals_[0] += cost
            totals_[1] += quota
    out = {}
    for p in Programme.objects.order_by("name").values("pk", "code", "name", "package_cost"):
        counter = quotas.get(p["pk"])
        # Most common quota; ties go to the smaller, the usual 16 over a one-off 32.
        size = (
            min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if counter
            else USUAL_PACKAGE_SIZE
        )
        cost, derived = int(p["package_cost"]), False
        if not cost and p["pk"] in spent:
            total, seats = spent[p["pk"]]
            cost, derived = total * size // seats, True
        out[p["pk"]] = ProgrammeCost(p["pk"], p["code"], p["name"], cost, size, derived)
    return out


# --------------------------------------------------------------------------------------
# Unmet demand.


@dataclass
class UnmetRow:
    label: str
    programme_id: int
    eligible: int
    admitted: int
    unmet: int
    cost_per_participant: int
    regencies: dict[str, int] = field(default_factory=dict)

    @property
    def cost(self) -> int:
        return self.unmet * self.cost_per_participant


@dataclass
class UnmetIntake:
    intake_id: int
    name: str
    decided: bool
    rows: list[UnmetRow]

    @property
    def eligible(self) -> int:
        return sum(r.eligible for r in self.rows)

    @property
    def unmet(self) -> int:
        return sum(r.unmet for r in self.rows)

    @property
    def cost(self) -> int:
        return sum(r.cost for r in self.rows)


@dataclass
class UnmetReport:
    intakes: list[UnmetIntake]
    regencies: list[tuple[str, str]]  # the regency columns, most unmet first

    @property
    def unmet(self) -> int:
        return sum(i.unmet for i in self.intakes)

    @property
    def cost(self) -> int:
        return sum(i.cost for i in self.intakes)


def unmet_demand(filters: Filters) -> UnmetReport:
    """Per intake (oldest first), per programme and regency: the eligible left without a
    seat and what seats for them would cost. One query on the summary."""
    snap = snapshot()
    decided = set(snap.decided_intakes) if snap else set()
    rows = (
        _cells(filters)
        .exclude(intake_id=0)
        .values("intake_id", "programme_id", "regency")
        .annotate(eligible=Sum("eligible"), admitted=Sum("admitted"), unmet=Sum("unmet"))
        .order_by()
    )
    costs = programme_costs()
    # Over time: intakes in the order their training starts.
    intakes_in_order = Intake.objects.annotate(first=Min("batches__training_starts")).order_by(
        "first", "pk"
    )
    intake_names = dict(intakes_in_order.values_list("pk", "name"))
    per_intake: dict[int, dict[int, UnmetRow]] = {}
    by_regency: Counter[str] = Counter()
    for r in rows:
        if not r["eligible"]:
            continue
        cost = costs.get(r["programme_id"])
        row = per_intake.setdefault(r["intake_id"], {}).setdefault(
            r["programme_id"],
            UnmetRow(
                label=cost.name if cost else str(r["programme_id"]),
                programme_id=r["programme_id"],
                eligible=0,
                admitted=0,
                unmet=0,
                cost_per_participant=cost.per_participant if cost else 0,
            ),
        )
        row.eligible += r["eligible"]
        row.admitted += r["admitted"]
        row.unmet += r["unmet"]
        row.regencies[r["regency"]] = row.regencies.get(r["regency"], 0) + r["unmet"]
        by_regency[r["regency"]] += r["unmet"]
    names = dict(Region.objects.filter(code__in=list(by_regency)).values_list("code", "name"))
    regencies = sorted(by_regency, key=lambda code: (-by_regency[code], names.get(code, code)))
    intakes = [
        UnmetIntake(
            intake_id=pk,
            name=intake_names.get(pk, str(pk)),
            decided=pk in decided,
            rows=sorted(per_intake[pk].values(), key=lambda r: (-r.unmet, r.label)),
        )
        for pk in intake_names
        if pk in per_intake
    ]
    return UnmetReport(intakes, [(code, names.get(code, code)) for code in regencies])
