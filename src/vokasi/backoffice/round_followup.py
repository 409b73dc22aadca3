"""After publication: daftar ulang at the counter, batches below their minimum, objections."""

from __future__ import annotations

from typing import Literal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vokasi import allocation
from vokasi.core.forms import query_int
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.selection.class_size import (
    ClassSizeError,
    class_size_merge,
    class_size_postpone,
    class_size_run_anyway,
    merge_targets,
    round_places,
)
from vokasi.selection.models import Objection, Offer, OfferState, RoundState, SelectionRound
from vokasi.selection.objections import ObjectionError, objection_answer
from vokasi.selection.offers import (
    ANSWERABLE_BATCH_STATES,
    OfferError,
    offer_accept,
    offer_decline,
)


def _published(pk: int) -> SelectionRound:
    round_ = get_object_or_404(SelectionRound.objects.select_related("intake"), pk=pk)
    if round_.state != RoundState.PUBLISHED:
        raise Http404
    return round_


class RoundOffersView(PermRequiredMixin, View):
    """The counter's screen: find the applicant, confirm or decline their place; and per
    batch, whether daftar ulang leaves it below its minimum class size."""

    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _published(pk)
        offers = (
            Offer.objects.filter(round=round_)
            .exclude(state=OfferState.MOVED)
            .select_related("application__applicant", "batch")
            .order_by("batch__code", "application__number")
        )
        batch_id = query_int(request.GET.get("batch", ""))
        if batch_id:
            offers = offers.filter(batch_id=batch_id)
        state = request.GET.get("state", "")
        if state in OfferState.values:
            offers = offers.filter(state=state)
        q = request.GET.get("q", "").strip()
        if q:
            offers = offers.filter(
                Q(application__number__icontains=q)
                | Q(application__applicant__full_name__icontains=q)
            )
        places = round_places(round_)
        return render(
            request,
            "backoffice/round_offers.html",
            {
                "round": round_,
                "places": places,
                "rows": [
                    (p, merge_targets(p.batch) if p.below_minimum and not p.decision else [])
                    for p in places
                ],
                "page_obj": Paginator(offers, 50).get_page(request.GET.get("page")),
                "states": OfferState.choices,
                "answerable": [str(s) for s in ANSWERABLE_BATCH_STATES],
                "batch_id": batch_id,
                "state": state,
                "q": q,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _published(pk)
        actor = request_user(request)
        action = request.POST.get("action", "")
        try:
            if action in ("accept", "decline"):
                offer = get_object_or_404(
                    Offer.objects.select_related("round", "batch", "application"),
                    round=round_,
                    pk=query_int(request.POST.get("offer", "")) or 0,
                )
                if action == "accept":
                    offer_accept(offer=offer, actor=actor)
                    messages.success(
                        request,
                        _("%(number)s confirmed for %(batch)s.")
                        % {"number": offer.application.number, "batch": offer.batch.code},
                    )
                else:
                    offer_decline(offer=offer, actor=actor)
                    messages.info(
                        request,
                        _("%(number)s declined; the seat went down the waiting list.")
                        % {"number": offer.application.number},
                    )
            elif action in ("postpone", "merge", "run_anyway"):
                batch = get_object_or_404(
                    round_.intake.batches, pk=query_int(request.POST.get("batch", "")) or 0
                )
                reason = request.POST.get("reason", "")
                if action == "postpone":
                    class_size_postpone(round_=round_, batch=batch, reason=reason, actor=actor)
                elif action == "run_anyway":
                    class_size_run_anyway(round_=round_, batch=batch, reason=reason, actor=actor)
                else:
                    target = next(
                        (
                            b
                            for b in merge_targets(batch)
                            if b.pk == query_int(request.POST.get("target", ""))
                        ),
                        None,
                    )
                    if target is None:
                        raise ClassSizeError(_("Choose the batch to merge into."))
                    class_size_merge(
                        round_=round_, batch=batch, target=target, reason=reason, actor=actor
                    )
                messages.success(
                    request, _("Decision recorded for %(batch)s.") % {"batch": batch.code}
                )
            else:
                raise Http404
        except (OfferError, ClassSizeError) as error:
            messages.error(request, str(error))
        return redirect(request.get_full_path())


class RoundObjectionsView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _published(pk)
        objections = list(
            round_.objections.select_related("application__applicant", "answered_by").order_by(
                "verdict", "created_at"
            )
        )
        explanations: dict[int, str] = {}
        if round_.input_file and round_.result_file and objections:
            problem = allocation.load_problem(bytes(round_.input_file))
            doc = allocation.load_result(bytes(round_.result_file))
            language: Literal["id", "en"] = "en" if request.LANGUAGE_CODE == "en" else "id"
            for o in objections:
                if o.verdict:
                    continue
                try:
                    why = allocation.explain(problem, doc.assignments, o.application.number or "")
                except allocation.ProblemError:
                    explanations[o.pk] = _("This application had no eligible choice in the draw.")
                else:
                    explanations[o.pk] = allocation.render(why, language)
        return render(
            request,
            "backoffice/round_objections.html",
            {
                "round": round_,
                "objections": [(o, explanations.get(o.pk, "")) for o in objections],
                "verdicts": Objection.Verdict.choices,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _published(pk)
        objection = get_object_or_404(
            round_.objections.select_related("application__applicant", "round"),
            pk=query_int(request.POST.get("objection", "")) or 0,
        )
        try:
            objection_answer(
                objection=objection,
                verdict=request.POST.get("verdict", ""),
                answer=request.POST.get("answer", ""),
                actor=request_user(request),
            )
        except ObjectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Answer sent to %(number)s.") % {"number": objection.application.number}
            )
        return redirect("backoffice:round_objections", pk=pk)
