"""Writes of placement: partners' details, placement records, vacancies and referrals,
and the tracer study. Each write is audited; messages go through the outbox."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.catalog.models import BatchState, CompetencyUnit, Partner
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.notifications.services import InvalidRecipient, message_enqueue
from vokasi.placement.models import (
    REFERRAL_OUTCOMES,
    Agreement,
    Contact,
    Contribution,
    Outcome,
    PlacementRecord,
    Referral,
    ReferralState,
    Source,
    TracerSurvey,
    Vacancy,
)
from vokasi.placement.selectors import (
    add_months,
    graduates,
    released_or_free,
    token_hash,
    training_label,
)
from vokasi.training.models import Participant

TRACER_WAVES = (3, 6, 12)
# Long enough to answer after a holiday; short enough that an old message is not a key.
TRACER_LINK_DAYS = 45
MAX_AGREEMENT_BYTES = 10 * 1024 * 1024


@dataclass
class PlacementError(Exception):
    """Input that cannot be saved; `errors` maps form fields to messages for the user."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)


# --- partners -------------------------------------------------------------------------


def agreement_add(
    *,
    partner: Partner,
    number: str,
    scope: str,
    signed_on: dt.date,
    valid_until: dt.date | None,
    file: UploadedFile[bytes] | None,
    actor: User,
) -> Agreement:
    if valid_until is not None and valid_until < signed_on:
        raise PlacementError({"valid_until": [_("An agreement cannot end before it is signed.")]})
    if file is not None:
        head = file.read(5)
        file.seek(0)
        if head != b"%PDF-" or (file.size or 0) > MAX_AGREEMENT_BYTES:
            raise PlacementError({"file": [_("Upload the signed agreement as a PDF up to 10 MB.")]})
    with transaction.atomic():
        agreement = Agreement(
            partner=partner,
            number=number.strip(),
            scope=scope.strip(),
            signed_on=signed_on,
            valid_until=valid_until,
        )
        if file is not None:
            agreement.file.save(f"{partner.pk}-{secrets.token_hex(4)}.pdf", file, save=False)
        agreement.save()
        audit_log(actor=actor, action="agreement.add", obj=agreement, partner=partner.pk)
    return agreement


def contact_add(
    *, partner: Partner, name: str, position: str, phone: str, email: str, actor: User
) -> Contact:
    with transaction.atomic():
        contact = Contact.objects.create(
            partner=partner,
            name=name.strip(),
            position=position.strip(),
            phone=phone.strip(),
            email=email.strip(),
        )
        audit_log(actor=actor, action="contact.add", obj=contact, partner=partner.pk)
    return contact


def contribution_add(*, partner: Partner, kind: str, note: str, actor: User) -> Contribution:
    if kind not in Contribution.Kind.values:
        raise PlacementError({"kind": [_("Choose what the partner brings.")]})
    with transaction.atomic():
        item = Contribution.objects.create(partner=partner, kind=kind, note=note.strip())
        audit_log(actor=actor, action="contribution.add", obj=item, partner=partner.pk)
    return item


# --- placement records ----------------------------------------------------------------


@dataclass(frozen=True)
class PlacementData:
    outcome: str
    employer: str = ""
    sector: str = ""
    position: str = ""
    wage_band: str = ""
    start_date: dt.date | None = None
    place: str = ""
    business: str = ""
    country: str = ""
    agency: str = ""
    departure_date: dt.date | None = None
    note: str = ""


# What each outcome must say; the rest of the fields are kept only where they mean something.
_REQUIRED = {
    Outcome.EMPLOYED: ("employer",),
    Outcome.SELF_EMPLOYED: ("business",),
    Outcome.MIGRANT: ("country",),
}
_KEPT = {
    Outcome.EMPLOYED: ("employer", "sector", "position", "wage_band", "start_date", "place"),
    Outcome.SELF_EMPLOYED: ("business", "wage_band", "start_date", "place"),
    Outcome.MIGRANT: ("employer", "position", "country", "agency", "departure_date", "wage_band"),
    Outcome.STUDY: ("place",),
    Outcome.NOT_EMPLOYED: (),
}


def check_placement(data: PlacementData) -> dict[str, list[str]]:
    if data.outcome not in Outcome.values:
        return {"outcome": [_("Choose one of the answers.")]}
    messages = {
        "employer": _("Name the employer."),
        "business": _("Say what kind of business."),
        "country": _("Name the country."),
    }
    errors: dict[str, list[str]] = {}
    for name in _REQUIRED.get(Outcome(data.outcome), ()):
        if not str(getattr(data, name) or "").strip():
            errors[name] = [messages[name]]
    return errors


