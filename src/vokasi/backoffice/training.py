"""Training delivery in the back office: roster, staffing, schedule, attendance (phone-first),
assessments, dropouts, exports and the graduation overview. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from vokasi.backoffice.selectors import roster_visible
from vokasi.catalog.models import (
    FROZEN_BATCH_STATES,
    Batch,
    BatchState,
    CompetencyUnit,
    Programme,
)
from vokasi.core.audit import audit_log
from vokasi.core.forms import DateInput, query_int
from vokasi.core.masking import mask_nik
from vokasi.core.models import User
from vokasi.core.roles import Perm, Role
from vokasi.core.views import PermRequiredMixin, request_user
from vokasi.intake.models import Applicant
from vokasi.training import excel
from vokasi.training.models import (
    ATTITUDE_CRITERIA,
    AttendanceStatus,
    BatchStaff,
    DropoutReason,
    GraduationRule,
    Participant,
    Result,
    Session,
    StaffRole,
)
from vokasi.training.rules import reason_text
from vokasi.training.selectors import (
    batch_sessions,
    batch_standings,
    calendar_marks,
    centre_tz,
    instructor_sessions,
    is_staff_of,
    present_on,
    roster,
    rule_for,
    session_start,
    sessions_by_week,
    staff_of,
)
from vokasi.training.services import (
    AssessmentInput,
    TrainingError,
    assessments_record,
    attendance_record,
    attitude_record,
    may_take_attendance,
    participant_drop,
    participant_enrol_direct,
    schedule_generate,
    session_delete,
    session_save,
    staff_assign,
    staff_remove,
)

TRAINING_PERMS = (Perm.TRAINING_MANAGE, Perm.ATTENDANCE_RECORD, Perm.ASSESSMENT_RECORD)


class AnyPermMixin(PermRequiredMixin):
    """Lets in a user holding any one of `perms` (instructors, assessors and staff share
    the training pages; each action checks its own right)."""

    perms: tuple[Perm, ...] = TRAINING_PERMS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            self.perm = next((p for p in self.perms if user.can(p)), self.perms[0])
        return super().dispatch(request, *args, **kwargs)


def may_open_training(batch: Batch, user: User) -> bool:
    """Whether the batch's training pages (participants, schedule) open for this user: the
    same checks as `AnyPermMixin` and `_batch`, so a link is shown only where it leads."""
    return any(user.can(p) for p in TRAINING_PERMS) and roster_visible(batch, user)


@dataclass(frozen=True)
class Editing:
    """What a training page offers this user on this batch, decided as the services decide
    (they refuse the same writes; this only keeps the page from offering them): `open`
    shows the controls, `correction` marks them as an administrator's change to a closed
    batch (audited), `reason` says why the page is read-only."""

    open: bool
    correction: bool = False
    reason: str = ""


def records_editing(batch: Batch, user: User) -> Editing:
    """Attendance, dropouts, competency and attitude (`_locked_batch` in the services): open
    while training runs; once closed only to an administrator; before it runs to nobody."""
    if batch.state == BatchState.RUNNING:
        return Editing(open=True)
    if batch.state == BatchState.COMPLETED:
        if user.role == Role.ADMIN:
            return Editing(open=True, correction=True)
        return Editing(
            open=False,
            reason=_("The batch is closed; only an administrator may change its records."),
        )
    return Editing(
        open=False,
        reason=_("The batch is “%(state)s”: its records can be written once training is open.")
        % {"state": batch.get_state_display()},
    )


def plan_editing(batch: Batch, user: User) -> Editing:
    """Staffing and sessions (`staff_assign`, `staff_remove`, `session_save`): open until the
    batch is completed or cancelled, then only to an administrator."""
    if batch.state not in FROZEN_BATCH_STATES:
        return Editing(open=True)
    if user.role == Role.ADMIN:
        return Editing(open=True, correction=True)
    return Editing(
        open=False, reason=_("The batch is closed; only an administrator may change it.")
    )


def enrol_editing(batch: Batch) -> Editing:
    """Direct enrolment (`participant_enrol_direct`): nominated batches, draft or running."""
    if batch.has_public_registration:
        return Editing(
            open=False,
            reason=_("This batch takes registrations: its roster comes from the accepted offers."),
        )
    if batch.state not in (BatchState.DRAFT, BatchState.RUNNING):
        return Editing(
            open=False,
            reason=_("Participants can be enrolled while the batch is a draft or running."),
        )
    return Editing(open=True)


def _batch(request: HttpRequest, pk: int) -> Batch:
    """The batch, if this user may see its people: a batch held in a prison only to staff
    allowed to see inmates, the prison's officer and the batch's own instructors and
    assessors (anyone else gets a 404, as for a batch that does not exist)."""
    batch = get_object_or_404(Batch.objects.select_related("programme__centre__region"), pk=pk)
    if not roster_visible(batch, request_user(request)):
        raise Http404
    return batch


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- overview ------------------------------------------------------------------------------


class BatchTrainingView(AnyPermMixin, View):
    """Where every participant stands: attendance in JP, units, attitude, the rule's verdict."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        standings = batch_standings(batch)
        units = list(batch.programme.units.order_by("order", "id"))
        rule = rule_for(batch.programme)
        rows = [
            {
                "s": s,
                "nik": mask_nik(s.participant.applicant.nik),
                "competent": sum(1 for a in s.results.values() if a.result == Result.COMPETENT),
                "attitude": (
                    round(sum(getattr(s.attitude, c) for c in ATTITUDE_CRITERIA) / 5, 1)
                    if s.attitude
                    else None
                ),
                "reasons": (
                    s.outlook(threshold=rule.attendance_threshold)
                    if s.participant.status == Participant.Status.ACTIVE
                    else [reason_text(r) for r in s.participant.outcome_reasons]
                ),
            }
            for s in standings
        ]
        return render(
            request,
            "backoffice/training/overview.html",
            {
                "batch": batch,
                "rows": rows,
                "units": units,
                "rule": rule,
                "instructors": staff_of(batch, StaffRole.INSTRUCTOR),
                "assessors": staff_of(batch, StaffRole.ASSESSOR),
                "total_jp": standings[0].total_jp if standings else 0,
                "can_manage": user.can(Perm.TRAINING_MANAGE),
                "can_assess": user.can(Perm.ASSESSMENT_RECORD),
                "editing": records_editing(batch, user),
                "closed": batch.state == BatchState.COMPLETED,
            },
        )


