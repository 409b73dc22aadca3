"""The application form, shared by the applicant's own page and the front desk.

It checks what a form can (types, required fields, the NIK's own structure); the rules
that need the database (NIK against birth date and sex, eligibility, one per intake) are
the service's, whose per-field messages the view puts back next to the fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch, Intake, Schooling
from vokasi.core.forms import DateInput
from vokasi.intake import pending
from vokasi.intake.documents import DocumentRejected
from vokasi.intake.models import Employment, Sex
from vokasi.intake.services import ApplicantData
from vokasi.regions.forms import NikField
from vokasi.regions.models import Region


class BatchChoiceField(forms.TypedChoiceField):
    """A batch out of a list the form loaded once: three choices cost one query, not three."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def offer(self, batches: list[Batch]) -> None:
        self.batches = {b.pk: b for b in batches}
        self.choices = [("", "—")] + [
            (b.pk, f"{b.name} ({b.training_starts:%d-%m-%Y})") for b in batches
        ]

    def clean(self, value: Any) -> Batch | None:
        pk = super().clean(value)
        return None if pk is None else self.batches[pk]


class ApplicationForm(forms.Form):
    nik = NikField(help_text=_("The 16 digits on your KTP."))
    kk = forms.RegexField(
        label=_("Family card number (KK)"),
        regex=r"^[0-9]{16}$",
        required=False,
        error_messages={"invalid": _("A KK number has 16 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name as on the KTP"), max_length=150)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=80)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    province = forms.CharField(label=_("Province"), required=False, widget=forms.Select)
    regency = forms.CharField(label=_("Regency / city"), required=False, widget=forms.Select)
    district = forms.CharField(label=_("District (kecamatan)"), widget=forms.Select)
    address = forms.CharField(label=_("Street address, RT/RW"), max_length=250)
    # No default: a preselected "no schooling" was sent unnoticed and barred people from
    # programmes that ask for SMP or more. The applicant picks one.
    schooling = forms.TypedChoiceField(
        label=_("Highest schooling completed"),
        choices=[("", _("— choose —")), *Schooling.choices],
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Choose your highest schooling completed.")},
    )
    employment = forms.ChoiceField(label=_("Employment status"), choices=Employment.choices)
    disability = forms.CharField(
        label=_("Disability"),
        max_length=100,
        required=False,
        help_text=_("Leave empty if none; otherwise say which, so we can prepare."),
    )
    phone = forms.RegexField(
        label=_("Phone / WhatsApp"),
        regex=r"^\+?[0-9 \-]{9,16}$",
        required=False,
        error_messages={"invalid": _("Type a number such as 0812 3456 7890.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    choice_1 = BatchChoiceField(label=_("First choice"))
    choice_2 = BatchChoiceField(label=_("Second choice"), required=False)
    choice_3 = BatchChoiceField(label=_("Third choice"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the centre processes my personal data to select participants, run the "
            "training, issue certificates and help me find work, as UU 27/2022 (PDP) allows."
        ),
        error_messages={"required": _("We can only process your application with your consent.")},
    )

    def __init__(self, *args: Any, intake: Intake, batches: QuerySet[Batch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intake = intake
        offered = list(batches)
        for number in range(1, 4):
            name = f"choice_{number}"
            if number > intake.max_choices:
                del self.fields[name]
                continue
            field = self.fields[name]
            assert isinstance(field, BatchChoiceField)
            field.offer(offered)

    def clean_district(self) -> Region:
        code: str = self.cleaned_data["district"]
        region = (
            Region.objects.filter(code=code, level=Region.Level.DISTRICT)
            .select_related("parent")
            .first()
        )
        if region is None:
            raise forms.ValidationError(_("Choose your district from the list."))
        return region

    def clean_birth_date(self) -> dt.date:
        born: dt.date = self.cleaned_data["birth_date"]
        if not dt.date(1900, 1, 1) <= born <= timezone.localdate():
            raise forms.ValidationError(_("Check the date of birth."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email"):
            self.add_error(
                "phone", _("Give a WhatsApp number or an email address, so we can reach you.")
            )
        return data

    def chosen_batches(self) -> list[Batch]:
        return [
            self.cleaned_data[name]
            for name in ("choice_1", "choice_2", "choice_3")
            if name in self.cleaned_data and self.cleaned_data[name] is not None
        ]

    def applicant_data(self) -> ApplicantData:
        d = self.cleaned_data
        return ApplicantData(
            nik=d["nik"],
            kk=d.get("kk", ""),
            full_name=d["full_name"],
            birth_place=d["birth_place"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            domicile=d["district"],
            address=d["address"],
            schooling=d["schooling"],
            employment=d["employment"],
            disability=d.get("disability", ""),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
        )

    def add_service_errors(
        self, errors: dict[str, list[str]], *, documents: DocumentsForm | None = None
    ) -> None:
        """Puts the service's messages next to the fields they name; a refused document's
        next to its upload field in `documents`."""
        mapping = {"choices": "choice_1", "__all__": None}
        for name, messages in errors.items():
            form: forms.Form = self
            if documents is not None and name in documents.KINDS:
                form = documents
            target = mapping.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)


class FrontDeskForm(ApplicationForm):
    """The applicant's form as the member of staff at the counter fills it in: the same
    fields and checks, worded for who is typing (the consent is the applicant's, read to
    them aloud)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent = self.fields["consent"]
        consent.label = _(
            "The applicant agrees that the centre processes their personal data to select "
            "participants, run the training, issue certificates and help them find work, as "
            "UU 27/2022 (PDP) allows; I have read this to them."
        )
        consent.error_messages["required"] = _(
            "Ask the applicant for their consent and tick the box; without it the application "
            "cannot be registered."
        )
        self.fields["phone"].help_text = _("A WhatsApp number or an email address is needed.")
        self.fields["nik"].help_text = _("The 16 digits on the applicant's KTP.")


class DocumentsForm(forms.Form):
    """The KTP and the diploma. A file already accepted on an earlier try of the same form
    is carried by a hidden token (see `vokasi.intake.pending`), so nobody picks it twice."""

    ktp = forms.FileField(
        label=_("Photo or scan of your KTP"),
        help_text=_("PDF, JPEG or PNG, at most 2 MB."),
        required=False,
    )
    diploma = forms.FileField(
        label=_("Photo or scan of your latest diploma"),
        help_text=_("PDF, JPEG or PNG, at most 2 MB."),
        required=False,
    )
    ktp_token = forms.CharField(required=False, widget=forms.HiddenInput)
    diploma_token = forms.CharField(required=False, widget=forms.HiddenInput)
    KINDS = ("ktp", "diploma")

    def __init__(self, *args: Any, ktp_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ktp_required = ktp_required

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in self.KINDS:
            if not data.get(kind) and data.get(f"{kind}_token"):
                data[kind] = pending.claim(data[f"{kind}_token"])
        if self.ktp_required and not data.get("ktp") and "ktp" not in self.errors:
            self.add_error("ktp", _("Please upload a photo or scan of your KTP."))
        return data

    def uploads(self) -> dict[str, UploadedFile[bytes]]:
        """kind -> the file to store, chosen now or kept from an earlier try."""
        return {kind: self.cleaned_data[kind] for kind in self.KINDS if self.cleaned_data.get(kind)}

    def kept(self, kind: str) -> bool:
        return bool(self.data.get(f"{kind}_token")) if self.is_bound else False

    def remember(self) -> None:
        """Before the page is shown again: keeps each good file under a token in the form's
        data, so the hidden fields carry it to the next try."""
        if not self.is_bound:
            return
        data: dict[str, Any] = {key: self.data.get(key) for key in self.data}
        cleaned = getattr(self, "cleaned_data", {})
        for kind in self.KINDS:
            upload = cleaned.get(kind)
            fresh = kind in self.files  # chosen on this try, not claimed from an earlier one
            if upload is None or kind in self.errors or not fresh:
                continue
            try:
                data[f"{kind}_token"] = pending.keep(upload)
            except DocumentRejected as error:
                self.add_error(kind, str(error))
        self.data = data


def region_context(form: ApplicationForm) -> dict[str, Any]:
    """The address selects' options for what the form already holds."""
    from vokasi.intake.selectors import region_options

    data = form.data if form.is_bound else form.initial
    return {
        "regions": region_options(
            province=str(data.get("province", "")), regency=str(data.get("regency", ""))
        )
    }
