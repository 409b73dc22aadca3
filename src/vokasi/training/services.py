"""Changes to who takes part in a batch and to how it is delivered. Every write goes through
here, inside one transaction, audited; a refused change writes nothing.

Closing a batch (penutupan) locks its records: afterwards only an administrator may change
them, and the audit entry says it happened after closing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vokasi.catalog.models import Batch, BatchState, CompetencyUnit
from vokasi.catalog.services import TransitionError, batch_transition
from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.core.roles import Perm, Role
from vokasi.intake.models import Applicant
from vokasi.training.models import (
    ATTITUDE_CRITERIA,
    Assessment,
    Attendance,
    AttendanceStatus,
    AttitudeAssessment,
    BatchStaff,
    DropoutReason,
    GraduationRule,
    Participant,
    Result,
    Session,
    StaffRole,
)
from vokasi.training.selectors import (
    batch_standings,
    centre_tz,
    is_staff_of,
    present_on,
    seats_taken,
    session_start,
)


class EnrolmentError(Exception):
    """The message is for staff."""


class TrainingError(Exception):
    """A change to a batch's delivery that is refused; the message is for the user."""


def participant_enrol(*, batch: Batch, applicant: Applicant, actor: User | None) -> Participant:
    """Puts a person on a batch's roster with the next participant number.

    The batch row is locked, so two simultaneous enrolments never take the same number or a
    seat beyond the quota. Enrolling someone already on the roster returns their record.
    """
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        existing = Participant.objects.filter(batch=locked, applicant=applicant).first()
        if existing is not None:
            return existing
        if seats_taken([locked]).get(locked.pk, 0) >= locked.quota:
            raise EnrolmentError(
                _("The batch is full: all %(n)d seats are taken.") % {"n": locked.quota}
            )
        number = (locked.participants.aggregate(m=Max("number"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    batch=locked, applicant=applicant, number=number
                )
        except IntegrityError as exc:  # pragma: no cover - the lock makes this unreachable
            raise EnrolmentError(_("This person could not be enrolled; try again.")) from exc
        audit_log(actor=actor, action="participant.enrol", obj=participant, applicant=applicant.pk)
    return participant


def _locked_batch(batch: Batch, actor: User) -> tuple[Batch, bool]:
    """The batch under a row lock, and whether this change comes after closing.

    Records of a running batch are open to its staff; a completed batch's only to an
    administrator (the audit entry says so); a batch not yet running or cancelled has none.
    """
    # of=("self",): lock the batch row only, not its programme and centre rows.
    locked = (
        Batch.objects.select_related("programme__centre")
        .select_for_update(of=("self",))
        .get(pk=batch.pk)
    )
    if locked.state == BatchState.COMPLETED:
        if actor.role != Role.ADMIN:
            raise TrainingError(
                _("The batch is closed; only an administrator may change its records.")
            )
        return locked, True
    if locked.state != BatchState.RUNNING:
        raise TrainingError(
            _("The batch is “%(state)s”: its records can be written once training is open.")
            % {"state": locked.get_state_display()}
        )
    return locked, False


# --- opening, roster and staffing -------------------------------------------------------


def batch_open(*, batch: Batch, actor: User) -> int:
    """Pembukaan: the roster from the accepted offers, the batch's instructors as staff,
    and the batch moved to "running". Returns the number of participants enrolled now."""
    from vokasi.selection.models import Offer, OfferState

    with transaction.atomic():
        Batch.objects.select_for_update().get(pk=batch.pk)
        before = batch.participants.count()
        offers = (
            Offer.objects.filter(batch=batch, state=OfferState.ACCEPTED)
            .select_related("application__applicant")
            .order_by("decided_at", "created_at", "id")
        )
        try:
            for offer in offers:
                participant_enrol(batch=batch, applicant=offer.application.applicant, actor=actor)
        except EnrolmentError as error:
            raise TrainingError(str(error)) from None
        for teacher in batch.instructors.all():
            BatchStaff.objects.get_or_create(batch=batch, user=teacher, role=StaffRole.INSTRUCTOR)
        # Places still unconfirmed at the opening can no longer be taken up (training has
        # begun, and answering needs a batch not yet under way): they lapse now, on record,
        # rather than linger until their deadline.
        now = timezone.now()
        for pending in Offer.objects.filter(batch=batch, state=OfferState.OPEN).select_related(
            "application"
        ):
            if Offer.objects.filter(pk=pending.pk, state=OfferState.OPEN).update(
                state=OfferState.LAPSED, decided_at=now, decided_by=actor
            ):
                audit_log(
                    actor=actor,
                    action="offer.lapse_at_opening",
                    obj=pending.application,
                    batch=batch.pk,
                )
        try:
            batch_transition(batch=batch, target=BatchState.RUNNING, actor=actor)
        except TransitionError as error:
            raise TrainingError(str(error)) from None
        return batch.participants.count() - before


def participant_enrol_direct(*, batch: Batch, applicant: Applicant, actor: User) -> Participant:
    """Staff put a nominated person (e.g. an inmate named by the prison) on the roster of a
    batch that has no public registration."""
    if batch.has_public_registration:
        raise TrainingError(
            _("This batch takes registrations: its roster comes from the accepted offers.")
        )
    if batch.state not in (BatchState.DRAFT, BatchState.RUNNING):
        raise TrainingError(
            _("Participants can be enrolled while the batch is a draft or running.")
        )
    try:
        return participant_enrol(batch=batch, applicant=applicant, actor=actor)
    except EnrolmentError as error:
        raise TrainingError(str(error)) from None


def staff_assign(*, batch: Batch, user: User, role: str, actor: User) -> BatchStaff:
    if role not in StaffRole.values:
        raise TrainingError(_("Choose instructor or assessor."))
    if user.role != role or not user.is_active:
        raise TrainingError(
            _("%(name)s has no active %(role)s account.")
            % {"name": user, "role": StaffRole(role).label}
        )
    if batch.state in (BatchState.COMPLETED, BatchState.CANCELLED) and actor.role != Role.ADMIN:
        raise TrainingError(_("The batch is closed; only an administrator may change it."))
    with transaction.atomic():
        staff, created = BatchStaff.objects.get_or_create(batch=batch, user=user, role=role)
        if created:
            audit_log(actor=actor, action="batch.staff_add", obj=batch, user=user.pk, role=role)
    return staff


def staff_remove(*, staff: BatchStaff, actor: User, today: dt.date | None = None) -> int:
    """Takes `staff` off the batch; returns how many of their sessions lost their
    instructor."""
    if (
        staff.batch.state in (BatchState.COMPLETED, BatchState.CANCELLED)
        and actor.role != Role.ADMIN
    ):
        raise TrainingError(_("The batch is closed; only an administrator may change it."))
    with transaction.atomic():
        # Their sessions from today on lose their instructor, so the schedule shows who
        # must be found instead; earlier sessions keep who taught them (staff record any
        # attendance still missing there).
        unassigned = 0
        if staff.role == StaffRole.INSTRUCTOR:
            unassigned = Session.objects.filter(
                batch=staff.batch,
                instructor_id=staff.user_id,
                attendance_taken_at__isnull=True,
                date__gte=today or timezone.localdate(),
            ).update(instructor=None)
        audit_log(
            actor=actor,
            action="batch.staff_remove",
            obj=staff.batch,
            user=staff.user_id,
            role=staff.role,
            sessions_unassigned=unassigned,
        )
        staff.delete()
    return unassigned


# --- schedule -----------------------------------------------------------------------------

MORNING = dt.time(8, 0)
AFTERNOON = dt.time(13, 0)
JP_PER_BLOCK = 4  # two blocks a day, around the midday break


def _block(start: dt.time, jp: int, minutes: int) -> tuple[dt.time, dt.time]:
    begin = dt.datetime.combine(dt.date(2000, 1, 1), start)
    return start, (begin + dt.timedelta(minutes=jp * minutes)).time()


def draft_sessions(
    *, batch: Batch, units: Sequence[CompetencyUnit], minutes: int, instructor_id: int | None
) -> list[Session]:
    """The draft schedule, unsaved: the units in order over the batch's weekdays, two blocks
    a day (08:00 and 13:00) of up to four JP each. A unit without JP is skipped; a programme
    without units gets its whole length as one topic. Stops when the units are covered or
    the days run out (staff then adjust)."""
    plan: list[tuple[CompetencyUnit | None, int]] = [(u, u.hours_jp) for u in units if u.hours_jp]
    if not plan:
        plan = [(None, batch.programme.hours_jp)]
    days = [
        batch.training_starts + dt.timedelta(days=i)
        for i in range((batch.training_ends - batch.training_starts).days + 1)
    ]
    slots = [(day, start) for day in days if day.weekday() < 5 for start in (MORNING, AFTERNOON)]
    sessions: list[Session] = []
    for day, start in slots:
        if not plan:
            break
        unit, left = plan[0]
        jp = min(left, JP_PER_BLOCK)
        begins, ends = _block(start, jp, minutes)
        sessions.append(
            Session(
                batch=batch,
                date=day,
                starts=begins,
                ends=ends,
                jp=jp,
                unit=unit,
                topic="" if unit else batch.programme.name,
                instructor_id=instructor_id,
                room=batch.venue_note,
            )
        )
        if left - jp:
            plan[0] = (unit, left - jp)
        else:
            plan.pop(0)
    return sessions


def schedule_generate(*, batch: Batch, actor: User) -> int:
    """Saves the draft schedule (see `draft_sessions`) with the first staffed instructor.
    Refused when the batch already has sessions. Returns the number of sessions made."""
    with transaction.atomic():
        locked = (
            Batch.objects.select_related("programme__centre")
            .select_for_update(of=("self",))
            .get(pk=batch.pk)
        )
        if locked.state in (BatchState.COMPLETED, BatchState.CANCELLED):
            raise TrainingError(_("A closed or cancelled batch keeps its schedule."))
        if locked.sessions.exists():
            raise TrainingError(_("The batch already has a schedule; adjust its sessions instead."))
        teacher = (
            BatchStaff.objects.filter(batch=locked, role=StaffRole.INSTRUCTOR)
            .order_by("id")
            .values_list("user_id", flat=True)
            .first()
        )
        sessions = draft_sessions(
            batch=locked,
            units=list(locked.programme.units.order_by("order", "id")),
            minutes=locked.programme.centre.jp_minutes,
            instructor_id=teacher,
        )
        Session.objects.bulk_create(sessions)
        audit_log(actor=actor, action="schedule.generate", obj=locked, sessions=len(sessions))
    return len(sessions)


def session_save(*, session: Session, actor: User) -> Session:
    """Creates or changes one session after checking it belongs to its batch."""
    batch = session.batch
    if (
        session.unit_id
        and not CompetencyUnit.objects.filter(
            pk=session.unit_id, programme_id=batch.programme_id
        ).exists()
    ):
        raise TrainingError(_("That unit is not in this batch's programme."))
    if (
        session.instructor_id
        and not BatchStaff.objects.filter(
            batch=batch, user_id=session.instructor_id, role=StaffRole.INSTRUCTOR
        ).exists()
    ):
        raise TrainingError(_("That instructor does not teach this batch; add them to its staff."))
    if not (batch.training_starts <= session.date <= batch.training_ends):
        raise TrainingError(_("The date is outside the batch's training dates."))
    if session.ends <= session.starts:
        raise TrainingError(_("A session must end after it starts."))
    if not 1 <= session.jp <= 12:
        raise TrainingError(_("A session has 1 to 12 JP."))
    if not session.unit_id and not session.topic.strip():
        raise TrainingError(_("Give the competency unit or the topic."))
    with transaction.atomic():
        # The state under the batch lock, as closing sees it: a page opened while the batch
        # ran must not add a session (without attendance) to a batch closed since.
        batch = Batch.objects.select_for_update(of=("self",)).get(pk=batch.pk)
        if batch.state in (BatchState.COMPLETED, BatchState.CANCELLED) and actor.role != Role.ADMIN:
            raise TrainingError(
                _("The batch is closed; only an administrator may change its records.")
            )
        new = session.pk is None
        session.save()
        audit_log(actor=actor, action="session.create" if new else "session.update", obj=session)
        if batch.state == BatchState.COMPLETED:  # an administrator's correction: see _regrade
            _regrade(batch, actor)
    return session


def session_delete(*, session: Session, actor: User) -> None:
    """Removes a session from the schedule; one whose attendance was taken stays (it is
    part of every participant's JP)."""
    with transaction.atomic():
        # The batch first, as attendance_record does, so the two never interleave: a
        # session is removed either before its attendance is taken or not at all.
        Batch.objects.select_for_update(of=("self",)).get(pk=session.batch_id)
        locked = Session.objects.select_related("batch").filter(pk=session.pk).first()
        if locked is None:
            return
        if locked.batch.state in (BatchState.COMPLETED, BatchState.CANCELLED):
            raise TrainingError(_("A closed or cancelled batch keeps its schedule."))
        if locked.attendance_taken_at is not None:
            raise TrainingError(_("This session's attendance was taken; it cannot be removed."))
        audit_log(actor=actor, action="session.delete", obj=locked.batch, session=str(locked))
        locked.delete()


# --- attendance ---------------------------------------------------------------------------


def may_take_attendance(*, session: Session, user: User) -> bool:
    """Staff, and the batch's instructors while they are on its staff: being named on a
    session is not enough, since an instructor taken off the batch no longer sees its
    people (see staff_remove)."""
    return user.can(Perm.TRAINING_MANAGE) or is_staff_of(session.batch, user, StaffRole.INSTRUCTOR)


def attendance_record(
    *,
    session: Session,
    exceptions: Mapping[int, str],
    actor: User,
    now: dt.datetime | None = None,
) -> int:
    """Records a session's attendance: everyone on the roster that day is present except
    `exceptions` (participant id -> late / excused / absent / present). Recording again
    replaces the earlier marks. Returns the number of participants marked; queues the
    warnings that follow."""
    now = now or timezone.now()
    if not may_take_attendance(session=session, user=actor):
        raise TrainingError(_("Only the batch's instructors and staff take its attendance."))
    with transaction.atomic():
        batch, after_closing = _locked_batch(session.batch, actor)
        # Read again under the batch lock (session_delete takes the same lock first): the
        # page may have been opened before staff removed or moved the session.
        current = Session.objects.filter(pk=session.pk, batch=batch).first()
        if current is None:
            raise TrainingError(_("This session was removed from the schedule."))
        given, session = session, current
        if session_start(session, centre_tz(batch)) > now:
            raise TrainingError(
                _("This session has not started yet; attendance is taken once it has begun.")
            )
        roster = present_on(batch, session.date)
        known = {p.pk for p in roster}
        unknown = [pid for pid in exceptions if pid not in known]
        if unknown:
            raise TrainingError(_("Some of the marked people are not on this session's roster."))
        bad = [v for v in exceptions.values() if v not in AttendanceStatus.values]
        if bad:
            raise TrainingError(_("Unknown attendance mark: %(mark)s.") % {"mark": bad[0]})
        Attendance.objects.filter(session=session).delete()
        Attendance.objects.bulk_create(
            Attendance(
                session=session,
                participant=p,
                status=exceptions.get(p.pk, AttendanceStatus.PRESENT),
            )
            for p in roster
        )
        session.attendance_taken_at = now
        session.attendance_taken_by = actor
        session.save(update_fields=["attendance_taken_at", "attendance_taken_by"])
        given.attendance_taken_at, given.attendance_taken_by = now, actor
        audit_log(
            actor=actor,
            action="attendance.record",
            obj=session,
            marks={str(k): v for k, v in exceptions.items() if v != AttendanceStatus.PRESENT},
            after_closing=after_closing,
        )
        if after_closing:
            _regrade(batch, actor, only=known)
        else:
            from vokasi.training.warnings import attendance_warnings

            attendance_warnings(batch=batch, session=session, participant_ids=known)
    return len(roster)


def participant_drop(
    *, participant: Participant, reason: str, on: dt.date, note: str, actor: User
) -> Participant:
    """A participant leaves the batch: their seat is freed, their attendance stops there."""
    if reason not in DropoutReason.values:
        raise TrainingError(_("Choose the reason for dropping out."))
    if reason == DropoutReason.OTHER and not note.strip():
        raise TrainingError(_("Describe the reason in the note."))
    with transaction.atomic():
        batch, after_closing = _locked_batch(participant.batch, actor)
        if not (batch.training_starts <= on <= batch.training_ends):
            raise TrainingError(_("The date is outside the batch's training dates."))
        if on > timezone.localdate():
            raise TrainingError(_("The date cannot be in the future."))
        changed = Participant.objects.filter(
            pk=participant.pk, status=Participant.Status.ACTIVE
        ).update(
            status=Participant.Status.DROPPED,
            dropped_on=on,
            dropout_reason=reason,
            dropout_note=note.strip(),
        )
        if changed != 1:
            raise TrainingError(_("Only a participant in training can drop out."))
        Attendance.objects.filter(participant=participant, session__date__gt=on).delete()
        participant.refresh_from_db()
        audit_log(
            actor=actor,
            action="participant.drop",
            obj=participant,
            reason=reason,
            on=on.isoformat(),
            after_closing=after_closing,
        )
    return participant


# --- assessment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentInput:
    participant: Participant
    unit: CompetencyUnit
    result: str
    assessed_on: dt.date
    evidence: str = ""


def _check_assessor(batch: Batch, assessor: User) -> None:
    if not is_staff_of(batch, assessor, StaffRole.ASSESSOR):
        raise TrainingError(_("%(name)s is not an assessor of this batch.") % {"name": assessor})


def assessments_record(
    *, batch: Batch, rows: Sequence[AssessmentInput], assessor: User, actor: User
) -> int:
    """Adds competency results (append-only: a re-assessment is a new row and the latest
    counts). Every row is checked first; one bad row refuses them all."""
    if not rows:
        raise TrainingError(_("Nothing to record."))
    with transaction.atomic():
        locked, after_closing = _locked_batch(batch, actor)
        _check_assessor(locked, assessor)
        today = timezone.localdate()
        for row in rows:
            if row.participant.batch_id != locked.pk:
                raise TrainingError(
                    _("%(name)s is not on this batch's roster.")
                    % {"name": row.participant.applicant.full_name}
                )
            if row.participant.status == Participant.Status.DROPPED:
                raise TrainingError(
                    _("%(name)s has dropped out.") % {"name": row.participant.applicant.full_name}
                )
            if row.unit.programme_id != locked.programme_id:
                raise TrainingError(
                    _("Unit %(code)s is not in this batch's programme.") % {"code": row.unit.code}
                )
            if row.result not in Result.values:
                raise TrainingError(_("The result is K (competent) or BK (not yet competent)."))
            if not (locked.training_starts <= row.assessed_on <= today):
                raise TrainingError(
                    _("The assessment date must be within training and not in the future.")
                )
        Assessment.objects.bulk_create(
            Assessment(
                participant=row.participant,
                unit=row.unit,
                result=row.result,
                assessed_on=row.assessed_on,
                assessor=assessor,
                evidence=row.evidence.strip()[:250],
                recorded_by=actor,
            )
            for row in rows
        )
        audit_log(
            actor=actor,
            action="assessment.record",
            obj=locked,
            assessor=assessor.pk,
            rows=[[r.participant.number, r.unit.code, r.result] for r in rows],
            after_closing=after_closing,
        )
        if after_closing:
            _regrade(locked, actor, only={r.participant.pk for r in rows})
    return len(rows)


def attitude_record(
    *,
    participant: Participant,
    scores: Mapping[str, int],
    assessed_on: dt.date,
    assessor: User,
    actor: User,
) -> AttitudeAssessment:
    if set(scores) != set(ATTITUDE_CRITERIA) or not all(
        isinstance(v, int) and 1 <= v <= 5 for v in scores.values()
    ):
        raise TrainingError(_("Score each of the five criteria from 1 to 5."))
    with transaction.atomic():
        batch, after_closing = _locked_batch(participant.batch, actor)
        _check_assessor(batch, assessor)
        if participant.status == Participant.Status.DROPPED:
            raise TrainingError(
                _("%(name)s has dropped out.") % {"name": participant.applicant.full_name}
            )
        if not (batch.training_starts <= assessed_on <= timezone.localdate()):
            raise TrainingError(
                _("The assessment date must be within training and not in the future.")
            )
        row = AttitudeAssessment.objects.create(
            participant=participant, assessed_on=assessed_on, assessor=assessor, **scores
        )
        audit_log(
            actor=actor,
            action="attitude.record",
            obj=participant,
            scores=dict(scores),
            after_closing=after_closing,
        )
    return row


# --- closing ------------------------------------------------------------------------------


def _regrade(batch: Batch, actor: User, only: Iterable[int] | None = None) -> None:
    """After an administrator changes a closed batch's records, the graduation rule is
    applied again to the decided participants concerned, so an outcome never rests on a
    record that was corrected. Each change of outcome is audited."""
    for standing in batch_standings(batch, only=only):
        p = standing.participant
        if p.status not in (Participant.Status.GRADUATED, Participant.Status.NOT_GRADUATED):
            continue
        status = (
            Participant.Status.NOT_GRADUATED if standing.reasons else Participant.Status.GRADUATED
        )
        if status == p.status and standing.reasons == p.outcome_reasons:
            continue
        before = p.status
        p.status, p.outcome_reasons = status, standing.reasons
        p.save(update_fields=["status", "outcome_reasons"])
        audit_log(
            actor=actor,
            action="participant.regrade",
            obj=p,
            before=before,
            status=status,
            reasons=standing.reasons,
        )


def batch_close(*, batch: Batch, actor: User) -> tuple[int, int]:
    """Penutupan: the graduation rule decides each participant in training, the reasons
    are kept, and the batch becomes "completed" (its records locked). Refused while a
    session has no attendance. Returns (graduated, not graduated)."""
    with transaction.atomic():
        locked = (
            Batch.objects.select_related("programme")
            .select_for_update(of=("self",))
            .get(pk=batch.pk)
        )
        if locked.state != BatchState.RUNNING:
            raise TrainingError(_("Only a running batch can be closed."))
        if not locked.sessions.exists():
            # 0 of 0 JP would count as full attendance and graduate everyone competent.
            raise TrainingError(
                _("The batch has no schedule: add its sessions and take their attendance first.")
            )
        untaken = locked.sessions.filter(attendance_taken_at__isnull=True).count()
        if untaken:
            raise TrainingError(
                ngettext(
                    "%(n)d session has no attendance yet; take it before closing.",
                    "%(n)d sessions have no attendance yet; take it before closing.",
                    untaken,
                )
                % {"n": untaken}
            )
        graduated = failed = 0
        for standing in batch_standings(locked):
            p = standing.participant
            if p.status != Participant.Status.ACTIVE:
                continue
            p.status = (
                Participant.Status.NOT_GRADUATED
                if standing.reasons
                else Participant.Status.GRADUATED
            )
            p.outcome_reasons = standing.reasons
            p.save(update_fields=["status", "outcome_reasons"])
            graduated += not standing.reasons
            failed += bool(standing.reasons)
        try:
            batch_transition(batch=locked, target=BatchState.COMPLETED, actor=actor)
        except TransitionError as error:
            raise TrainingError(str(error)) from None
        audit_log(
            actor=actor, action="batch.close", obj=locked, graduated=graduated, not_graduated=failed
        )
        batch.state = locked.state
    return graduated, failed


def rule_save(*, rule: GraduationRule, actor: User) -> GraduationRule:
    """A programme's graduation rule; batches already closed keep the outcomes they got."""
    with transaction.atomic():
        rule.save()
        audit_log(
            actor=actor,
            action="graduation_rule.save",
            obj=rule.programme,
            threshold=rule.attendance_threshold,
            all_units=rule.all_units_competent,
            streak=rule.absence_streak,
        )
    return rule
