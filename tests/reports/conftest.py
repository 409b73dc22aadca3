"""A small, varied world for the reports: two programmes in one published intake, people
from three regencies, graduates with BNSP results, placements and tracer surveys, and a
batch inside a prison whose inmates must never be named."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from tests.factories import (
    ApplicantFactory,
    BatchFactory,
    CentreFactory,
    FundingFactory,
    ParticipantFactory,
    PartnerFactory,
    PrisonBatchFactory,
    ProgrammeFactory,
)
from vokasi.catalog.models import Batch, BatchState, Intake, Programme
from vokasi.certificates.models import (
    Candidate,
    CertificationBody,
    CertificationScheme,
    CompetencyTest,
)
from vokasi.intake.models import Applicant, Application, Choice
from vokasi.placement.models import PlacementRecord, TracerSurvey
from vokasi.regions.models import Region
from vokasi.reports.refresh import refresh
from vokasi.selection.models import Offer, SelectionRound
from vokasi.training.models import Participant

INMATE_NAME = "Rahasia Warga Binaan"


@pytest.fixture(autouse=True)
def _english(client: Client) -> Iterator[None]:
    """Pages in English (the language cookie), so tests read the source strings whatever
    the Indonesian catalogue says; Excel and PDF follow the page's language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@dataclass
class World:
    intake: Intake
    welding: Programme
    barista: Programme
    las: Batch
    bar: Batch
    prison: Batch


def _district(regency: str) -> Region:
    region = Region.objects.filter(parent__code=regency, level=Region.Level.DISTRICT).first()
    assert region is not None
    return region


_nik = itertools.count(1)


def _person(regency: str, *, sex: str = "M", born: int = 2000, disability: str = "") -> Applicant:
    n = next(_nik)
    return ApplicantFactory(
        nik=f"{regency}01{'12' if sex == 'M' else '52'}03{born % 100:02d}{n:04d}",
        sex=sex,
        birth_date=dt.date(born, 3, 12),
        domicile=_district(regency),
        disability=disability,
    )


def build_world() -> World:
    centre = CentreFactory()
    welding = ProgrammeFactory(
        centre=centre, code="LAS", name="Pengelasan", package_cost=64_000_000
    )
    # No package cost set: the reports derive it from the batches.
    barista = ProgrammeFactory(centre=centre, code="BAR", name="Barista", package_cost=0)
    intake = Intake.objects.create(centre=centre, name="Gelombang I 2025", code="REG-R1")
    funding = FundingFactory()
    las = BatchFactory(
        programme=welding, intake=intake, funding=funding, code="LAS-R-1", quota=16, cost=80_000_000
    )
    bar = BatchFactory(
        programme=barista, intake=intake, funding=funding, code="BAR-R-1", quota=10, cost=40_000_000
    )
    round_ = SelectionRound.objects.create(
        intake=intake, name="Seleksi", seed="benih", state="published", published_at=timezone.now()
    )
    deadline = timezone.now() + dt.timedelta(days=7)
    # (regency, sex, born, disability, status, first choice, admitted, participant status)
    people = [
        ("6474", "M", 2000, "", "eligible", las, True, "graduated"),
        ("6474", "F", 1999, "", "eligible", las, True, "graduated"),
        ("6474", "M", 1990, "Tuli", "eligible", las, True, "dropped"),
        ("6474", "F", 2004, "", "eligible", bar, True, "graduated"),
        ("6472", "M", 2001, "", "eligible", bar, True, "graduated"),
        ("6472", "F", 1996, "", "eligible", las, False, None),
        ("6474", "M", 2002, "", "eligible", las, False, None),
        ("6474", "M", 2003, "", "eligible", las, False, None),
        ("6408", "M", 1998, "", "eligible", bar, False, None),
        ("6408", "F", 1985, "", "ineligible", las, False, None),
        ("6474", "M", 2005, "", "withdrawn", bar, False, None),
        ("6474", "F", 2000, "", "documents_to_fix", las, False, None),
    ]
    participants: list[Participant] = []
    for i, (regency, sex, born, disability, status, first, admitted, outcome) in enumerate(
        people, start=1
    ):
        person = _person(regency, sex=sex, born=born, disability=disability)
        application = Application.objects.create(
            applicant=person,
            intake=intake,
            number=f"REG-R1-{i:04d}",
            status=status,
            consent_at=timezone.now(),
        )
        other = bar if first == las else las
        Choice.objects.create(application=application, batch=first, rank=1)
        Choice.objects.create(application=application, batch=other, rank=2)
        if admitted:
            Offer.objects.create(
                round=round_,
                application=application,
                batch=first,
                state="accepted",
                deadline=deadline,
            )
        if outcome:
            participants.append(ParticipantFactory(batch=first, applicant=person, status=outcome))
    Batch.objects.filter(pk__in=[las.pk, bar.pk]).update(state=BatchState.COMPLETED)
    # Someone who applied but chose only a batch they were not eligible for counts under it.
    graduates = [p for p in participants if p.status == "graduated"]
    lsp = CertificationBody.objects.create(name="LSP Uji", licence_number="1", kind="P1")
    scheme = CertificationScheme.objects.create(body=lsp, name="Skema Las", programme=welding)
    test = CompetencyTest.objects.create(
        body=lsp, scheme=scheme, test_site="TUK BLKI", held_on=dt.date(2025, 8, 20)
    )
    Candidate.objects.create(
        test=test,
        participant=graduates[0],
        result="K",
        certificate_number="BNSP-1",
        issued_on=dt.date(2025, 11, 1),
        expires_on=dt.date(2028, 11, 1),
    )
    Candidate.objects.create(test=test, participant=graduates[1], result="BK")
    # Placement: graduate 0 was unemployed, then found work (latest counts); graduate 1 is
    # not yet employed; graduate 2 is self-employed; graduate 3 never answered.
    PlacementRecord.objects.create(participant=graduates[0], outcome="not_employed", source="staff")
    PlacementRecord.objects.create(
        participant=graduates[0], outcome="employed", employer="PT Pupuk Kaltim", source="tracer"
    )
    PlacementRecord.objects.create(participant=graduates[1], outcome="not_employed", source="phone")
    PlacementRecord.objects.create(
        participant=graduates[2], outcome="self_employed", business="Kedai kopi", source="staff"
    )
    for g in graduates:
        TracerSurvey.objects.create(
            participant=g,
            wave=3,
            due_on=dt.date(2025, 10, 30),
            answered_at=timezone.now() if g in graduates[:2] else None,
            answered_via="link" if g in graduates[:2] else "",
        )
    prison = PrisonBatchFactory(
        programme=welding,
        funding=funding,
        code="LAS-LPS-R",
        venue_partner=PartnerFactory(),
        training_starts=dt.date(2026, 2, 2),
        training_ends=dt.date(2026, 3, 30),
    )
    for n in (1, 2):
        ParticipantFactory(
            batch=prison,
            number=n,
            applicant=ApplicantFactory(
                nik=f"64740112039{n}9{n:03d}",
                full_name=f"{INMATE_NAME} {n}",
                domicile=_district("6474"),
            ),
        )
    return World(intake, welding, barista, las, bar, prison)


@pytest.fixture
def world(db: None) -> World:
    w = build_world()
    refresh()
    return w
