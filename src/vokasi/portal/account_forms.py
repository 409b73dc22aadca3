from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vokasi.intake.accounts import AccountError, parse_contact


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS) but form-filling bots do fill in."""

    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please try again."))
        return ""


class SignupForm(HoneypotMixin):
    contact = forms.CharField(
        label=_("Email or WhatsApp number"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_contact(self) -> str:
        try:
            parse_contact(self.cleaned_data["contact"])
        except AccountError as error:
            raise forms.ValidationError(str(error)) from None
        return str(self.cleaned_data["contact"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*[0-9]{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ResetRequestForm(HoneypotMixin):
    contact = forms.CharField(label=_("Email or WhatsApp number"), max_length=120)


class ResetForm(CodeForm):
    contact = forms.CharField(label=_("Email or WhatsApp number"), max_length=120)
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    field_order = ["contact", "code", "password"]


class ContactAuthenticationForm(AuthenticationForm):
    """Staff log in with their username; applicants with their email or WhatsApp number,
    written however they like ("0812…", "+62 812…")."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username", "")
        with contextlib.suppress(AccountError):
            self.cleaned_data["username"] = parse_contact(username).address
        return super().clean()
