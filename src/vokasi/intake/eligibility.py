"""Who may apply for which batch, and why not.

The rules come from the programme: age at the first day of training within its range,
at least its schooling, living where it requires, and not already in a running batch
(one seat at a time). Each failed rule gives a reason in the applicant's words, shown
before they submit, so nobody waits weeks to learn they never qualified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, BatchState, Programme, Schooling


@dataclass(frozen=True)
class Person:
    """What eligibility needs to know about an applicant, whether saved yet or not."""

    birth_date: dt.date
    schooling: int
    domicile_code: str  # the district (kecamatan) they live in, e.g. "647401"
    applicant_id: int | None = None


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def reasons_not_eligible(
    person: Person, batch: Batch, *, domicile_codes: list[str] | None = None
) -> list[str]:
    """Every rule `person` fails for `batch`; empty when eligible.

    `domicile_codes` are the programme's allowed region codes; pass them when checking many
    people against one batch to save a query each.
    """
    programme: Programme = batch.programme
    reasons = []
    age = age_on(person.birth_date, batch.training_starts)
    if not programme.min_age <= age <= programme.max_age:
        reasons.append(
            _(
                "You will be %(age)d years old when training starts on %(date)s; this programme takes applicants aged %(min)d to %(max)d."
            )
            % {
                "age": age,
                "date": batch.training_starts.strftime("%d-%m-%Y"),
                "min": programme.min_age,
                "max": programme.max_age,
            }
        )
    if person.schooling < programme.min_schooling:
        reasons.append(
            _("This programme needs at least %(level)s.")
            % {"level": Schooling(programme.min_schooling).label}
        )
    if programme.domicile_rule != Programme.Domicile.ANYWHERE:
        codes = (
            domicile_codes
            if domicile_codes is not None
            # .all() uses the regions when the caller prefetched them, else one query.
            else [r.code for r in programme.domicile_regions.all()]
        )
        if not any(person.domicile_code.startswith(code) for code in codes):
            names = ", ".join(str(r) for r in programme.domicile_regions.all())
            reasons.append(
                _("This programme is for residents of %(regions)s.") % {"regions": names}
            )
    if person.applicant_id is not None and _in_running_batch(person.applicant_id, exclude=batch):
        reasons.append(_("You are taking part in another batch that is still running."))
    return reasons


def _in_running_batch(applicant_id: int, *, exclude: Batch) -> bool:
    # Through the reverse relation the training app defines ("participants"), so the
    # registration layer needs no import from the layer above it.
    # One filter() call, so both conditions hold for the same participant row.
    return (
        Batch.objects.filter(
            state=BatchState.RUNNING,
            participants__applicant_id=applicant_id,
            participants__status="active",
        )
        .exclude(pk=exclude.pk)
        .exists()
    )
