"""docs/registration.md says what the code and the README say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.test_registration_flow import _form, _signed_up, intake
from vokasi.catalog.models import Intake
from vokasi.core.models import User
from vokasi.intake.models import Application, ApplicationStatus
from vokasi.intake.services import application_verify

__all__ = ["intake"]  # the fixture

ROOT = Path(__file__).resolve().parents[2]


def _sweep_schedule(text: str) -> str:
    match = re.search(r"^`?((?:\S+ ){5})\s*cd /srv/vokasi.*pending_uploads_sweep", text, re.M)
    assert match, "no cron line for pending_uploads_sweep"
    return " ".join(match.group(1).split())


def test_the_sweep_runs_at_the_time_the_readme_gives() -> None:
    readme = (ROOT / "README.md").read_text()
    docs = (ROOT / "docs" / "registration.md").read_text()
    assert _sweep_schedule(docs) == _sweep_schedule(readme)


@pytest.mark.django_db
def test_the_upload_form_is_there_while_submitted_and_gone_after_verification(
    client: Client, intake: Intake, staff: User
) -> None:
    """What the docs' "Status" paragraph describes."""
    _signed_up(client)
    client.post(reverse("portal:apply"), _form(intake))
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    upload = reverse("portal:application_upload", args=[application.number])
    assert upload in client.get(reverse("portal:application_status")).content.decode()
    application_verify(application=application, actor=staff)
    assert upload not in client.get(reverse("portal:application_status")).content.decode()
