"""Writes about certificates. Every change goes through one of these functions, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.catalog.models import Batch, BatchState, Programme, TrainingCentre
from vokasi.certificates import signing
from vokasi.certificates.models import (
    DEFAULT_NUMBER_PATTERN,
    NUMBER_MAX_LENGTH,
    Candidate,
    CandidateResult,
    CertificateSettings,
    CertificateState,
    CertificationBody,
    CertificationScheme,
    CompetencyTest,
    SigningKey,
    TrainingCertificate,
    UnitResult,
    number_pattern_problem,
)
from vokasi.certificates.status_list import status_entry
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.notifications.models import Message
from vokasi.notifications.services import InvalidRecipient, message_enqueue
from vokasi.training.models import Participant


class CertificateError(Exception):
    """The message is for staff."""


# Crockford's base32 without I, L, O, U: nothing to misread when a code is typed by hand.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 100 random bits


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, as stored: no dashes or spaces, upper case, O→0, I/L→1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_url(code: str) -> str:
    return settings.SITE_URL + reverse("certificates:verify", args=[code])


def certificate_settings(centre: TrainingCentre) -> CertificateSettings:
    row, _created = CertificateSettings.objects.get_or_create(centre=centre)
    return row


def format_number(pattern: str, *, seq: int, centre: str, programme: str, year: int) -> str:
    values = {"seq": f"{seq:03d}", "centre": centre, "programme": programme, "year": year}
    number = ""
    if number_pattern_problem(pattern) is None:
        try:
            number = pattern.format(**values)
        except (KeyError, IndexError, ValueError, TypeError):
            number = ""
    if not number or len(number) > NUMBER_MAX_LENGTH:
        # A broken pattern must not stop a ceremony, nor give two graduates one number:
        # fall back to the default.
        number = DEFAULT_NUMBER_PATTERN.format(**values)
    return number


def payload(cert: TrainingCertificate) -> dict[str, Any]:
    """Everything the certificate states; what the signature covers."""
    return {
        "type": "vokasi.training-certificate/1",
        "number": cert.number,
        "version": cert.version,
        "code": cert.code,
        "holder": {
            "name": cert.holder_name,
            "birthPlace": cert.birth_place,
            "birthDate": cert.birth_date.isoformat(),
        },
        "programme": {
            "code": cert.programme_code,
            "name": cert.programme_name,
            "hoursJP": cert.hours_jp,
            "units": [list(u) for u in cert.units],
        },
        "trainingStarts": cert.training_starts.isoformat(),
        "trainingEnds": cert.training_ends.isoformat(),
        "issuedOn": cert.issued_on.isoformat(),
        "centre": cert.centre_name,
        "signatory": cert.signatory,
    }


def _signing_key(config: CertificateSettings) -> tuple[Any, SigningKey]:
    try:
        key = signing.private_key()
    except signing.SigningKeyMissing as error:
        raise CertificateError(str(error)) from None
    record, _created = SigningKey.objects.get_or_create(
        public_key=signing.public_key_text(key), defaults={"key_id": config.key_id}
    )
    return key, record


def _fill_and_sign(
    cert: TrainingCertificate, participant: Participant, config: CertificateSettings
) -> None:
    applicant = participant.applicant
    batch = participant.batch
    programme = batch.programme
    cert.holder_name = applicant.full_name
    cert.birth_place = applicant.birth_place
    cert.birth_date = applicant.birth_date
    cert.programme_code = programme.code
    cert.programme_name = programme.name
    cert.hours_jp = programme.hours_jp
    cert.training_starts = batch.training_starts
    cert.training_ends = batch.training_ends
    cert.centre_name = programme.centre.name
    cert.units = [[u.code, u.title, u.hours_jp] for u in programme.units.all()]
    cert.signatory = {
        "place": config.signatory_place,
        "title": config.signatory_title,
        "name": config.signatory_name,
        "nip": config.signatory_nip,
    }
    key, record = _signing_key(config)
    cert.signing_key = record
    cert.signature = signing.sign(key, payload(cert))


def certificates_issue_for_batch(
    *, batch: Batch, actor: User | None, issued_on: dt.date | None = None
) -> list[TrainingCertificate]:
    """Issues a certificate to every graduate of a completed batch who has none yet.

    Idempotent: running it twice, or twice at the same moment, gives each graduate one
    number. The centre's settings row is locked for the whole run, so the next running
    number is read and taken by one transaction at a time; the unique constraint on the
    graduate is the last line of defence. Returns the certificates issued now.
    """
    if batch.state != BatchState.COMPLETED:
        raise CertificateError(_("Certificates are issued only for a completed batch."))
    issued_on = issued_on or batch.training_ends
    programme = Programme.objects.select_related("centre").get(pk=batch.programme_id)
    centre = programme.centre
    certificate_settings(centre)  # exists before it is locked
    created: list[TrainingCertificate] = []
    with transaction.atomic():
        config = CertificateSettings.objects.select_for_update().get(centre=centre)
        graduates = (
            Participant.objects.filter(batch=batch, status=Participant.Status.GRADUATED)
            .exclude(certificates__isnull=False)
            .select_related("applicant", "batch__programme__centre")
            .order_by("number")
        )
        last = TrainingCertificate.objects.filter(centre=centre, year=issued_on.year).aggregate(
            m=Max("seq")
        )["m"]
        seq = last or 0
        for participant in graduates:
            seq += 1
            cert = TrainingCertificate(
                participant=participant,
                centre=centre,
                year=issued_on.year,
                seq=seq,
                number=format_number(
                    config.number_pattern,
                    seq=seq,
                    centre=centre.short_code,
                    programme=programme.code,
                    year=issued_on.year,
                ),
                code=new_code(),
                issued_on=issued_on,
                issued_by=actor if actor is not None and actor.pk else None,
            )
            _fill_and_sign(cert, participant, config)
            try:
                with transaction.atomic():
                    cert.save()
            except IntegrityError as exc:  # pragma: no cover - the lock makes this unreachable
                raise CertificateError(_("Certificates could not be issued; try again.")) from exc
            created.append(cert)
        if created:
            audit_log(
                actor=actor,
                action="certificate.issue_batch",
                obj=batch,
                count=len(created),
                numbers=[c.number for c in created],
            )
    return created


def certificate_revoke(
    *, certificate: TrainingCertificate, reason: str, actor: User | None
) -> None:
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        changed = TrainingCertificate.objects.filter(
            pk=certificate.pk, state=CertificateState.VALID
        ).update(
            state=CertificateState.REVOKED, revoked_at=timezone.now(), revoked_reason=reason[:250]
        )
        if not changed:
            raise CertificateError(_("Only a valid certificate can be revoked."))
        certificate.refresh_from_db()
        audit_log(actor=actor, action="certificate.revoke", obj=certificate, reason=reason)


def certificate_reissue(
    *,
    certificate: TrainingCertificate,
    reason: str,
    actor: User | None,
    issued_on: dt.date | None = None,
) -> TrainingCertificate:
    """A corrected version with the same number, from the person's current record (e.g.
    after a name correction). The old version stays, marked as replaced, with a new code."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the reason for the correction."))
    with transaction.atomic():
        config = CertificateSettings.objects.select_for_update().get(centre=certificate.centre)
        old = TrainingCertificate.objects.select_for_update().get(pk=certificate.pk)
        if old.state == CertificateState.SUPERSEDED:
            raise CertificateError(_("This version was already replaced; correct the newest one."))
        if old.state == CertificateState.REVOKED:
            # A revocation is final: a correction must not bring a withdrawn certificate back.
            raise CertificateError(_("A revoked certificate cannot be corrected."))
        participant = Participant.objects.select_related(
            "applicant", "batch__programme__centre"
        ).get(pk=old.participant_id)
        old.state = CertificateState.SUPERSEDED
        old.revoked_at = old.revoked_at or timezone.now()
        old.revoked_reason = reason[:250]
        old.save(update_fields=["state", "revoked_at", "revoked_reason"])
        new = TrainingCertificate(
            participant=participant,
            centre=old.centre,
            year=old.year,
            seq=old.seq,
            number=old.number,
            version=old.version + 1,
            previous=old,
            code=new_code(),
            issued_on=issued_on or timezone.localdate(),
            issued_by=actor if actor is not None and actor.pk else None,
        )
        _fill_and_sign(new, participant, config)
        # The dates of the training stay those of the original certificate.
        new.save()
        audit_log(
            actor=actor,
            action="certificate.reissue",
            obj=new,
            replaces=old.pk,
            reason=reason,
            old_name=old.holder_name,
            new_name=new.holder_name,
        )
    return new


