"""Reads of placement: graduates and where they are, vacancies' matches, tracer response.

A graduate is a participant with status GRADUATED in a completed batch (training's
contract). Graduates of a batch held inside a prison are inmates: they are listed only to
viewers with `Perm.INMATES_VIEW`; everyone else gets the lists without them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from vokasi.catalog.models import Batch, BatchState, CompetencyUnit, Partner
from vokasi.core.forms import query_int
from vokasi.core.models import User
from vokasi.core.roles import Perm
from vokasi.inmates.models import Inmate
from vokasi.placement.models import (
    Outcome,
    PlacementRecord,
    Referral,
    TracerSurvey,
    Vacancy,
)
from vokasi.training.models import Assessment, Participant, Result


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def graduates() -> QuerySet[Participant]:
    return Participant.objects.filter(
        status=Participant.Status.GRADUATED, batch__state=BatchState.COMPLETED
    )


def visible_graduates(viewer: User) -> QuerySet[Participant]:
    qs = graduates()
    if not viewer.can(Perm.INMATES_VIEW):
        qs = qs.exclude(batch__venue_partner__kind=Partner.Kind.PRISON)
    return qs


def _latest(field: str) -> Subquery:
    return Subquery(
        PlacementRecord.objects.filter(participant=OuterRef("pk"))
        .order_by("-recorded_at", "-id")
        .values(field)[:1]
    )


def with_current(qs: QuerySet[Participant]) -> QuerySet[Participant]:
    """Each participant's current outcome and employer, from their latest record."""
    return qs.annotate(
        current_outcome=_latest("outcome"),
        current_employer=_latest("employer"),
        current_business=_latest("business"),
        current_country=_latest("country"),
        current_at=_latest("recorded_at"),
    )


def graduate_list(
    *, viewer: User, batch: str = "", outcome: str = "", search: str = ""
) -> QuerySet[Participant]:
    qs = with_current(visible_graduates(viewer)).select_related("applicant", "batch__programme")
    if (batch_id := query_int(batch)) is not None:
        qs = qs.filter(batch_id=batch_id)
    if outcome == "unknown":
        qs = qs.filter(current_outcome__isnull=True)  # type: ignore[misc]
    elif outcome in Outcome.values:
        qs = qs.filter(current_outcome=outcome)  # type: ignore[misc]
    if search:
        qs = qs.filter(applicant__full_name__icontains=search)
    return qs.order_by("-batch__training_ends", "batch__code", "number")


def graduate_batches(viewer: User) -> QuerySet[Batch]:
    ids = visible_graduates(viewer).values("batch_id")
    return Batch.objects.filter(pk__in=ids).order_by("-training_ends", "code")


def graduate_for(*, viewer: User, pk: int) -> Participant | None:
    return (
        visible_graduates(viewer)
        .select_related("applicant", "batch__programme", "batch__venue_partner")
        .filter(pk=pk)
        .first()
    )


def history(participant: Participant) -> QuerySet[PlacementRecord]:
    return participant.placements.select_related("recorded_by", "survey").order_by(
        "-recorded_at", "-id"
    )


def released_or_free(participant: Participant, *, today: dt.date) -> bool:
    """An inmate graduate can be referred or surveyed once their release date has passed."""
    if participant.batch.venue_partner is None or (
        participant.batch.venue_partner.kind != Partner.Kind.PRISON
    ):
        return True
    inmate = Inmate.objects.filter(applicant_id=participant.applicant_id).first()
    return bool(inmate and inmate.expected_release and inmate.expected_release <= today)


def training_label(batch: Batch) -> str:
    """How a message or the tracer page names someone's training: the batch, or for a batch
    held inside a prison only its programme (a family may share the phone the link goes to;
    a class "Warga Binaan Lapas ..." would tell them)."""
    if batch.venue_partner is not None and batch.venue_partner.kind == Partner.Kind.PRISON:
        return batch.programme.name
    return batch.name


def vacancy_list() -> QuerySet[Vacancy]:
    return Vacancy.objects.select_related("partner", "programme").annotate(
        n_referred=Count("referrals", filter=~Q(referrals__state="shortlisted")),
        n_hired=Count("referrals", filter=Q(referrals__state="hired")),
    )


