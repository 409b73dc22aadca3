"""Writes of the inmate programme: nominations by a prison's officer, review by staff.

A nomination goes through the same NIK checks as a registration (`regions.nik`); the person
becomes an Applicant (NIK unique) with an Inmate record beside it, and staff enrol them
with `training.services.participant_enrol`, the only way onto a roster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.catalog.models import FROZEN_BATCH_STATES, Batch, Partner
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.core.roles import Perm, Role
from vokasi.inmates.models import Inmate, Nomination, NominationState
from vokasi.intake.models import Applicant
from vokasi.regions.models import Region
from vokasi.regions.nik import NikError, check_nik_against, parse_nik
from vokasi.training.models import Participant
from vokasi.training.services import EnrolmentError, participant_enrol


@dataclass
class NominationError(Exception):
    """Input that cannot become a nomination; `errors` maps form fields to messages."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)


@dataclass(frozen=True)
class NomineeData:
    nik: str
    full_name: str
    birth_place: str
    birth_date: dt.date
    sex: str
    domicile: Region
    schooling: int
    number: str
    expected_release: dt.date | None = None


def check_batch(*, batch: Batch, actor: User) -> Partner:
    """The prison the batch is held in, if `actor` may nominate for it."""
    prison = batch.venue_partner
    if prison is None or prison.kind != Partner.Kind.PRISON:
        raise NominationError({"": [_("Only a batch held inside a prison takes nominations.")]})
    own_prison = actor.role == Role.PARTNER and actor.partner_id == prison.pk
    if not (actor.can(Perm.INMATES_NOMINATE) and (own_prison or actor.can(Perm.INMATES_VIEW))):
        raise NominationError({"": [_("You may nominate only for your own institution.")]})
    if batch.state in FROZEN_BATCH_STATES:
        raise NominationError({"": [_("This batch is closed; it takes no more nominations.")]})
    return prison


def check_nominee(data: NomineeData, *, today: dt.date) -> dict[str, list[str]]:
    """The faults a form or a spreadsheet row can have, by field; empty when none."""
    errors: dict[str, list[str]] = {}
    try:
        info = parse_nik(data.nik, today=today)
    except NikError as error:
        errors["nik"] = [error.message]
    else:
        for mismatch in check_nik_against(info, birth_date=data.birth_date, sex=data.sex):
            errors.setdefault(mismatch.field, []).append(mismatch.error.message)
    if not data.number.strip():
        errors.setdefault("number", []).append(_("Type the inmate registration number."))
    if data.expected_release is not None and data.expected_release < today:
        errors.setdefault("expected_release", []).append(
            _("The expected release date is in the past.")
        )
    return errors


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def check_existing_person(
    applicant: Applicant | None, data: NomineeData, *, prison: Partner, actor: User
) -> dict[str, list[str]]:
    """Faults of a NIK that is already on record. The typed name and date of birth must be
    the record's (a mistyped NIK must not make someone else an inmate, and the record's name
    is never shown back), and an inmate of another prison is moved only by staff: an
    officer cannot take over, and so read, another institution's person."""
    if applicant is None:
        return {}
    if not _same_name(applicant.full_name, data.full_name) or (
        applicant.birth_date != data.birth_date
    ):
        return {
            "nik": [
                _(
                    "This NIK is on record with another name or date of birth. Check the "
                    "KTP; if it is right, ask the centre's staff."
                )
            ]
        }
    inmate = Inmate.objects.filter(applicant=applicant).first()
    if inmate is not None and inmate.prison_id != prison.pk and not actor.can(Perm.INMATES_VIEW):
        return {
            "nik": [
                _(
                    "This person is on record with another institution; ask the centre's "
                    "staff to record the transfer."
                )
            ]
        }
    return {}