def certificate_check(cert: TrainingCertificate) -> bool:
    """Whether the row still says what was signed."""
    return signing.verify(cert.signing_key.public_key, payload(cert), cert.signature)


# --- Open Badges 3.0 -----------------------------------------------------------------


def issuer_url() -> str:
    return settings.SITE_URL + reverse("certificates:issuer")


def key_url(record: SigningKey) -> str:
    return settings.SITE_URL + reverse("certificates:key", args=[record.pk])


def open_badge(cert: TrainingCertificate) -> dict[str, Any]:
    """An OpenBadgeCredential (Open Badges 3.0, a W3C verifiable credential) with an
    `eddsa-jcs-2022` DataIntegrityProof by the centre's current key."""
    url = verify_url(cert.code)
    issued = (
        dt.datetime.combine(cert.issued_on, dt.time(0), tzinfo=dt.UTC)
        .isoformat()
        .replace("+00:00", "Z")
    )
    document: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_url(),
            "type": ["Profile"],
            "name": cert.centre_name,
            "url": settings.SITE_URL,
        },
        "validFrom": issued,
        "credentialStatus": status_entry(cert),
        "name": f"{cert.programme_name} · {cert.number}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": cert.holder_name,
                }
            ],
            "achievement": {
                "id": f"{settings.SITE_URL}{reverse('portal:programmes')}#{cert.programme_code}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": cert.programme_name,
                "humanCode": cert.programme_code,
                "description": f"{cert.programme_name}, {cert.hours_jp} JP",
                "criteria": {
                    "narrative": "; ".join(f"{u[0]} {u[1]}" for u in cert.units)
                    or cert.programme_name
                },
            },
        },
    }
    key = signing.private_key()
    record, _created = SigningKey.objects.get_or_create(
        public_key=signing.public_key_text(key),
        defaults={"key_id": certificate_settings(cert.centre).key_id},
    )
    return signing.add_proof(
        document, key, verification_method=f"{key_url(record)}#{record.key_id}", created=issued
    )


