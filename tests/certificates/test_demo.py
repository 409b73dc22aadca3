"""The demo's certificates: every graduate of the six batches closed on 30 July 2025 holds a
signed training certificate; welding and heavy equipment went to a BNSP test."""

from __future__ import annotations

import datetime as dt

import pytest

from vokasi.certificates.models import (
    Candidate,
    CertificateState,
    CompetencyTest,
    TrainingCertificate,
)
from vokasi.certificates.services import certificate_check
from vokasi.demo.loader import load_demo
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def test_demo_certificates_tell_the_story_and_load_once() -> None:
    load_demo(today=TODAY, say=lambda _: None)
    graduates = Participant.objects.filter(
        batch__training_ends=dt.date(2025, 7, 30), status=Participant.Status.GRADUATED
    )
    current = TrainingCertificate.objects.exclude(state=CertificateState.SUPERSEDED)
    assert current.count() == graduates.count() > 150
    assert set(current.values_list("participant_id", flat=True)) == set(
        graduates.values_list("pk", flat=True)
    )
    assert all(
        certificate_check(c) for c in TrainingCertificate.objects.select_related("signing_key")
    )
    corrected = TrainingCertificate.objects.get(version=2)
    assert corrected.previous is not None and corrected.previous.number == corrected.number
    assert corrected.holder_name != corrected.previous.holder_name
    tests = {
        t.scheme.programme.code: t
        for t in CompetencyTest.objects.select_related("scheme__programme")
    }
    assert set(tests) == {"LAS", "ALB"}
    las = Candidate.objects.filter(test=tests["LAS"])
    assert las.filter(result="BK").count() == 2
    assert las.exclude(certificate_number="").count() == las.filter(result="K").count()
    alb = Candidate.objects.filter(test=tests["ALB"])
    assert alb.filter(result="K").exists() and not alb.exclude(certificate_number="").exists()
    counts = (TrainingCertificate.objects.count(), Candidate.objects.count())
    load_demo(today=TODAY, say=lambda _: None)
    assert (TrainingCertificate.objects.count(), Candidate.objects.count()) == counts
