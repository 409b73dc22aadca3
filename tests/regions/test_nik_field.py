"""`NikField`: what a registration form shows for a NIK. No database."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from vokasi.regions.forms import NikField


class NikForm(forms.Form):
    nik = NikField()


class OptionalNikForm(forms.Form):
    nik = NikField(required=False)


def test_cleans_to_the_sixteen_digits() -> None:
    form = NikForm(data={"nik": " 6474 0155 0398 0001 "})
    assert form.is_valid()
    assert form.cleaned_data["nik"] == "6474015503980001"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("647401550398", "length"),
        ("6474O15503980001", "non_digit"),
        ("0074015503980001", "unknown_province"),
        ("6499015503980001", "unknown_regency"),
        ("6474995503980001", "unknown_district"),
        ("6474017203980001", "birth_date"),
        ("6474015503980000", "serial"),
    ],
)
def test_each_fault_is_a_form_error_with_its_code(typed: str, code: str) -> None:
    form = NikForm(data={"nik": typed})
    assert not form.is_valid()
    assert form.has_error("nik", code)


def test_the_message_says_what_is_wrong() -> None:
    with translation.override("en"):
        form = NikForm(data={"nik": "6474 0155 0398"})
        assert form.errors["nik"] == ["A NIK has 16 digits; you typed 12 digits."]


def test_what_was_typed_is_shown_again() -> None:
    form = NikForm(data={"nik": "6474 0155 0398"})
    assert not form.is_valid()
    assert 'value="6474 0155 0398"' in str(form["nik"])


def test_required_and_optional() -> None:
    with translation.override("en"):
        form = NikForm(data={"nik": "  "})
        assert form.errors["nik"] == [
            "Please type your NIK: the 16 digits on your KTP or family card."
        ]
    optional = OptionalNikForm(data={"nik": ""})
    assert optional.is_valid()
    assert optional.cleaned_data["nik"] == ""


def test_asks_phones_for_a_digit_keypad() -> None:
    html = str(NikForm()["nik"])
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="off"' in html


def test_messages_are_in_bahasa_indonesia_by_default() -> None:
    """Needs the compiled catalogue (`make test` compiles it first)."""
    with translation.override("id"):
        form = NikForm(data={"nik": "6474 0155 0398"})
        assert form.errors["nik"] == ["NIK terdiri atas 16 digit; Anda mengetik 12 digit."]
