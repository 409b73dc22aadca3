"""The front desk registers a walk-in; staff work the verification queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import BatchFactory, CentreFactory
from vokasi.catalog.models import BatchState, Intake
from vokasi.core.audit import audit_entries_for
from vokasi.core.models import AuditEntry, User
from vokasi.intake.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def intake(db: None) -> Intake:
    intake = Intake.objects.create(centre=CentreFactory(), name="Gelombang I", code="REG-T")
    today = timezone.localdate()
    BatchFactory(
        intake=intake,
        state=BatchState.OPEN,
        name="Las Angkatan I",
        registration_opens=today - dt.timedelta(days=3),
        registration_closes=today + dt.timedelta(days=9),
        training_starts=today + dt.timedelta(days=20),
        training_ends=today + dt.timedelta(days=60),
    )
    return intake


def _post(intake: Intake, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nik": "6474 0112 0398 0007",
        "full_name": "Muhammad Rizky Saputra",
        "birth_place": "Bontang",
        "birth_date": "1998-03-12",
        "sex": "M",
        "province": "64",
        "regency": "6474",
        "district": "647401",
        "address": "Jl. Ahmad Yani No. 5",
        "schooling": "30",
        "employment": "unemployed",
        "phone": "0812 3456 7890",
        "choice_1": str(intake.batches.get().pk),
        "consent": "on",
        "ktp": SimpleUploadedFile("ktp.pdf", PDF),
    }
    return data | fields


def test_staff_registers_a_walk_in_and_the_record_says_who(
    client: Client, staff: User, intake: Intake
) -> None:
    client.force_login(staff)
    url = reverse("backoffice:application_create", args=[intake.pk])
    form = client.get(url)
    assert form.status_code == 200
    # Worded for the member of staff typing, not for the applicant.
    assert "Pendaftar setuju" in form.content.decode()
    refused = client.post(url, _post(intake, consent="")).content.decode()
    assert "Mintalah persetujuan pendaftar" in refused and not Application.objects.exists()
    response = client.post(url, _post(intake))
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.entered_by == staff
    assert application.documents.get().kind == "ktp"
    detail = client.get(reverse("backoffice:application", args=[application.pk])).content.decode()
    assert "647401********07" in detail
    assert "6474011203980007" not in detail
    assert "PDF, " in detail and "application/pdf" not in detail  # the file's kind, in words


def test_a_nik_of_another_birth_date_is_shown_next_to_the_field_and_typing_is_kept(
    client: Client, staff: User, intake: Intake
) -> None:
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:application_create", args=[intake.pk]),
        _post(intake, birth_date="1999-03-12"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "12-03-1998" in html  # the NIK's date, named in the message
    assert 'value="Muhammad Rizky Saputra"' in html
    assert 'value="647401" selected' in html
    assert not Application.objects.exists()


def test_an_executable_posing_as_pdf_is_refused_and_nothing_is_saved(
    client: Client, staff: User, intake: Intake
) -> None:
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:application_create", args=[intake.pk]),
        _post(intake, ktp=SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00" * 10)),
    )
    assert response.status_code == 200
    assert "PDF, JPEG" in response.content.decode() or "PDF, JPEG" in str(
        response.context["documents"].errors
    )
    assert not Application.objects.exists()


def test_queue_verify_and_fix(client: Client, staff: User, intake: Intake) -> None:
    client.force_login(staff)
    client.post(reverse("backoffice:application_create", args=[intake.pk]), _post(intake))
    application = Application.objects.get()
    queue = client.get(reverse("backoffice:applications"), {"status": "submitted"}).content.decode()
    assert application.number in queue
    url = reverse("backoffice:application", args=[application.pk])
    client.post(url, {"action": "fix", "reason": "Foto KTP buram"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DOCUMENTS_TO_FIX
    client.post(url, {"action": "verify"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE


def test_viewing_a_document_or_the_whole_nik_is_audited(
    client: Client, staff: User, intake: Intake
) -> None:
    client.force_login(staff)
    client.post(reverse("backoffice:application_create", args=[intake.pk]), _post(intake))
    application = Application.objects.get()
    document = application.documents.get()
    response = client.get(reverse("backoffice:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert audit_entries_for(application).filter(action="document.viewed").exists()
    page = client.post(
        reverse("backoffice:application", args=[application.pk]), {"action": "reveal"}, follow=True
    )
    assert "6474011203980007" in page.content.decode()
    assert AuditEntry.objects.filter(action="applicant.nik_viewed", actor=staff).exists()


@pytest.mark.parametrize("persona", ["instructor", "viewer", "partner_officer"])
def test_others_cannot_open_the_queue_or_documents(
    client: Client, persona: str, request: pytest.FixtureRequest, intake: Intake
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("backoffice:applications")).status_code == 403
    assert client.get(reverse("backoffice:application_create", args=[intake.pk])).status_code == 403


def test_excel_export_masks_the_nik_unless_asked_and_is_audited(
    client: Client, staff: User, intake: Intake
) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(staff)
    client.post(reverse("backoffice:application_create", args=[intake.pk]), _post(intake))
    response = client.get(reverse("backoffice:applications_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["C2"].value == "647401********07"
    response = client.get(reverse("backoffice:applications_export"), {"nik": "whole"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet["C2"].value == "6474011203980007"
    exports = AuditEntry.objects.filter(action="applications.export").order_by("id")
    assert [e.data["whole_nik"] for e in exports] == [False, True]


def test_queue_filters_by_batch_regency_and_date_without_duplicates(
    client: Client, staff: User, intake: Intake
) -> None:
    today = timezone.localdate()
    data = _post(intake)
    second = BatchFactory(
        intake=intake,
        state=BatchState.OPEN,
        name="Barista",
        registration_opens=today - dt.timedelta(days=3),
        registration_closes=today + dt.timedelta(days=9),
        training_starts=today + dt.timedelta(days=20),
        training_ends=today + dt.timedelta(days=60),
    )
    client.force_login(staff)
    data["choice_2"] = str(second.pk)
    client.post(reverse("backoffice:application_create", args=[intake.pk]), data)
    url = reverse("backoffice:applications")
    for query, expected in [
        ({"batch": second.pk}, 1),
        ({"regency": "6474"}, 1),
        ({"regency": "6472"}, 0),
        ({"from": today.isoformat(), "to": today.isoformat()}, 1),
        ({"from": (today + dt.timedelta(days=1)).isoformat()}, 0),
        ({"from": "kemarin"}, 1),
    ]:
        assert len(client.get(url, query).context["page_obj"]) == expected, query
