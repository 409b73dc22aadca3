"""The dashboard's tables, built once and shown three ways: the page, Excel and the PDF.

One builder for all three keeps the numbers identical wherever they are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from vokasi.reports.selectors import (
    Choices,
    Counts,
    Filters,
    Rate,
    UnmetReport,
    as_of,
    breakdown,
    filter_choices,
    rates,
    stage_labels,
    totals,
    unmet_demand,
)

Cell = str | int | float | None


@dataclass(frozen=True)
class Head:
    """A column heading: the short label the page and the PDF show, and the full meaning
    (empty when the label says it all) for a tooltip and the legend."""

    label: str
    title: str
    numeric: bool


@dataclass
class Table:
    key: str
    title: str
    header: list[str]  # the full headings: Excel shows these
    rows: list[list[Cell]]
    numeric_from: int = 1  # columns from here on are numbers (right-aligned) ...
    footer: list[Cell] | None = None
    text_columns: tuple[int, ...] = ()  # ... except these, which hold words
    short: list[str] | None = None  # shorter headings for the page and the PDF

    def numeric(self, column: int) -> bool:
        return column >= self.numeric_from and column not in self.text_columns

    @property
    def heads(self) -> list[Head]:
        short = self.short or self.header
        return [
            Head(label, full if full != label else "", self.numeric(i))
            for i, (label, full) in enumerate(zip(short, self.header, strict=True))
        ]

    @property
    def body(self) -> list[list[tuple[Cell, bool]]]:
        """The rows, each cell with whether it is a number (for the template)."""
        return [[(v, self.numeric(i)) for i, v in enumerate(row)] for row in self.rows]

    @property
    def foot(self) -> list[tuple[Cell, bool]]:
        return [(v, self.numeric(i)) for i, v in enumerate(self.footer or [])]


@dataclass
class Dashboard:
    filters: Filters
    filter_text: list[str]
    choices: Choices
    total: Counts
    rates: list[Rate]
    funnel: Table
    rate_table: Table
    tables: list[Table] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def all_tables(self) -> list[Table]:
        return [self.funnel, self.rate_table, *self.tables]


# Each stage as a share of the one it is drawn from. "Started" has none: nominated batches
# (and participants from before registration was online) start without an application.
FUNNEL_BASE = {
    "eligible": "applicants",
    "admitted": "eligible",
    # Of those whose training is over, as the rate table says: a batch still running
    # must not look like a batch that failed.
    "graduated": "finished",
    "certified": "graduated",
    "placed": "graduated",
}


def percent(part: int, n: int) -> float | None:
    return round(100 * part / n, 1) if n else None


BREAKDOWNS = (
    ("programme", "programme_id"),
    ("regency", "regency"),
    ("intake", "intake_id"),
    ("year", "year"),
    ("funding", "funding_id"),
    ("sex", "sex"),
    ("age", "age_band"),
    ("disability", "disability"),
)


def _titles() -> dict[str, tuple[str, str]]:
    return {
        "programme": (_("By programme"), _("Programme")),
        "regency": (_("By regency / city of domicile"), _("Regency / city")),
        "intake": (_("By intake"), _("Intake")),
        "year": (_("By year training starts"), _("Year")),
        "funding": (_("By funding source"), _("Funding source")),
        "sex": (_("By sex"), _("Sex")),
        "age": (_("By age band"), _("Age band")),
        "disability": (_("By disability"), _("Disability")),
    }


COLUMNS = (
    "applicants",
    "eligible",
    "admitted",
    "unmet",
    "started",
    "graduated",
    "certified",
    "outcome_known",
    "placed",
)


def _column_labels() -> list[str]:
    labels = stage_labels()
    labels["outcome_known"] = _("Outcome known")
    labels["certified"] = _("BNSP-certified")
    return [labels[c] for c in COLUMNS]


def _column_short() -> list[str]:
    """The breakdowns' headings as the page and the PDF show them: short enough for ten
    columns on a 1280 px screen and an A4 page; `legend()` says what each one counts."""
    labels = dict(zip(COLUMNS, _column_labels(), strict=True))
    labels["unmet"] = _("Left without a seat")
    return [labels[c] for c in COLUMNS]


def legend() -> list[tuple[str, str]]:
    """What each column of the breakdowns counts, in the words of docs/reports.md."""
    meaning = {
        "applicants": _("applications, one per person per intake"),
        "eligible": _("applications that meet the programme's requirements"),
        "admitted": _("eligible and offered a seat, or enrolled"),
        "unmet": _("eligible but never offered a seat, once the intake's selection is published"),
        "started": _("every participant of a batch, nominated batches included"),
        "graduated": _("graduated from a completed batch"),
        "certified": _("graduates found competent in a BNSP competency test"),
        "outcome_known": _("graduates whose work status is known (tracer study or staff records)"),
        "placed": _("graduates employed, self-employed or working abroad"),
    }
    return list(zip(_column_short(), (meaning[c] for c in COLUMNS), strict=True))


def describe(filters: Filters, choices: Choices | None = None) -> list[str]:
    """The filters in words, for the page's export and the PDF's heading."""
    choices = choices or filter_choices()
    out = []

    def named(pairs: list[tuple[object, str]], value: object) -> str:
        return next((label for key, label in pairs if key == value), str(value))

    if filters.year is not None:
        out.append(_("Year: %(v)s") % {"v": filters.year})
    if filters.intake is not None:
        out.append(_("Intake: %(v)s") % {"v": named(list(choices.intakes), filters.intake)})
    if filters.programme is not None:
        out.append(
            _("Programme: %(v)s") % {"v": named(list(choices.programmes), filters.programme)}
        )
    if filters.funding is not None:
        out.append(_("Funding: %(v)s") % {"v": named(list(choices.funding), filters.funding)})
    if filters.regency:
        out.append(
            _("Regency / city: %(v)s") % {"v": named(list(choices.regencies), filters.regency)}
        )
    if filters.sex:
        out.append(_("Sex: %(v)s") % {"v": named(list(choices.sexes), filters.sex)})
    if filters.age is not None:
        out.append(_("Age: %(v)s") % {"v": named(list(choices.ages), filters.age)})
    if filters.disability:
        out.append(
            _("With a disability") if filters.disability == "yes" else _("Without a disability")
        )
    return out or [_("All years, programmes and regions")]


def dashboard(filters: Filters) -> Dashboard:
    choices = filter_choices()
    total = totals(filters)
    labels = stage_labels()
    funnel_rows: list[list[Cell]] = []
    for name, value in total.funnel:
        base = FUNNEL_BASE.get(name)
        funnel_rows.append(
            [
                labels[name],
                value,
                percent(value, total.values[base]) if base else None,
                total.values[base] if base else None,
                labels[base] if base else "",
            ]
        )
    funnel = Table(
        "funnel",
        _("Funnel"),
        [_("Stage"), _("People"), "%", "n", _("Of")],
        funnel_rows,
        text_columns=(4,),
    )
    rate_list = rates(total)
    rate_table = Table(
        "rates",
        _("Rates, with their denominators"),
        [_("Rate"), _("Count"), "n", "%"],
        [[r.label, r.part, r.n, r.percent] for r in rate_list],
    )
    titles = _titles()
    tables = []
    for key, dimension in BREAKDOWNS:
        groups = breakdown(filters, dimension)
        title, column = titles[key]
        tables.append(
            Table(
                key,
                title,
                [column, *_column_labels()],
                [[g.label, *(g.values[c] for c in COLUMNS)] for g in groups],
                footer=[_("Total"), *(total.values[c] for c in COLUMNS)],
                short=[column, *_column_short()],
            )
        )
    return Dashboard(
        filters,
        describe(filters, choices),
        choices,
        total,
        rate_list,
        funnel,
        rate_table,
        tables,
        legend(),
    )


# --------------------------------------------------------------------------------------
# Unmet demand.


def unmet_tables(filters: Filters) -> tuple[UnmetReport, list[Table]]:
    report = unmet_demand(filters)
    regency_names = [name for _code, name in report.regencies]
    tables = []
    for intake in report.intakes:
        title = intake.name
        if not intake.decided:
            title += " — " + _("selection not yet published: nobody turned away yet")
        tables.append(
            Table(
                f"intake-{intake.intake_id}",
                title,
                [
                    _("Programme"),
                    _("Eligible"),
                    _("Admitted"),
                    _("Left without a seat"),
                    _("Cost per participant (Rp)"),
                    _("Cost to serve them (Rp)"),
                    *regency_names,
                ],
                [
                    [
                        r.label,
                        r.eligible,
                        r.admitted,
                        r.unmet,
                        r.cost_per_participant,
                        r.cost,
                        *(r.regencies.get(code, 0) for code, _n in report.regencies),
                    ]
                    for r in intake.rows
                ],
                footer=[
                    _("Total"),
                    intake.eligible,
                    sum(r.admitted for r in intake.rows),
                    intake.unmet,
                    None,
                    intake.cost,
                    *(
                        sum(r.regencies.get(code, 0) for r in intake.rows)
                        for code, _n in report.regencies
                    ),
                ],
            )
        )
    return report, tables


def unmet_lines(filters: Filters) -> list[str]:
    return [
        *describe(filters),
        _(
            "Left without a seat: eligible applicants never offered a seat, in intakes whose "
            "selection is published. The cost is their number times the programme's cost per "
            "participant (package cost over package size)."
        ),
        as_of(),
    ]
