"""Partners, vacancies, placement records and the tracer study in the back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vokasi.catalog.models import Partner
from vokasi.core.audit import audit_log
from vokasi.core.forms import query_int
from vokasi.core.masking import mask_nik
from vokasi.core.models import User
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.inmates.selectors import may_see_inmate_fields
from vokasi.placement import selectors
from vokasi.placement.export import placements_xlsx
from vokasi.placement.forms import (
    AgreementForm,
    ContactForm,
    ContributionForm,
    PhoneAnswerForm,
    PlacementForm,
    VacancyForm,
)
from vokasi.placement.models import (
    REFERRAL_OUTCOMES,
    Agreement,
    Outcome,
    Referral,
    Source,
    Vacancy,
)
from vokasi.placement.services import (
    PlacementError,
    TracerClosed,
    agreement_add,
    contact_add,
    contribution_add,
    placement_record,
    referral_outcome,
    referrals_send,
    referrals_shortlist,
    tracer_phone_answer,
    vacancy_save,
)
from vokasi.training.models import Participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(request: HttpRequest, perm: Perm) -> None:
    if not request_user(request).can(perm):
        raise PermissionDenied


def _form_errors(form: Any, error: PlacementError) -> None:
    for name, texts in error.errors.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


# --- partners -------------------------------------------------------------------------


class PartnerView(PermRequiredMixin, View):
    perm = Perm.PARTNERS_VIEW

    def get(
        self, request: HttpRequest, pk: int, forms: dict[str, Any] | None = None
    ) -> HttpResponse:
        partner = get_object_or_404(Partner.objects.select_related("region"), pk=pk)
        forms = forms or {}
        return render(
            request,
            "backoffice/placement/partner.html",
            {
                "partner": partner,
                "agreements": partner.agreements.all(),
                "contacts": partner.contacts.all(),
                "contributions": partner.contributions.all(),
                "vacancies": partner.vacancies.order_by("-closes_on")[:20],
                "batches": partner.hosted_batches.select_related("programme").order_by(
                    "-training_starts"
                )[:20],
                "can_manage": request_user(request).can(Perm.PARTNERS_MANAGE),
                "agreement_form": forms.get("agreement") or AgreementForm(),
                "contact_form": forms.get("contact") or ContactForm(),
                "contribution_form": forms.get("contribution") or ContributionForm(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _need(request, Perm.PARTNERS_MANAGE)
        partner = get_object_or_404(Partner, pk=pk)
        actor = request_user(request)
        action = request.POST.get("action")
        form: Any
        if action == "agreement":
            form = AgreementForm(request.POST, request.FILES)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    agreement_add(
                        partner=partner,
                        number=d["number"],
                        scope=d["scope"],
                        signed_on=d["signed_on"],
                        valid_until=d["valid_until"],
                        file=d["file"],
                        actor=actor,
                    )
                except PlacementError as error:
                    _form_errors(form, error)
        elif action == "contact":
            form = ContactForm(request.POST)
            if form.is_valid():
                contact_add(partner=partner, actor=actor, **form.cleaned_data)
        elif action == "contribution":
            form = ContributionForm(request.POST)
            if form.is_valid():
                contribution_add(partner=partner, actor=actor, **form.cleaned_data)
        else:
            raise Http404
        if form.errors:
            return self.get(request, pk, forms={action: form})
        messages.success(request, _("Saved."))
        return redirect("backoffice:partner", pk=pk)


class AgreementFileView(PermRequiredMixin, View):
    perm = Perm.PARTNERS_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        agreement = get_object_or_404(Agreement, pk=pk)
        if not agreement.file:
            raise Http404
        return FileResponse(
            agreement.file.open("rb"),
            content_type="application/pdf",
            filename=f"{agreement.number.replace('/', '-')}.pdf",
        )


# --- vacancies ------------------------------------------------------------------------


class VacancyListView(PermRequiredMixin, View):
    perm = Perm.PLACEMENT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        vacancies = selectors.vacancy_list()
        return render(
            request,
            "backoffice/placement/vacancy_list.html",
            {
                "open": vacancies.filter(closes_on__gte=today).order_by("closes_on"),
                "closed": vacancies.filter(closes_on__lt=today)[:50],
            },
        )


class VacancyFormView(PermRequiredMixin, View):
    """A new vacancy, or an existing one corrected (a typo, a later closing date, more
    openings). What changed is in the audit trail; graduates already referred keep the
    message they got."""

    perm = Perm.PLACEMENT_MANAGE

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        vacancy = self._vacancy(pk)
        initial = {}
        if vacancy is None and (partner := query_int(request.GET.get("partner", ""))) is not None:
            initial["partner"] = partner
        return self._render(request, VacancyForm(instance=vacancy, initial=initial), vacancy)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        vacancy = self._vacancy(pk)
        form = VacancyForm(request.POST, instance=vacancy)
        if form.is_valid():
            try:
                saved = vacancy_save(
                    vacancy=form.save(commit=False),
                    units=form.cleaned_data["units"],
                    actor=request_user(request),
                    changed=form.changed_data,
                )
            except PlacementError as error:
                _form_errors(form, error)
            else:
                if vacancy is not None:
                    messages.success(request, _("Vacancy saved."))
                return redirect("backoffice:vacancy", pk=saved.pk)
        return self._render(request, form, vacancy)

    def _vacancy(self, pk: int | None) -> Vacancy | None:
        return None if pk is None else get_object_or_404(Vacancy, pk=pk)

    def _render(
        self, request: HttpRequest, form: VacancyForm, vacancy: Vacancy | None
    ) -> HttpResponse:
        title = _("New vacancy") if vacancy is None else _("Edit vacancy")
        return render(request, "backoffice/form.html", {"form": form, "title": title})


class VacancyView(PermRequiredMixin, View):
    perm = Perm.PLACEMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        vacancy = get_object_or_404(
            Vacancy.objects.select_related("partner", "programme").prefetch_related("units"),
            pk=pk,
        )
        user = request_user(request)
        return render(
            request,
            "backoffice/placement/vacancy.html",
            {
                "vacancy": vacancy,
                "referrals": selectors.referrals_of(vacancy),
                "matches": selectors.vacancy_matches(vacancy=vacancy, viewer=user),
                "outcomes": [(s.value, s.label) for s in REFERRAL_OUTCOMES],
                "can_manage": user.can(Perm.PLACEMENT_MANAGE),
                "is_open": vacancy.closes_on >= timezone.localdate(),
                "outcome_labels": dict(Outcome.choices),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _need(request, Perm.PLACEMENT_MANAGE)
        vacancy = get_object_or_404(Vacancy, pk=pk)
        user = request_user(request)
        action = request.POST.get("action")
        try:
            if action == "shortlist":
                ids = [i for i in (query_int(v) for v in request.POST.getlist("participant")) if i]
                chosen = list(
                    selectors.visible_graduates(user)
                    .filter(pk__in=ids)
                    .select_related("batch__venue_partner")
                )
                added = referrals_shortlist(vacancy=vacancy, participants=chosen, actor=user)
                messages.success(request, _("%(n)d added to the shortlist.") % {"n": added})
            elif action == "send":
                sent = referrals_send(vacancy=vacancy, actor=user)
                messages.success(
                    request,
                    _("%(n)d graduates referred; the messages are in the outbox.") % {"n": sent},
                )
            elif action == "outcome":
                referral = get_object_or_404(
                    Referral,
                    pk=query_int(str(request.POST.get("referral", ""))) or 0,
                    vacancy=vacancy,
                )
                referral_outcome(
                    referral=referral, state=str(request.POST.get("state", "")), actor=user
                )
                messages.success(request, _("Outcome recorded."))
            else:
                raise Http404
        except PlacementError as error:
            messages.error(request, str(error))
        return redirect("backoffice:vacancy", pk=pk)


# --- placement records ----------------------------------------------------------------


def _graduates(request: HttpRequest, user: User) -> QuerySet[Participant]:
    """The list as the page's filters ask; the Excel export uses the same filters."""
    return selectors.graduate_list(
        viewer=user,
        batch=request.GET.get("batch", ""),
        outcome=request.GET.get("outcome", ""),
        search=request.GET.get("q", "").strip()[:100],
    )


