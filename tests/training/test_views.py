"""The training pages as their users see them: one POST per session or unit, every refusal
leaving nothing written, the import's dry run listing every error by row."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.factories import BatchFactory, UserFactory
from tests.training.conftest import START, World, add_session
from vokasi.catalog.models import BatchState, CompetencyUnit
from vokasi.core.models import AuditEntry, User
from vokasi.core.roles import Role
from vokasi.training.models import Assessment, Attendance, Participant, Session

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("hasil.xlsx", out.getvalue())


def test_an_instructor_marks_the_exceptions_in_one_post(world: World, login: Any) -> None:
    session = add_session(world, 0)
    p1, p2, p3 = world.people
    client: Client = login(world.instructor)
    url = reverse("backoffice:session_attendance", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Peserta 3" in page.content.decode()
    response = client.post(url, {f"p-{p2.pk}": "late", f"p-{p3.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("participant_id", "status")) == {
        p1.pk: "present",
        p2.pk: "late",
        p3.pk: "absent",
    }


def test_a_session_in_the_future_cannot_be_marked(world: World, login: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    world.batch.training_ends = tomorrow + dt.timedelta(days=5)
    world.batch.save()
    session = Session.objects.create(
        batch=world.batch, date=tomorrow, starts=dt.time(8), ends=dt.time(11), jp=4, topic="K3"
    )
    client: Client = login(world.instructor)
    url = reverse("backoffice:session_attendance", args=[session.pk])
    assert 'name="p-' not in client.get(url).content.decode()
    client.post(url, {f"p-{world.people[0].pk}": "absent"})
    assert not Attendance.objects.exists()


def test_an_instructor_of_another_batch_gets_403(world: World, login: Any) -> None:
    session = add_session(world, 0)
    client: Client = login(UserFactory(role=Role.INSTRUCTOR))
    url = reverse("backoffice:session_attendance", args=[session.pk])
    assert client.get(url).status_code == 403
    client.post(url, {})
    assert not Attendance.objects.exists()


def test_an_assessor_records_a_unit_for_the_batch(world: World, login: Any) -> None:
    p1, p2, _p3 = world.people
    unit = world.units[0]
    client: Client = login(world.assessor)
    url = reverse("backoffice:batch_assessment", args=[world.batch.pk])
    assert client.get(url, {"unit": unit.pk}).status_code == 200
    client.post(
        url,
        {
            "unit": unit.pk,
            "assessed_on": "2025-06-20",
            f"r-{p1.pk}": "K",
            f"e-{p1.pk}": "Uji praktik",
            f"r-{p2.pk}": "BK",
            f"r-{_p3.pk}": "",
        },
    )
    rows = Assessment.objects.order_by("participant__number")
    assert [(a.participant_id, a.result, a.assessor_id) for a in rows] == [
        (p1.pk, "K", world.assessor.pk),
        (p2.pk, "BK", world.assessor.pk),
    ]
    assert rows[0].evidence == "Uji praktik"


def test_an_assessor_not_on_the_batch_or_a_foreign_unit_writes_nothing(
    world: World, login: Any
) -> None:
    stranger = CompetencyUnit.objects.create(
        programme=BatchFactory().programme, code="X.1", title="Other", hours_jp=4
    )
    url = reverse("backoffice:batch_assessment", args=[world.batch.pk])
    p1 = world.people[0]
    login(world.assessor).post(
        url, {"unit": stranger.pk, "assessed_on": "2025-06-20", f"r-{p1.pk}": "K"}
    )
    outsider = UserFactory(role=Role.ASSESSOR)
    login(outsider).post(
        url, {"unit": world.units[0].pk, "assessed_on": "2025-06-20", f"r-{p1.pk}": "K"}
    )
    assert not Assessment.objects.exists()


def test_the_import_lists_every_error_by_row_and_writes_nothing(world: World, login: Any) -> None:
    p1, p2, _ = world.people
    code = world.units[0].code
    client: Client = login(world.assessor)
    url = reverse("backoffice:batch_assessment_import", args=[world.batch.pk])
    wrong = client.post(url, {"action": "apply", "file": _xlsx([["Nama", "Nilai"], ["A", 1]])})
    assert wrong.context["check"].errors[0][0] == 1
    upload = _xlsx(
        [
            ["NIK", "Kode unit", "Hasil", "Tanggal", "Bukti"],
            [p1.applicant.nik, code, "K", dt.date(2025, 6, 20), "Uji praktik"],
            ["6474011203980099", code, "K", dt.date(2025, 6, 20), ""],
            [p2.applicant.nik, "Z.999", "K", dt.date(2025, 6, 20), ""],
            [p2.applicant.nik, code, "LULUS", "kemarin", ""],
        ]
    )
    response = client.post(url, {"action": "apply", "file": upload})
    errors = response.context["check"].errors
    assert [row for row, _ in errors] == [3, 4, 5, 5]
    assert "647401********99" in errors[0][1]
    assert not Assessment.objects.exists()


def test_a_clean_import_is_checked_then_applied(world: World, login: Any) -> None:
    rows = [["NIK", "Unit code", "Result", "Date", "Evidence"]] + [
        [p.applicant.nik, u.code, "K", "2025-06-25", "Portofolio"]
        for p in world.people
        for u in world.units
    ]
    client: Client = login(world.assessor)
    url = reverse("backoffice:batch_assessment_import", args=[world.batch.pk])
    check = client.post(url, {"action": "check", "file": _xlsx(rows)})
    assert check.context["check"].ok and not Assessment.objects.exists()
    applied = client.post(url, {"action": "apply", "file": _xlsx(rows)})
    assert applied.context["applied"] == 6 == Assessment.objects.count()


def test_staff_close_the_batch_and_see_who_graduated_and_why_not(
    world: World, staff: User, login: Any
) -> None:
    from tests.training.test_delivery import LATER, _row
    from vokasi.training.services import assessments_record, attendance_record

    sessions = [add_session(world, d) for d in range(5)]
    p3 = world.people[2]
    for i, s in enumerate(sessions):
        attendance_record(
            session=s, exceptions={p3.pk: "absent"} if i < 2 else {}, actor=staff, now=LATER
        )
    assessments_record(
        batch=world.batch,
        rows=[_row(world, n, "K", unit=u) for n in (0, 2) for u in (0, 1)] + [_row(world, 1, "BK")],
        assessor=world.assessor,
        actor=world.assessor,
    )
    client: Client = login(staff)
    client.post(
        reverse("backoffice:batch_transition", args=[world.batch.pk]), {"target": "completed"}
    )
    world.batch.refresh_from_db()
    assert world.batch.state == BatchState.COMPLETED
    statuses = dict(Participant.objects.values_list("number", "status"))
    assert statuses == {1: "graduated", 2: "not_graduated", 3: "not_graduated"}
    page = client.get(reverse("backoffice:batch_training", args=[world.batch.pk])).content.decode()
    assert world.units[1].code in page and "60,0" in page


def test_the_attendance_sheet_has_a_signature_column(world: World, login: Any) -> None:
    session = add_session(world, 0)
    response = login(world.instructor).get(reverse("backoffice:session_sheet", args=[session.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Peserta 1" in values and "647401********01" in values
    assert sheet.max_column == 4


def test_exports_are_audited(world: World, staff: User, login: Any) -> None:
    client: Client = login(staff)
    for name in ("batch_attendance_export", "batch_assessment_export"):
        response = client.get(reverse(f"backoffice:{name}", args=[world.batch.pk]))
        assert response.status_code == 200
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "attendance.export",
        "assessment.export",
    }


def test_staff_generate_the_draft_schedule_and_an_instructor_sees_it(
    world: World, staff: User, login: Any
) -> None:
    login(staff).post(reverse("backoffice:batch_schedule", args=[world.batch.pk]))
    assert world.batch.sessions.count() == 4
    page = login(world.instructor).get(reverse("backoffice:my_sessions"), {"all": "1"})
    assert page.content.decode().count(world.units[0].code) == 2


def test_a_dropout_is_recorded_from_its_form(world: World, staff: User, login: Any) -> None:
    p = world.people[0]
    url = reverse("backoffice:participant_dropout", args=[p.pk])
    login(staff).post(url, {"reason": "moved", "on": "2025-06-18", "note": "Ke Balikpapan"})
    p.refresh_from_db()
    assert (p.status, p.dropout_reason, str(p.dropped_on)) == ("dropped", "moved", "2025-06-18")


def test_staffing_refuses_the_wrong_kind_of_account(world: World, staff: User, login: Any) -> None:
    url = reverse("backoffice:batch_staffing", args=[world.batch.pk])
    login(staff).post(url, {"user": staff.pk})
    assert not world.batch.staffing.filter(user=staff).exists()
    helper = UserFactory(role=Role.INSTRUCTOR)
    login(staff).post(url, {"user": helper.pk})
    assert world.batch.staffing.filter(user=helper, role="instructor").exists()
    assert START.weekday() == 0


def test_the_overview_costs_the_same_queries_for_a_bigger_batch(
    world: World, staff: User, login: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import ApplicantFactory, ParticipantFactory
    from tests.training.test_delivery import LATER
    from vokasi.training.services import attendance_record

    for d in range(3):
        attendance_record(
            session=add_session(world, d), exceptions={}, actor=world.instructor, now=LATER
        )
    client: Client = login(staff)
    url = reverse("backoffice:batch_training", args=[world.batch.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for n in range(4, 14):
        ParticipantFactory(
            batch=world.batch, number=n, applicant=ApplicantFactory(nik=f"64740112039801{n:02d}")
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_an_assessor_round_trips_the_export_with_masked_niks(world: World, login: Any) -> None:
    from vokasi.core.masking import mask_nik

    rows = [["NIK", "Unit code", "Result", "Date", "Evidence", "Assessor", "Name", "No."]] + [
        [mask_nik(p.applicant.nik), world.units[0].code, "K", "2025-06-25", "", "", "", p.number]
        for p in world.people
    ]
    rows[1][7] = 2  # a number that does not match the masked NIK
    client: Client = login(world.assessor)
    url = reverse("backoffice:batch_assessment_import", args=[world.batch.pk])
    check = client.post(url, {"action": "check", "file": _xlsx(rows)}).context["check"]
    assert [row for row, _ in check.errors] == [2] and len(check.rows) == 2


def test_a_session_without_attendance_can_be_removed_one_with_it_cannot(
    world: World, staff: User, login: Any
) -> None:
    from tests.training.test_delivery import LATER
    from vokasi.training.services import attendance_record

    planned, held = add_session(world, 0), add_session(world, 1)
    attendance_record(session=held, exceptions={}, actor=staff, now=LATER)
    client: Client = login(staff)
    for s in (planned, held):
        client.post(reverse("backoffice:session_update", args=[s.pk]), {"action": "delete"})
    assert list(Session.objects.all()) == [held]


def test_a_session_edit_with_an_instructor_not_on_the_batch_is_refused(
    world: World, staff: User, login: Any
) -> None:
    session = add_session(world, 0)
    outsider = UserFactory(role=Role.INSTRUCTOR)
    BatchFactory()  # another batch the outsider could be teaching
    response = login(staff).post(
        reverse("backoffice:session_update", args=[session.pk]),
        {
            "date": "2025-06-17",
            "starts": "13:00",
            "ends": "12:00",
            "jp": "4",
            "unit": world.units[0].pk,
            "instructor": outsider.pk,
        },
    )
    assert response.status_code == 200  # the form again, with the reasons
    session.refresh_from_db()
    assert (session.date, session.instructor) == (START, world.instructor)


def test_between_batches_my_sessions_shows_the_latest(world: World, login: Any) -> None:
    add_session(world, 0)  # June 2025: long past
    page = login(world.instructor).get(reverse("backoffice:my_sessions"))
    assert page.context["nothing_ahead"] and len(page.context["weeks"]) == 1


def test_an_assessor_finds_their_batches(world: World, login: Any) -> None:
    BatchFactory()  # not theirs
    page = login(world.assessor).get(reverse("backoffice:my_batches"))
    assert [b for b, _ in page.context["rows"]] == [world.batch]


def test_the_admin_lists_training_records_read_only(world: World, admin: User, login: Any) -> None:
    add_session(world, 0)
    admin.is_staff = admin.is_superuser = True  # as the demo's administrator account
    admin.save()
    client: Client = login(admin)
    for model in ("participant", "session", "assessment", "batchstaff"):
        assert client.get(f"/admin/training/{model}/").status_code == 200
    assert client.get("/admin/training/participant/add/").status_code == 403


def test_the_printed_roster_is_signed_in_the_town(world: World, staff: User, login: Any) -> None:
    page = login(staff).get(reverse("backoffice:batch_roster", args=[world.batch.pk]))
    assert "Bontang, " in page.content.decode() and "Kota Bontang," not in page.content.decode()
    assert "Peserta 3" in page.content.decode() and "6474011203980003" not in page.content.decode()


def test_taking_an_instructor_off_the_batch_says_which_sessions_need_another(
    world: World, login: Any, staff: User
) -> None:
    from vokasi.training.models import BatchStaff

    world.batch.training_ends = timezone.localdate() + dt.timedelta(days=30)
    world.batch.save()
    Session.objects.create(
        batch=world.batch,
        date=timezone.localdate() + dt.timedelta(days=3),
        starts=dt.time(8),
        ends=dt.time(11),
        jp=4,
        unit=world.units[0],
        instructor=world.instructor,
    )
    staffing = BatchStaff.objects.get(batch=world.batch, user=world.instructor)
    client: Client = login(staff)
    url = reverse("backoffice:batch_staffing", args=[world.batch.pk])
    page = client.post(url, {"remove": staffing.pk}, follow=True).content.decode()
    assert "1 sesi yang belum berlangsung kini tanpa instruktur" in page
    assert not BatchStaff.objects.filter(pk=staffing.pk).exists()


def test_my_sessions_marks_today_and_links_to_the_next_session(world: World, login: Any) -> None:
    today = timezone.localdate()
    world.batch.training_starts = today - dt.timedelta(days=7)
    world.batch.training_ends = today + dt.timedelta(days=7)
    world.batch.save()

    def session(day: int) -> Session:
        # Today's starts at midnight, so it has begun whenever the test runs.
        return Session.objects.create(
            batch=world.batch,
            date=today + dt.timedelta(days=day),
            starts=dt.time(0) if day == 0 else dt.time(8),
            ends=dt.time(11),
            jp=4,
            unit=world.units[0],
            instructor=world.instructor,
        )

    earlier, now, later = session(-7), session(0), session(2)
    html = login(world.instructor).get(reverse("backoffice:my_sessions"), {"all": "1"}).content
    page = html.decode()
    assert page.count('id="berikutnya"') == 1 and 'href="#berikutnya"' in page
    marked = page[page.index('id="berikutnya"') - 300 : page.index('id="berikutnya"') + 400]
    assert "session" in marked and " today" in marked and "Hari ini" in marked
    assert reverse("backoffice:session_attendance", args=[now.pk]) in marked
    assert page.count("today-label") == 1
    # A session still to come says when its attendance opens instead of a dead-end button.
    assert reverse("backoffice:session_attendance", args=[later.pk]) not in page
    assert reverse("backoffice:session_attendance", args=[earlier.pk]) in page
    assert "Presensi mulai 08.00" in page


def test_while_training_runs_the_outlook_judges_what_happened_so_far(
    world: World, login: Any, staff: User
) -> None:
    from vokasi.training.services import attendance_record

    later = dt.datetime(2025, 7, 30, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    held = [add_session(world, d, jp=4) for d in range(2)]  # 8 JP held
    for d in range(2, 5):
        add_session(world, d, jp=4)  # 12 JP to come: 20 JP in all, 80 % = 16
    p1, p2, p3 = world.people
    attendance_record(session=held[0], exceptions={p2.pk: "absent"}, actor=staff, now=later)
    attendance_record(
        session=held[1], exceptions={p2.pk: "absent", p3.pk: "absent"}, actor=staff, now=later
    )
    page = login(staff).get(reverse("backoffice:batch_training", args=[world.batch.pk]))
    html = page.content.decode()

    def row(person: Participant) -> str:
        start = html.index(f'id="p{person.pk}"')
        return html[start : html.index("</tr>", start)]

    # 8 of 8 JP so far: nothing about attendance, only the units still to assess.
    assert "kehadiran" not in row(p1).lower() and "2 unit belum dinilai" in row(p1)
    # 4 of 8 so far, 16 of 20 still reachable: a warning, not a verdict.
    assert "50,0% dari sesi yang sudah berlangsung" in row(p3)
    # 0 of 8: at most 12 of 20 = 60 %.
    assert "Tidak mungkin lagi mencapai kehadiran 80%: paling tinggi 60,0%." in row(p2)


def test_attitude_scores_start_blank_and_all_five_are_needed(
    world: World, login: Any, assessor: User
) -> None:
    from vokasi.training.models import AttitudeAssessment

    client: Client = login(world.assessor)
    url = reverse("backoffice:batch_attitude", args=[world.batch.pk])
    html = client.get(url).content.decode()
    form = html[html.index(f'id="p{world.people[0].pk}"') :]
    form = form[: form.index("</form>")]
    assert form.count("<select") == 5 and "selected" not in form  # nothing preset
    assert "<label>Tanggal asesmen <input" in form  # the date says what it is
    partial = {"participant": world.people[0].pk, "assessed_on": "2025-06-20", "discipline": "4"}
    page = client.post(url, partial, follow=True).content.decode()
    assert not AttitudeAssessment.objects.exists()
    assert "1 sampai 5" in page