def placement_record(
    *,
    participant: Participant,
    data: PlacementData,
    source: str,
    actor: User | None,
    survey: TracerSurvey | None = None,
    referral: Referral | None = None,
) -> PlacementRecord:
    """Appends a placement record: the graduate's current state from now on."""
    if not graduates().filter(pk=participant.pk).exists():
        raise PlacementError({"": [_("Only a graduate of a completed batch has a placement.")]})
    errors = check_placement(data)
    if errors:
        raise PlacementError(errors)
    kept = set(_KEPT[Outcome(data.outcome)]) | {"outcome", "note"}
    values = {
        f.name: (getattr(data, f.name) if f.name in kept else None) for f in fields(PlacementData)
    }
    values = {
        k: (v.strip() if isinstance(v, str) else v if v is not None else _empty(k))
        for k, v in values.items()
    }
    with transaction.atomic():
        record = PlacementRecord.objects.create(
            participant=participant,
            source=source,
            survey=survey,
            referral=referral,
            recorded_by=actor if actor is not None and actor.pk else None,
            **values,
        )
        audit_log(
            actor=actor,
            action="placement.record",
            obj=participant,
            outcome=data.outcome,
            source=source,
        )
    return record


def _empty(name: str) -> object:
    return None if name in ("start_date", "departure_date") else ""


# --- vacancies and referrals ----------------------------------------------------------


def vacancy_save(
    *,
    vacancy: Vacancy,
    actor: User,
    units: Iterable[CompetencyUnit] | None = None,
    changed: Sequence[str] = (),
) -> Vacancy:
    """Creates or corrects a vacancy; `changed` names the fields a correction changed, for
    the audit trail."""
    if vacancy.location == Vacancy.Location.ABROAD and not vacancy.country.strip():
        raise PlacementError({"country": [_("A vacancy abroad needs its country.")]})
    if vacancy.location == Vacancy.Location.HOME:
        vacancy.country = ""
    with transaction.atomic():
        created = vacancy.pk is None
        if created:
            vacancy.created_by = actor
        vacancy.save()
        if units is not None:
            vacancy.units.set(units)
        if created:
            audit_log(actor=actor, action="vacancy.create", obj=vacancy)
        else:
            audit_log(actor=actor, action="vacancy.update", obj=vacancy, fields=sorted(changed))
    return vacancy


def referrals_shortlist(*, vacancy: Vacancy, participants: list[Participant], actor: User) -> int:
    """Puts graduates on the vacancy's shortlist; those already on it are left as they are."""
    today = timezone.localdate()
    eligible = set(
        graduates().filter(pk__in=[p.pk for p in participants]).values_list("pk", flat=True)
    )
    added = 0
    with transaction.atomic():
        for participant in participants:
            if participant.pk not in eligible or not released_or_free(participant, today=today):
                continue
            _referral, created = Referral.objects.get_or_create(
                vacancy=vacancy, participant=participant
            )
            added += created
        if added:
            audit_log(actor=actor, action="vacancy.shortlist", obj=vacancy, added=added)
    return added


def _contact(participant: Participant) -> tuple[str, str] | None:
    applicant = participant.applicant
    if applicant.email:
        return "email", applicant.email
    if applicant.phone:
        return "whatsapp", applicant.phone
    return None


def referrals_send(*, vacancy: Vacancy, actor: User) -> int:
    """Tells each shortlisted graduate about the vacancy through the outbox."""
    if vacancy.closes_on < timezone.localdate():
        raise PlacementError({"": [_("The vacancy is closed; it cannot be sent any more.")]})
    sent = 0
    place = vacancy.country if vacancy.location == Vacancy.Location.ABROAD else vacancy.place
    with transaction.atomic():
        shortlisted = vacancy.referrals.select_for_update().filter(state=ReferralState.SHORTLISTED)
        for referral in shortlisted.select_related("participant__applicant"):
            contact = _contact(referral.participant)
            if contact is not None:
                # A bad number must not block the others; staff see "referred" and can phone.
                with contextlib.suppress(InvalidRecipient):
                    message_enqueue(
                        channel=contact[0],
                        recipient=contact[1],
                        template="vacancy_referral",
                        context={
                            "name": referral.participant.applicant.full_name,
                            "position": vacancy.position,
                            "employer": vacancy.employer,
                            "place": place or "-",
                            "closes": vacancy.closes_on.strftime("%d-%m-%Y"),
                        },
                        language="id",
                        idempotency_key=f"referral:{referral.pk}",
                        about=referral,
                    )
            Referral.objects.filter(pk=referral.pk).update(
                state=ReferralState.SENT, sent_at=timezone.now()
            )
            sent += 1
        if sent:
            audit_log(actor=actor, action="vacancy.refer", obj=vacancy, sent=sent)
    return sent


