"""Forms of placement, shared by the public tracer page and the back office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import CompetencyUnit
from vokasi.core.forms import DateInput, query_int
from vokasi.placement.models import Contribution, Outcome, Vacancy, WageBand
from vokasi.placement.services import PlacementData

# Which fields belong to which answer: the template shows only those (CSS :has, no JS).
GROUPS: dict[str, tuple[str, ...]] = {
    "job": ("employer", "position"),
    "employed": ("sector", "start_date", "place"),
    "self_employed": ("business",),
    "migrant": ("country", "agency", "departure_date"),
    "wage": ("wage_band",),
}


class PlacementForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What are you doing now?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the answers.")},
    )
    employer = forms.CharField(
        label=_("Employer (company or workshop)"), max_length=150, required=False
    )
    sector = forms.CharField(
        label=_("Sector"),
        max_length=100,
        required=False,
        help_text=_("e.g. oil and gas, fertiliser, construction, hospitality"),
    )
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    start_date = forms.DateField(label=_("Started on"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    business = forms.CharField(
        label=_("What kind of business?"),
        max_length=150,
        required=False,
        help_text=_("e.g. AC service, coffee stall, make-up for weddings"),
    )
    country = forms.CharField(label=_("Country"), max_length=60, required=False)
    agency = forms.CharField(label=_("Placement agency (P3MI)"), max_length=150, required=False)
    departure_date = forms.DateField(label=_("Departure date"), required=False, widget=DateInput())
    wage_band = forms.ChoiceField(
        label=_("Monthly income (optional)"),
        choices=[("", "—"), *WageBand.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        max_length=250,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_start_date(self) -> dt.date | None:
        return self._sane_date("start_date")

    def clean_departure_date(self) -> dt.date | None:
        return self._sane_date("departure_date")

    def _sane_date(self, name: str) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get(name)
        if day is not None and not dt.date(1990, 1, 1) <= day <= dt.date(2100, 1, 1):
            raise forms.ValidationError(_("Check the date."))
        return day

    def to_data(self) -> PlacementData:
        d = self.cleaned_data
        return PlacementData(
            outcome=d["outcome"],
            employer=d.get("employer") or "",
            sector=d.get("sector") or "",
            position=d.get("position") or "",
            wage_band=d.get("wage_band") or "",
            start_date=d.get("start_date"),
            place=d.get("place") or "",
            business=d.get("business") or "",
            country=d.get("country") or "",
            agency=d.get("agency") or "",
            departure_date=d.get("departure_date"),
            note=d.get("note") or "",
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    @property
    def groups(self) -> dict[str, list[Any]]:
        return {name: [self[f] for f in names] for name, names in GROUPS.items()}


class PhoneAnswerForm(PlacementForm):
    wave = forms.TypedChoiceField(
        label=_("Tracer wave"),
        choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))],
        coerce=int,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].label = _("Outcome")


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Agreement number"), max_length=100)
    scope = forms.CharField(
        label=_("Scope"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    file = forms.FileField(label=_("Signed file (PDF)"), required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    phone = forms.RegexField(
        label=_("Phone / WhatsApp"),
        regex=r"^\+?[0-9 \-]{9,16}$",
        required=False,
        error_messages={"invalid": _("Type a number such as 0812 3456 7890.")},
    )
    email = forms.EmailField(label=_("Email"), required=False)


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Brings"), choices=Contribution.Kind.choices)
    note = forms.CharField(label=_("Details"), max_length=250, required=False)


class UnitsField(forms.ModelMultipleChoiceField[CompetencyUnit]):
    def label_from_instance(self, obj: CompetencyUnit) -> str:
        return f"{obj.programme.name}: {obj.code} {obj.title}"

    def clean(self, value: Any) -> Any:
        # A forged id beyond the database's integers reaches the `pk__in` query otherwise
        # (OverflowError on SQLite, a 500): refuse it as any unknown choice.
        for pk in value if isinstance(value, list | tuple) else ():
            if query_int(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class VacancyForm(forms.ModelForm[Vacancy]):
    class Meta:
        model = Vacancy
        fields = [
            "partner",
            "employer",
            "position",
            "programme",
            "competencies",
            "units",
            "location",
            "place",
            "country",
            "agency",
            "openings",
            "closes_on",
            "description",
        ]
        widgets = {
            "closes_on": DateInput(),
            "competencies": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"] = UnitsField(
            label=_("Competency units required"),
            required=False,
            queryset=CompetencyUnit.objects.select_related("programme").order_by(
                "programme__name", "order", "id"
            ),
            help_text=_("Only graduates assessed competent in every unit chosen are matched."),
            widget=forms.SelectMultiple(attrs={"size": 8}),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("location") == Vacancy.Location.ABROAD and not data.get("country"):
            self.add_error("country", _("A vacancy abroad needs its country."))
        return data
