from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vokasi.catalog.models import Batch, BatchState, Programme
from vokasi.core.forms import DateInput
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.training.selectors import seats_taken


class BatchForm(forms.ModelForm[Batch]):
    """Dates, quota and minimum are checked by the model's constraints (full_clean), so the
    form and the database refuse the same things with the same words."""

    class Meta:
        model = Batch
        fields = [
            "programme",
            "code",
            "name",
            "funding",
            "cost",
            "quota",
            "min_participants",
            "venue_partner",
            "venue_note",
            "registration_opens",
            "registration_closes",
            "training_starts",
            "training_ends",
            "instructors",
        ]
        widgets = {
            "registration_opens": DateInput(),
            "registration_closes": DateInput(),
            "training_starts": DateInput(),
            "training_ends": DateInput(),
            "instructors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instructors = self.fields["instructors"]
        assert isinstance(instructors, forms.ModelMultipleChoiceField)
        instructors.queryset = User.objects.filter(role=Role.INSTRUCTOR, is_active=True).order_by(
            "full_name"
        )
        self.seats_taken = (
            seats_taken([self.instance]).get(self.instance.pk, 0) if self.instance.pk else 0
        )
        if self.instance.pk and self.instance.state != BatchState.DRAFT:
            # Once applicants can see a batch, its identity must not change under them.
            for name in ("programme", "code"):
                self.fields[name].disabled = True

    def clean_quota(self) -> int:
        quota: int = self.cleaned_data["quota"]
        if quota < self.seats_taken:
            raise forms.ValidationError(
                ngettext(
                    "The batch already has %(n)d participant; the quota cannot be lower.",
                    "The batch already has %(n)d participants; the quota cannot be lower.",
                    self.seats_taken,
                )
                % {"n": self.seats_taken}
            )
        return quota


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = [
            "centre",
            "code",
            "name",
            "field",
            "description",
            "requirements",
            "hours_jp",
            "certification_scheme",
            "package_cost",
            "min_age",
            "max_age",
            "min_schooling",
            "domicile_rule",
            "domicile_regions",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = self.fields["domicile_regions"]
        assert isinstance(regions, forms.ModelMultipleChoiceField)
        # Provinces and regencies only: 7,000 districts would make the select unusable.
        regions.queryset = regions.queryset.filter(level__lte=2)  # type: ignore[union-attr]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule = data.get("domicile_rule")
        if rule and rule != Programme.Domicile.ANYWHERE and not data.get("domicile_regions"):
            self.add_error(
                "domicile_regions",
                _("List the province or regencies / cities whose residents may apply."),
            )
        return data


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=BatchState.choices)
    reason = forms.CharField(label=_("Reason"), max_length=250, required=False)


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Unit code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=250)
    hours_jp = forms.IntegerField(label=_("JP"), min_value=0, max_value=2000)


class BaseUnitFormSet(forms.BaseFormSet[UnitForm]):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            code = form.cleaned_data["code"].strip()
            if code in seen:
                raise forms.ValidationError(
                    _("The unit code %(code)s appears twice.") % {"code": code}
                )
            seen.add(code)

    def units(self) -> list[tuple[str, str, int]]:
        return [
            (
                f.cleaned_data["code"].strip(),
                f.cleaned_data["title"].strip(),
                f.cleaned_data["hours_jp"],
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


_UnitFormSet = forms.formset_factory(
    UnitForm, formset=BaseUnitFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


def unit_formset(
    data: Any = None, *, initial: list[dict[str, Any]] | None = None
) -> BaseUnitFormSet:
    formset = _UnitFormSet(data, initial=initial)
    assert isinstance(formset, BaseUnitFormSet)
    return formset
