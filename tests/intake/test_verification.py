"""Staff verify an application only against a document: without a KTP they ask for a fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.intake.test_application_submit import TODAY, _batch, _data
from vokasi.core.models import User
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.intake.services import (
    ApplicationError,
    application_request_fix,
    application_submit,
    application_verify,
    document_upload,
)
from vokasi.notifications.models import Message

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def application(db: None) -> Application:
    from tests.factories import CentreFactory
    from vokasi.catalog.models import Intake

    intake = Intake.objects.create(centre=CentreFactory(), name="Gelombang I", code="REG-V")
    return application_submit(
        data=_data(), intake=intake, batches=[_batch(intake)], user=None, today=TODAY
    )


def test_no_ktp_no_verification_and_the_message_says_to_ask_for_a_fix(
    application: Application, staff: User
) -> None:
    document_upload(
        application=application,
        kind="diploma",
        upload=SimpleUploadedFile("ijazah.pdf", PDF),
        actor=None,
    )
    with pytest.raises(ApplicationError, match=r"No KTP .* Ask the applicant for a fix"):
        application_verify(application=application, actor=staff)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Message.objects.filter(template="application_verified").exists()


def test_with_a_ktp_it_verifies(application: Application, staff: User) -> None:
    document_upload(
        application=application, kind="ktp", upload=SimpleUploadedFile("k.pdf", PDF), actor=None
    )
    application_verify(application=application, actor=staff)
    assert application.status == ApplicationStatus.ELIGIBLE


def test_the_page_offers_no_verify_button_without_a_ktp_and_refuses_a_forged_post(
    client: Client, application: Application, staff: User
) -> None:
    client.force_login(staff)
    url = reverse("backoffice:application", args=[application.pk])
    page = client.get(url).content.decode()
    assert 'value="verify"' not in page
    assert 'value="fix"' in page  # asking for a fix is the way forward
    response = client.post(url, {"action": "verify"}, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert [m.level_tag for m in response.context["messages"]] == ["error"]

    application_request_fix(application=application, reason="Unggah foto KTP", actor=staff)
    document_upload(
        application=application, kind="ktp", upload=SimpleUploadedFile("k.png", PDF), actor=None
    )
    assert 'value="verify"' in client.get(url).content.decode()
    client.post(url, {"action": "verify"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