# --- BNSP ------------------------------------------------------------------------------


def lsp_create(
    *, name: str, licence_number: str, kind: str, actor: User | None
) -> CertificationBody:
    name, licence_number = name.strip(), licence_number.strip()
    if not name or not licence_number:
        raise CertificateError(_("Give the LSP's name and licence number."))
    if len(name) > 200 or len(licence_number) > 80:
        raise CertificateError(_("The LSP's name or licence number is too long."))
    if kind not in CertificationBody.Kind.values:
        raise CertificateError(_("Choose the LSP's type: P1, P2 or P3."))
    with transaction.atomic():
        if CertificationBody.objects.filter(name__iexact=name).exists():
            raise CertificateError(_("An LSP with this name exists already."))
        body = CertificationBody.objects.create(name=name, licence_number=licence_number, kind=kind)
        audit_log(actor=actor, action="lsp.create", obj=body)
    return body


def scheme_create(
    *,
    body: CertificationBody,
    name: str,
    programme: Programme | None,
    validity_years: int = 3,
    actor: User | None,
) -> CertificationScheme:
    """A scheme starts with the programme's units; staff may trim them in the admin."""
    name = name.strip()
    if not name:
        raise CertificateError(_("Give the scheme's name."))
    if len(name) > 200:
        raise CertificateError(_("The scheme's name is too long."))
    if not 1 <= validity_years <= 10:
        raise CertificateError(_("Validity must be between 1 and 10 years."))
    with transaction.atomic():
        if CertificationScheme.objects.filter(body=body, name__iexact=name).exists():
            raise CertificateError(_("This LSP has a scheme with this name already."))
        scheme = CertificationScheme.objects.create(
            body=body, name=name, programme=programme, validity_years=validity_years
        )
        if programme is not None:
            scheme.units.set(programme.units.all())
        audit_log(actor=actor, action="scheme.create", obj=scheme)
    return scheme


def competency_test_create(
    *,
    scheme: CertificationScheme,
    test_site: str,
    held_on: dt.date,
    assessors: str,
    actor: User | None,
) -> CompetencyTest:
    if not test_site.strip():
        raise CertificateError(_("Give the test site (TUK)."))
    if len(test_site.strip()) > 200:
        raise CertificateError(_("The test site's name is too long."))
    with transaction.atomic():
        test = CompetencyTest.objects.create(
            body=scheme.body,
            scheme=scheme,
            test_site=test_site.strip(),
            held_on=held_on,
            assessors=assessors.strip(),
        )
        audit_log(actor=actor, action="competency_test.create", obj=test)
    return test


def is_graduate(participant: Participant) -> bool:
    return (
        participant.status == Participant.Status.GRADUATED
        and participant.batch.state == BatchState.COMPLETED
    )


def candidates_add(
    *, test: CompetencyTest, participants: Iterable[Participant], actor: User | None
) -> int:
    """Registers graduates for a test; someone already on it is skipped."""
    added = 0
    with transaction.atomic():
        for participant in participants:
            if not is_graduate(participant):
                raise CertificateError(
                    _("%(name)s is not a graduate of a completed batch.")
                    % {"name": participant.applicant.full_name}
                )
            programme_id = test.scheme.programme_id
            if programme_id is not None and participant.batch.programme_id != programme_id:
                raise CertificateError(
                    _("%(name)s did not graduate from this scheme's programme.")
                    % {"name": participant.applicant.full_name}
                )
            _candidate, created = Candidate.objects.get_or_create(
                test=test, participant=participant
            )
            added += created
        if added:
            audit_log(actor=actor, action="competency_test.candidates_add", obj=test, added=added)
    return added