def competent_in_all(participant_ids: list[int], unit_ids: set[int]) -> set[int]:
    """Participants whose latest assessment of every unit in `unit_ids` is competent (K).
    Assessments are only added, never changed: the latest one per unit counts."""
    latest: dict[tuple[int, int], str] = {}
    rows = (
        Assessment.objects.filter(participant_id__in=participant_ids, unit_id__in=unit_ids)
        .order_by("assessed_on", "id")
        .values_list("participant_id", "unit_id", "result")
    )
    for participant_id, unit_id, result in rows:
        latest[(participant_id, unit_id)] = result
    return {
        p for p in participant_ids if all(latest.get((p, u)) == Result.COMPETENT for u in unit_ids)
    }


def vacancy_matches(*, vacancy: Vacancy, viewer: User, limit: int = 200) -> list[Participant]:
    """Graduates of the programme sought (and, when the vacancy names competency units,
    assessed competent in each) who are not on this vacancy yet; those not yet employed
    first. Inmates still serving their sentence are left out."""
    units = set(vacancy.units.values_list("pk", flat=True))
    if vacancy.programme_id is not None:
        programmes = {vacancy.programme_id}
    else:
        programmes = set(
            CompetencyUnit.objects.filter(pk__in=units).values_list("programme_id", flat=True)
        )
    if not programmes:
        return []
    today = timezone.localdate()
    still_inside = Inmate.objects.filter(
        Q(expected_release__isnull=True) | Q(expected_release__gt=today)
    ).values("applicant_id")
    candidates = (
        visible_graduates(viewer)
        .filter(batch__programme_id__in=programmes)
        .exclude(referrals__vacancy=vacancy)
        .exclude(
            Q(batch__venue_partner__kind=Partner.Kind.PRISON) & Q(applicant_id__in=still_inside)
        )
    )
    if units:
        ids = list(candidates.values_list("pk", flat=True))
        candidates = candidates.filter(pk__in=competent_in_all(ids, units))
    qs = (
        with_current(candidates)
        .select_related("applicant", "batch")
        .order_by("-batch__training_ends", "number")
    )
    rows = list(qs[:limit])
    order = {Outcome.NOT_EMPLOYED: 0, None: 1}
    return sorted(rows, key=lambda p: order.get(p.current_outcome, 2))  # type: ignore[attr-defined]


def referrals_of(vacancy: Vacancy) -> QuerySet[Referral]:
    return vacancy.referrals.select_related("participant__applicant", "participant__batch")


def survey_by_token(token: str) -> TracerSurvey | None:
    """The survey a personal link points at, or None for a link that never existed."""
    if not token or len(token) > 100:
        return None
    return (
        TracerSurvey.objects.filter(token_hash=token_hash(token))
        .select_related(
            "participant__applicant",
            "participant__batch__programme",
            "participant__batch__venue_partner",
        )
        .first()
    )


@dataclass
class RateRow:
    label: str
    graduates: int  # n: the graduates of the batch or programme
    surveyed: int  # with at least one survey due
    answered: int  # of those, with at least one answer

    @property
    def rate(self) -> int | None:
        return round(100 * self.answered / self.surveyed) if self.surveyed else None


def response_rates(*, viewer: User) -> tuple[list[RateRow], list[RateRow]]:
    """Tracer response per batch and per programme, counting people, not surveys."""
    qs = visible_graduates(viewer)
    per_batch = (
        qs.values("batch_id", "batch__code", "batch__name", "batch__programme__name")
        .annotate(
            graduates=Count("id", distinct=True),
            surveyed=Count("id", filter=Q(tracer_surveys__isnull=False), distinct=True),
            answered=Count(
                "id", filter=Q(tracer_surveys__answered_at__isnull=False), distinct=True
            ),
        )
        .order_by("batch__programme__name", "batch__code")
    )
    batches: list[RateRow] = []
    programmes: dict[str, RateRow] = {}
    for row in per_batch:
        batches.append(
            RateRow(
                f"{row['batch__code']} {row['batch__name']}",
                row["graduates"],
                row["surveyed"],
                row["answered"],
            )
        )
        total = programmes.setdefault(
            row["batch__programme__name"], RateRow(row["batch__programme__name"], 0, 0, 0)
        )
        total.graduates += row["graduates"]
        total.surveyed += row["surveyed"]
        total.answered += row["answered"]
    return batches, list(programmes.values())


def outcome_summary(*, viewer: User) -> list[tuple[str, str, int]]:
    """How many graduates are in each current outcome (and how many are unknown)."""
    counts = Counter(
        with_current(visible_graduates(viewer)).values_list(
            "current_outcome",  # type: ignore[misc]
            flat=True,
        )
    )
    rows = [(value, str(label), counts.get(value, 0)) for value, label in Outcome.choices]
    rows.append(("unknown", "", counts.get(None, 0)))
    return rows