def nomination_create(*, batch: Batch, data: NomineeData, actor: User) -> Nomination:
    """Nominates one person for a batch held in `actor`'s prison."""
    today = timezone.localdate()
    with transaction.atomic():
        # Lock the batch row only (PostgreSQL cannot lock the nullable side of the join).
        batch = (
            Batch.objects.select_related("venue_partner")
            .select_for_update(of=("self",))
            .get(pk=batch.pk)
        )
        prison = check_batch(batch=batch, actor=actor)
        errors = check_nominee(data, today=today)
        if errors:
            raise NominationError(errors)
        applicant = Applicant.objects.select_for_update().filter(nik=data.nik).first()
        if applicant is None:
            try:
                with transaction.atomic():
                    applicant = Applicant.objects.create(
                        nik=data.nik,
                        full_name=data.full_name.strip(),
                        birth_place=data.birth_place.strip(),
                        birth_date=data.birth_date,
                        sex=data.sex,
                        domicile=data.domicile,
                        schooling=data.schooling,
                        entered_by=actor,
                    )
            except IntegrityError:  # the same NIK saved a moment ago for another batch
                raise NominationError(
                    {"nik": [_("This NIK was saved a moment ago; send the form again.")]}
                ) from None
        elif errors := check_existing_person(applicant, data, prison=prison, actor=actor):
            raise NominationError(errors)
        elif Nomination.objects.filter(batch=batch, applicant=applicant).exists():
            raise NominationError({"nik": [_("This person is already nominated for this batch.")]})
        taken = (
            Inmate.objects.filter(prison=prison, number=data.number.strip())
            .exclude(applicant=applicant)
            .exists()
        )
        if taken:
            raise NominationError(
                {"number": [_("Another person already has this inmate number in this prison.")]}
            )
        # A transfer between prisons moves the record: one person is in one prison at a time.
        Inmate.objects.update_or_create(
            applicant=applicant,
            defaults={
                "prison": prison,
                "number": data.number.strip(),
                "expected_release": data.expected_release,
            },
        )
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    batch=batch, applicant=applicant, prison=prison, nominated_by=actor
                )
        except IntegrityError:  # a double click that got past the check above
            raise NominationError(
                {"nik": [_("This person is already nominated for this batch.")]}
            ) from None
        audit_log(actor=actor, action="nomination.create", obj=nomination, batch=batch.pk)
    return nomination


def _decide(nomination: Nomination, *, target: str, actor: User, reason: str = "") -> None:
    changed = Nomination.objects.filter(pk=nomination.pk, state=NominationState.NOMINATED).update(
        state=target, decided_by=actor, decided_at=timezone.now(), reason=reason
    )
    if changed != 1:
        raise NominationError({"": [_("This nomination was already decided; reload the page.")]})
    nomination.refresh_from_db()


def nomination_accept(*, nomination: Nomination, actor: User) -> Participant:
    """Staff accept a nominee: they join the batch's roster (or the batch is full)."""
    with transaction.atomic():
        try:
            participant = participant_enrol(
                batch=nomination.batch, applicant=nomination.applicant, actor=actor
            )
        except EnrolmentError as error:
            raise NominationError({"": [str(error)]}) from None
        _decide(nomination, target=NominationState.ENROLLED, actor=actor)
        audit_log(actor=actor, action="nomination.accept", obj=nomination)
    return participant


def nomination_reject(*, nomination: Nomination, reason: str, actor: User) -> Nomination:
    reason = reason.strip()
    if not reason:
        raise NominationError({"reason": [_("Say why the nominee is not accepted.")]})
    with transaction.atomic():
        _decide(nomination, target=NominationState.REJECTED, actor=actor, reason=reason[:250])
        audit_log(actor=actor, action="nomination.reject", obj=nomination, reason=reason[:250])
    return nomination


def inmate_release_set(
    *, inmate: Inmate, released: dt.date | None, actor: User, today: dt.date | None = None
) -> Inmate:
    """Records the release date: expected while it lies ahead, the actual one once known.
    From that day the graduate is matched to vacancies and surveyed like anyone else."""
    today = today or timezone.localdate()
    if released is not None and released > today + dt.timedelta(days=365 * 30):
        raise NominationError({"released": [_("Check the year of the release date.")]})
    with transaction.atomic():
        Inmate.objects.filter(pk=inmate.pk).update(expected_release=released)
        inmate.expected_release = released
        audit_log(
            actor=actor,
            action="inmate.release_date",
            obj=inmate,
            released=released.isoformat() if released else "",
        )
    return inmate
