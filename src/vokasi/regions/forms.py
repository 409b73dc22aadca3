"""Form fields for region data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.widgets import Widget
from django.utils.translation import gettext_lazy as _

from vokasi.regions.nik import NikError, parse_nik


class NikField(forms.CharField):
    """A NIK as typed (spaces, dots and hyphens allowed); cleans to the 16 digits.

    Each fault gets its own message and error code (see `vokasi.regions.nik.NikFault`). On
    an error Django shows the text exactly as typed, so the user can correct it in place.
    """

    default_error_messages = {
        "required": _("Please type your NIK: the 16 digits on your KTP or family card."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("NIK"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # A digit keypad on phones; no autofill of someone else's NIK on a shared computer.
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if text in self.empty_values:
            return text
        try:
            return parse_nik(text).nik
        except NikError as error:
            raise error.as_validation_error() from None
