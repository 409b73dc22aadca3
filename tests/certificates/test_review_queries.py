"""The BNSP and certificate list pages do a fixed number of queries (review of issue 7)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.certificates.conftest import completed_batch
from vokasi.certificates.models import Candidate, CertificationBody
from vokasi.certificates.services import (
    candidate_record_results,
    candidates_add,
    certificates_issue_for_batch,
    competency_test_create,
    lsp_create,
    scheme_create,
)
from vokasi.core.models import User

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _world(staff: User, graduates: int) -> dict[str, str]:
    n = next(_serial)
    batch = completed_batch(graduates=graduates, others=1, code=f"Q{n}-2025")
    certificates_issue_for_batch(batch=batch, actor=None)
    lsp = lsp_create(name=f"LSP {n}", licence_number="L", kind="P1", actor=staff)
    scheme = scheme_create(body=lsp, name="S", programme=batch.programme, actor=staff)
    scheme_create(body=lsp, name="S2", programme=batch.programme, actor=staff)
    test = competency_test_create(
        scheme=scheme, test_site="TUK", held_on=dt.date(2025, 8, 1), assessors="", actor=staff
    )
    candidates_add(
        test=test, participants=list(batch.participants.filter(status="graduated")), actor=None
    )
    for candidate in Candidate.objects.filter(test=test):
        candidate_record_results(
            candidate=candidate, results={u.pk: "K" for u in scheme.units.all()}, actor=None
        )
    participant = batch.participants.filter(status="graduated").first()
    assert participant is not None
    return {
        "batch_list": reverse("backoffice:certificates"),
        "bodies": reverse("backoffice:bnsp_bodies"),
        "tests": reverse("backoffice:bnsp_tests"),
        "test": reverse("backoffice:bnsp_test", args=[test.pk]),
        "graduate": reverse("backoffice:graduate_certificates", args=[participant.pk]),
    }


def test_bnsp_and_certificate_pages_do_not_query_per_row(client: Client, staff: User) -> None:
    client.force_login(staff)
    small = _world(staff, graduates=2)
    few = {name: _count(client, url) for name, url in small.items()}
    big = _world(staff, graduates=9)
    _world(staff, graduates=3)  # more batches, LSPs, schemes and tests on the list pages
    many = {
        name: _count(client, big[name] if name in ("test",) else url) for name, url in small.items()
    }
    assert many == few
    assert CertificationBody.objects.count() == 3


def test_the_apl01_export_does_not_query_per_candidate(client: Client, staff: User) -> None:
    client.force_login(staff)
    counts = []
    for graduates in (2, 8):
        world = _world(staff, graduates=graduates)
        url = world["test"].rstrip("/") + "/excel/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