def referral_outcome(
    *, referral: Referral, state: str, actor: User, start_date: dt.date | None = None
) -> Referral:
    """Records what came of a referral; a hire appends a placement record."""
    if state not in REFERRAL_OUTCOMES:
        raise PlacementError({"state": [_("Choose an outcome.")]})
    with transaction.atomic():
        before = (
            Referral.objects.select_for_update()
            .filter(pk=referral.pk)
            .values_list("state", flat=True)
            .first()
        )
        # Compare-and-set; the same outcome again (a double click) changes nothing, so a
        # hire appends its placement record once.
        changed = (
            Referral.objects.filter(
                pk=referral.pk, state__in=[ReferralState.SENT, *REFERRAL_OUTCOMES]
            )
            .exclude(state=state)
            .update(state=state, decided_at=timezone.now())
        )
        if changed != 1:
            if Referral.objects.filter(pk=referral.pk, state=state).exists():
                raise PlacementError({"": [_("This outcome is already recorded.")]})
            raise PlacementError({"": [_("Refer the graduate before recording an outcome.")]})
        referral.refresh_from_db()
        vacancy = referral.vacancy
        if state == ReferralState.HIRED:
            abroad = vacancy.location == Vacancy.Location.ABROAD
            placement_record(
                participant=referral.participant,
                data=PlacementData(
                    outcome=Outcome.MIGRANT if abroad else Outcome.EMPLOYED,
                    employer=vacancy.employer,
                    position=vacancy.position,
                    place=vacancy.place,
                    country=vacancy.country,
                    agency=vacancy.agency,
                    start_date=None if abroad else start_date,
                    departure_date=start_date if abroad else None,
                ),
                source=Source.REFERRAL,
                actor=actor,
                referral=referral,
            )
        elif before == ReferralState.HIRED:
            _withdraw_hire(referral, actor=actor)
        audit_log(actor=actor, action="referral.outcome", obj=referral, state=state)
    return referral


def _withdraw_hire(referral: Referral, *, actor: User) -> None:
    """A hire recorded by mistake is corrected. Records are never changed: if the placement
    this referral appended is still the graduate's current one, the last state that still
    holds is appended again - a record from staff, a tracer answer, or another hire still
    standing - tagged with where it came from, so taking that hire back later works too.
    With nothing known before, the graduate is recorded as not yet employed: they were
    looking for work when referred, and were not hired."""
    records = PlacementRecord.objects.filter(participant=referral.participant_id)
    current = records.first()
    if current is None or current.referral_id != referral.pk:
        return  # a later record, say a tracer answer, already says where the graduate is
    earlier = (
        records.exclude(referral=referral)
        .filter(Q(referral__isnull=True) | Q(referral__state=ReferralState.HIRED))
        .first()
    )
    note = _("Correction: not hired by %(employer)s after all.") % {
        "employer": referral.vacancy.employer
    }
    data, origin = PlacementData(outcome=Outcome.NOT_EMPLOYED, note=note), referral
    if earlier is not None:
        restored = PlacementData(
            **{f.name: getattr(earlier, f.name) for f in fields(PlacementData)} | {"note": note}
        )
        # A record from before today's rules (say "employed" without the employer) cannot
        # be restored as it was; then "not yet employed" stands.
        if not check_placement(restored):
            data, origin = restored, earlier.referral or referral
    placement_record(
        participant=referral.participant,
        data=data,
        source=Source.REFERRAL,
        actor=actor,
        referral=origin,
    )


# --- tracer study ---------------------------------------------------------------------


def tracer_start(participant: Participant, *, today: dt.date) -> dt.date | None:
    """From when the waves count: the end of training, or the release of an inmate."""
    if not released_or_free(participant, today=today):
        return None
    inmate = getattr(participant.applicant, "inmate", None)
    start = participant.batch.training_ends
    if inmate is not None and participant.batch.venue_partner_id == inmate.prison_id:
        assert inmate.expected_release is not None  # released_or_free checked it
        start = max(start, inmate.expected_release)
    return start


