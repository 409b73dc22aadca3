"""Reads about certificates."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from vokasi.catalog.models import Batch, BatchState
from vokasi.certificates.models import (
    Candidate,
    CertificateState,
    CompetencyTest,
    TrainingCertificate,
)
from vokasi.certificates.services import certificate_check, normalise_code
from vokasi.training.models import Participant


def completed_batches() -> QuerySet[Batch]:
    """Completed batches with their graduates and certificates counted, newest first."""
    return (
        Batch.objects.filter(state=BatchState.COMPLETED)
        .select_related("programme")
        .annotate(
            graduates=Count(
                "participants",
                filter=Q(participants__status=Participant.Status.GRADUATED),
                distinct=True,
            ),
            certified=Count(
                "participants__certificates",
                filter=Q(participants__certificates__previous__isnull=True),
                distinct=True,
            ),
        )
        .order_by("-training_ends", "code")
    )


def _current(qs: QuerySet[TrainingCertificate]) -> QuerySet[TrainingCertificate]:
    return qs.exclude(state=CertificateState.SUPERSEDED)


def batch_graduates(batch: Batch) -> list[Participant]:
    """Graduates with `.certificate` (the version in force, or None)."""
    graduates: list[Participant] = list(
        Participant.objects.filter(batch=batch, status=Participant.Status.GRADUATED)
        .select_related("applicant")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=_current(TrainingCertificate.objects.all()),
                to_attr="current_certificates",
            )
        )
        .order_by("number")
    )
    for p in graduates:
        current = getattr(p, "current_certificates", [])
        p.certificate = current[0] if current else None  # type: ignore[attr-defined]
    return graduates


@dataclass
class Verification:
    certificate: TrainingCertificate | None
    signature_ok: bool = False
    newer: TrainingCertificate | None = None
    history: list[TrainingCertificate] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.certificate is None:
            return "unknown"
        if not self.signature_ok:
            return "invalid"
        return str(self.certificate.state)


def verification(code: str) -> Verification:
    code = normalise_code(code)
    cert = (
        TrainingCertificate.objects.select_related("signing_key", "centre")
        .filter(code=code)
        .first()
        if code
        else None
    )
    if cert is None:
        return Verification(certificate=None)
    newer = None
    if cert.state == CertificateState.SUPERSEDED:
        newer = (
            TrainingCertificate.objects.filter(participant_id=cert.participant_id)
            .exclude(state=CertificateState.SUPERSEDED)
            .first()
        )
    return Verification(certificate=cert, signature_ok=certificate_check(cert), newer=newer)


@dataclass
class GraduateCertificates:
    participant: Participant
    training: TrainingCertificate | None
    versions: list[TrainingCertificate]
    bnsp: list[Candidate]


def graduate_certificates(participant: Participant) -> GraduateCertificates:
    versions = list(
        TrainingCertificate.objects.filter(participant=participant)
        .select_related("signing_key")
        .order_by("-version")
    )
    current = next((c for c in versions if c.state != CertificateState.SUPERSEDED), None)
    bnsp = list(
        Candidate.objects.filter(participant=participant)
        .select_related("test__scheme", "test__body")
        .order_by("-test__held_on")
    )
    return GraduateCertificates(participant, current, versions, bnsp)


def applicant_certificates(applicant_id: int) -> list[GraduateCertificates]:
    participations = (
        Participant.objects.filter(
            applicant_id=applicant_id,
            status=Participant.Status.GRADUATED,
            batch__state=BatchState.COMPLETED,
        )
        .select_related("batch__programme", "applicant")
        .order_by("-batch__training_ends")
    )
    return [graduate_certificates(p) for p in participations]


def tests_list() -> QuerySet[CompetencyTest]:
    return (
        CompetencyTest.objects.select_related("scheme", "body")
        .annotate(
            n=Count("candidates", distinct=True),
            competent=Count("candidates", filter=Q(candidates__result="K"), distinct=True),
            arrived=Count(
                "candidates", filter=~Q(candidates__certificate_number=""), distinct=True
            ),
        )
        .order_by("-held_on", "-id")
    )
