"""NIK parsing: examples for each message, and Hypothesis properties. No database."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from vokasi.regions import source
from vokasi.regions.nik import (
    NikError,
    NikFault,
    NikInfo,
    birth_year,
    check_nik_against,
    parse_nik,
)

# The day of the Bontang report: 30 July 2025.
TODAY = dt.date(2025, 7, 30)
DISTRICTS = sorted(code for code in source.base_names() if len(code) == 6)


def fault(text: str, today: dt.date = TODAY) -> NikError:
    with pytest.raises(NikError) as caught:
        parse_nik(text, today=today)
    return caught.value


def english(error: NikError) -> str:
    with translation.override("en"):
        return error.message


def build(district: str, born: dt.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


# --- examples ------------------------------------------------------------------------


def test_a_bontang_woman() -> None:
    assert parse_nik("6474015503980001", today=TODAY) == NikInfo(
        nik="6474015503980001",
        province_code="64",
        regency_code="6474",
        district_code="647401",
        birth_date=dt.date(1998, 3, 15),
        sex="F",
        serial="0001",
    )


def test_spaces_dots_and_hyphens_are_dropped() -> None:
    assert parse_nik(" 64.74.01 150398-0001 ", today=TODAY).nik == "6474011503980001"


def test_full_width_digits_are_read_as_digits() -> None:
    # What some phone keyboards send for digits (U+FF10 to U+FF19).
    full_width = "".join(chr(0xFF10 + int(d)) for d in "6474011503980001")
    assert parse_nik(full_width, today=TODAY).nik == "6474011503980001"


@pytest.mark.parametrize(
    ("province", "name"),
    [("65", "Kalimantan Utara"), ("95", "Papua Pegunungan"), ("96", "Papua Barat Daya")],
)
def test_provinces_that_python_stdnum_misses(province: str, name: str) -> None:
    district = next(code for code in DISTRICTS if code.startswith(province))
    assert source.base_names()[province] == name
    assert parse_nik(f"{district}0101900001", today=TODAY).province_code == province


@pytest.mark.parametrize(
    ("yymmdd", "today", "year"),
    [
        ("980315", TODAY, 1998),
        ("100315", TODAY, 2010),
        ("250730", TODAY, 2025),  # born today: 0 years old
        ("250731", TODAY, 1925),  # tomorrow cannot be a birth date: 99 years old
        ("251215", TODAY, 1925),
        ("000229", TODAY, 2000),  # 2000 is a leap year
        ("990101", dt.date(2001, 1, 1), 1999),
    ],
)
def test_birth_century_keeps_the_person_0_to_99_years_old(
    yymmdd: str, today: dt.date, year: int
) -> None:
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    assert birth_year(yy, mm, dd, today=today) == year
    info = parse_nik(f"647401{dd:02d}{mm:02d}{yy:02d}0001", today=today)
    assert info.birth_date == dt.date(year, mm, dd)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("647401150398", NikFault.LENGTH, "A NIK has 16 digits; you typed 12 digits."),
        ("6", NikFault.LENGTH, "A NIK has 16 digits; you typed 1 digit."),
        ("64740115039800011", NikFault.LENGTH, "A NIK has 16 digits; you typed 17 digits."),
        ("", NikFault.LENGTH, "A NIK has 16 digits; you typed 0 digits."),
        (
            "6474O11503980001",
            NikFault.NON_DIGIT,
            "A NIK contains only digits; “O” is not a digit.",
        ),
        ("64740115039800/1", NikFault.NON_DIGIT, "A NIK contains only digits; “/” is not a digit."),
        (
            "0074011503980001",
            NikFault.UNKNOWN_PROVINCE,
            "The NIK starts with 00, which is not a province code.",
        ),
        (
            "6499011503980001",
            NikFault.UNKNOWN_REGENCY,
            "The NIK's digits 3 and 4 (99) are not a regency or city of Kalimantan Timur.",
        ),
        (
            "6474041503980001",
            NikFault.UNKNOWN_DISTRICT,
            "The NIK's digits 5 and 6 (04) are not a district of Kota Bontang.",
        ),
        (
            "6474013203980001",
            NikFault.BIRTH_DATE,
            "The NIK's digits 7 and 8 (32) should be the day of birth: "
            "01 to 31 for men, 41 to 71 for women.",
        ),
        (
            "6474017203980001",
            NikFault.BIRTH_DATE,
            "The NIK's digits 7 and 8 (72) should be the day of birth: "
            "01 to 31 for men, 41 to 71 for women.",
        ),
        (
            "6474010003980001",
            NikFault.BIRTH_DATE,
            "The NIK's digits 7 and 8 (00) should be the day of birth: "
            "01 to 31 for men, 41 to 71 for women.",
        ),
        (
            "6474011513980001",
            NikFault.BIRTH_DATE,
            "The NIK's digits 9 and 10 (13) should be the month of birth, 01 to 12.",
        ),
        (
            "6474013102980001",
            NikFault.BIRTH_DATE,
            "The NIK gives the birth date 31-02-1998, which does not exist.",
        ),
        (
            "6474016902010001",
            NikFault.BIRTH_DATE,
            "The NIK gives the birth date 29-02-2001, which does not exist.",
        ),
        (
            "6474011503980000",
            NikFault.SERIAL,
            "The last four digits of a NIK (the serial number) cannot be 0000.",
        ),
    ],
)
def test_each_fault_has_its_own_message(text: str, code: NikFault, message: str) -> None:
    error = fault(text)
    assert error.code == code
    assert english(error) == message


def test_mismatches_name_the_field() -> None:
    info = parse_nik("6474015503980001", today=TODAY)

    found = check_nik_against(info, birth_date=dt.date(1998, 3, 12), sex="M")

    assert [(m.field, m.error.code) for m in found] == [
        ("birth_date", NikFault.BIRTH_DATE_MISMATCH),
        ("sex", NikFault.SEX_MISMATCH),
    ]
    assert english(found[0].error) == (
        "The NIK's birth date 15-03-1998 differs from the date of birth typed (12-03-1998)."
    )
    assert english(found[1].error) == (
        "The NIK is a woman's (40 is added to the day of birth), but the sex chosen is male."
    )


def test_a_man_marked_female() -> None:
    info = parse_nik("6474011503980001", today=TODAY)
    [mismatch] = check_nik_against(info, birth_date=info.birth_date, sex="F")
    assert english(mismatch.error) == (
        "The NIK is a man's (no 40 added to the day of birth), but the sex chosen is female."
    )


def test_matching_or_missing_fields_give_no_mismatch() -> None:
    info = parse_nik("6474015503980001", today=TODAY)
    assert check_nik_against(info, birth_date=dt.date(1998, 3, 15), sex="F") == []
    assert check_nik_against(info, birth_date=None, sex=None) == []
    assert check_nik_against(info, birth_date=None, sex="") == []


# --- properties ----------------------------------------------------------------------


@st.composite
def today_and_birth(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    """A `today` and a birth date that makes the person 0 to 99 years old on it."""
    today = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
    try:
        earliest = dt.date(today.year - 100, today.month, today.day) + dt.timedelta(days=1)
    except ValueError:  # 29 February, a hundred years back in a common year
        earliest = dt.date(today.year - 100, 3, 1)
    return today, draw(st.dates(min_value=earliest, max_value=today))


districts = st.sampled_from(DISTRICTS)
sexes = st.sampled_from(["M", "F"])
serials = st.integers(min_value=1, max_value=9999)


@given(districts, today_and_birth(), sexes, serials)
@example("647401", (TODAY, dt.date(1925, 7, 31)), "F", 1)
@example("647401", (dt.date(2000, 2, 29), dt.date(1900, 3, 1)), "M", 9999)
def test_a_generated_nik_parses_back(
    district: str, dates: tuple[dt.date, dt.date], sex: str, serial: int
) -> None:
    today, born = dates
    text = build(district, born, sex, serial)

    info = parse_nik(text, today=today)

    assert info.nik == text
    assert (info.province_code, info.regency_code, info.district_code) == (
        district[:2],
        district[:4],
        district,
    )
    assert (info.birth_date, info.sex, info.serial) == (born, sex, f"{serial:04d}")
    assert check_nik_against(info, birth_date=born, sex=sex) == []


@given(districts, today_and_birth(), sexes, serials, st.lists(st.sampled_from(" .-"), max_size=5))
def test_separators_anywhere_change_nothing(
    district: str, dates: tuple[dt.date, dt.date], sex: str, serial: int, noise: list[str]
) -> None:
    today, born = dates
    text = build(district, born, sex, serial)
    noisy = list(text)
    for i, char in enumerate(noise):
        noisy.insert((i * 7) % len(noisy), char)

    assert parse_nik("".join(noisy), today=today) == parse_nik(text, today=today)


@given(st.text(alphabet="0123456789", max_size=40).filter(lambda s: len(s) != 16))
def test_wrong_number_of_digits_is_refused(digits: str) -> None:
    error = fault(digits)
    assert error.code == NikFault.LENGTH
    assert error.params == {"count": len(digits)}


def _not_a_digit(char: str) -> bool:
    """True for a character that stays something other than a digit or a separator."""
    return re.search(r"[^0-9\s.\-]", unicodedata.normalize("NFKC", char)) is not None


@given(
    st.text(alphabet="0123456789", max_size=20),
    st.characters(exclude_categories=["Cs"]).filter(_not_a_digit),
    st.text(alphabet="0123456789", max_size=20),
)
def test_a_non_digit_anywhere_is_refused(before: str, bad: str, after: str) -> None:
    assert fault(before + bad + after).code == NikFault.NON_DIGIT


@st.composite
def impossible_day(draw: st.DrawFn, month: int, sex: str) -> int:
    """A day field (with 40 added for women) that no year makes real for `month`."""
    longest = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    beyond = list(range(longest + 1, 32))
    pool = [0, *range(32, 41), *range(72, 100)] + [d + (40 if sex == "F" else 0) for d in beyond]
    day: int = draw(st.sampled_from(pool))
    return day


@given(districts, today_and_birth(), sexes, serials, st.data())
def test_a_day_of_birth_out_of_range_is_refused(
    district: str, dates: tuple[dt.date, dt.date], sex: str, serial: int, data: st.DataObject
) -> None:
    today, born = dates
    text = build(district, born, sex, serial)
    day = data.draw(impossible_day(born.month, sex))

    error = fault(f"{text[:6]}{day:02d}{text[8:]}", today=today)

    assert error.code == NikFault.BIRTH_DATE


@given(districts, today_and_birth(), sexes, serials, st.integers(13, 99) | st.just(0))
def test_a_month_out_of_range_is_refused(
    district: str, dates: tuple[dt.date, dt.date], sex: str, serial: int, month: int
) -> None:
    today, born = dates
    text = build(district, born, sex, serial)

    assert fault(f"{text[:8]}{month:02d}{text[10:]}", today=today).code == NikFault.BIRTH_DATE