def _new_token(survey: TracerSurvey, *, now: dt.datetime) -> str:
    token = secrets.token_urlsafe(24)
    survey.token_hash = token_hash(token)
    survey.expires_at = now + dt.timedelta(days=TRACER_LINK_DAYS)
    return token


def tracer_url(token: str) -> str:
    return settings.SITE_URL + reverse("tracer:answer", args=[token])


@dataclass(frozen=True)
class TracerRun:
    created: int
    sent: int
    without_contact: int


def tracer_send_due(*, today: dt.date | None = None) -> TracerRun:
    """The periodic job: for each graduate, the latest wave that is due and not yet made
    gets its survey, and a message with a personal link if we have an address.

    Safe to run as often as one likes: a (graduate, wave) pair gets one survey (a database
    constraint), and its message has the survey's idempotency key. Earlier waves missed
    (the job was not running) are not sent late: the latest one asks the same question.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    created = sent = without_contact = 0
    candidates = (
        graduates()
        .filter(batch__training_ends__lte=add_months(today, -TRACER_WAVES[0]))
        .select_related("applicant__inmate", "batch__venue_partner", "batch__programme")
        .prefetch_related("tracer_surveys")
    )
    for participant in candidates:
        start = tracer_start(participant, today=today)
        if start is None:
            continue
        due = [w for w in TRACER_WAVES if add_months(start, w) <= today]
        if not due:
            continue
        wave = due[-1]
        if any(s.wave >= wave for s in participant.tracer_surveys.all()):
            continue
        with transaction.atomic():
            survey, made = TracerSurvey.objects.get_or_create(
                participant=participant, wave=wave, defaults={"due_on": add_months(start, wave)}
            )
            if not made:
                continue
            created += 1
            contact = _contact(participant)
            if contact is None:
                without_contact += 1
                continue
            token = _new_token(survey, now=now)
            try:
                message_enqueue(
                    channel=contact[0],
                    recipient=contact[1],
                    template="tracer_survey",
                    context={
                        "name": participant.applicant.full_name,
                        "batch": training_label(participant.batch),
                        "months": wave,
                        "url": tracer_url(token),
                        "days": TRACER_LINK_DAYS,
                    },
                    language="id",
                    idempotency_key=f"tracer:{survey.pk}",
                    about=survey,
                )
            except InvalidRecipient:
                without_contact += 1
                continue
            survey.sent_at = now
            survey.save(update_fields=["token_hash", "expires_at", "sent_at"])
            sent += 1
    return TracerRun(created=created, sent=sent, without_contact=without_contact)


class TracerClosed(Exception):
    """The link cannot take an answer (expired or already answered); text for the graduate."""


def tracer_answer(
    *, survey: TracerSurvey, data: PlacementData, via: str, actor: User | None
) -> PlacementRecord:
    """Records the answer to one survey: once, through its link before it expires, or by
    staff who phoned the graduate. The answer appends a placement record."""
    now = timezone.now()
    if via == TracerSurvey.Via.LINK and (survey.expires_at is None or survey.expires_at < now):
        raise TracerClosed(_("This link has expired. Please contact the training centre."))
    errors = check_placement(data)
    if errors:
        raise PlacementError(errors)
    with transaction.atomic():
        # Compare-and-set: of two submissions (a double tap, two tabs) one wins.
        changed = TracerSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
            answered_at=now, answered_via=via
        )
        if changed != 1:
            raise TracerClosed(_("This survey has already been answered. Thank you!"))
        survey.refresh_from_db()
        return placement_record(
            participant=survey.participant,
            data=data,
            source=Source.TRACER if via == TracerSurvey.Via.LINK else Source.PHONE,
            actor=actor,
            survey=survey,
        )


def tracer_phone_answer(
    *, participant: Participant, wave: int, data: PlacementData, actor: User
) -> PlacementRecord:
    """Staff record an answer taken by phone, for a wave whether or not a link was sent."""
    if wave not in TRACER_WAVES:
        raise PlacementError({"wave": [_("Choose the wave: 3, 6 or 12 months.")]})
    if participant.batch.state != BatchState.COMPLETED:
        raise PlacementError({"": [_("Only a graduate of a completed batch has a placement.")]})
    # Waves count from the release for an inmate, as the link job counts them.
    start = tracer_start(participant, today=timezone.localdate()) or participant.batch.training_ends
    with transaction.atomic():
        survey, _made = TracerSurvey.objects.get_or_create(
            participant=participant, wave=wave, defaults={"due_on": add_months(start, wave)}
        )
        return tracer_answer(survey=survey, data=data, via=TracerSurvey.Via.PHONE, actor=actor)
