"""Forged and garbage POSTs on the placement, certificate and inmate pages: a message or a
404, never a 500 (review of issues 7 and 8)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.certificates.conftest import completed_batch
from tests.factories import GraduateFactory, PartnerFactory, PrisonBatchFactory, region
from vokasi.certificates.services import (
    candidates_add,
    certificates_issue_for_batch,
    competency_test_create,
    lsp_create,
    scheme_create,
)
from vokasi.core.models import User
from vokasi.placement.models import Vacancy
from vokasi.placement.services import tracer_send_due

pytestmark = pytest.mark.django_db

GARBAGE: list[Any] = [
    "\u0000",  # first: PostgreSQL refuses NUL in text (a DataError)
    "",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "²",
    "9999-12-31",
    "0001-01-01",
    "2025-02-30",
    "x" * 5000,
    "<script>",
]


def _posts(fields: list[str], fixed: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for name, value in itertools.product(fields, GARBAGE):
        out.append(fixed | {name: value})
    return out


def test_no_post_gives_a_server_error(client: Client, staff: User) -> None:
    client.raise_request_exception = True
    batch = completed_batch(graduates=2, others=0)
    cert = certificates_issue_for_batch(batch=batch, actor=None)[0]
    lsp = lsp_create(name="LSP A", licence_number="1", kind="P1", actor=staff)
    scheme = scheme_create(body=lsp, name="S", programme=batch.programme, actor=staff)
    test = competency_test_create(
        scheme=scheme, test_site="TUK", held_on=dt.date(2025, 8, 1), assessors="", actor=staff
    )
    candidates_add(test=test, participants=[cert.participant], actor=None)
    candidate = test.candidates.get()
    unit = scheme.units.first()
    assert unit is not None
    partner = PartnerFactory(name="PT Badak NGL", kind="industry")
    vacancy = Vacancy.objects.create(
        employer="PT X",
        position="Welder",
        programme=batch.programme,
        closes_on=timezone.localdate() + dt.timedelta(days=5),
    )
    grad = GraduateFactory(batch=batch, number=9)
    # A prison with its region: the form lists its province's districts, not the country's.
    prison_batch = PrisonBatchFactory(
        venue_partner=PartnerFactory(name="Lapas Kelas IIB Tenggarong", region=region("6402"))
    )
    from vokasi.inmates.models import Nomination

    nominee = GraduateFactory(batch=prison_batch).applicant
    nomination = Nomination.objects.create(
        batch=prison_batch, applicant=nominee, prison=prison_batch.venue_partner
    )
    client.force_login(staff)
    cases: list[tuple[str, list[str], dict[str, str]]] = [
        (reverse("backoffice:certificate_issue", args=[batch.pk]), [], {}),
        (
            reverse("backoffice:certificate", args=[cert.pk]),
            ["action", "reason"],
            {"action": "revoke", "reason": "r"},
        ),
        (
            reverse("backoffice:bnsp_bodies"),
            ["name", "licence_number", "kind"],
            {"name": "L", "licence_number": "1", "kind": "P1"},
        ),
        (
            reverse("backoffice:bnsp_bodies"),
            ["body", "programme", "validity_years", "name"],
            {"action": "scheme", "body": str(lsp.pk), "name": "N"},
        ),
        (
            reverse("backoffice:bnsp_tests"),
            ["scheme", "held_on", "test_site"],
            {"scheme": str(scheme.pk), "held_on": "2025-08-01", "test_site": "T"},
        ),
        (reverse("backoffice:bnsp_test", args=[test.pk]), ["participants"], {"action": "add"}),
        (
            reverse("backoffice:bnsp_test", args=[test.pk]),
            ["candidate", f"unit-{unit.pk}"],
            {"action": "results", "candidate": str(candidate.pk)},
        ),
        (
            reverse("backoffice:bnsp_test", args=[test.pk]),
            ["candidate", "issued_on", "certificate_number", "registration_number"],
            {
                "action": "certificate",
                "candidate": str(candidate.pk),
                "issued_on": "2025-11-01",
                "certificate_number": "1",
                "registration_number": "2",
            },
        ),
        (
            reverse("backoffice:partner", args=[partner.pk]),
            ["number", "scope", "signed_on", "valid_until"],
            {"action": "agreement", "number": "1", "scope": "s", "signed_on": "2025-01-01"},
        ),
        (
            reverse("backoffice:partner", args=[partner.pk]),
            ["kind", "note"],
            {"action": "contribution", "kind": "vacancies"},
        ),
        (
            reverse("backoffice:partner", args=[partner.pk]),
            ["name", "phone", "email"],
            {"action": "contact", "name": "n"},
        ),
        (
            reverse("backoffice:vacancy_create"),
            ["partner", "openings", "closes_on", "location", "units", "programme"],
            {
                "employer": "E",
                "position": "P",
                "location": "home",
                "openings": "1",
                "closes_on": "2026-12-31",
            },
        ),
        (
            reverse("backoffice:vacancy", args=[vacancy.pk]),
            ["participant"],
            {"action": "shortlist"},
        ),
        (
            reverse("backoffice:vacancy", args=[vacancy.pk]),
            ["referral", "state"],
            {"action": "outcome"},
        ),
        (
            reverse("backoffice:placement_participant", args=[grad.pk]),
            ["outcome", "start_date", "departure_date", "wage_band", "employer"],
            {"outcome": "employed", "employer": "E"},
        ),
        (
            reverse("backoffice:placement_participant", args=[grad.pk]),
            ["wave", "outcome"],
            {"action": "phone", "outcome": "not_employed", "wave": "3"},
        ),
        (
            reverse("backoffice:inmate_batch", args=[prison_batch.pk]),
            ["nomination", "action"],
            {"action": "accept"},
        ),
        (
            reverse("backoffice:inmate_batch", args=[prison_batch.pk]),
            ["reason"],
            {"action": "reject", "nomination": str(nomination.pk)},
        ),
        (
            reverse("backoffice:inmate_nominate", args=[prison_batch.pk]),
            ["nik", "birth_date", "district", "schooling", "expected_release", "sex"],
            {
                "nik": "6474011203980001",
                "full_name": "A",
                "birth_place": "B",
                "birth_date": "1998-03-12",
                "sex": "M",
                "district": "647401",
                "schooling": "20",
                "number": "1",
            },
        ),
        (
            reverse("backoffice:inmate_upload", args=[prison_batch.pk]),
            ["sha256", "action"],
            {"action": "confirm"},
        ),
    ]
    for url, fields, fixed in cases:
        for data in _posts(fields, fixed) or [fixed]:
            response = client.post(url, data)
            assert response.status_code in (200, 302, 400, 403, 404), (
                url,
                data,
                response.status_code,
            )
    upload = client.post(
        reverse("backoffice:inmate_upload", args=[prison_batch.pk]),
        {"file": SimpleUploadedFile("x.xlsx", b"\0" * 10)},
    )
    assert upload.status_code == 200


def test_no_tracer_answer_gives_a_server_error(client: Client) -> None:
    from vokasi.placement.models import TracerSurvey
    from vokasi.placement.services import _new_token

    client.raise_request_exception = True
    from tests.placement.test_tracer import graduate

    grad = graduate()
    tracer_send_due(today=dt.date(2025, 11, 1))
    survey = TracerSurvey.objects.get(participant=grad)
    token = _new_token(survey, now=timezone.now())
    survey.save()
    url = reverse("tracer:answer", args=[token])
    for data in _posts(
        ["outcome", "start_date", "departure_date", "wage_band", "employer", "country"],
        {"outcome": "employed", "employer": "E"},
    ):
        response = client.post(url, data)
        assert response.status_code in (200, 410), (data, response.status_code)
        survey.refresh_from_db()
        if survey.answered_at is not None:  # answered: a fresh survey for the next try
            TracerSurvey.objects.filter(pk=survey.pk).update(answered_at=None, answered_via="")
