"""Placement and nomination pages do a fixed number of queries however long the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicantFactory, BatchFactory, GraduateFactory, PrisonBatchFactory
from vokasi.catalog.models import BatchState
from vokasi.core.models import User
from vokasi.inmates.models import Inmate, Nomination
from vokasi.placement.models import Referral, Vacancy
from vokasi.placement.services import PlacementData, placement_record, tracer_send_due

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(add: Callable[[int], None], client: Client, url: str) -> tuple[int, int]:
    add(2)
    _count(client, url)  # the first request also fills caches (the centre's time zone)
    few = _count(client, url)
    add(10)
    return few, _count(client, url)


def test_placement_pages_do_not_query_per_graduate(client: Client, staff: User) -> None:
    batch = BatchFactory(state=BatchState.COMPLETED, training_ends=dt.date(2025, 7, 30))
    vacancy = Vacancy.objects.create(
        employer="PT X",
        position="Welder",
        programme=batch.programme,
        closes_on=timezone.localdate() + dt.timedelta(days=9),
    )

    def add(n: int) -> None:
        for _ in range(n):
            grad = GraduateFactory(batch=batch, applicant=ApplicantFactory(email="a@example.org"))
            placement_record(
                participant=grad,
                data=PlacementData(outcome="employed", employer="PT Y"),
                source="staff",
                actor=staff,
            )
            Referral.objects.create(vacancy=vacancy, participant=grad)
            GraduateFactory(batch=batch)  # a match not yet on the vacancy
        tracer_send_due(today=dt.date(2025, 11, 1))

    client.force_login(staff)
    for url in (
        reverse("backoffice:placements"),
        reverse("backoffice:vacancy", args=[vacancy.pk]),
        reverse("backoffice:tracer_report"),
        reverse("backoffice:vacancies"),
    ):
        few, many = _grow(add, client, url)
        assert few == many, url


def test_the_nominations_page_does_not_query_per_nominee(
    client: Client, partner_officer: User
) -> None:
    batch = PrisonBatchFactory()
    serial = iter(range(1, 100))

    def add(n: int) -> None:
        for _ in range(n):
            person = ApplicantFactory()
            Inmate.objects.create(
                applicant=person, prison=batch.venue_partner, number=f"B-{next(serial)}"
            )
            Nomination.objects.create(batch=batch, applicant=person, prison=batch.venue_partner)

    client.force_login(partner_officer)
    few, many = _grow(add, client, reverse("backoffice:inmate_batch", args=[batch.pk]))
    assert few == many