class PlacementListView(PermRequiredMixin, View):
    perm = Perm.PLACEMENT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        qs = _graduates(request, user)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "backoffice/placement/placement_list.html",
            {
                "page_obj": page,
                "batches": selectors.graduate_batches(user),
                "outcomes": Outcome.choices,
                "outcome_labels": dict(Outcome.choices),
                "summary": selectors.outcome_summary(viewer=user),
                "filters": request.GET,
                "query": request.GET.urlencode(),
            },
        )


class PlacementExportView(PermRequiredMixin, View):
    """Every graduate the viewer may see with their current outcome. Inmates' rows appear
    only for viewers with the inmate permission (the selector leaves them out otherwise)."""

    perm = Perm.PLACEMENT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        qs = _graduates(request, user)
        whole_nik = user.can(Perm.PERSONAL_DATA_VIEW)
        data, n = placements_xlsx(qs, whole_nik=whole_nik)
        audit_log(actor=user, action="placement.export", obj=user, rows=n, whole_nik=whole_nik)
        response = HttpResponse(data, content_type=XLSX)
        name = f"penempatan-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PlacementParticipantView(PermRequiredMixin, View):
    perm = Perm.PLACEMENT_VIEW

    def _participant(self, request: HttpRequest, pk: int) -> Participant:
        participant = selectors.graduate_for(viewer=request_user(request), pk=pk)
        if participant is None:
            raise Http404
        return participant

    def get(
        self,
        request: HttpRequest,
        pk: int,
        record_form: PlacementForm | None = None,
        phone_form: PhoneAnswerForm | None = None,
    ) -> HttpResponse:
        participant = self._participant(request, pk)
        user = request_user(request)
        inmate = getattr(participant.applicant, "inmate", None)
        if inmate is not None and not may_see_inmate_fields(user, prison_id=inmate.prison_id):
            inmate = None
        if inmate is not None:
            # The inmate number and release date are personal data shown whole: recorded.
            audit_log(actor=user, action="inmate.viewed", obj=participant.applicant)
        return render(
            request,
            "backoffice/placement/participant.html",
            {
                "participant": participant,
                # Masked: following a placement needs no whole NIK (the audited pages do).
                "nik": mask_nik(participant.applicant.nik),
                "inmate": inmate,
                "history": selectors.history(participant),
                "surveys": participant.tracer_surveys.order_by("wave"),
                "referrals": participant.referrals.select_related("vacancy"),
                "can_manage": user.can(Perm.PLACEMENT_MANAGE),
                "record_form": record_form or PlacementForm(),
                "phone_form": phone_form or PhoneAnswerForm(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _need(request, Perm.PLACEMENT_MANAGE)
        participant = self._participant(request, pk)
        user = request_user(request)
        if request.POST.get("action") == "phone":
            phone_form = PhoneAnswerForm(request.POST)
            if phone_form.is_valid():
                try:
                    tracer_phone_answer(
                        participant=participant,
                        wave=phone_form.cleaned_data["wave"],
                        data=phone_form.to_data(),
                        actor=user,
                    )
                except PlacementError as error:
                    _form_errors(phone_form, error)
                except TracerClosed as error:
                    phone_form.add_error("wave", str(error))
                else:
                    messages.success(request, _("Answer recorded."))
                    return redirect("backoffice:placement_participant", pk=pk)
            return self.get(request, pk, phone_form=phone_form)
        form = PlacementForm(request.POST)
        if form.is_valid():
            try:
                placement_record(
                    participant=participant, data=form.to_data(), source=Source.STAFF, actor=user
                )
            except PlacementError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Placement recorded."))
                return redirect("backoffice:placement_participant", pk=pk)
        return self.get(request, pk, record_form=form)


class TracerReportView(PermRequiredMixin, View):
    perm = Perm.REPORTS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        batches, programmes = selectors.response_rates(viewer=request_user(request))
        return render(
            request,
            "backoffice/placement/tracer_report.html",
            {"batches": batches, "programmes": programmes},
        )
