"""The graduation rule: plain data in, reasons out. No database access, so it is the same
function when staff preview the outcome, when a batch is closed, and in the tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RuleSettings:
    attendance_threshold: int  # percent
    all_units_competent: bool


@dataclass(frozen=True)
class UnitRef:
    pk: int
    code: str


def attendance_percent(*, attended_jp: int, total_jp: int) -> float:
    return 100.0 * attended_jp / total_jp if total_jp else 100.0


def reasons_not_graduated(
    *,
    rule: RuleSettings,
    attended_jp: int,
    total_jp: int,
    units: Sequence[UnitRef],
    latest: Mapping[int, str],
) -> list[dict[str, object]]:
    """Every reason the participant does not graduate; an empty list means graduated.

    `latest` maps a unit's id to the latest result ("K" or "BK"); a unit missing from it
    has not been assessed.
    """
    reasons: list[dict[str, object]] = []
    percent = attendance_percent(attended_jp=attended_jp, total_jp=total_jp)
    if percent < rule.attendance_threshold:
        reasons.append(
            {
                "code": "attendance",
                "percent": round(percent, 1),
                "threshold": rule.attendance_threshold,
            }
        )
    if rule.all_units_competent:
        for unit in units:
            result = latest.get(unit.pk)
            if result != "K":
                reasons.append({"code": "unit", "unit": unit.code, "result": result or ""})
    return reasons


def reason_text(reason: Mapping[str, object]) -> str:
    """A reason in words, in the language of the request."""
    if reason.get("code") == "attendance":
        return _("Attendance %(percent)s%% is below the minimum of %(threshold)s%%.") % {
            "percent": number_format(float(str(reason.get("percent") or 0)), 1),
            "threshold": reason.get("threshold"),
        }
    if reason.get("code") == "unit":
        if reason.get("result") == "BK":
            return _("Unit %(unit)s: not yet competent.") % {"unit": reason.get("unit")}
        return _("Unit %(unit)s: not assessed.") % {"unit": reason.get("unit")}
    return str(reason.get("code", ""))
