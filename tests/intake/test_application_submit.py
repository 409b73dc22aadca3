"""application_submit and friends: the rules of registration and their failure paths."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from tests.factories import BatchFactory, ParticipantFactory, ProgrammeFactory, region
from vokasi.catalog.models import BatchState, Intake
from vokasi.core.audit import audit_entries_for
from vokasi.core.models import User
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.intake.services import (
    ApplicantData,
    ApplicationError,
    DocumentRejected,
    DuplicateApplication,
    application_request_fix,
    application_submit,
    application_verify,
    application_withdraw,
    document_upload,
)
from vokasi.notifications.models import Message

TODAY = dt.date(2026, 11, 28)
# Born 12 March 1998 in Bontang Utara, a man: 647401 120398 0007.
NIK = "6474011203980007"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def intake(db: None) -> Intake:
    from tests.factories import CentreFactory

    return Intake.objects.create(centre=CentreFactory(), name="Gelombang I 2026", code="REG-2026")


def _batch(intake: Intake, **fields: Any) -> Any:
    defaults: dict[str, Any] = {
        "intake": intake,
        "state": BatchState.OPEN,
        "registration_opens": TODAY - dt.timedelta(days=5),
        "registration_closes": TODAY + dt.timedelta(days=10),
        "training_starts": TODAY + dt.timedelta(days=30),
        "training_ends": TODAY + dt.timedelta(days=90),
    }
    return BatchFactory(**(defaults | fields))


def _data(**fields: Any) -> ApplicantData:
    values: dict[str, Any] = {
        "nik": NIK,
        "full_name": "Muhammad Rizky Saputra",
        "birth_place": "Bontang",
        "birth_date": dt.date(1998, 3, 12),
        "sex": "M",
        "domicile": region("647401"),
        "schooling": 30,
        "email": "rizky@example.id",
    }
    return ApplicantData(**(values | fields))


pytestmark = pytest.mark.django_db


def test_submit_creates_one_application_with_ranked_choices_and_a_message(intake: Intake) -> None:
    first, second = _batch(intake), _batch(intake)
    application = application_submit(
        data=_data(), intake=intake, batches=[second, first], user=None, today=TODAY
    )
    assert application.number == f"REG-2026-{application.pk:06d}"
    assert list(application.choices.values_list("batch_id", "rank")) == [
        (second.pk, 1),
        (first.pk, 2),
    ]
    assert application.status == ApplicationStatus.SUBMITTED
    assert audit_entries_for(application).filter(action="application.submit").exists()
    message = Message.objects.get()
    assert message.recipient == "rizky@example.id"
    assert application.number in message.body


def test_a_nik_of_another_birth_date_names_the_field(intake: Intake) -> None:
    with pytest.raises(ApplicationError) as error:
        application_submit(
            data=_data(birth_date=dt.date(1999, 3, 12)),
            intake=intake,
            batches=[_batch(intake)],
            user=None,
            today=TODAY,
        )
    assert "birth_date" in error.value.errors
    assert not Application.objects.exists()


def test_a_malformed_nik_is_refused_with_its_own_message(intake: Intake) -> None:
    with pytest.raises(ApplicationError) as error:
        application_submit(
            data=_data(nik="64740112"),
            intake=intake,
            batches=[_batch(intake)],
            user=None,
            today=TODAY,
        )
    assert "16 digits" in error.value.errors["nik"][0]


def test_one_application_per_nik_per_intake(intake: Intake) -> None:
    batch = _batch(intake)
    first = application_submit(data=_data(), intake=intake, batches=[batch], user=None, today=TODAY)
    with pytest.raises(DuplicateApplication) as error:
        application_submit(data=_data(), intake=intake, batches=[batch], user=None, today=TODAY)
    assert error.value.existing == first
    assert first.number in error.value.errors["nik"][0]
    assert Application.objects.count() == 1


def test_ineligible_choices_are_refused_with_the_reason(intake: Intake) -> None:
    old = _batch(intake, programme=ProgrammeFactory(max_age=25))
    degree = _batch(intake, programme=ProgrammeFactory(min_schooling=50))
    with pytest.raises(ApplicationError) as error:
        application_submit(
            data=_data(), intake=intake, batches=[old, degree], user=None, today=TODAY
        )
    reasons = " ".join(error.value.errors["choices"])
    assert "You will be 28 years old" in reasons
    assert "at least" in reasons
    assert not Application.objects.exists()


def test_domicile_rule(intake: Intake) -> None:
    programme = ProgrammeFactory(domicile_rule="regencies")
    programme.domicile_regions.set([region("6472")])  # Samarinda only
    with pytest.raises(ApplicationError, match="residents of Kota Samarinda"):
        application_submit(
            data=_data(),
            intake=intake,
            batches=[_batch(intake, programme=programme)],
            user=None,
            today=TODAY,
        )
    samarinda = _data(domicile=region("647201"))
    assert application_submit(
        data=samarinda,
        intake=intake,
        batches=[_batch(intake, programme=programme)],
        user=None,
        today=TODAY,
    )


def test_domicile_regions_are_read_once_and_only_when_a_programme_limits_them(
    intake: Intake,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vokasi.intake.selectors import batches_open_in

    limited = []
    for code in ("LAS", "OTO"):
        programme = ProgrammeFactory(code=code, domicile_rule="province")
        programme.domicile_regions.set([region("64")])
        limited.append(_batch(intake, programme=programme))
    anywhere = _batch(intake, programme=ProgrammeFactory(code="JHT"))

    def regions_read(batch_ids: list[int], nik: str) -> int:
        batches = list(batches_open_in(intake, today=TODAY).filter(pk__in=batch_ids))
        with CaptureQueriesContext(connection) as queries:
            application_submit(
                data=_data(nik=nik, birth_date=dt.date(1998, 3, int(nik[6:8]))),
                intake=intake,
                batches=batches,
                user=None,
                today=TODAY,
            )
        return sum("domicile_regions" in q["sql"] for q in queries.captured_queries)

    assert regions_read([b.pk for b in limited], "6474011203980007") == 1
    assert regions_read([anywhere.pk], "6474011303980007") == 0


def test_a_participant_of_a_running_batch_may_not_apply(intake: Intake) -> None:
    first = application_submit(
        data=_data(), intake=intake, batches=[_batch(intake)], user=None, today=TODAY
    )
    ParticipantFactory(
        applicant=first.applicant,
        batch=BatchFactory(
            state=BatchState.RUNNING, registration_opens=None, registration_closes=None
        ),
    )
    other_intake = Intake.objects.create(
        centre=intake.centre, name="Gelombang II", code="REG-2026-2"
    )
    with pytest.raises(ApplicationError, match="still running"):
        application_submit(
            data=_data(),
            intake=other_intake,
            batches=[_batch(other_intake)],
            user=None,
            today=TODAY,
        )


def test_choices_must_be_open_distinct_and_within_the_limit(intake: Intake) -> None:
    batch = _batch(intake)
    closed = _batch(
        intake,
        registration_closes=TODAY - dt.timedelta(days=1),
        registration_opens=TODAY - dt.timedelta(days=9),
    )
    for batches, words in [
        ([], "at least one"),
        ([batch, batch], "only once"),
        ([closed], "not open"),
        ([_batch(intake) for _ in range(4)], "at most 3"),
    ]:
        with pytest.raises(ApplicationError, match=words):
            application_submit(data=_data(), intake=intake, batches=batches, user=None, today=TODAY)


def test_another_account_cannot_take_over_a_nik(intake: Intake, applicant_user: User) -> None:
    other = User.objects.create_user("lain", password="x", role="applicant")
    application_submit(
        data=_data(), intake=intake, batches=[_batch(intake)], user=applicant_user, today=TODAY
    )
    second_intake = Intake.objects.create(centre=intake.centre, name="II", code="REG-B")
    with pytest.raises(ApplicationError, match="another account"):
        application_submit(
            data=_data(),
            intake=second_intake,
            batches=[_batch(second_intake)],
            user=other,
            today=TODAY,
        )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_are_judged_by_content_not_name(intake: Intake, settings: Any) -> None:
    application = application_submit(
        data=_data(), intake=intake, batches=[_batch(intake)], user=None, today=TODAY
    )
    with pytest.raises(DocumentRejected, match="PDF, JPEG or PNG"):
        document_upload(
            application=application,
            kind="ktp",
            upload=SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            actor=None,
        )
    with pytest.raises(DocumentRejected, match="limit is 2 MB"):
        document_upload(
            application=application,
            kind="ktp",
            upload=SimpleUploadedFile("ktp.pdf", PDF + b"0" * (3 * 1024 * 1024)),
            actor=None,
        )
    document = document_upload(
        application=application, kind="ktp", upload=SimpleUploadedFile("scan.exe", PDF), actor=None
    )
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf")
    assert document.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    again = document_upload(
        application=application,
        kind="ktp",
        upload=SimpleUploadedFile("ktp.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
        actor=None,
    )
    assert application.documents.get().pk == again.pk


def test_documents_sent_with_the_application_are_stored_in_the_same_transaction(
    intake: Intake, staff: User, settings: Any
) -> None:
    application = application_submit(
        data=_data(),
        intake=intake,
        batches=[_batch(intake)],
        user=None,
        entered_by=staff,
        documents={
            "ktp": SimpleUploadedFile("ktp.exe", PDF),
            "diploma": SimpleUploadedFile("ijazah.jpg", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
        },
        today=TODAY,
    )
    stored = {d.kind: d for d in application.documents.all()}
    assert stored["ktp"].content_type == "application/pdf"
    name = stored["ktp"].file.name
    assert f"/{application.pk}-ktp" in name and name.endswith(".pdf")
    assert stored["diploma"].content_type == "image/png"
    assert stored["ktp"].file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert stored["ktp"].file.read() == PDF
    actions = [e.action for e in audit_entries_for(application)]
    assert actions.count("document.upload") == 2 and "application.submit" in actions
    assert audit_entries_for(application).get(action="application.submit").actor == staff


def test_a_refused_document_at_submit_names_its_field_and_writes_nothing(intake: Intake) -> None:
    with pytest.raises(ApplicationError) as error:
        application_submit(
            data=_data(),
            intake=intake,
            batches=[_batch(intake)],
            user=None,
            documents={
                "ktp": SimpleUploadedFile("ktp.pdf", PDF),
                "diploma": SimpleUploadedFile("ijazah.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            },
            today=TODAY,
        )
    assert list(error.value.errors) == ["diploma"]
    assert "PDF, JPEG or PNG" in error.value.errors["diploma"][0]
    assert not Application.objects.exists()
    assert not Message.objects.exists()


def test_fix_requested_then_reupload_returns_to_the_queue_then_verified(
    intake: Intake, staff: User, settings: Any
) -> None:
    application = application_submit(
        data=_data(), intake=intake, batches=[_batch(intake)], user=None, today=TODAY
    )
    with pytest.raises(ApplicationError):
        application_request_fix(application=application, reason=" ", actor=staff)
    application_request_fix(application=application, reason="Foto KTP buram", actor=staff)
    assert application.status == ApplicationStatus.DOCUMENTS_TO_FIX
    assert Message.objects.filter(template="application_documents_to_fix").count() == 1
    document_upload(
        application=application, kind="ktp", upload=SimpleUploadedFile("ktp.pdf", PDF), actor=None
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    application_verify(application=application, actor=staff)
    assert application.status == ApplicationStatus.ELIGIBLE
    assert application.choices.get().eligible
    with pytest.raises(ApplicationError, match="changed meanwhile"):
        application_verify(application=application, actor=staff)


def test_withdraw(intake: Intake, staff: User) -> None:
    application = application_submit(
        data=_data(), intake=intake, batches=[_batch(intake)], user=None, today=TODAY
    )
    application_withdraw(application=application, actor=staff)
    assert Application.objects.get().status == ApplicationStatus.WITHDRAWN


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_once_leave_exactly_one_application() -> None:
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite serialises writers; the race needs PostgreSQL's concurrent transactions"
        )
    from tests.factories import CentreFactory
    from vokasi.regions.services import load_regions

    load_regions(villages=False)
    intake = Intake.objects.create(centre=CentreFactory(), name="G", code="REG-RACE")
    batch = _batch(intake)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            application_submit(data=_data(), intake=intake, batches=[batch], user=None, today=TODAY)
            outcomes.append("created")
        except DuplicateApplication:
            outcomes.append("duplicate")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "duplicate"]
    assert Application.objects.count() == 1


def test_a_broken_contact_does_not_block_the_application(intake: Intake) -> None:
    data = _data(email="", phone="12")
    application = application_submit(
        data=data, intake=intake, batches=[_batch(intake)], user=None, today=TODAY
    )
    assert Application.objects.get() == application
    assert not Message.objects.exists()


def test_kept_uploads_older_than_a_day_are_swept() -> None:
    import os

    from django.core.files.storage import storages

    from vokasi.intake.pending import claim, keep, pending_sweep

    token = keep(SimpleUploadedFile("k.pdf", PDF))
    assert claim(token) is not None
    assert pending_sweep() == 0
    path = storages["private"].path(f"pending/{token}")
    os.utime(path, (0, 0))
    assert pending_sweep() == 1
    assert claim(token) is None


def test_a_failure_after_the_documents_are_stored_leaves_no_file_behind(
    intake: Intake, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from vokasi.intake import services

    def broken_outbox(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the outbox table is gone")

    # Fault injection: the last step of the transaction fails after the files are written.
    monkeypatch.setattr(services, "application_notify", broken_outbox)
    before = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
    with pytest.raises(RuntimeError):
        application_submit(
            data=_data(),
            intake=intake,
            batches=[_batch(intake)],
            user=None,
            documents={"ktp": SimpleUploadedFile("ktp.pdf", PDF)},
            today=TODAY,
        )
    after = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
    assert after == before
    assert not Application.objects.exists()
