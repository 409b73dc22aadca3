"""Certificates in the back office: issuing a batch's training certificates, revoking and
correcting one, a graduate's certificates, and BNSP competency tests."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vokasi.catalog.models import Batch, BatchState, Programme
from vokasi.certificates.bnsp_export import candidates_xlsx
from vokasi.certificates.models import (
    Candidate,
    CertificationBody,
    CertificationScheme,
    CompetencyTest,
    TrainingCertificate,
)
from vokasi.certificates.pdf import certificate_pdf
from vokasi.certificates.selectors import (
    batch_graduates,
    completed_batches,
    graduate_certificates,
    tests_list,
)
from vokasi.certificates.services import (
    CertificateError,
    candidate_record_certificate,
    candidate_record_results,
    candidates_add,
    certificate_check,
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_batch,
    competency_test_create,
    lsp_create,
    scheme_create,
)
from vokasi.core.audit import audit_entries_for, audit_log
from vokasi.core.forms import query_int
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.training.models import Participant


def _post(request: HttpRequest, name: str, default: str = "") -> str:
    """A posted text without NUL characters (PostgreSQL refuses them in text: a 500)."""
    return str(request.POST.get(name, default)).replace("\x00", "")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


class CertificateBatchListView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "backoffice/certificates/batch_list.html", {"batches": completed_batches()}
        )


class CertificateBatchView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(Batch.objects.select_related("programme"), pk=pk)
        graduates = batch_graduates(batch)
        return render(
            request,
            "backoffice/certificates/batch.html",
            {
                "batch": batch,
                "graduates": graduates,
                "waiting": sum(getattr(p, "certificate", None) is None for p in graduates),
                "completed": batch.state == BatchState.COMPLETED,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(Batch, pk=pk)
        try:
            created = certificates_issue_for_batch(batch=batch, actor=request_user(request))
        except CertificateError as error:
            messages.error(request, str(error))
        else:
            if created:
                messages.success(
                    request,
                    _("%(n)d certificates issued, %(first)s to %(last)s.")
                    % {"n": len(created), "first": created[0].number, "last": created[-1].number},
                )
            else:
                messages.info(request, _("Every graduate of this batch has a certificate already."))
        return redirect("backoffice:certificate_issue", pk=pk)


class CertificateView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cert = get_object_or_404(
            TrainingCertificate.objects.select_related("signing_key", "participant__batch"), pk=pk
        )
        versions = TrainingCertificate.objects.filter(participant_id=cert.participant_id).order_by(
            "-version"
        )
        return render(
            request,
            "backoffice/certificates/certificate.html",
            {
                "cert": cert,
                "signature_ok": certificate_check(cert),
                "versions": versions,
                "audit": audit_entries_for(cert),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cert = get_object_or_404(TrainingCertificate, pk=pk)
        action = request.POST.get("action")
        reason = _post(request, "reason")
        try:
            if action == "revoke":
                certificate_revoke(certificate=cert, reason=reason, actor=request_user(request))
                messages.success(request, _("The certificate is revoked."))
            elif action == "reissue":
                cert = certificate_reissue(
                    certificate=cert, reason=reason, actor=request_user(request)
                )
                messages.success(request, _("A corrected version was issued."))
            else:
                raise Http404
        except CertificateError as error:
            messages.error(request, str(error))
        return redirect("backoffice:certificate", pk=cert.pk)


class CertificatePdfView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cert = get_object_or_404(TrainingCertificate.objects.select_related("centre"), pk=pk)
        response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="sertifikat-{cert.code}.pdf"'
        return response


class GraduateCertificatesView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = get_object_or_404(
            Participant.objects.select_related("applicant", "batch__programme"), pk=pk
        )
        return render(
            request,
            "backoffice/certificates/graduate.html",
            {"row": graduate_certificates(participant), "staff_view": True},
        )


class BnspBodiesView(PermRequiredMixin, View):
    """LSPs and their schemes."""

    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "backoffice/certificates/bnsp_bodies.html",
            {
                "bodies": CertificationBody.objects.prefetch_related("schemes__programme"),
                "kinds": CertificationBody.Kind.choices,
                "programmes": Programme.objects.order_by("name"),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = request_user(request)
        try:
            if request.POST.get("action") == "scheme":
                body = CertificationBody.objects.filter(
                    pk=query_int(_post(request, "body")) or 0
                ).first()
                if body is None:
                    raise CertificateError(_("Choose the LSP."))
                programme = Programme.objects.filter(
                    pk=query_int(_post(request, "programme")) or 0
                ).first()
                years = query_int(_post(request, "validity_years", "3"), high=99)
                scheme_create(
                    body=body,
                    name=_post(request, "name"),
                    programme=programme,
                    validity_years=years or 0,
                    actor=actor,
                )
                messages.success(request, _("Scheme saved."))
            else:
                lsp_create(
                    name=_post(request, "name"),
                    licence_number=_post(request, "licence_number"),
                    kind=_post(request, "kind"),
                    actor=actor,
                )
                messages.success(request, _("LSP saved."))
        except CertificateError as error:
            messages.error(request, str(error))
        return redirect("backoffice:bnsp_bodies")


class BnspTestListView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "backoffice/certificates/bnsp_tests.html",
            {
                "tests": tests_list(),
                "schemes": CertificationScheme.objects.select_related("body"),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        scheme = CertificationScheme.objects.filter(
            pk=query_int(_post(request, "scheme")) or 0
        ).first()
        held_on = _date(_post(request, "held_on"))
        try:
            if scheme is None or held_on is None:
                raise CertificateError(_("Choose the scheme and the date."))
            test = competency_test_create(
                scheme=scheme,
                test_site=_post(request, "test_site"),
                held_on=held_on,
                assessors=_post(request, "assessors"),
                actor=request_user(request),
            )
        except CertificateError as error:
            messages.error(request, str(error))
            return redirect("backoffice:bnsp_tests")
        return redirect("backoffice:bnsp_test", pk=test.pk)


class BnspTestView(PermRequiredMixin, View):
    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        test = get_object_or_404(CompetencyTest.objects.select_related("scheme", "body"), pk=pk)
        units = list(test.scheme.units.order_by("order", "id"))
        candidates = list(
            test.candidates.select_related("participant__applicant", "participant__batch")
            .prefetch_related("unit_results")
            .order_by("participant__batch__code", "participant__number")
        )
        for c in candidates:
            given = {r.unit_id: r.result for r in c.unit_results.all()}
            c.unit_row = [(u, given.get(u.pk, "")) for u in units]  # type: ignore[attr-defined]
        taken = {c.participant_id for c in candidates}
        eligible = [
            p
            for p in Participant.objects.filter(
                status=Participant.Status.GRADUATED,
                batch__state=BatchState.COMPLETED,
                batch__programme=test.scheme.programme,
            )
            .select_related("applicant", "batch")
            .order_by("batch__code", "number")
            if p.pk not in taken
        ]
        return render(
            request,
            "backoffice/certificates/bnsp_test.html",
            {"test": test, "units": units, "candidates": candidates, "eligible": eligible},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        test = get_object_or_404(CompetencyTest.objects.select_related("scheme"), pk=pk)
        actor = request_user(request)
        action = request.POST.get("action")
        try:
            if action == "add":
                ids = [query_int(str(v)) for v in request.POST.getlist("participants")]
                chosen = list(
                    Participant.objects.filter(pk__in=[i for i in ids if i]).select_related(
                        "batch", "applicant"
                    )
                )
                if not chosen:
                    raise CertificateError(_("Choose at least one graduate."))
                n = candidates_add(test=test, participants=chosen, actor=actor)
                messages.success(request, _("%(n)d candidates added.") % {"n": n})
            elif action in ("results", "certificate"):
                candidate = get_object_or_404(
                    Candidate, pk=query_int(_post(request, "candidate")) or 0, test=test
                )
                if action == "results":
                    results = {
                        unit.pk: _post(request, f"unit-{unit.pk}")
                        for unit in test.scheme.units.all()
                    }
                    candidate_record_results(candidate=candidate, results=results, actor=actor)
                    messages.success(request, _("Results saved."))
                else:
                    issued_on = _date(_post(request, "issued_on"))
                    if issued_on is None:
                        raise CertificateError(_("Give the date the certificate was issued."))
                    candidate_record_certificate(
                        candidate=candidate,
                        certificate_number=_post(request, "certificate_number"),
                        registration_number=_post(request, "registration_number"),
                        issued_on=issued_on,
                        actor=actor,
                    )
                    messages.success(request, _("BNSP certificate recorded."))
            else:
                raise Http404
        except CertificateError as error:
            messages.error(request, str(error))
        return redirect("backoffice:bnsp_test", pk=pk)


class BnspTestExportView(PermRequiredMixin, View):
    """The candidates, pre-filled for the LSP's APL-01 application forms."""

    perm = Perm.CERTIFICATES_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        test = get_object_or_404(CompetencyTest.objects.select_related("scheme", "body"), pk=pk)
        user = request_user(request)
        whole_nik = user.can(Perm.PERSONAL_DATA_VIEW)
        audit_log(actor=user, action="competency_test.export", obj=test, whole_nik=whole_nik)
        response = HttpResponse(
            candidates_xlsx(test, whole_nik=whole_nik),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="apl01-uji-{test.pk}.xlsx"'
        return response
