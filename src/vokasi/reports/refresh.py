"""Rebuilding the summary table from the domain tables.

Two grouped queries do the counting in the database, one over applications and one over
participants, each grouped by the batch it belongs to and the person's regency, sex, year
of birth and disability; the batch then gives the year, intake, programme, funding and
whether it is held in a prison, looked up in Python (there are few batches).

Definitions (docs/reports.md says the same for staff):

- An application counts once, under the batch of its highest-ranked *eligible* choice
  (or its first choice when none is eligible): that batch's programme, funding and year.
  Applications without any choice are left out.
- eligible: the application's status is "eligible".
- admitted: eligible, and offered a seat in that intake (whatever became of the offer), or
  enrolled in one of the intake's batches.
- unmet: eligible and neither offered a seat nor enrolled, in an intake whose selection
  round is published (before that, nobody has been turned away yet).
- started: every participant of a batch (nominated batches too, which have no
  applications: they enter the funnel here).
- graduated: status "graduated" in a completed batch (as placement counts graduates).
- certified: graduated and competent (K) in a BNSP competency test.
- placed: graduated, and the latest placement record says employed, self-employed or
  migrant worker.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, Substr
from django.tasks import task
from django.utils import timezone

from vokasi.catalog.models import Batch, BatchState, Partner
from vokasi.certificates.models import Candidate, CandidateResult
from vokasi.intake.models import Application, ApplicationStatus, Choice
from vokasi.placement.models import Outcome, PlacementRecord, TracerSurvey
from vokasi.reports.models import CELL_KEY, MEASURES, AgeBand, FunnelCell, Snapshot
from vokasi.selection.models import Offer, RoundState, SelectionRound
from vokasi.training.models import Participant

PLACED_OUTCOMES = (Outcome.EMPLOYED, Outcome.SELF_EMPLOYED, Outcome.MIGRANT)
FINISHED = (
    Participant.Status.GRADUATED,
    Participant.Status.NOT_GRADUATED,
    Participant.Status.DROPPED,
)

Key = tuple[int, int, int, int, str, str, int, bool, bool]


@dataclass(frozen=True)
class _BatchInfo:
    year: int
    intake_id: int
    programme_id: int
    funding_id: int
    inmate: bool


def _batches() -> dict[int, _BatchInfo]:
    rows = Batch.objects.values_list(
        "pk",
        "training_starts",
        "intake_id",
        "programme_id",
        "funding_id",
        "venue_partner__kind",
    )
    return {
        pk: _BatchInfo(starts.year, intake or 0, programme, funding, kind == Partner.Kind.PRISON)
        for pk, starts, intake, programme, funding, kind in rows
    }


def _person_dims() -> dict[str, Any]:
    return {
        "regency": Substr("applicant__domicile_id", 1, 4),
        "sex": F("applicant__sex"),
        "born": ExtractYear("applicant__birth_date"),
        "disabled": Case(
            When(applicant__disability="", then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        ),
    }


def _application_rows() -> Iterable[Any]:
    first_batch = Subquery(
        Choice.objects.filter(application=OuterRef("pk"))
        .order_by("-eligible", "rank")
        .values("batch_id")[:1]
    )
    offered = Exists(Offer.objects.filter(application=OuterRef("pk")))
    enrolled = Exists(
        Participant.objects.filter(
            applicant=OuterRef("applicant_id"), batch__intake=OuterRef("intake_id")
        )
    )
    eligible = Q(status=ApplicationStatus.ELIGIBLE)
    seated = Q(offered=True) | Q(enrolled=True)
    return (
        Application.objects.annotate(first_batch=first_batch, offered=offered, enrolled=enrolled)
        .filter(first_batch__isnull=False)
        .values("first_batch", **_person_dims())
        .annotate(
            applicants=Count("pk"),
            eligible=Count("pk", filter=eligible),
            admitted=Count("pk", filter=eligible & seated),
            unseated=Count("pk", filter=eligible & ~seated),
        )
        .order_by()
    )


def _participant_rows() -> Iterable[Any]:
    pk = OuterRef("pk")
    latest_outcome = Subquery(
        PlacementRecord.objects.filter(participant=pk)
        .order_by("-recorded_at", "-id")
        .values("outcome")[:1]
    )
    graduated = Q(status=Participant.Status.GRADUATED, batch__state=BatchState.COMPLETED)
    return (
        Participant.objects.annotate(
            is_certified=Exists(
                Candidate.objects.filter(participant=pk, result=CandidateResult.COMPETENT)
            ),
            latest_outcome=latest_outcome,
            has_record=Exists(PlacementRecord.objects.filter(participant=pk)),
            has_survey=Exists(TracerSurvey.objects.filter(participant=pk)),
            has_answer=Exists(
                TracerSurvey.objects.filter(participant=pk, answered_at__isnull=False)
            ),
        )
        .values("batch_id", **_person_dims())
        .annotate(
            started=Count("pk"),
            finished=Count("pk", filter=Q(status__in=FINISHED)),
            graduated=Count("pk", filter=graduated),
            certified=Count("pk", filter=graduated & Q(is_certified=True)),
            placed=Count("pk", filter=graduated & Q(latest_outcome__in=PLACED_OUTCOMES)),
            outcome_known=Count("pk", filter=graduated & Q(has_record=True)),
            surveyed=Count("pk", filter=graduated & Q(has_survey=True)),
            answered=Count("pk", filter=graduated & Q(has_answer=True)),
        )
        .order_by()
    )


def _key(info: _BatchInfo, row: dict[str, Any]) -> Key:
    born = row["born"]
    band = AgeBand.of(info.year - born) if born else AgeBand.FROM_20
    return (
        info.year,
        info.intake_id,
        info.programme_id,
        info.funding_id,
        row["regency"] or "",
        row["sex"] or "",
        int(band),
        bool(row["disabled"]),
        info.inmate,
    )


def build_cells() -> tuple[list[FunnelCell], list[int]]:
    """The rows the summary table should hold now, and the intakes already decided."""
    batches = _batches()
    decided = sorted(
        set(
            SelectionRound.objects.filter(state=RoundState.PUBLISHED).values_list(
                "intake_id", flat=True
            )
        )
    )
    decided_set = set(decided)
    cells: dict[Key, dict[str, int]] = {}

    def add(key: Key, **counts: int) -> None:
        cell = cells.setdefault(key, dict.fromkeys(MEASURES, 0))
        for name, value in counts.items():
            cell[name] += value

    for row in _application_rows():
        info = batches.get(row["first_batch"])
        if info is None:
            continue
        add(
            _key(info, row),
            applicants=row["applicants"],
            eligible=row["eligible"],
            admitted=row["admitted"],
            unmet=row["unseated"] if info.intake_id in decided_set else 0,
        )
    for row in _participant_rows():
        info = batches[row["batch_id"]]
        add(
            _key(info, row),
            **{name: row[name] for name in MEASURES if name in row and name != "unmet"},
        )
    rows = [
        FunnelCell(**dict(zip(CELL_KEY, key, strict=True)), **counts)
        for key, counts in sorted(cells.items())
    ]
    return rows, decided


def refresh() -> Snapshot:
    """Replaces the summary table in one transaction: readers see the old or the new."""
    started = time.perf_counter()
    rows, decided = build_cells()
    with transaction.atomic():
        # Two refreshes at once (cron and a click) take turns on the snapshot row: the
        # second deletes what the first wrote instead of colliding with it.
        Snapshot.objects.get_or_create(
            pk=1, defaults={"refreshed_at": timezone.now(), "seconds": 0, "cells": 0}
        )
        snapshot = Snapshot.objects.select_for_update().get(pk=1)
        FunnelCell.objects.all().delete()
        FunnelCell.objects.bulk_create(rows, batch_size=2000)
        snapshot.refreshed_at = timezone.now()
        snapshot.seconds = round(time.perf_counter() - started, 3)
        snapshot.cells = len(rows)
        snapshot.decided_intakes = decided
        snapshot.save()
    return snapshot


@task()
def refresh_task() -> None:
    refresh()
