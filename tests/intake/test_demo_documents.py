"""The demo's applications waiting for verification carry a KTP and a diploma, stored like
real uploads, so staff can try the verification queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from vokasi.core.models import AuditEntry, User
from vokasi.demo.loader import load_demo
from vokasi.intake.models import Application, ApplicationStatus, Document
from vokasi.intake.services import application_verify

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)
WAITING = (ApplicationStatus.SUBMITTED, ApplicationStatus.DOCUMENTS_TO_FIX)


def test_waiting_demo_applications_have_scans_staff_can_open_and_verify(client: Client) -> None:
    load_demo(today=TODAY, say=lambda _: None)
    waiting = Application.objects.filter(intake__code=f"REG-{TODAY.year}", status__in=WAITING)
    assert waiting.count() >= 10
    documents = Document.objects.filter(application__in=waiting)
    assert documents.count() == 2 * waiting.count()
    assert set(documents.values_list("kind", flat=True)) == {"ktp", "diploma"}
    for document in documents[:4]:
        with document.file.open("rb") as f:
            content = f.read()
        assert content.startswith(b"%PDF-")
        assert len(content) == document.size < 20_000
        assert document.content_type == "application/pdf"
        assert b"DATA DEMO" in content
    assert AuditEntry.objects.filter(action="document.upload").count() == documents.count()

    staff = User.objects.get(username="staf")
    application = waiting.filter(status=ApplicationStatus.SUBMITTED).first()
    assert application is not None
    client.force_login(staff)
    page = client.get(reverse("backoffice:application", args=[application.pk])).content.decode()
    assert 'value="verify"' in page
    ktp = application.documents.get(kind="ktp")
    response = client.get(reverse("backoffice:document", args=[ktp.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    application_verify(application=application, actor=staff)

    before = Document.objects.count()
    load_demo(today=TODAY, say=lambda _: None)
    assert Document.objects.count() == before
