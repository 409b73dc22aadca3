"""The fixed menu of priority rules, and how they become the engine's tiers.

Staff pick rules from this menu and put them in order; the order is published with the
seed. For one applicant and one chosen batch, each rule is met or not; the tier is the
binary number of "not met" flags, first rule most significant. So with rules [A, B]:
meets both → 0, meets A only → 1, meets B only → 2, meets neither → 3. Everyone who meets
the first rule comes before everyone who does not, whatever the later rules say; ties are
broken by the score (if entered) and then by the public lottery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vokasi.catalog.models import Batch
from vokasi.intake.models import Applicant, Application, ApplicationStatus, Sex
from vokasi.selection.models import Reservation, SelectionRound


@dataclass(frozen=True)
class Facts:
    """What the rules need, loaded once for all applications of a round."""

    unserved_before: frozenset[int]  # applicant ids left without a seat in an earlier intake
    passed: frozenset[int] = frozenset()  # application ids scoring at least the pass mark


@dataclass(frozen=True)
class Rule:
    label: str | Promise
    explanation: str | Promise
    met: Callable[[Application, Batch, Facts], bool]
    short: str | Promise = ""  # for the preview's one-line-per-choice table


def _lives_where_the_funder_is(application: Application, batch: Batch, facts: Facts) -> bool:
    region = batch.funding.region_id
    # The domicile is a district code; a regency's or province's code is its prefix.
    return region is None or str(application.applicant.domicile_id).startswith(region)


def _unserved_before(application: Application, batch: Batch, facts: Facts) -> bool:
    return application.applicant_id in facts.unserved_before


def _passed_the_test(application: Application, batch: Batch, facts: Facts) -> bool:
    return application.pk in facts.passed


RULES: dict[str, Rule] = {
    "domicile_funder": Rule(
        _("Lives in the area of the government that pays for the batch"),
        _(
            "Met when the district the applicant lives in lies in the paying government's area (e.g. Kota Bontang for APBD Kota Bontang)."
        ),
        _lives_where_the_funder_is,
        _("lives in the funder's area"),
    ),
    "unserved_before": Rule(
        _("Was eligible in an earlier intake but got no seat"),
        _(
            "Met when the same person (by NIK) had an eligible application in an earlier intake and did not take part in any of its batches."
        ),
        _unserved_before,
        _("unserved before"),
    ),
    "score_pass": Rule(
        _("Passed the selection test or interview"),
        _(
            "Met when the applicant's score is at least the round's pass mark (set with the scores). Without a pass mark nobody meets it; put this rule first to admit those who passed before anyone else."
        ),
        _passed_the_test,
        _("passed the test"),
    ),
}


def tier(application: Application, batch: Batch, rules: list[str], facts: Facts) -> int:
    value = 0
    for key in rules:
        value = value * 2 + (0 if RULES[key].met(application, batch, facts) else 1)
    return value


def tier_reasons(
    application: Application, batch: Batch, rules: list[str], facts: Facts
) -> list[tuple[str, bool]]:
    """Each rule's short label and whether it is met: the preview's "why"."""
    return [
        (str(RULES[key].short or RULES[key].label), RULES[key].met(application, batch, facts))
        for key in rules
    ]


def load_facts(
    applications: Iterable[Application], *, intake_id: int, round_: SelectionRound | None = None
) -> Facts:
    applicant_ids = {a.applicant_id for a in applications}
    passed: frozenset[int] = frozenset()
    if round_ is not None and round_.pass_mark is not None:
        passed = frozenset(
            round_.scores.filter(score__gte=round_.pass_mark).values_list(
                "application_id", flat=True
            )
        )
    earlier = Application.objects.filter(
        applicant_id__in=applicant_ids, status=ApplicationStatus.ELIGIBLE
    ).exclude(intake_id=intake_id)
    served = set(
        earlier.filter(applicant__participations__batch__intake_id=F("intake_id")).values_list(
            "applicant_id", flat=True
        )
    )
    return Facts(
        unserved_before=frozenset(set(earlier.values_list("applicant_id", flat=True)) - served),
        passed=passed,
    )


def groups_of(applicant: Applicant) -> tuple[str, ...]:
    """The reserved-seat groups a person belongs to: the draw and the refill of freed seats
    both ask this one function."""
    groups: list[str] = []
    if applicant.disability:
        groups.append(Reservation.Group.DISABILITY)
    if applicant.sex == Sex.FEMALE:
        groups.append(Reservation.Group.WOMEN)
    return tuple(groups)
