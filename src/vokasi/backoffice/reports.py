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
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View

from vokasi.catalog.models import TrainingCentre
from vokasi.core.audit import audit_log
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.reports import charts
from vokasi.reports.excel import tables_xlsx
from vokasi.reports.pdf import BarRow, report_pdf
from vokasi.reports.planner import OBJECTIVES, Line, Plan
from vokasi.reports.planning import decided_intakes, read_form
from vokasi.reports.proposal import make_plan, objective_labels, plan_lines, plan_tables
from vokasi.reports.refresh import refresh_task
from vokasi.reports.selectors import (
    Filters,
    as_of,
    filter_choices,
    snapshot,
    stage_labels,
)
from vokasi.reports.tables import Dashboard, Table, dashboard, unmet_lines, unmet_tables


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
    for label, value, share, n, base in board.funnel.rows:
        note = (
            _("%(p)s%% of %(n)s %(base)s")
            % {
                "p": number_format(share),
                "n": number_format(int(n or 0), force_grouping=True),
                "base": str(base).lower(),
            }
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
                "as_of": as_of(),
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
    return [*board.filter_text, as_of()]


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
            legend=board.legend,
            legend_before=board.tables[0].key,
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


class UnmetView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = Filters.parse(request.GET)
        report, tables = unmet_tables(filters)
        chart = charts.hbars(
            [
                # Before its selection is published nobody is "left without a seat" yet;
                # a bare 0 would read as demand met.
                charts.Bar(i.name, i.unmet, "" if i.decided else _("not yet announced"))
                for i in report.intakes
            ],
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
                "as_of": as_of(),
            },
        )


class UnmetExcelView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = Filters.parse(request.GET)
        _report, tables = unmet_tables(filters)
        data = tables_xlsx(title=_("Unmet demand"), lines=unmet_lines(filters), tables=tables)
        _audit_export(request, "unmet_xlsx", filters=filters.query_string())
        return _download(data, "permintaan-belum-terlayani", "xlsx")


# --------------------------------------------------------------------------------------
# Budget planner.


class PlannerView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = read_form(request.GET)
        plan, errors = make_plan(form)
        context: dict[str, Any] = {
            "form": form,
            "plan": plan,
            "errors": errors,
            "intakes": decided_intakes(),
            "objectives": [(o, objective_labels()[o]) for o in OBJECTIVES],
            "as_of": as_of(),
            "query": request.GET.urlencode(),
        }
        if plan is not None:
            context["tables"] = plan_tables(form, plan)
            context["lines"] = plan_lines(form, plan)
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
            lines = [_("No amount given: the figures the planner works from."), as_of()]
        else:
            solved, errors = make_plan(form)
            if solved is None:
                for error in errors:
                    messages.error(request, error)
                return redirect(
                    f"{reverse('backoffice:reports_planner')}?{request.GET.urlencode()}"
                )
            plan, lines = solved, plan_lines(form, solved)
        tables = plan_tables(form, plan)
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
