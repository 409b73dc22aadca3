"""The placement demo: a realistic mix for the 2025 graduates, an honest response rate,
a vacancy from an industry partner, and an inmate batch with Lapas Bontang."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from vokasi.catalog.models import Partner
from vokasi.core.models import User
from vokasi.demo.loader import load_demo
from vokasi.inmates.models import Inmate, Nomination
from vokasi.placement.models import PlacementRecord, TracerSurvey, Vacancy
from vokasi.placement.selectors import graduates, response_rates, with_current

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def test_the_demo_tells_a_plausible_placement_story_once(client: Client) -> None:
    load_demo(today=TODAY, say=lambda _: None)
    counts = (
        TracerSurvey.objects.count(),
        PlacementRecord.objects.count(),
        Nomination.objects.count(),
        Vacancy.objects.count(),
    )
    load_demo(today=TODAY, say=lambda _: None)
    assert counts == (
        TracerSurvey.objects.count(),
        PlacementRecord.objects.count(),
        Nomination.objects.count(),
        Vacancy.objects.count(),
    )
    staff = User.objects.get(username="staf")
    _, programmes = response_rates(viewer=staff)
    surveyed = sum(p.surveyed for p in programmes)
    answered = sum(p.answered for p in programmes)
    assert surveyed > 150
    assert 0.5 < answered / surveyed < 0.9  # not everyone answers
    current = Counter(
        with_current(graduates().filter(batch__training_ends__year=2025)).values_list(
            "current_outcome", flat=True
        )
    )
    assert current["employed"] + current["migrant"] > current["not_employed"] > 0
    assert current["self_employed"] > 0 and current[None] > 0  # some never answered
    abroad = set(
        PlacementRecord.objects.filter(outcome="migrant").values_list("country", flat=True)
    )
    assert len(abroad) >= 2
    assert Vacancy.objects.filter(partner__kind=Partner.Kind.INDUSTRY).exists()

    lapas = Partner.objects.get(name="Lapas Kelas IIA Bontang")
    batch = lapas.hosted_batches.get()
    assert batch.participants.count() == 15
    assert Inmate.objects.filter(prison=lapas).count() == 18
    assert client.get(reverse("portal:batch", args=[batch.code])).status_code == 404
    client.force_login(User.objects.get(username="lapas"))
    page = client.get(reverse("backoffice:inmate_batch", args=[batch.pk]))
    assert page.status_code == 200
    assert batch.participants.first().applicant.full_name in page.content.decode()  # type: ignore[union-attr]
