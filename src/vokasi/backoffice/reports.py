"""Reports in the back office: the dashboard, unmet demand and the budget planner, each
with its Excel and PDF. Read-only: every number comes from the summary table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views import View

from vokasi.catalog.models import TrainingCentre
from vokasi.core.audit import audit_log
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.reports import charts
from vokasi.reports.excel import tables_xlsx
from vokasi.reports.pdf import BarRow, report_pdf
from vokasi.reports.planner import OBJECTIVES, Line, Plan, PlanError, solve
from vokasi.reports.planning import PlanForm, decided_intakes, read_form
from vokasi.reports.refresh import refresh_task
from vokasi.reports.selectors import (
    Filters,
    filter_choices,
    snapshot,
    stage_labels,
    unmet_demand,
)
from vokasi.reports.tables import Dashboard, Table, dashboard


def _as_of() -> str:
    snap = snapshot()
    if snap is None:
        return _("The figures have not been counted yet.")
    when = date_format(timezone.localtime(snap.refreshed_at), "DATETIME_FORMAT")
    return _("Figures as counted on %(when)s.") % {"when": when}


def _download(data: bytes, name: str, kind: str) -> HttpResponse:
    types = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    response = HttpResponse(data, content_type=types[kind])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{kind}"'
    return response


def _centre() -> TrainingCentre | None:
    return TrainingCentre.objects.order_by("pk").first()


def _funnel_chart(board: Dashboard) -> Any:
    bars = []
    for label, value, share, base in board.funnel.rows:
        note = (
            _("%(p)s%% of %(base)s") % {"p": number_format(share), "base": str(base).lower()}
            if share is not None
            else ""
        )
        bars.append(charts.Bar(str(label), int(value or 0), note))
    return charts.hbars(bars, title=_("Funnel"))


def _table_chart(table: Table, column: int, title: str) -> Any:
    bars = [charts.Bar(str(row[0]), int(row[column] or 0)) for row in table.rows[:12]]
    return charts.hbars(bars, title=title, colour="#1f6f8b")


class DashboardView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = Filters.parse(request.GET)
        board = dashboard(filters)
        tables = {t.key: t for t in board.tables}
        return render(
            request,
            "backoffice/reports/dashboard.html",
            {
                "board": board,
                "filters": filters,
                "choices": board.choices,
                "query": filters.query_string(),
                "as_of": _as_of(),
                "funnel_chart": _funnel_chart(board),
                "programme_chart": _table_chart(
                    tables["programme"], 5, _("Started training, by programme")
                ),
                # Demand where there were applications; else (nominated or older batches)
                # the participants.
                "regency_chart": _table_chart(
                    tables["regency"], 1, _("Applicants, by regency / city")
                )
                if board.total.applicants
                else _table_chart(tables["regency"], 5, _("Started training, by regency / city")),
                "can_refresh": request_user(request).can(Perm.CATALOG_MANAGE),
            },
        )


def _board_lines(board: Dashboard) -> list[str]:
    return [*board.filter_text, _as_of()]


def _audit_export(request: HttpRequest, kind: str, **data: Any) -> None:
    snap = snapshot()
    if snap is not None:
        audit_log(actor=request_user(request), action=f"reports.export_{kind}", obj=snap, **data)


class DashboardExcelView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        board = dashboard(Filters.parse(request.GET))
        data = tables_xlsx(
            title=_("Training report"), lines=_board_lines(board), tables=board.all_tables
        )
        _audit_export(request, "dashboard_xlsx", filters=board.filters.query_string())
        return _download(data, "laporan-pelatihan", "xlsx")


class DashboardPdfView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        board = dashboard(Filters.parse(request.GET))
        labels = stage_labels()
        chart = [BarRow(labels[name], value) for name, value in board.total.funnel]
        notes = [
            _(
                "Definitions: an application counts once, under its highest-ranked eligible choice. "
                "Participants of nominated batches (e.g. inside a prison) have no application and "
                "enter the funnel at 'started'; they are counted, never named."
            ),
            _(
                "Placement rates count only what graduates told us (tracer study or staff records); "
                "nothing is extrapolated to those not heard from."
            ),
        ]
        data = report_pdf(
            centre=_centre(),
            title=_("Training report"),
            lines=_board_lines(board),
            tables=board.all_tables,
            chart=chart,
            notes=notes,
        )
        _audit_export(request, "dashboard_pdf", filters=board.filters.query_string())
        return _download(data, "laporan-pelatihan", "pdf")


class RefreshView(PermRequiredMixin, View):
    """Staff ask for a recount; the worker does it (seconds here, minutes at a million)."""

    perm = Perm.CATALOG_MANAGE

    def post(self, request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            snap = snapshot()
            if snap is not None:
                audit_log(actor=request_user(request), action="reports.refresh", obj=snap)
            transaction.on_commit(lambda: refresh_task.enqueue())
        messages.success(request, _("The figures are being counted again; reload in a moment."))
        return redirect("backoffice:reports")


# --------------------------------------------------------------------------------------
# Unmet demand.


def _unmet_tables(filters: Filters) -> tuple[Any, list[Table]]:
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
                    *regency_names,
                    _("Cost per participant (Rp)"),
                    _("Cost to serve them (Rp)"),
                ],
                [
                    [
                        r.label,
                        r.eligible,
                        r.admitted,
                        r.unmet,
                        *(r.regencies.get(code, 0) for code, _n in report.regencies),
                        r.cost_per_participant,
                        r.cost,
                    ]
                    for r in intake.rows
                ],
                footer=[
                    _("Total"),
                    intake.eligible,
                    sum(r.admitted for r in intake.rows),
                    intake.unmet,
                    *(
                        sum(r.regencies.get(code, 0) for r in intake.rows)
                        for code, _n in report.regencies
                    ),
                    None,
                    intake.cost,
                ],
            )
        )
    return report, tables


def _unmet_lines(filters: Filters) -> list[str]:
    from vokasi.reports.tables import describe

    return [
        *describe(filters),
        _(
            "Left without a seat: eligible applicants never offered a seat, in intakes whose "
            "selection is published. The cost is their number times the programme's cost per "
            "participant (package cost over package size)."
        ),
        _as_of(),
    ]


class UnmetView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = Filters.parse(request.GET)
        report, tables = _unmet_tables(filters)
        chart = charts.hbars(
            [charts.Bar(i.name, i.unmet) for i in report.intakes],
            title=_("Left without a seat, per intake"),
            colour="#8c3b3b",
        )
        return render(
            request,
            "backoffice/reports/unmet.html",
            {
                "report": report,
                "tables": tables,
                "chart": chart,
                "filters": filters,
                "choices": filter_choices(),
                "query": filters.query_string(),
                "as_of": _as_of(),
            },
        )


class UnmetExcelView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = Filters.parse(request.GET)
        _report, tables = _unmet_tables(filters)
        data = tables_xlsx(title=_("Unmet demand"), lines=_unmet_lines(filters), tables=tables)
        _audit_export(request, "unmet_xlsx", filters=filters.query_string())
        return _download(data, "permintaan-belum-terlayani", "xlsx")


# --------------------------------------------------------------------------------------
# Budget planner.


def _objective_labels() -> dict[str, str]:
    return {
        "placements": _("Expected extra placements in work"),
        "graduates": _("Expected extra graduates"),
        "seats": _("Extra seats"),
    }


def _plan(form: PlanForm) -> tuple[Plan | None, list[str]]:
    if not form.submitted or form.errors or form.amount is None:
        return None, form.errors
    try:
        return solve(budget=form.amount, options=form.options(), objective=form.objective), []
    except PlanError as error:
        return None, [str(error)]


def _rupiah(value: int) -> str:
    return "Rp" + f"{value:,}".replace(",", ".")


def _plan_tables(form: PlanForm, plan: Plan) -> list[Table]:
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
    )
    return [proposal, basis]


def _plan_lines(form: PlanForm, plan: Plan) -> list[str]:
    intakes = dict(decided_intakes())
    demand = intakes.get(form.intake, "") if form.intake is not None else _("all published intakes")
    return [
        _("Amount to plan: %(amount)s; maximising: %(objective)s.")
        % {"amount": _rupiah(plan.budget), "objective": _objective_labels()[plan.objective]},
        _("Unmet demand from: %(intake)s.") % {"intake": demand},
        _("Proposed: %(packages)d packages, %(seats)d seats, costing %(cost)s; %(left)s left over.")
        % {
            "packages": plan.packages,
            "seats": plan.seats,
            "cost": _rupiah(plan.cost),
            "left": _rupiah(plan.left),
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
        _as_of(),
    ]


class PlannerView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = read_form(request.GET)
        plan, errors = _plan(form)
        context: dict[str, Any] = {
            "form": form,
            "plan": plan,
            "errors": errors,
            "intakes": decided_intakes(),
            "objectives": [(o, _objective_labels()[o]) for o in OBJECTIVES],
            "as_of": _as_of(),
            "query": request.GET.urlencode(),
        }
        if plan is not None:
            context["tables"] = _plan_tables(form, plan)
            context["lines"] = _plan_lines(form, plan)
            context["chart"] = charts.hbars(
                [
                    charts.Bar(line.option.label, line.packages)
                    for line in plan.lines
                    if line.packages
                ],
                title=_("Extra packages"),
                colour="#2a9d8f",
            )
        return render(
            request, "backoffice/reports/planner.html", context, status=400 if errors else 200
        )


class _PlannerDownload(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW
    kind = "xlsx"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = read_form(request.GET)
        if not form.submitted:
            # No amount yet: the figures the planner works from, with nothing proposed.
            plan = Plan(0, form.objective, [Line(o, 0) for o in form.options()])
            lines = [_("No amount given: the figures the planner works from."), _as_of()]
        else:
            solved, errors = _plan(form)
            if solved is None:
                for error in errors:
                    messages.error(request, error)
                return redirect(
                    f"{reverse('backoffice:reports_planner')}?{request.GET.urlencode()}"
                )
            plan, lines = solved, _plan_lines(form, solved)
        tables = _plan_tables(form, plan)
        title = _("Proposal for additional training packages")
        _audit_export(request, f"plan_{self.kind}", amount=plan.budget, objective=plan.objective)
        if self.kind == "xlsx":
            return _download(
                tables_xlsx(title=title, lines=lines, tables=tables), "usulan-paket", "xlsx"
            )
        chart = [BarRow(line.option.label, line.packages) for line in plan.lines if line.packages]
        data = report_pdf(
            centre=_centre(),
            title=title,
            lines=lines,
            tables=tables,
            chart=chart,
            signature=True,
        )
        return _download(data, "usulan-paket", "pdf")


class PlannerExcelView(_PlannerDownload):
    kind = "xlsx"


class PlannerPdfView(_PlannerDownload):
    kind = "pdf"
