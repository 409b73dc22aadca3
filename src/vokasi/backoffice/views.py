"""Staff back office: thin views that parse input, call a service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from vokasi.backoffice import selectors
from vokasi.backoffice.forms import (
    BaseUnitFormSet,
    BatchForm,
    ProgrammeForm,
    TransitionForm,
    unit_formset,
)
from vokasi.backoffice.history import action_label
from vokasi.backoffice.todo import to_do
from vokasi.backoffice.training import may_open_training
from vokasi.catalog.models import (
    FROZEN_BATCH_STATES,
    Batch,
    BatchState,
    FundingSource,
    Partner,
    Programme,
)
from vokasi.catalog.services import (
    EditError,
    TransitionError,
    batch_create,
    batch_transition,
    batch_update,
    programme_create,
    programme_units_set,
    programme_update,
)
from vokasi.catalog.transitions import transitions_from
from vokasi.core.forms import query_int
from vokasi.core.models import AuditEntry
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.training import services as training_services


class HomeView(PermRequiredMixin, TemplateView):
    perm = Perm.BACKOFFICE
    template_name = "backoffice/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "numbers": selectors.centre_numbers(),
            "to_do": to_do(request_user(self.request)),
        }


class BatchListView(PermRequiredMixin, ListView[Batch]):
    perm = Perm.CATALOG_VIEW
    template_name = "backoffice/batch_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Batch]:
        return selectors.batch_list(
            state=self.request.GET.get("state", ""),
            programme=self.request.GET.get("programme", ""),
            year=self.request.GET.get("year", ""),
            search=self.request.GET.get("q", "").strip(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["states"] = BatchState.choices
        context["programmes"] = Programme.objects.order_by("name").only("pk", "name")
        context["years"] = selectors.batch_years()
        context["filters"] = self.request.GET
        return context


class BatchDetailView(PermRequiredMixin, DetailView[Batch]):
    perm = Perm.CATALOG_VIEW
    template_name = "backoffice/batch_detail.html"
    queryset = Batch.objects.select_related("programme", "funding", "venue_partner")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batch: Batch = self.object
        user = request_user(self.request)
        context = super().get_context_data(**kwargs)
        context["transitions"] = (
            transitions_from(batch.state, has_registration=batch.has_public_registration)
            if user.can(Perm.BATCH_TRANSITION)
            else []
        )
        context["history"] = selectors.batch_history(batch)
        context["places"] = selectors.batch_places(batch)
        # None: the section is not for this user; hidden: it is, but not this batch's
        # people (a prison's batch, another partner's batch), so no "0 participants".
        shown = user.can(Perm.PARTICIPANTS_VIEW) and selectors.roster_shown(batch, user)
        context["participants"] = (
            selectors.batch_participants(batch, viewer=user) if shown else None
        )
        context["roster_hidden"] = user.can(Perm.PARTICIPANTS_VIEW) and not shown
        context["counts"] = selectors.batch_counts(batch)
        context["instructors"] = selectors.batch_instructors(batch)
        context["may_train"] = may_open_training(batch, user)
        context["can_edit"] = (
            user.can(Perm.CATALOG_MANAGE) and batch.state not in FROZEN_BATCH_STATES
        )
        return context


class BatchCreateView(PermRequiredMixin, CreateView[Batch, BatchForm]):
    perm = Perm.CATALOG_MANAGE
    form_class = BatchForm
    template_name = "backoffice/form.html"
    extra_context = {"title": _("New batch")}

    def get_initial(self) -> dict[str, Any]:
        pk = query_int(self.request.GET.get("programme", ""))
        programme = Programme.objects.filter(pk=pk).first() if pk else None
        if programme is None:
            return {}
        return {"programme": programme, "cost": programme.package_cost}

    def form_valid(self, form: BatchForm) -> HttpResponse:
        try:
            self.object = batch_create(
                batch=form.save(commit=False),
                instructors=form.cleaned_data["instructors"],
                actor=request_user(self.request),
            )
        except EditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Batch created as a draft."))
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse("backoffice:batch", args=[self.object.pk])  # type: ignore[union-attr]


class BatchUpdateView(PermRequiredMixin, UpdateView[Batch, BatchForm]):
    perm = Perm.CATALOG_MANAGE
    form_class = BatchForm
    model = Batch
    template_name = "backoffice/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "title": _("Edit %(name)s") % {"name": self.object}
        }

    def get_queryset(self) -> QuerySet[Batch]:
        # History is not edited: completed and cancelled batches have no edit page.
        return Batch.objects.exclude(state__in=FROZEN_BATCH_STATES)

    def form_valid(self, form: BatchForm) -> HttpResponse:
        try:
            batch_update(
                batch=form.save(commit=False),
                fields=form.changed_data,
                instructors=form.cleaned_data["instructors"]
                if "instructors" in form.changed_data
                else None,
                actor=request_user(self.request),
            )
        except EditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Changes saved."))
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse("backoffice:batch", args=[self.object.pk])


class BatchTransitionView(PermRequiredMixin, View):
    perm = Perm.BATCH_TRANSITION

    def post(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        batch = get_object_or_404(Batch, pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That change of state is not known."))
        else:
            target = form.cleaned_data["target"]
            try:
                # Opening builds the roster and closing decides graduation: training's
                # services own those two moves and call the transition themselves.
                if target == BatchState.RUNNING:
                    training_services.batch_open(batch=batch, actor=request_user(request))
                elif target == BatchState.COMPLETED and batch.state == BatchState.RUNNING:
                    training_services.batch_close(batch=batch, actor=request_user(request))
                else:
                    batch_transition(
                        batch=batch,
                        target=target,
                        actor=request_user(request),
                        reason=form.cleaned_data["reason"],
                    )
            except (TransitionError, training_services.TrainingError) as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("The batch is now “%(state)s”.") % {"state": batch.get_state_display()},
                )
        return redirect("backoffice:batch", pk=pk)


class ProgrammeListView(PermRequiredMixin, ListView[Programme]):
    perm = Perm.CATALOG_VIEW
    template_name = "backoffice/programme_list.html"

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list(
            field=self.request.GET.get("field", ""),
            active=self.request.GET.get("active", ""),
            search=self.request.GET.get("q", "").strip(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["fields"] = selectors.programme_fields()
        context["filters"] = self.request.GET
        return context


class ProgrammeDetailView(PermRequiredMixin, DetailView[Programme]):
    perm = Perm.CATALOG_VIEW
    template_name = "backoffice/programme_detail.html"
    queryset = Programme.objects.select_related("centre").prefetch_related(
        "units", "domicile_regions"
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["batches"] = self.object.batches.select_related("funding").order_by(
            "-training_starts"
        )
        context["can_manage"] = request_user(self.request).can(Perm.CATALOG_MANAGE)
        return context


class ProgrammeCreateView(PermRequiredMixin, CreateView[Programme, ProgrammeForm]):
    perm = Perm.CATALOG_MANAGE
    form_class = ProgrammeForm
    template_name = "backoffice/form.html"
    extra_context = {"title": _("New programme")}

    def form_valid(self, form: ProgrammeForm) -> HttpResponse:
        try:
            self.object = programme_create(
                programme=form.save(commit=False),
                domicile_regions=form.cleaned_data["domicile_regions"],
                actor=request_user(self.request),
            )
        except EditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse("backoffice:programme", args=[self.object.pk])  # type: ignore[union-attr]


class ProgrammeUpdateView(PermRequiredMixin, UpdateView[Programme, ProgrammeForm]):
    perm = Perm.CATALOG_MANAGE
    form_class = ProgrammeForm
    model = Programme
    template_name = "backoffice/form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "title": _("Edit %(name)s") % {"name": self.object}
        }

    def form_valid(self, form: ProgrammeForm) -> HttpResponse:
        try:
            programme_update(
                programme=form.save(commit=False),
                fields=form.changed_data,
                domicile_regions=(
                    form.cleaned_data["domicile_regions"]
                    if "domicile_regions" in form.changed_data
                    else None
                ),
                actor=request_user(self.request),
            )
        except EditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Changes saved."))
        return redirect(self.get_success_url())

    def get_success_url(self) -> str:
        return reverse("backoffice:programme", args=[self.object.pk])


class ProgrammeUnitsView(PermRequiredMixin, View):
    perm = Perm.CATALOG_MANAGE
    template_name = "backoffice/programme_units.html"

    def _render(
        self, request: HttpRequest, programme: Programme, formset: BaseUnitFormSet
    ) -> HttpResponse:
        return render(request, self.template_name, {"programme": programme, "formset": formset})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = get_object_or_404(Programme, pk=pk)
        initial = [
            {"code": u.code, "title": u.title, "hours_jp": u.hours_jp}
            for u in programme.units.all()
        ]
        return self._render(request, programme, unit_formset(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = get_object_or_404(Programme, pk=pk)
        formset = unit_formset(request.POST)
        if formset.is_valid():
            try:
                programme_units_set(
                    programme=programme, units=formset.units(), actor=request_user(request)
                )
            except EditError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Competency units saved."))
                return redirect("backoffice:programme", pk=pk)
        return self._render(request, programme, formset)


class FundingListView(PermRequiredMixin, ListView[FundingSource]):
    perm = Perm.CATALOG_VIEW
    template_name = "backoffice/funding_list.html"

    def get_queryset(self) -> QuerySet[FundingSource]:
        return selectors.funding_list()


class PartnerListView(PermRequiredMixin, ListView[Partner]):
    perm = Perm.PARTNERS_VIEW
    template_name = "backoffice/partner_list.html"

    def get_queryset(self) -> QuerySet[Partner]:
        return Partner.objects.select_related("region").order_by("kind", "name")


class AuditListView(PermRequiredMixin, ListView[AuditEntry]):
    perm = Perm.AUDIT_VIEW
    template_name = "backoffice/audit_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.select_related("actor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The action in words, as on a batch's history; the code stays beside it for search.
        for entry in context["page_obj"]:
            entry.label = action_label(entry.action)
        return context
