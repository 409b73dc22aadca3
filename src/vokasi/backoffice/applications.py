"""Registration in the back office: the front desk, the verification queue, documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vokasi.catalog.models import Intake
from vokasi.core.audit import audit_log
from vokasi.core.masking import mask_nik, mask_phone
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.intake import selectors
from vokasi.intake.export import applications_xlsx
from vokasi.intake.forms import ApplicationForm, DocumentsForm, FrontDeskForm, region_context
from vokasi.intake.models import Application, ApplicationStatus, Document
from vokasi.intake.services import (
    ApplicationError,
    application_request_fix,
    application_submit,
    application_verify,
)


def render_application_form(
    request: HttpRequest,
    template: str,
    form: ApplicationForm,
    documents: DocumentsForm,
    **context: Any,
) -> HttpResponse:
    return render(
        request, template, {"form": form, "documents": documents} | region_context(form) | context
    )


def _filtered(q: QueryDict) -> QuerySet[Application]:
    """The queue as the page's filters ask; the Excel export uses the same filters."""
    return selectors.application_queue(
        intake=q.get("intake", ""),
        status=q.get("status", ""),
        batch=q.get("batch", ""),
        regency=q.get("regency", ""),
        search=q.get("q", "").strip(),
        date_from=q.get("from", ""),
        date_to=q.get("to", ""),
    )


class ApplicationQueueView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        # The queue opens on what waits for staff, oldest first; "all" is one click away.
        q = request.GET or QueryDict(f"status={ApplicationStatus.SUBMITTED}")
        applications = _filtered(q)
        page = Paginator(applications, 50).get_page(q.get("page"))
        return render(
            request,
            "backoffice/application_queue.html",
            {
                "page_obj": page,
                "statuses": ApplicationStatus.choices,
                "intakes": Intake.objects.order_by("-id"),
                "filters": q,
                "counts": selectors.status_counts(),
                "open_intakes": selectors.open_intakes(today=timezone.localdate()),
            }
            | selectors.queue_filter_options(),
        )


class ApplicationExportView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET
        applications = _filtered(q)
        user = request_user(request)
        whole = user.can(Perm.PERSONAL_DATA_VIEW) and q.get("nik") == "whole"
        data = applications_xlsx(applications, whole_nik=whole)
        audit_log(
            actor=user,
            action="applications.export",
            obj=user,
            filters=dict(q.items()),
            whole_nik=whole,
            rows=applications.count(),
        )
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="pendaftaran-{stamp}.xlsx"'
        return response


class FrontDeskView(PermRequiredMixin, View):
    """A member of staff registers a walk-in applicant, with the same checks as online."""

    perm = Perm.APPLICATIONS_MANAGE
    template = "backoffice/application_form.html"

    def _intake(self, pk: int) -> Intake:
        return get_object_or_404(Intake, pk=pk)

    def get(self, request: HttpRequest, intake: int) -> HttpResponse:
        obj = self._intake(intake)
        batches = selectors.batches_open_in(obj, today=timezone.localdate())
        form = FrontDeskForm(intake=obj, batches=batches, initial={"province": "64"})
        return render_application_form(request, self.template, form, DocumentsForm(), intake=obj)

    def post(self, request: HttpRequest, intake: int) -> HttpResponse:
        obj = self._intake(intake)
        batches = selectors.batches_open_in(obj, today=timezone.localdate())
        form = FrontDeskForm(request.POST, intake=obj, batches=batches)
        documents = DocumentsForm(request.POST, request.FILES)
        if form.is_valid() & documents.is_valid():
            try:
                application = application_submit(
                    data=form.applicant_data(),
                    intake=obj,
                    batches=form.chosen_batches(),
                    user=None,
                    entered_by=request_user(request),
                    documents=documents.uploads(),
                )
            except ApplicationError as error:
                form.add_service_errors(error.errors, documents=documents)
            else:
                messages.success(
                    request,
                    _("Application %(number)s registered.") % {"number": application.number},
                )
                return redirect("backoffice:application", pk=application.pk)
        documents.remember()
        return render_application_form(request, self.template, form, documents, intake=obj)


class ApplicationView(PermRequiredMixin, View):
    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_detail(pk)
        if application is None:
            raise Http404
        applicant = application.applicant
        return render(
            request,
            "backoffice/application_detail.html",
            {
                "application": application,
                "applicant": applicant,
                "nik": mask_nik(applicant.nik),
                "phone": mask_phone(applicant.phone) if applicant.phone else "",
                "can_verify": application.status
                in (ApplicationStatus.SUBMITTED, ApplicationStatus.DOCUMENTS_TO_FIX),
                "can_ask_fix": application.status
                in (ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_detail(pk)
        if application is None:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "verify":
                application_verify(application=application, actor=request_user(request))
                messages.success(
                    request,
                    _("Verified: %(status)s.") % {"status": application.get_status_display()},
                )
            elif action == "fix":
                application_request_fix(
                    application=application,
                    reason=request.POST.get("reason", ""),
                    actor=request_user(request),
                )
                messages.success(request, _("The applicant has been asked to fix the documents."))
            elif action == "reveal" and not request_user(request).can(Perm.PERSONAL_DATA_VIEW):
                messages.error(request, _("Your role may not see whole NIKs."))
            elif action == "reveal":
                audit_log(
                    actor=request_user(request),
                    action="applicant.nik_viewed",
                    obj=application.applicant,
                )
                messages.info(
                    request,
                    _("NIK: %(nik)s (this view was recorded)") % {"nik": application.applicant.nik},
                )
            else:
                messages.error(request, _("Unknown action."))
        except ApplicationError as error:
            messages.error(request, str(error))
        return redirect("backoffice:application", pk=pk)


class DocumentView(PermRequiredMixin, View):
    """Serves an applicant's document to staff only; every view is recorded."""

    perm = Perm.APPLICATIONS_MANAGE

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(Document.objects.select_related("application"), pk=pk)
        audit_log(
            actor=request_user(request),
            action="document.viewed",
            obj=document.application,
            kind=document.kind,
        )
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=document.content_type)
        response["Content-Disposition"] = (
            f'inline; filename="{document.application.number}-{document.kind}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response
