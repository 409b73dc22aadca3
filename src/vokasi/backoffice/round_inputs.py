"""What staff put into a round before the seed: reserved seats, scores, and the preview of
the tiers the draw will be given."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vokasi.core.audit import audit_log
from vokasi.core.forms import query_int
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.selection.inputs import (
    pass_mark_set,
    reservation_set,
    score_set,
    scores_apply,
    scores_check,
    scores_template,
)
from vokasi.selection.models import Reservation, SelectionRound
from vokasi.selection.rules import RULES
from vokasi.selection.selectors import tier_preview
from vokasi.selection.services import SelectionError


def _round(pk: int) -> SelectionRound:
    return get_object_or_404(SelectionRound.objects.select_related("intake"), pk=pk)


class RoundReservationsView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(pk)
        reserved: dict[int, list[Reservation]] = {}
        for r in round_.reservations.order_by("order", "id"):
            reserved.setdefault(r.batch_id, []).append(r)
        batches = round_.intake.batches.select_related("programme").order_by("code")
        return render(
            request,
            "backoffice/round_reservations.html",
            {
                "round": round_,
                "rows": [(b, reserved.get(b.pk, [])) for b in batches],
                "groups": Reservation.Group.choices,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(pk)
        batch = round_.intake.batches.filter(
            pk=query_int(request.POST.get("batch", "")) or 0
        ).first()
        seats = query_int(request.POST.get("seats", ""), low=0, high=10_000)
        if batch is None or seats is None:
            messages.error(request, _("Choose a batch and a number of seats."))
        else:
            try:
                reservation_set(
                    round_=round_,
                    batch=batch,
                    group=request.POST.get("group", ""),
                    seats=seats,
                    actor=request_user(request),
                )
            except SelectionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Reserved seats saved."))
        return redirect("backoffice:round_reservations", pk=pk)


SESSION_KEY = "round-scores-{pk}"


class RoundScoresView(PermRequiredMixin, View):
    """One score at a time, or a whole sheet: checked first (dry run), then applied from
    the checked copy kept in the session, so what is written is what was shown."""

    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(pk)
        pending = request.session.get(SESSION_KEY.format(pk=pk))
        scores = round_.scores.select_related("application__applicant").order_by(
            "application__number"
        )
        return render(
            request,
            "backoffice/round_scores.html",
            {
                "round": round_,
                "page_obj": Paginator(scores, 50).get_page(request.GET.get("page")),
                "count": scores.count(),
                "pending": len(pending) if pending else 0,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(pk)
        key = SESSION_KEY.format(pk=pk)
        action = request.POST.get("action")
        actor = request_user(request)
        try:
            if action == "one":
                score_set(
                    round_=round_,
                    number=request.POST.get("number", ""),
                    score=request.POST.get("score", ""),
                    actor=actor,
                )
                messages.success(request, _("Score saved."))
            elif action == "pass_mark":
                pass_mark_set(round_=round_, value=request.POST.get("pass_mark", ""), actor=actor)
                messages.success(request, _("Pass mark saved."))
            elif action == "check":
                upload = request.FILES.get("file")
                if upload is None:
                    raise SelectionError(_("Choose the Excel file."))
                checked = scores_check(round_=round_, upload=upload)
                request.session.pop(key, None)
                if checked.errors:
                    return render(
                        request,
                        "backoffice/round_scores_check.html",
                        {"round": round_, "checked": checked},
                    )
                request.session[key] = {n: str(v) for n, v in checked.scores.items()}
                messages.info(
                    request,
                    _("The file is correct: %(n)d scores. Nothing is saved yet; apply them below.")
                    % {"n": len(checked.scores)},
                )
            elif action == "apply":
                pending = request.session.get(key)
                if not pending:
                    raise SelectionError(_("Check a file first."))
                n = scores_apply(
                    round_=round_,
                    scores={k: Decimal(v) for k, v in pending.items()},
                    actor=actor,
                )
                request.session.pop(key, None)
                messages.success(request, _("%(n)d scores saved.") % {"n": n})
            elif action == "discard":
                request.session.pop(key, None)
            else:
                raise Http404
        except SelectionError as error:
            messages.error(request, str(error))
        return redirect("backoffice:round_scores", pk=pk)


class RoundScoresTemplateView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(pk)
        # The sheet carries names: a personal-data export, so it is on the record.
        audit_log(actor=request_user(request), action="round.scores_template", obj=round_)
        response = HttpResponse(
            scores_template(round_),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="nilai-seleksi-{round_.pk}.xlsx"'
        return response


class RoundPreviewView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round(pk)
        batch_id = query_int(request.GET.get("batch", ""))
        rows = tier_preview(round_, batch_id=batch_id)
        return render(
            request,
            "backoffice/round_preview.html",
            {
                "round": round_,
                "batches": round_.intake.batches.order_by("code"),
                "batch_id": batch_id,
                "page_obj": Paginator(rows, 50).get_page(request.GET.get("page")),
                "total": len(rows),
                "rule_menu": list(RULES.items()),
            },
        )