def candidate_record_results(
    *, candidate: Candidate, results: Mapping[int, str], actor: User | None
) -> Candidate:
    """Results per unit (K/BK); overall K when every unit of the scheme is K, BK as soon
    as one is BK, still awaited while some are missing."""
    unit_ids = set(candidate.test.scheme.units.values_list("id", flat=True))
    if any(unit not in unit_ids for unit in results):
        raise CertificateError(_("A result was given for a unit outside the scheme."))
    if any(value not in ("K", "BK", "") for value in results.values()):
        raise CertificateError(_("Each unit's result is K or BK."))
    with transaction.atomic():
        for unit_id, value in results.items():
            if value:
                UnitResult.objects.update_or_create(
                    candidate=candidate, unit_id=unit_id, defaults={"result": value}
                )
            else:
                UnitResult.objects.filter(candidate=candidate, unit_id=unit_id).delete()
        given = dict(candidate.unit_results.values_list("unit_id", "result"))
        if "BK" in given.values():
            overall = CandidateResult.NOT_YET
        elif unit_ids and set(given) >= unit_ids:
            overall = CandidateResult.COMPETENT
        else:
            overall = CandidateResult.PENDING
        if overall != CandidateResult.COMPETENT and candidate.certificate_number:
            raise CertificateError(
                _("This candidate has a BNSP certificate recorded; the result stays competent.")
            )
        candidate.result = overall
        candidate.save(update_fields=["result"])
        audit_log(
            actor=actor, action="candidate.results", obj=candidate, units=given, overall=overall
        )
    return candidate


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def candidate_record_certificate(
    *,
    candidate: Candidate,
    certificate_number: str,
    registration_number: str,
    issued_on: dt.date,
    actor: User | None,
) -> Candidate:
    certificate_number, registration_number = (
        certificate_number.strip(),
        registration_number.strip(),
    )
    if not certificate_number or not registration_number:
        raise CertificateError(_("Give both the certificate number and the registration number."))
    if len(certificate_number) > 80 or len(registration_number) > 80:
        raise CertificateError(_("The certificate or registration number is too long."))
    if issued_on > timezone.localdate():
        raise CertificateError(_("The certificate cannot be issued in the future."))
    if candidate.result != CandidateResult.COMPETENT:
        raise CertificateError(_("A BNSP certificate is recorded only for a competent candidate."))
    if issued_on < candidate.test.held_on:
        raise CertificateError(_("The certificate cannot be issued before the test."))
    with transaction.atomic():
        candidate.certificate_number = certificate_number
        candidate.registration_number = registration_number
        candidate.issued_on = issued_on
        candidate.expires_on = add_years(issued_on, candidate.test.scheme.validity_years)
        candidate.save(
            update_fields=["certificate_number", "registration_number", "issued_on", "expires_on"]
        )
        audit_log(
            actor=actor,
            action="candidate.certificate",
            obj=candidate,
            number=certificate_number,
            registration=registration_number,
        )
    return candidate


REMINDER_DAYS = (90, 30)


def expiry_reminders_send(*, today: dt.date) -> int:
    """Queues a reminder to each holder whose BNSP certificate expires within 90 days, and
    again within 30, unless they hold a later one of the same scheme. The idempotency key makes a rerun (or a second worker) send nothing
    twice; someone first seen inside 30 days gets only the 30-day reminder."""
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    # A holder re-certified in the same scheme is not told their old certificate expires.
    renewed = Candidate.objects.filter(
        participant=OuterRef("participant"),
        test__scheme=OuterRef("test__scheme"),
        expires_on__gt=OuterRef("expires_on"),
    )
    due = (
        Candidate.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
        .exclude(Exists(renewed))
        .select_related("participant__applicant", "test__scheme")
    )
    queued = 0
    for candidate in due:
        assert candidate.expires_on is not None
        left = (candidate.expires_on - today).days
        threshold = min(d for d in REMINDER_DAYS if left <= d)
        applicant = candidate.participant.applicant
        channel, address = (
            ("email", applicant.email) if applicant.email else ("whatsapp", applicant.phone)
        )
        if not address:
            continue
        key = f"bnsp-expiry:{candidate.pk}:{candidate.expires_on}:{threshold}"
        if Message.objects.filter(idempotency_key=key).exists():
            continue
        try:
            message_enqueue(
                channel=channel,
                recipient=address,
                template="bnsp_certificate_expiring",
                context={
                    "name": applicant.full_name,
                    "scheme": candidate.test.scheme.name,
                    "number": candidate.certificate_number,
                    "date": candidate.expires_on.strftime("%d-%m-%Y"),
                    "days": left,
                },
                language="id",
                idempotency_key=key,
                about=candidate,
            )
        except InvalidRecipient:
            continue
        queued += 1
    return queued