class RosterPrintView(PermRequiredMixin, View):
    """The roster on paper (print CSS): the letterhead, numbers, names, masked NIKs."""

    perm = Perm.TRAINING_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        return render(
            request,
            "backoffice/training/roster_print.html",
            {
                "batch": batch,
                "centre_": batch.programme.centre,
                "participants": [
                    {"p": p, "nik": mask_nik(p.applicant.nik)}
                    for p in roster(batch).exclude(status=Participant.Status.DROPPED)
                ],
                "today": timezone.localdate(),
                # "Bontang, 30 Juli 2025": the place is the town, without "Kota".
                "place": batch.programme.centre.region.name.removeprefix("Kota ").removeprefix(
                    "Kabupaten "
                ),
            },
        )


class EnrolForm(forms.Form):
    nik = forms.CharField(label=gettext_lazy("NIK"), max_length=20)


class EnrolView(PermRequiredMixin, View):
    """Direct enrolment of a nominated person (batches without public registration). The
    person must already be on record (registered at the front desk or by the partner)."""

    perm = Perm.TRAINING_MANAGE

    def _render(self, request: HttpRequest, batch: Batch, form: EnrolForm) -> HttpResponse:
        return render(
            request,
            "backoffice/training/enrol.html",
            {
                "batch": batch,
                "form": form,
                "participants": roster(batch),
                "editing": enrol_editing(batch),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, _batch(request, pk), EnrolForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        form = EnrolForm(request.POST)
        if form.is_valid():
            nik = "".join(ch for ch in form.cleaned_data["nik"] if ch.isdigit())
            applicant = Applicant.objects.filter(nik=nik).first()
            if applicant is None:
                form.add_error(
                    "nik", _("No person with this NIK is on record; register them first.")
                )
            else:
                try:
                    participant = participant_enrol_direct(
                        batch=batch, applicant=applicant, actor=request_user(request)
                    )
                except TrainingError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("%(name)s is participant number %(number)s.")
                        % {"name": applicant.full_name, "number": participant.number},
                    )
                    return redirect("backoffice:batch_enrol", pk=pk)
        return self._render(request, batch, form)


# --- staffing -----------------------------------------------------------------------------


class StaffingView(PermRequiredMixin, View):
    perm = Perm.TRAINING_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        return render(
            request,
            "backoffice/training/staffing.html",
            {
                "batch": batch,
                "editing": plan_editing(batch, request_user(request)),
                "staffing": batch.staffing.select_related("user"),
                "candidates": User.objects.filter(
                    role__in=[Role.INSTRUCTOR, Role.ASSESSOR], is_active=True
                ).order_by("role", "full_name"),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        actor = request_user(request)
        try:
            if (remove := query_int(str(request.POST.get("remove", "")))) is not None:
                staff = get_object_or_404(BatchStaff, pk=remove, batch=batch)
                if unassigned := staff_remove(staff=staff, actor=actor):
                    messages.warning(
                        request,
                        ngettext(
                            "%(n)d session still to be held has no instructor now; "
                            "choose one in the schedule.",
                            "%(n)d sessions still to be held have no instructor now; "
                            "choose one in the schedule.",
                            unassigned,
                        )
                        % {"n": unassigned},
                    )
            else:
                user_id = query_int(str(request.POST.get("user", "")))
                user = User.objects.filter(pk=user_id).first() if user_id else None
                if user is None:
                    raise TrainingError(_("Choose a person."))
                staff_assign(batch=batch, user=user, role=user.role, actor=actor)
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Staffing saved."))
        return redirect("backoffice:batch_staffing", pk=pk)


# --- schedule -----------------------------------------------------------------------------


class ScheduleView(AnyPermMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        sessions = list(batch_sessions(batch))
        return render(
            request,
            "backoffice/training/schedule.html",
            {
                "batch": batch,
                "weeks": sessions_by_week(sessions),
                **calendar_marks(sessions),
                "total_jp": sum(s.jp for s in sessions),
                "can_manage": request_user(request).can(Perm.TRAINING_MANAGE),
                "editing": plan_editing(batch, request_user(request)),
                "records": records_editing(batch, request_user(request)),
                "may_generate": batch.state not in FROZEN_BATCH_STATES,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request_user(request).can(Perm.TRAINING_MANAGE):
            raise PermissionDenied
        try:
            n = schedule_generate(batch=_batch(request, pk), actor=request_user(request))
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Draft schedule: %(n)d sessions. Adjust as needed.") % {"n": n}
            )
        return redirect("backoffice:batch_schedule", pk=pk)


class SessionForm(forms.ModelForm[Session]):
    class Meta:
        model = Session
        fields = ["date", "starts", "ends", "jp", "unit", "topic", "instructor", "room"]
        widgets = {
            "date": DateInput(),
            "starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = CompetencyUnit.objects.filter(programme_id=batch.programme_id)
        teacher = self.fields["instructor"]
        assert isinstance(teacher, forms.ModelChoiceField)
        teacher.queryset = staff_of(batch, StaffRole.INSTRUCTOR)


class SessionEditView(PermRequiredMixin, View):
    perm = Perm.TRAINING_MANAGE

    def _session(self, pk: int | None, batch_pk: int | None) -> Session:
        if pk is not None:
            return get_object_or_404(
                Session.objects.select_related("batch__programme__centre"), pk=pk
            )
        return Session(batch=get_object_or_404(Batch, pk=batch_pk or 0), jp=4)  # staff only

    def get(self, request: HttpRequest, pk: int, new: bool = False) -> HttpResponse:
        session = self._session(None if new else pk, pk if new else None)
        form = SessionForm(instance=session, batch=session.batch)
        return self._render(request, session, form)

    def post(self, request: HttpRequest, pk: int, new: bool = False) -> HttpResponse:
        session = self._session(None if new else pk, pk if new else None)
        if request.POST.get("action") == "delete" and session.pk:
            try:
                session_delete(session=session, actor=request_user(request))
            except TrainingError as error:
                messages.error(request, str(error))
                return redirect("backoffice:session_update", pk=session.pk)
            messages.success(request, _("Session removed."))
            return redirect("backoffice:batch_schedule", pk=session.batch_id)
        form = SessionForm(request.POST, instance=session, batch=session.batch)
        if form.is_valid():
            try:
                session_save(session=form.save(commit=False), actor=request_user(request))
            except TrainingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Session saved."))
                return redirect("backoffice:batch_schedule", pk=session.batch_id)
        return self._render(request, session, form)

    def _render(self, request: HttpRequest, session: Session, form: SessionForm) -> HttpResponse:
        return render(
            request,
            "backoffice/training/session_form.html",
            {
                "form": form,
                "session": session,
                "title": _("Session of %(batch)s") % {"batch": session.batch.name},
                "editing": plan_editing(session.batch, request_user(request)),
                # session_delete keeps a closed or cancelled batch's schedule, even for an
                # administrator, and a session whose attendance was taken.
                "may_delete": session.pk is not None
                and session.attendance_taken_at is None
                and session.batch.state not in FROZEN_BATCH_STATES,
            },
        )


class MySessionsView(PermRequiredMixin, View):
    """An instructor's calendar: their sessions by week, today's first in view."""

    perm = Perm.ATTENDANCE_RECORD

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        today = timezone.localdate()
        show_all = request.GET.get("all") == "1"
        sessions = instructor_sessions(user)
        upcoming = sessions.filter(date__gte=today - dt.timedelta(days=today.weekday()))
        # Nothing ahead (between batches): the latest sessions rather than an empty page.
        nothing_ahead = not show_all and not upcoming.exists()
        if show_all or nothing_ahead:
            chosen = list(sessions.order_by("-date", "-starts")[:200])[::-1]
        else:
            chosen = list(upcoming[:200])
        return render(
            request,
            "backoffice/training/my_sessions.html",
            {
                "weeks": sessions_by_week(chosen),
                **calendar_marks(chosen),
                "show_all": show_all,
                "nothing_ahead": nothing_ahead,
            },
        )


class MyBatchesView(AnyPermMixin, View):
    """The batches the user teaches or assesses, latest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        batches = (
            Batch.objects.filter(staffing__user=user)
            .select_related("programme")
            .distinct()
            .order_by("-training_starts")
        )
        roles: dict[int, list[str]] = {}
        for batch_id, role in BatchStaff.objects.filter(user=user).values_list("batch_id", "role"):
            roles.setdefault(batch_id, []).append(str(StaffRole(role).label))
        return render(
            request,
            "backoffice/training/my_batches.html",
            {"rows": [(b, roles.get(b.pk, [])) for b in batches]},
        )


# --- attendance ---------------------------------------------------------------------------


class AttendanceView(PermRequiredMixin, View):
    """Phone-first: everyone present by default; tap the exceptions; one POST."""

    perm = Perm.ATTENDANCE_RECORD

    def _session(self, pk: int) -> Session:
        return get_object_or_404(
            Session.objects.select_related("batch__programme__centre", "unit", "instructor"),
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self._session(pk)
        if not may_take_attendance(session=session, user=request_user(request)):
            raise PermissionDenied
        marks = dict(session.attendance.values_list("participant_id", "status"))
        people = present_on(session.batch, session.date)
        started = session_start(session, centre_tz(session.batch)) <= timezone.now()
        labels = dict(AttendanceStatus.choices)
        return render(
            request,
            "backoffice/training/attendance.html",
            {
                "session": session,
                "rows": [(p, marks.get(p.pk, AttendanceStatus.PRESENT)) for p in people],
                # Read-only: the marks as recorded, nobody's presumed present.
                "marked": [(p, labels.get(marks.get(p.pk, ""), "–")) for p in people],
                "statuses": AttendanceStatus.choices,
                "started": started,
                "editing": records_editing(session.batch, request_user(request)),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self._session(pk)
        exceptions: dict[int, str] = {}
        for key, value in request.POST.items():
            if key.startswith("p-") and (pid := query_int(key[2:])) is not None:
                exceptions[pid] = str(value)
        try:
            n = attendance_record(
                session=session, exceptions=exceptions, actor=request_user(request)
            )
        except TrainingError as error:
            messages.error(request, str(error))
            return redirect("backoffice:session_attendance", pk=pk)
        away = sum(1 for v in exceptions.values() if v != AttendanceStatus.PRESENT)
        messages.success(
            request,
            _("Attendance saved: %(n)d participants, %(away)d not present.")
            % {"n": n, "away": away},
        )
        return redirect("backoffice:session_attendance", pk=pk)


class AttendanceSheetView(PermRequiredMixin, View):
    """The daftar hadir of one session in Excel, to print and sign."""

    perm = Perm.ATTENDANCE_RECORD

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = get_object_or_404(
            Session.objects.select_related("batch__programme__centre", "unit", "instructor"),
            pk=pk,
        )
        # The same people as the attendance page, so the same check.
        if not may_take_attendance(session=session, user=request_user(request)):
            raise PermissionDenied
        people = present_on(session.batch, session.date)
        return _xlsx(
            excel.attendance_sheet_xlsx(session, people),
            f"daftar-hadir-{session.batch.code}-{session.date:%Y%m%d}-{session.starts:%H%M}.xlsx",
        )


class AttendanceExportView(PermRequiredMixin, View):
    perm = Perm.TRAINING_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        whole = user.can(Perm.PERSONAL_DATA_VIEW)
        data = excel.attendance_xlsx(
            batch, list(batch_sessions(batch)), batch_standings(batch), whole_nik=whole
        )
        audit_log(actor=user, action="attendance.export", obj=batch, whole_nik=whole)
        return _xlsx(data, f"presensi-{batch.code}.xlsx")


# --- dropouts -----------------------------------------------------------------------------


class DropoutForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=DropoutReason.choices)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("Note"), max_length=250, required=False)


class DropoutView(PermRequiredMixin, View):
    perm = Perm.TRAINING_MANAGE

    def _participant(self, pk: int) -> Participant:
        return get_object_or_404(
            Participant.objects.select_related("batch__programme__centre", "applicant"), pk=pk
        )

    def _render(self, request: HttpRequest, p: Participant, form: DropoutForm) -> HttpResponse:
        title = _("%(name)s (no. %(number)s) drops out") % {
            "name": p.applicant.full_name,
            "number": p.number,
        }
        editing = records_editing(p.batch, request_user(request))
        if editing.open and p.status != Participant.Status.ACTIVE:
            # participant_drop takes only a participant in training, even from an admin.
            editing = Editing(open=False, reason=_("Only a participant in training can drop out."))
        return render(
            request,
            "backoffice/training/dropout.html",
            {"form": form, "title": title, "participant": p, "editing": editing},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(
            request, self._participant(pk), DropoutForm(initial={"on": timezone.localdate()})
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = self._participant(pk)
        form = DropoutForm(request.POST)
        if form.is_valid():
            try:
                participant_drop(
                    participant=participant,
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                    actor=request_user(request),
                )
            except TrainingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Dropout recorded."))
                return redirect("backoffice:batch_training", pk=participant.batch_id)
        return self._render(request, participant, form)


# --- assessment ---------------------------------------------------------------------------


def _assessor_for(request: HttpRequest, batch: Batch) -> tuple[User | None, QuerySet[User]]:
    """Assessors record as themselves; staff choose one of the batch's assessors."""
    user = request_user(request)
    choices = staff_of(batch, StaffRole.ASSESSOR)
    if user.role == Role.ASSESSOR:
        return user, choices
    pk = query_int(str(request.POST.get("assessor", "") or request.GET.get("assessor", "")))
    return (choices.filter(pk=pk).first() if pk else None), choices


def _recording(batch: Batch, user: User) -> dict[str, Any]:
    """The assessment pages' controls: shown while records are open to this user and, for
    an assessor, only on a batch they assess (`_check_assessor` refuses the others)."""
    editing = records_editing(batch, user)
    not_staffed = user.role == Role.ASSESSOR and not is_staff_of(batch, user, StaffRole.ASSESSOR)
    return {
        "editing": editing,
        "not_staffed": not_staffed,
        "may_record": editing.open and not not_staffed,
    }


class AssessmentView(PermRequiredMixin, View):
    """One unit at a time: K / BK, date and evidence per participant, one POST."""

    perm = Perm.ASSESSMENT_RECORD

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        units = list(batch.programme.units.order_by("order", "id"))
        unit_pk = query_int(request.GET.get("unit", ""))
        unit = next((u for u in units if u.pk == unit_pk), units[0] if units else None)
        user = request_user(request)
        standings = [
            s for s in batch_standings(batch) if s.participant.status != Participant.Status.DROPPED
        ]
        return render(
            request,
            "backoffice/training/assessment.html",
            {
                "batch": batch,
                "units": units,
                "unit": unit,
                "rows": [(s, s.results.get(unit.pk) if unit else None) for s in standings],
                "assessors": staff_of(batch, StaffRole.ASSESSOR),
                "is_assessor": user.role == Role.ASSESSOR,
                **_recording(batch, user),
                "today": timezone.localdate(),
                "results": Result.choices,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        unit = CompetencyUnit.objects.filter(
            pk=query_int(str(request.POST.get("unit", ""))) or 0
        ).first()
        assessor, _choices = _assessor_for(request, batch)
        back = redirect(f"{request.path}?unit={unit.pk}" if unit else request.path)
        if unit is None:
            messages.error(request, _("Choose a competency unit."))
            return back
        if assessor is None:
            messages.error(request, _("Choose the assessor."))
            return back
        try:
            on = dt.date.fromisoformat(str(request.POST.get("assessed_on", "")))
        except ValueError:
            messages.error(request, _("Give the assessment date."))
            return back
        people = {p.pk: p for p in roster(batch).select_related("batch")}
        rows = []
        for key, value in request.POST.items():
            if not key.startswith("r-") or not value:
                continue
            participant = people.get(query_int(key[2:]) or 0)
            if participant is None:
                messages.error(request, _("Someone marked is not on this batch's roster."))
                return back
            rows.append(
                AssessmentInput(
                    participant=participant,
                    unit=unit,
                    result=str(value),
                    assessed_on=on,
                    evidence=str(request.POST.get(f"e-{participant.pk}", "")),
                )
            )
        try:
            n = assessments_record(
                batch=batch, rows=rows, assessor=assessor, actor=request_user(request)
            )
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(n)d results recorded.") % {"n": n})
        return back


class AttitudeView(PermRequiredMixin, View):
    perm = Perm.ASSESSMENT_RECORD

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        standings = [
            s for s in batch_standings(batch) if s.participant.status != Participant.Status.DROPPED
        ]
        return render(
            request,
            "backoffice/training/attitude.html",
            {
                "batch": batch,
                **_recording(batch, user),
                "rows": [
                    (
                        s,
                        [
                            # Blank until someone scores it: a preset 3 was saved unseen.
                            (c, getattr(s.attitude, c) if s.attitude else None)
                            for c in ATTITUDE_CRITERIA
                        ],
                    )
                    for s in standings
                ],
                "criteria": list(zip(ATTITUDE_CRITERIA, excel.attitude_labels(), strict=True)),
                "descriptors": DESCRIPTORS,
                "assessors": staff_of(batch, StaffRole.ASSESSOR),
                "is_assessor": user.role == Role.ASSESSOR,
                "today": timezone.localdate(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        assessor, _choices = _assessor_for(request, batch)
        participant = get_object_or_404(
            Participant.objects.select_related("batch", "applicant"),
            pk=query_int(str(request.POST.get("participant", ""))) or 0,
            batch=batch,
        )
        try:
            if assessor is None:
                raise TrainingError(_("Choose the assessor."))
            try:
                on = dt.date.fromisoformat(str(request.POST.get("assessed_on", "")))
            except ValueError:
                raise TrainingError(_("Give the assessment date.")) from None
            scores = {
                c: query_int(str(request.POST.get(c, "")), low=1, high=5) for c in ATTITUDE_CRITERIA
            }
            if any(v is None for v in scores.values()):
                raise TrainingError(_("Score each of the five criteria from 1 to 5."))
            attitude_record(
                participant=participant,
                scores={k: v for k, v in scores.items() if v is not None},
                assessed_on=on,
                assessor=assessor,
                actor=request_user(request),
            )
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Attitude of %(name)s saved.") % {"name": participant.applicant.full_name},
            )
        return redirect(f"{request.path}#p{participant.pk}")


DESCRIPTORS = (
    (1, gettext_lazy("1 – very poor: rarely shows it, even when reminded")),
    (2, gettext_lazy("2 – poor: shows it only when reminded")),
    (3, gettext_lazy("3 – adequate: usually shows it")),
    (4, gettext_lazy("4 – good: shows it consistently")),
    (5, gettext_lazy("5 – very good: shows it consistently and sets an example")),
)


class AssessmentImportView(PermRequiredMixin, View):
    """Upload results; every row is checked and every error listed before anything is
    written. "Check" never writes; "Import" writes all rows or none."""

    perm = Perm.ASSESSMENT_RECORD

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        return self._render(request, batch, None, applied=0)

    def _render(
        self, request: HttpRequest, batch: Batch, check: excel.ImportCheck | None, applied: int
    ) -> HttpResponse:
        user = request_user(request)
        return render(
            request,
            "backoffice/training/assessment_import.html",
            {
                "batch": batch,
                **_recording(batch, user),
                "check": check,
                "applied": applied,
                "assessors": staff_of(batch, StaffRole.ASSESSOR),
                "is_assessor": user.role == Role.ASSESSOR,
                "header": excel.IMPORT_HEADER,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > 5 * 1024 * 1024:
            messages.error(request, _("Choose an Excel file of at most 5 MB."))
            return self._render(request, batch, None, applied=0)
        check = excel.assessments_import_check(batch, upload.read(), today=timezone.localdate())
        applied = 0
        if request.POST.get("action") == "apply" and check.ok:
            assessor, _choices = _assessor_for(request, batch)
            try:
                if assessor is None:
                    raise TrainingError(_("Choose the assessor."))
                applied = assessments_record(
                    batch=batch, rows=check.rows, assessor=assessor, actor=request_user(request)
                )
            except TrainingError as error:
                check = excel.ImportCheck(check.rows, [(0, str(error))])
        return self._render(request, batch, check, applied=applied)


class AssessmentExportView(PermRequiredMixin, View):
    perm = Perm.ASSESSMENT_RECORD

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = _batch(request, pk)
        user = request_user(request)
        whole = user.can(Perm.PERSONAL_DATA_VIEW)
        data = excel.assessments_xlsx(batch, batch_standings(batch), whole_nik=whole)
        audit_log(actor=user, action="assessment.export", obj=batch, whole_nik=whole)
        return _xlsx(data, f"asesmen-{batch.code}.xlsx")


# --- graduation rule ----------------------------------------------------------------------


class RuleForm(forms.ModelForm[GraduationRule]):
    class Meta:
        model = GraduationRule
        fields = ["attendance_threshold", "all_units_competent", "absence_streak"]

    def clean_attendance_threshold(self) -> int:
        value: int = self.cleaned_data["attendance_threshold"]
        if value > 100:
            raise forms.ValidationError(_("A percentage is at most 100."))
        return value

    def clean_absence_streak(self) -> int:
        value: int = self.cleaned_data["absence_streak"]
        if value < 1:
            raise forms.ValidationError(_("At least 1."))
        return value


class ProgrammeRuleView(PermRequiredMixin, View):
    perm = Perm.TRAINING_MANAGE

    def _render(self, request: HttpRequest, programme: Programme, form: RuleForm) -> HttpResponse:
        title = _("Graduation rule: %(name)s") % {"name": programme.name}
        return render(request, "backoffice/form.html", {"form": form, "title": title})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = get_object_or_404(Programme, pk=pk)
        return self._render(request, programme, RuleForm(instance=rule_for(programme)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = get_object_or_404(Programme, pk=pk)
        form = RuleForm(request.POST, instance=rule_for(programme))
        if form.is_valid():
            from vokasi.training.services import rule_save

            rule_save(rule=form.save(commit=False), actor=request_user(request))
            messages.success(request, _("Changes saved."))
            return redirect("backoffice:programme", pk=pk)
        return self._render(request, programme, form)
