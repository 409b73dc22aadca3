"""The tracer study: the periodic job, the personal link (expiry, forgery, double submit),
answers by phone, and the response rate."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicantFactory, BatchFactory, GraduateFactory, PartnerFactory
from vokasi.catalog.models import BatchState
from vokasi.core.models import User
from vokasi.inmates.models import Inmate
from vokasi.notifications.models import Message
from vokasi.placement.models import Outcome, PlacementRecord, Source, TracerSurvey
from vokasi.placement.selectors import add_months, response_rates
from vokasi.placement.services import (
    PlacementData,
    TracerClosed,
    tracer_answer,
    tracer_phone_answer,
    tracer_send_due,
)
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db

ENDED = dt.date(2025, 7, 30)


def graduate(**applicant: str) -> Participant:
    batch = BatchFactory(
        state=BatchState.COMPLETED, training_starts=dt.date(2025, 6, 1), training_ends=ENDED
    )
    person = ApplicantFactory(**({"email": "lulusan@example.org"} | applicant))
    participant: Participant = GraduateFactory(batch=batch, applicant=person)
    return participant


def link_token(message: Message) -> str:
    match = re.search(r"/tracer/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2025, 7, 30), 3) == dt.date(2025, 10, 30)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 7, 30), -3) == dt.date(2025, 4, 30)


def test_the_job_sends_the_3_month_wave_once_with_a_personal_link() -> None:
    participant = graduate()
    assert tracer_send_due(today=dt.date(2025, 10, 29)).created == 0  # not due yet
    run = tracer_send_due(today=dt.date(2025, 10, 30))
    assert (run.created, run.sent) == (1, 1)
    survey = TracerSurvey.objects.get(participant=participant)
    assert survey.wave == 3 and survey.due_on == dt.date(2025, 10, 30)
    message = Message.objects.get(template="tracer_survey")
    assert message.recipient == "lulusan@example.org"
    assert message.idempotency_key == f"tracer:{survey.pk}"
    token = link_token(message)
    assert token not in (survey.token_hash or "")  # only the hash is stored
    # Again the same day, and the next: nothing new.
    assert tracer_send_due(today=dt.date(2025, 10, 30)).created == 0
    assert tracer_send_due(today=dt.date(2025, 11, 15)).created == 0
    assert Message.objects.count() == 1
    # Six months after: the next wave.
    assert tracer_send_due(today=dt.date(2026, 1, 30)).created == 1
    assert sorted(participant.tracer_surveys.values_list("wave", flat=True)) == [3, 6]


def test_a_late_job_sends_only_the_latest_wave_due() -> None:
    participant = graduate()
    tracer_send_due(today=dt.date(2026, 8, 1))
    assert list(participant.tracer_surveys.values_list("wave", flat=True)) == [12]


def test_no_contact_makes_the_survey_without_a_message_and_the_command_says_so() -> None:
    graduate(email="", phone="")
    out = StringIO()
    call_command("tracer_send", stdout=out)  # today: long after the 12-month wave
    assert "1 surveys due, 0 sent, 1 without" in out.getvalue()
    assert TracerSurvey.objects.get().sent_at is None
    assert not Message.objects.exists()


def test_non_graduates_and_batches_not_completed_are_not_surveyed() -> None:
    participant = graduate()
    Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.NOT_GRADUATED)
    running = BatchFactory(state=BatchState.RUNNING, training_ends=ENDED)
    GraduateFactory(batch=running)
    assert tracer_send_due(today=dt.date(2026, 1, 1)).created == 0


def test_an_inmate_is_surveyed_only_after_release_counting_from_it() -> None:
    prison = PartnerFactory()
    batch = BatchFactory(
        state=BatchState.COMPLETED,
        venue_partner=prison,
        registration_opens=None,
        registration_closes=None,
        training_starts=dt.date(2025, 5, 1),
        training_ends=ENDED,
    )
    participant = GraduateFactory(batch=batch, applicant=ApplicantFactory(phone="081234567890"))
    Inmate.objects.create(
        applicant=participant.applicant,
        prison=prison,
        number="B-1",
        expected_release=dt.date(2026, 1, 15),
    )
    assert tracer_send_due(today=dt.date(2026, 1, 1)).created == 0  # still inside
    assert (
        tracer_send_due(today=dt.date(2026, 4, 14)).created == 0
    )  # 3 months after release: not yet
    run = tracer_send_due(today=dt.date(2026, 4, 15))
    assert run.sent == 1
    assert TracerSurvey.objects.get().due_on == dt.date(2026, 4, 15)
    assert Message.objects.get().channel == "whatsapp"


def _sent_survey(client: Client) -> tuple[TracerSurvey, str]:
    participant = graduate()
    tracer_send_due(today=dt.date(2025, 10, 30))
    survey = TracerSurvey.objects.get(participant=participant)
    # The link is valid for 45 days from sending: move it into the present for the page.
    TracerSurvey.objects.filter(pk=survey.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=5)
    )
    survey.refresh_from_db()
    return survey, link_token(Message.objects.get())


def test_the_graduate_answers_from_the_link_and_it_appends_a_placement(client: Client) -> None:
    survey, token = _sent_survey(client)
    url = reverse("tracer:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    response = client.post(
        url,
        {
            "outcome": "employed",
            "employer": "PT Kaltim Industrial Estate",
            "position": "Welder",
            "sector": "Konstruksi",
            "wage_band": "35to5",
            "start_date": "2025-09-01",
        },
    )
    assert response.status_code == 200
    record = PlacementRecord.objects.get()
    assert record.outcome == Outcome.EMPLOYED and record.source == Source.TRACER
    assert record.employer == "PT Kaltim Industrial Estate" and record.survey == survey
    survey.refresh_from_db()
    assert survey.answered_via == "link"


def test_a_second_submit_is_thanked_and_records_nothing(client: Client) -> None:
    _survey, token = _sent_survey(client)
    url = reverse("tracer:answer", args=[token])
    client.post(url, {"outcome": "not_employed"})
    second = client.post(url, {"outcome": "self_employed", "business": "Bengkel las"})
    assert second.status_code == 200
    assert "already been answered" in second.content.decode()
    assert PlacementRecord.objects.count() == 1


def test_the_service_refuses_a_double_answer(client: Client) -> None:
    survey, _token = _sent_survey(client)
    data = PlacementData(outcome="not_employed")
    tracer_answer(survey=survey, data=data, via="link", actor=None)
    with pytest.raises(TracerClosed):
        tracer_answer(survey=survey, data=data, via="link", actor=None)


def test_an_expired_link_says_so_and_takes_no_answer(client: Client) -> None:
    survey, token = _sent_survey(client)
    TracerSurvey.objects.filter(pk=survey.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    url = reverse("tracer:answer", args=[token])
    assert client.get(url).status_code == 410
    assert client.post(url, {"outcome": "not_employed"}).status_code == 410
    assert not PlacementRecord.objects.exists()


@pytest.mark.parametrize("token", ["x", "A" * 32, "A" * 300, "..", "%00"])
def test_a_forged_or_mistyped_link_is_not_found(client: Client, token: str) -> None:
    _sent_survey(client)
    response = client.get(f"/tracer/{token}/")
    assert response.status_code == 404


def test_a_missing_detail_is_asked_for_and_the_input_kept(client: Client) -> None:
    _survey, token = _sent_survey(client)
    url = reverse("tracer:answer", args=[token])
    response = client.post(url, {"outcome": "migrant", "agency": "PT Bina Mandiri"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Name the country." in body and 'value="PT Bina Mandiri"' in body
    response = client.post(url, {"outcome": "nonsense"})
    assert response.status_code == 200
    assert not PlacementRecord.objects.exists()


def test_staff_record_an_answer_taken_by_phone(client: Client, staff: User) -> None:
    participant = graduate()
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:placement_participant", args=[participant.pk]),
        {"action": "phone", "wave": "6", "outcome": "self_employed", "business": "Servis AC"},
    )
    assert response.status_code == 302
    survey = TracerSurvey.objects.get(participant=participant, wave=6)
    assert survey.answered_via == "phone"
    record = PlacementRecord.objects.get()
    assert record.source == Source.PHONE and record.recorded_by == staff
    with pytest.raises(TracerClosed):
        tracer_phone_answer(
            participant=participant, wave=6, data=PlacementData(outcome="study"), actor=staff
        )


def test_the_response_rate_counts_people_with_n(staff: User) -> None:
    first, second, third = graduate(), graduate(), graduate()
    Participant.objects.filter(pk__in=[second.pk, third.pk]).update(batch=first.batch)
    tracer_send_due(today=dt.date(2025, 10, 30))
    survey = TracerSurvey.objects.get(participant=first)
    tracer_phone_answer(participant=first, wave=3, data=PlacementData(outcome="study"), actor=staff)
    assert survey.pk == TracerSurvey.objects.get(participant=first, wave=3).pk
    batches, programmes = response_rates(viewer=staff)
    row = next(r for r in batches if r.label.startswith(first.batch.code))
    assert (row.graduates, row.surveyed, row.answered, row.rate) == (3, 3, 1, 33)
    assert sum(p.graduates for p in programmes) == 3
