"""The graduation rule as plain data: every reason is listed, none when it passes."""

from __future__ import annotations

from vokasi.training.rules import RuleSettings, UnitRef, reason_text, reasons_not_graduated

UNITS = [UnitRef(1, "A.1"), UnitRef(2, "A.2")]
STRICT = RuleSettings(attendance_threshold=80, all_units_competent=True)


def test_attendance_at_the_threshold_and_all_units_competent_graduates() -> None:
    assert (
        reasons_not_graduated(
            rule=STRICT, attended_jp=80, total_jp=100, units=UNITS, latest={1: "K", 2: "K"}
        )
        == []
    )


def test_every_reason_is_listed() -> None:
    reasons = reasons_not_graduated(
        rule=STRICT, attended_jp=79, total_jp=100, units=UNITS, latest={1: "BK"}
    )
    assert reasons == [
        {"code": "attendance", "percent": 79.0, "threshold": 80},
        {"code": "unit", "unit": "A.1", "result": "BK"},
        {"code": "unit", "unit": "A.2", "result": ""},
    ]
    assert [reason_text(r) for r in reasons] == [
        "Attendance 79.0% is below the minimum of 80%.",
        "Unit A.1: not yet competent.",
        "Unit A.2: not assessed.",
    ]


def test_units_can_be_left_out_of_the_rule() -> None:
    lenient = RuleSettings(attendance_threshold=75, all_units_competent=False)
    assert (
        reasons_not_graduated(rule=lenient, attended_jp=3, total_jp=4, units=UNITS, latest={}) == []
    )
