"""The inmate programme in the back office: a prison's officer nominates (form or Excel),
staff review and enrol. Every batch is looked up through `inmates.selectors`, scoped to
the viewer: another prison's batch is a 404, never its people."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook

from vokasi.catalog.models import Batch, Schooling
from vokasi.core.audit import audit_log
from vokasi.core.forms import DateInput, query_int
from vokasi.core.models import User
from vokasi.core.roles import Perm
from vokasi.core.spreadsheet import append_header, workbook_bytes
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.inmates import selectors
from vokasi.inmates.models import Nomination, NominationState
from vokasi.inmates.services import (
    NominationError,
    NomineeData,
    inmate_release_set,
    nomination_accept,
    nomination_create,
    nomination_reject,
)
from vokasi.inmates.spreadsheet import (
    MAX_BYTES,
    nominations_import,
    nominations_read,
    template_xlsx,
)
from vokasi.intake.models import Sex
from vokasi.regions.forms import NikField
from vokasi.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _batch(request: HttpRequest, pk: int) -> Batch:
    batch = selectors.prison_batch(viewer=request_user(request), pk=pk)
    if batch is None:
        raise Http404
    return batch


class DistrictField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.parent.name if obj.parent else ''} – {obj.name}"


class NominationForm(forms.Form):
    nik = NikField(help_text=gettext_lazy("The 16 digits on the KTP or family card."))
    full_name = forms.CharField(label=gettext_lazy("Full name as on the KTP"), max_length=150)
    birth_place = forms.CharField(label=gettext_lazy("Place of birth"), max_length=80)
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), widget=DateInput())
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), choices=Sex.choices, widget=forms.RadioSelect
    )
    district = DistrictField(
        label=gettext_lazy("District (kecamatan) of home address"),
        queryset=Region.objects.none(),
    )
    schooling = forms.TypedChoiceField(
        label=gettext_lazy("Highest schooling completed"), choices=Schooling.choices, coerce=int
    )
    number = forms.CharField(label=gettext_lazy("Inmate registration number"), max_length=40)
    expected_release = forms.DateField(
        label=gettext_lazy("Expected release date"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert batch.venue_partner is not None
        field = self.fields["district"]
        assert isinstance(field, DistrictField)
        field.queryset = selectors.districts_for(batch.venue_partner)

    def to_data(self) -> NomineeData:
        d = self.cleaned_data
        return NomineeData(
            nik=d["nik"],
            full_name=d["full_name"],
            birth_place=d["birth_place"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            domicile=d["district"],
            schooling=d["schooling"],
            number=d["number"],
            expected_release=d["expected_release"],
        )


class InmateBatchListView(PermRequiredMixin, View):
    perm = Perm.INMATES_NOMINATE

    def get(self, request: HttpRequest) -> HttpResponse:
        batches = selectors.prison_batches(viewer=request_user(request))
        return render(request, "backoffice/inmates/batch_list.html", {"batches": batches})


class InmateBatchView(PermRequiredMixin, View):
    perm = Perm.INMATES_NOMINATE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        rows = selectors.nomination_rows(batch=batch, viewer=user)
        show = selectors.may_see_inmate_fields(user, prison_id=batch.venue_partner_id)
        shown = sum(1 for r in rows if r.number)
        if shown:
            # Inmate numbers and release dates are personal data shown whole: recorded.
            audit_log(actor=user, action="inmates.viewed", obj=batch, rows=shown)
        return render(
            request,
            "backoffice/inmates/batch.html",
            {
                "batch": batch,
                "rows": rows,
                "can_review": user.can(Perm.INMATES_VIEW),
                "show_inmate_fields": show,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        action = request.POST.get("action")
        allowed = (
            selectors.may_see_inmate_fields(user, prison_id=batch.venue_partner_id)
            if action == "release"
            else user.can(Perm.INMATES_VIEW)
        )
        if not allowed:
            raise PermissionDenied
        nomination = get_object_or_404(
            Nomination.objects.select_related("batch", "applicant__inmate"),
            pk=query_int(str(request.POST.get("nomination", ""))) or 0,
            batch=batch,
        )
        try:
            if action == "release":
                inmate = getattr(nomination.applicant, "inmate", None)
                if inmate is None:
                    raise Http404
                text = str(request.POST.get("released", "")).strip()
                try:
                    released = dt.date.fromisoformat(text) if text else None
                except ValueError:
                    raise NominationError({"released": [_("Not a date.")]}) from None
                inmate_release_set(inmate=inmate, released=released, actor=user)
                messages.success(request, _("Release date saved."))
            elif action == "accept":
                participant = nomination_accept(nomination=nomination, actor=user)
                messages.success(
                    request,
                    _("%(name)s is enrolled as participant %(number)d.")
                    % {"name": nomination.applicant.full_name, "number": participant.number},
                )
            elif action == "reject":
                nomination_reject(
                    nomination=nomination,
                    reason=str(request.POST.get("reason", "")).replace("\x00", ""),
                    actor=user,
                )
                messages.success(request, _("The nomination is declined."))
            else:
                raise Http404
        except NominationError as error:
            messages.error(request, str(error))
        return redirect("backoffice:inmate_batch", pk=batch.pk)


class InmateNominateView(PermRequiredMixin, View):
    perm = Perm.INMATES_NOMINATE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        return self._render(request, batch, NominationForm(batch=batch))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        form = NominationForm(request.POST, batch=batch)
        if form.is_valid():
            try:
                nomination_create(batch=batch, data=form.to_data(), actor=request_user(request))
            except NominationError as error:
                for name, texts in error.errors.items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated.") % {"name": form.cleaned_data["full_name"]},
                )
                if request.POST.get("another"):
                    return redirect("backoffice:inmate_nominate", pk=batch.pk)
                return redirect("backoffice:inmate_batch", pk=batch.pk)
        return self._render(request, batch, form)

    def _render(self, request: HttpRequest, batch: Batch, form: NominationForm) -> HttpResponse:
        return render(request, "backoffice/inmates/nominate.html", {"batch": batch, "form": form})


def _session_key(batch: Batch) -> str:
    return f"inmates:upload:{batch.pk}"


class InmateUploadView(PermRequiredMixin, View):
    """Check first (the dry run lists every fault by row), then write all rows at once."""

    perm = Perm.INMATES_NOMINATE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        return render(request, "backoffice/inmates/upload.html", {"batch": batch})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        context: dict[str, Any] = {"batch": batch}
        try:
            if request.POST.get("action") == "confirm":
                stored = request.session.get(_session_key(batch))
                if not stored or stored.get("sha256") != request.POST.get("sha256"):
                    raise NominationError(
                        {"file": [_("Upload the file again: the checked file is no longer here.")]}
                    )
                content = base64.b64decode(stored["content"])
                created = nominations_import(batch=batch, content=content, actor=user)
                del request.session[_session_key(batch)]
                messages.success(request, _("%(n)d people nominated.") % {"n": len(created)})
                return redirect("backoffice:inmate_batch", pk=batch.pk)
            upload = request.FILES.get("file")
            if upload is None:
                raise NominationError({"file": [_("Choose the Excel file to check.")]})
            if (upload.size or 0) > MAX_BYTES:
                raise NominationError({"file": [_("The file is larger than 2 MB.")]})
            content = upload.read()
            result = nominations_read(batch=batch, content=content, actor=user)
            digest = hashlib.sha256(content).hexdigest()
            context |= {"result": result, "sha256": digest, "filename": upload.name}
            if not result.errors:
                request.session[_session_key(batch)] = {
                    "sha256": digest,
                    "content": base64.b64encode(content).decode(),
                }
        except NominationError as error:
            context["error"] = str(error)
        return render(request, "backoffice/inmates/upload.html", context)


class InmateTemplateView(PermRequiredMixin, View):
    perm = Perm.INMATES_NOMINATE

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="usulan-warga-binaan.xlsx"'
        return response


class InmateExportView(PermRequiredMixin, View):
    perm = Perm.INMATES_NOMINATE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        rows = selectors.nomination_rows(batch=batch, viewer=user, whole_nik=True)
        audit_log(actor=user, action="nominations.export", obj=batch, rows=len(rows))
        response = HttpResponse(_export(rows, user), content_type=XLSX)
        name = f"usulan-{batch.code}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _export(rows: list[selectors.NominationRow], user: User) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Nominations")[:31]
    append_header(
        sheet,
        [
            _("Name"),
            "NIK",
            _("Sex"),
            _("Date of birth"),
            _("Inmate registration number"),
            _("Expected release date"),
            _("State"),
        ],
    )
    states = dict(NominationState.choices)
    for r in rows:
        sheet.append(
            [
                r.name,
                r.nik,
                r.sex,
                r.birth_date,
                r.number,
                r.expected_release,
                str(states[r.nomination.state]),
            ]
        )
    return workbook_bytes(book)
