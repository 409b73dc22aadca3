"""The demo tells the report's story, and loading it twice duplicates nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from vokasi.catalog.models import Batch, BatchState, Programme
from vokasi.core.models import User
from vokasi.demo.loader import load_demo
from vokasi.intake.models import Applicant
from vokasi.regions.nik import parse_nik
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def test_demo_matches_the_report_and_is_idempotent() -> None:
    accounts = load_demo(today=TODAY, say=lambda _: None)
    closed = Batch.objects.filter(training_ends=dt.date(2025, 7, 30), state=BatchState.COMPLETED)
    assert closed.count() == 6
    assert Participant.objects.filter(batch__in=closed).count() == 192
    opened = Batch.objects.filter(training_starts=dt.date(2025, 7, 30))
    assert set(opened.values_list("programme__code", flat=True)) == {"OTO", "LIS", "DKV"}
    assert Programme.objects.count() == 10  # nine from the report, underwater welding planned
    assert not Programme.objects.get(code="WBA").active
    regencies = set(
        Participant.objects.filter(batch__in=closed).values_list(
            "applicant__domicile__parent__name", flat=True
        )
    )
    assert regencies == {"Kota Bontang", "Kota Samarinda", "Kabupaten Kutai Timur"}
    assert Batch.objects.filter(state=BatchState.OPEN).count() >= 2
    assert {username for username, _, _ in accounts} >= {
        "admin",
        "staf",
        "instruktur",
        "asesor",
        "lapas",
        "pemkot",
    }

    from vokasi.intake.models import Application

    story = Application.objects.filter(intake__code="REG-2025-2")
    assert story.count() == 800
    assert story.filter(applicant__participations__batch__in=opened).count() == 48
    counts = (
        Batch.objects.count(),
        Applicant.objects.count(),
        Participant.objects.count(),
        User.objects.count(),
    )
    load_demo(today=TODAY, say=lambda _: None)
    assert (
        Batch.objects.count(),
        Applicant.objects.count(),
        Participant.objects.count(),
        User.objects.count(),
    ) == counts


def test_every_demo_nik_is_valid_and_agrees_with_the_person() -> None:
    load_demo(today=TODAY, say=lambda _: None)
    for applicant in Applicant.objects.all():
        info = parse_nik(applicant.nik, today=TODAY)
        assert info.birth_date == applicant.birth_date, applicant.nik
        assert info.sex == applicant.sex, applicant.nik
    assert not Applicant.objects.values("nik").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_a_reloaded_demo_keeps_its_open_batches_open() -> None:
    load_demo(today=TODAY, say=lambda _: None)
    later = TODAY + dt.timedelta(days=25)  # after the first load's windows closed, same year
    load_demo(today=later, say=lambda _: None)
    open_batches = Batch.objects.filter(state=BatchState.OPEN)
    assert open_batches.count() >= 2
    assert all(b.registration_closes and b.registration_closes >= later for b in open_batches)


def test_the_2025_draw_is_published_and_verifies() -> None:
    from vokasi import allocation
    from vokasi.selection.models import RoundState, SelectionRound

    load_demo(today=TODAY, say=lambda _: None)
    round_ = SelectionRound.objects.get(intake__code="REG-2025-2")
    assert round_.state == RoundState.PUBLISHED
    problem = allocation.load_problem(bytes(round_.input_file or b""))
    assert (
        allocation.verify(problem, allocation.load_result(bytes(round_.result_file or b""))) == []
    )
    admitted = round_.outcomes.filter(batch__isnull=False)
    assert admitted.count() == 48
    from vokasi.selection.models import Offer

    assert Offer.objects.filter(round=round_, state="declined").count() == 2
    assert Offer.objects.filter(round=round_, state="lapsed").count() == 1
    assert round_.objections.filter(verdict="rejected").count() == 1
    assert Offer.objects.filter(round=round_, state="accepted").count() == 48
    # The city paid: with far more Bontang applicants than seats, every seat went to Bontang.
    assert not admitted.exclude(application__applicant__domicile__parent_id="6474").exists()


def test_the_participants_of_the_drawn_batches_are_those_who_confirmed() -> None:
    from vokasi.selection.models import Offer

    load_demo(today=TODAY, say=lambda _: None)
    confirmed = set(
        Offer.objects.filter(state="accepted").values_list("application__applicant_id", flat=True)
    )
    opened = Batch.objects.filter(training_starts=dt.date(2025, 7, 30))
    joined = set(
        Participant.objects.filter(batch__in=opened).values_list("applicant_id", flat=True)
    )
    assert joined == confirmed and len(joined) == 48
