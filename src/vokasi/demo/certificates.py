"""Certificates of the 2025 story: training certificates for the graduates of the six
batches closed on 30 July 2025, and BNSP competency tests for the welding and
heavy-equipment graduates.

What is illustrative: the signatory, the LSPs and their licence numbers, the assessors, the
test dates, who passed which unit and the BNSP numbers. The certificates of the three batches
that closed in September are left to issue, so the button can be tried. The demo's signing
key is the development key generated under var/ (DEBUG): see docs/certificates.md.
"""

from __future__ import annotations

import datetime as dt
import random

from vokasi.catalog.models import Batch, BatchState, Programme, TrainingCentre
from vokasi.certificates.models import (
    Candidate,
    CandidateResult,
    CertificateSettings,
    CertificationBody,
    CertificationScheme,
    CompetencyTest,
    TrainingCertificate,
)
from vokasi.certificates.services import (
    candidate_record_certificate,
    candidate_record_results,
    candidates_add,
    certificate_reissue,
    certificates_issue_for_batch,
)
from vokasi.demo.catalog import STORY_DAY
from vokasi.training.models import Participant

SIGNATORY = {
    "signatory_place": "Bontang",
    "signatory_title": "Kepala UPTD Balai Latihan Kerja Industri Kota Bontang",
    "signatory_name": "Drs. H. Muhammad Yusran, M.Si.",
    "signatory_nip": "196908141995031004",
    "number_pattern": "{seq}/{centre}/{programme}/{year}",
    "key_id": "blki-btg-2025",
}

# (programme, LSP, type, licence, scheme, test site, assessors, test: days after closing)
BNSP = (
    (
        "LAS",
        "LSP Pengelasan dan Fabrikasi Kalimantan Timur",
        "P3",
        "BNSP-LSP-1187-ID",
        "Skema Sertifikasi Juru Las SMAW 3G",
        "TUK Sewaktu Bengkel Las UPTD BLKI Bontang",
        "Hendra Saputra (MET.000.004512 2019)\nAgus Salim Nasution (MET.000.007731 2021)",
        14,
    ),
    (
        "ALB",
        "LSP Operator Alat Berat Indonesia",
        "P3",
        "BNSP-LSP-0932-ID",
        "Skema Sertifikasi Operator Excavator",
        "TUK Tempat Kerja Area Tambang Mitra, Kutai Timur",
        "Ir. Syamsul Bahri (MET.000.002219 2018)\nRudy Hartawan (MET.000.006605 2020)",
        21,
    ),
)


def load_certificates(centre: TrainingCentre, *, today: dt.date) -> int:
    """Idempotent: what exists is left as it is. Returns the training certificates issued."""
    CertificateSettings.objects.get_or_create(centre=centre, defaults=SIGNATORY)
    story = list(
        Batch.objects.filter(
            programme__centre=centre, training_ends=STORY_DAY, state=BatchState.COMPLETED
        ).order_by("code")
    )
    issued = 0
    for batch in story:
        if TrainingCertificate.objects.filter(participant__batch=batch).exists():
            continue
        issued += len(_issue_with_one_correction(batch))
    for spec in BNSP:
        _load_bnsp(centre, spec, today=today)
    return issued


def _issue_with_one_correction(batch: Batch) -> list[TrainingCertificate]:
    """Make-up's certificates went out with one name misspelt; it was corrected a week later,
    keeping the number (version 2)."""
    if batch.programme.code != "TRS":
        return certificates_issue_for_batch(batch=batch, actor=None)
    target = (
        Participant.objects.filter(batch=batch, status=Participant.Status.GRADUATED)
        .select_related("applicant")
        .order_by("number")[3:4]
        .first()
    )
    if target is None:
        return certificates_issue_for_batch(batch=batch, actor=None)
    applicant = target.applicant
    correct = applicant.full_name
    words = correct.split()
    applicant.full_name = " ".join([*words[:-1], words[-1] + words[-1][-1]])
    applicant.save(update_fields=["full_name"])
    certs = certificates_issue_for_batch(batch=batch, actor=None)
    applicant.full_name = correct
    applicant.save(update_fields=["full_name"])
    wrong = next(c for c in certs if c.participant_id == target.pk)
    certificate_reissue(
        certificate=wrong,
        reason="Perbaikan penulisan nama sesuai KTP",
        actor=None,
        issued_on=STORY_DAY + dt.timedelta(days=7),
    )
    return certs


def _load_bnsp(
    centre: TrainingCentre,
    spec: tuple[str, str, str, str, str, str, str, int],
    *,
    today: dt.date,
) -> None:
    code, lsp_name, kind, licence, scheme_name, site, assessors, after = spec
    programme = Programme.objects.filter(centre=centre, code=code).first()
    batch = Batch.objects.filter(programme=programme, training_ends=STORY_DAY).first()
    if programme is None or batch is None:
        return
    body, _ = CertificationBody.objects.get_or_create(
        name=lsp_name, defaults={"kind": kind, "licence_number": licence}
    )
    scheme, created = CertificationScheme.objects.get_or_create(
        body=body, name=scheme_name, defaults={"programme": programme, "validity_years": 3}
    )
    if created:
        scheme.units.set(programme.units.all())
    held_on = STORY_DAY + dt.timedelta(days=after)
    if code == "ALB":
        # The heavy-equipment LSP had a long queue for its workplace test site: the test was
        # held a month before the demo's "today", so its certificates are still awaited.
        held_on = max(held_on, today - dt.timedelta(days=30))
    test, created = CompetencyTest.objects.get_or_create(
        scheme=scheme,
        defaults={"body": body, "test_site": site, "assessors": assessors, "held_on": held_on},
    )
    if not created:
        return
    graduates = list(
        Participant.objects.filter(batch=batch, status=Participant.Status.GRADUATED)
        .select_related("batch", "applicant")
        .order_by("number")
    )
    candidates_add(test=test, participants=graduates, actor=None)
    rng = random.Random(f"bnsp-{code}")
    units = list(scheme.units.order_by("order"))
    not_yet = set(rng.sample(range(len(graduates)), 2 if code == "LAS" else 1))
    # BNSP certificates arrive about three months after the test.
    arrived_on = held_on + dt.timedelta(days=92)
    for i, candidate in enumerate(
        Candidate.objects.filter(test=test).order_by("participant__number")
    ):
        results = {u.pk: "K" for u in units}
        if i in not_yet:
            results[rng.choice(units[2:]).pk] = "BK"
        candidate_record_results(candidate=candidate, results=results, actor=None)
        if candidate.result == CandidateResult.COMPETENT and arrived_on <= today:
            candidate_record_certificate(
                candidate=candidate,
                certificate_number=f"{62 if code == 'ALB' else 25}{held_on:%y}{rng.randrange(10**7, 10**8)}",
                registration_number=f"{'OAB' if code == 'ALB' else 'LAS'}.{licence[9:13]}."
                f"{i + 1:05d}.{held_on:%Y}",
                issued_on=arrived_on,
                actor=None,
            )
