"""The applicant's own registration: the form, the status page, documents, the receipt."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vokasi.catalog.selectors import current_centre
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.core.views import request_user
from vokasi.intake import selectors
from vokasi.intake.forms import ApplicationForm, DocumentsForm, region_context
from vokasi.intake.models import Applicant, Application, ApplicationStatus
from vokasi.intake.receipt import receipt_pdf
from vokasi.intake.services import (
    ApplicationError,
    DocumentRejected,
    DuplicateApplication,
    application_submit,
    application_update,
    application_withdraw,
    document_upload,
)
from vokasi.portal.account_views import remember_next
from vokasi.selection.models import LIVE_OFFER_STATES, Offer, SelectionRound
from vokasi.selection.objections import ObjectionError, objection_submit
from vokasi.selection.offers import OfferError, offer_accept, offer_decline, offers_release
from vokasi.selection.selectors import application_results

View = Callable[..., HttpResponse]


def applicant_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or user.role != Role.APPLICANT:
            return redirect_to_login(request.get_full_path())
        if user.confirmed_at is None:
            remember_next(request, request.get_full_path())
            return redirect("portal:confirm")
        return view(request, *args, **kwargs)

    return wrapper


def _applicant(user: User) -> Applicant | None:
    return Applicant.objects.filter(user=user).select_related("domicile__parent").first()


def _initial(user: User) -> dict[str, Any]:
    applicant = _applicant(user)
    initial: dict[str, Any] = {"province": "64", "email": user.email, "phone": user.phone}
    if applicant is not None:
        district = applicant.domicile
        initial |= {
            "nik": applicant.nik,
            "kk": applicant.kk,
            "full_name": applicant.full_name,
            "birth_place": applicant.birth_place,
            "birth_date": applicant.birth_date,
            "sex": applicant.sex,
            "address": applicant.address,
            "schooling": applicant.schooling,
            "employment": applicant.employment,
            "disability": applicant.disability,
            "phone": applicant.phone or user.phone,
            "email": applicant.email or user.email,
            "district": district.code,
            "regency": district.parent_id or "",
            "province": (district.parent_id or "64")[:2],
        }
    return initial


def _page(
    request: HttpRequest, form: ApplicationForm, documents: DocumentsForm, **context: Any
) -> HttpResponse:
    return render(
        request,
        "portal/apply.html",
        {"form": form, "documents": documents} | region_context(form) | context,
    )


@applicant_required
def apply(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    intake = selectors.open_intakes(today=today).first()
    if intake is None:
        return render(request, "portal/no_intake.html")
    user = request_user(request)
    existing = Application.objects.filter(applicant__user=user, intake=intake).first()
    if existing is not None:
        return redirect("portal:application_edit", number=existing.number)
    batches = selectors.batches_open_in(intake, today=today)
    initial = _initial(user)
    preselected = request.GET.get("paket", "")
    chosen = batches.filter(code=preselected).first() if preselected else None
    if chosen is not None:
        initial["choice_1"] = chosen.pk
    form = ApplicationForm(request.POST or None, intake=intake, batches=batches, initial=initial)
    documents = DocumentsForm(request.POST or None, request.FILES or None)
    # Both forms are checked (no short-circuit), so every error shows at once and good
    # files can be kept for the next try.
    if request.method == "POST" and form.is_valid() & documents.is_valid():
        try:
            application = application_submit(
                data=form.applicant_data(),
                intake=intake,
                batches=form.chosen_batches(),
                user=user,
                documents=documents.uploads(),
            )
        except DuplicateApplication as duplicate:
            if duplicate.existing.applicant.user_id == user.pk:
                # A double click: the first click already registered it.
                messages.info(
                    request,
                    _("Your application %(number)s is registered.")
                    % {"number": duplicate.existing.number},
                )
                return redirect("portal:application_status")
            form.add_service_errors(duplicate.errors)
        except ApplicationError as error:
            form.add_service_errors(error.errors, documents=documents)
        else:
            messages.success(
                request,
                _("Application %(number)s received. Keep this number.")
                % {"number": application.number},
            )
            return redirect("portal:application_status")
    documents.remember()
    return _page(request, form, documents, intake=intake, editing=None)


def _store_documents(application: Application, documents: DocumentsForm, user: User) -> None:
    for kind in ("ktp", "diploma"):
        upload = documents.cleaned_data.get(kind)
        if upload:
            try:
                document_upload(application=application, kind=kind, upload=upload, actor=user)
            except DocumentRejected as error:
                documents.add_error(kind, str(error))
                raise ApplicationError({}) from None


def _own(request: HttpRequest, number: str) -> Application:
    application = (
        Application.objects.select_related("applicant", "intake")
        .filter(number=number, applicant__user=request_user(request))
        .first()
    )
    if application is None:
        raise Http404
    return application


@applicant_required
def edit(request: HttpRequest, number: str) -> HttpResponse:
    application = _own(request, number)
    today = timezone.localdate()
    batches = selectors.batches_open_in(application.intake, today=today)
    if (
        application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.INELIGIBLE)
        or not batches.exists()
    ):
        messages.info(request, _("This application can no longer be changed."))
        return redirect("portal:application_status")
    initial = _initial(request_user(request)) | {
        f"choice_{c.rank}": c.batch_id for c in application.choices.all()
    }
    form = ApplicationForm(
        request.POST or None, intake=application.intake, batches=batches, initial=initial
    )
    form.fields["nik"].disabled = True
    form.fields["consent"].required = False
    documents = DocumentsForm(request.POST or None, request.FILES or None, ktp_required=False)
    # Both forms are checked (no short-circuit), so every error shows at once and good
    # files can be kept for the next try.
    if request.method == "POST" and form.is_valid() & documents.is_valid():
        try:
            with transaction.atomic():
                application_update(
                    application=application,
                    data=form.applicant_data(),
                    batches=form.chosen_batches(),
                    actor=request_user(request),
                )
                _store_documents(application, documents, request_user(request))
        except ApplicationError as error:
            form.add_service_errors(error.errors)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("portal:application_status")
    documents.remember()
    return _page(request, form, documents, intake=application.intake, editing=application)


@applicant_required
def status(request: HttpRequest) -> HttpResponse:
    applications = list(
        Application.objects.filter(applicant__user=request_user(request))
        .select_related("intake")
        .prefetch_related(
            "choices__batch",
            "documents",
            Prefetch(
                "offers",
                queryset=Offer.objects.filter(state__in=LIVE_OFFER_STATES).select_related("batch"),
                to_attr="live_offers",
            ),
        )
        .order_by("-submitted_at")
    )
    results = application_results([a.pk for a in applications])
    for a in applications:
        a.results = results.get(a.pk, [])  # type: ignore[attr-defined]
    return render(request, "portal/status.html", {"applications": applications})


@require_POST
@applicant_required
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    application = _own(request, number)
    try:
        with transaction.atomic():
            application_withdraw(application=application, actor=request_user(request))
            # A withdrawn applicant holds no seat: it goes to the next on the waiting list.
            offers_release(application=application, actor=request_user(request))
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("portal:application_status")


@require_POST
@applicant_required
def upload(request: HttpRequest, number: str) -> HttpResponse:
    application = _own(request, number)
    documents = DocumentsForm(request.POST, request.FILES, ktp_required=False)
    if documents.is_valid():
        with contextlib.suppress(ApplicationError):
            _store_documents(application, documents, request_user(request))
    for errors in documents.errors.values():
        for error in errors:
            messages.error(request, str(error))
    if not documents.errors:
        messages.success(request, _("Documents received. Staff will check them again."))
    return redirect("portal:application_status")


@applicant_required
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    application = _own(request, number)
    response = HttpResponse(
        receipt_pdf(application, current_centre()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{application.number}.pdf"'
    return response


@require_POST
@applicant_required
def offer_answer(request: HttpRequest, number: str, offer: int) -> HttpResponse:
    application = _own(request, number)
    found = (
        Offer.objects.filter(pk=offer, application=application)
        .select_related("round", "batch")
        .first()
    )
    if found is None:
        raise Http404
    try:
        if request.POST.get("answer") == "accept":
            offer_accept(offer=found, actor=request_user(request))
            messages.success(
                request, _("Your place in %(batch)s is confirmed.") % {"batch": found.batch.name}
            )
        elif request.POST.get("answer") == "decline":
            offer_decline(offer=found, actor=request_user(request))
            messages.info(
                request, _("You declined the place; it goes to the next on the waiting list.")
            )
        else:
            raise Http404
    except OfferError as error:
        messages.error(request, str(error))
    return redirect("portal:application_status")


@require_POST
@applicant_required
def objection(request: HttpRequest, number: str, round_id: int) -> HttpResponse:
    application = _own(request, number)
    round_ = SelectionRound.objects.filter(pk=round_id, intake_id=application.intake_id).first()
    if round_ is None:
        raise Http404
    try:
        objection_submit(
            round_=round_,
            application=application,
            text=str(request.POST.get("text", "")),
            actor=request_user(request),
        )
    except ObjectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your objection is received. Staff will answer it."))
    return redirect("portal:application_status")
