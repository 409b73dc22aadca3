"""Selection rounds in the back office: rules, the seed, the draw, the result, publication."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vokasi import allocation
from vokasi.catalog.models import BatchState, Intake
from vokasi.core.forms import query_int
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.selection.models import RoundState, SelectionRound
from vokasi.selection.rules import RULES
from vokasi.selection.selectors import round_by_batch
from vokasi.selection.services import (
    SelectionError,
    draw_batches,
    round_create,
    round_delete,
    round_publish,
    round_publish_seed,
    round_run,
    round_set_rules,
)


def _chosen_rules(request: HttpRequest) -> list[str]:
    """The rules in the order staff gave them: a place 1, 2, 3… per rule, blank for unused.
    Two rules in the same place keep the menu's order between them."""
    places = []
    for i, key in enumerate(RULES):
        place = query_int(str(request.POST.get(f"place_{key}", "")), high=len(RULES))
        if place is not None:
            places.append((place, i, key))
    return [key for _place, _i, key in sorted(places)]


class RoundListView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        rounds = SelectionRound.objects.select_related("intake").order_by("-id")
        # The intake with batches waiting for a draw comes first (and is preselected).
        intakes = list(
            Intake.objects.annotate(
                in_selection=Count("batches", filter=Q(batches__state=BatchState.SELECTION))
            ).order_by("-in_selection", "-id")
        )
        with_round = set(SelectionRound.objects.values_list("intake_id", flat=True))
        waiting = next((i for i in intakes if i.in_selection and i.pk not in with_round), None)
        return render(
            request,
            "backoffice/round_list.html",
            {"rounds": rounds, "intakes": intakes, "waiting": waiting},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        pk = query_int(str(request.POST.get("intake", "")))
        intake = Intake.objects.filter(pk=pk).first() if pk else None
        if intake is None:
            messages.error(request, _("Choose an intake."))
            return redirect("backoffice:rounds")
        round_, created = round_create(intake=intake, actor=request_user(request))
        if not created:
            messages.info(request, _("This intake already has a draft round; here it is."))
        return redirect("backoffice:round", pk=round_.pk)


class RoundView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = get_object_or_404(SelectionRound.objects.select_related("intake"), pk=pk)
        explanation = ""
        number = request.GET.get("why", "").strip()
        if number and round_.input_file and round_.result_file:
            problem = allocation.load_problem(bytes(round_.input_file))
            doc = allocation.load_result(bytes(round_.result_file))
            try:
                why = allocation.explain(problem, doc.assignments, number)
            except allocation.ProblemError:
                explanation = _("No applicant %(number)s in this round.") % {"number": number}
            else:
                explanation = allocation.render(
                    why, "en" if request.LANGUAGE_CODE == "en" else "id"
                )
        return render(
            request,
            "backoffice/round_detail.html",
            {
                "round": round_,
                # Each rule of the menu with its place in the round's order (0: not used).
                "rules": [
                    (key, rule, round_.rules.index(key) + 1 if key in round_.rules else 0)
                    for key, rule in RULES.items()
                ],
                "places": range(1, len(RULES) + 1),
                "chosen_rules": [RULES[k] for k in round_.rules],
                "batches": round_by_batch(round_, public=False)
                if round_.state in (RoundState.RUN, RoundState.PUBLISHED)
                else [],
                "why": number,
                "draw_batches": draw_batches(round_),
                "explanation": explanation,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = get_object_or_404(SelectionRound, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "rules":
                round_set_rules(
                    round_=round_, rules=_chosen_rules(request), actor=request_user(request)
                )
                messages.success(request, _("Rules saved."))
            elif action == "seed":
                round_publish_seed(
                    round_=round_, seed=request.POST.get("seed", ""), actor=request_user(request)
                )
                messages.success(request, _("The seed is published; the draw can now be run."))
            elif action == "run":
                round_run(round_=round_, actor=request_user(request))
                messages.info(
                    request, _("The draw is running in the background; reload in a moment.")
                )
            elif action == "delete":
                round_delete(round_=round_, actor=request_user(request))
                messages.success(request, _("The draft round is deleted."))
                return redirect("backoffice:rounds")
            elif action == "publish":
                round_publish(round_=round_, actor=request_user(request))
                messages.success(request, _("Published. The announcement is public."))
            else:
                raise Http404
        except SelectionError as error:
            messages.error(request, str(error))
        return redirect("backoffice:round", pk=pk)
