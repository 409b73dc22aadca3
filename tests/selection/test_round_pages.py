"""The round's pages: reserved seats, scores (dry run, then apply), tier preview, daftar
ulang at the counter, class-size decisions, objections from the portal to the answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.selection.test_inputs import _xlsx
from tests.selection.test_offers import _published
from tests.selection.test_round import _apply, _batch, _round
from vokasi.catalog.models import Intake
from vokasi.core.models import User
from vokasi.notifications.models import Message
from vokasi.selection.models import ClassSizeDecision, Objection, Offer, OfferState, Score

pytestmark = pytest.mark.django_db


def _staff_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_reserved_seats_are_set_on_their_page(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    round_ = _round(intake, staff, [])
    client = _staff_client(staff)
    url = reverse("backoffice:round_reservations", args=[round_.pk])
    client.post(url, {"batch": las.pk, "group": "perempuan", "seats": "2"})
    assert round_.reservations.get().seats == 2
    page = client.post(url, {"batch": las.pk, "group": "perempuan", "seats": "99"}, follow=True)
    assert page.status_code == 200
    assert round_.reservations.get().seats == 2
    assert client.post(url, {"batch": "x", "seats": "-1"}).status_code == 302


def test_scores_are_checked_then_applied_from_the_checked_copy(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    a = _apply(intake, 1, "647401", [las])
    round_ = _round(intake, staff, [])
    client = _staff_client(staff)
    url = reverse("backoffice:round_scores", args=[round_.pk])
    bad = client.post(
        url,
        {"action": "check", "file": _xlsx([["Nomor pendaftaran", "Nilai"], [a.number, "x"]])},
    )
    assert bad.status_code == 200 and b"<td>2</td>" in bad.content
    assert not Score.objects.exists()
    # "Apply" with nothing checked, a forged action, a huge file: messages, never a 500.
    assert client.post(url, {"action": "apply"}).status_code == 302
    assert client.post(url, {"action": "drop-table"}).status_code == 404
    huge = SimpleUploadedFile("besar.xlsx", b"0" * (6 * 1024 * 1024))
    assert client.post(url, {"action": "check", "file": huge}).status_code == 200
    good = client.post(
        url, {"action": "check", "file": _xlsx([["Nomor pendaftaran", "Nilai"], [a.number, 88]])}
    )
    assert good.status_code == 302 and not Score.objects.exists()
    client.post(url, {"action": "apply"})
    assert Score.objects.get().score == 88
    template = client.get(reverse("backoffice:round_scores_template", args=[round_.pk]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_preview_shows_each_choice_tier_and_why(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)
    resident = _apply(intake, 1, "647401", [las])
    outsider = _apply(intake, 2, "647201", [las])
    round_ = _round(intake, staff, ["domicile_funder"])
    page = _staff_client(staff).get(reverse("backoffice:round_preview", args=[round_.pk]))
    html = page.content.decode()
    assert resident.number in html and outsider.number in html
    assert html.count("✓") == 1 and html.count("✗") == 1


def test_the_counter_confirms_and_declines_places(
    intake: Intake, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las])
    round_ = _published(intake, staff)
    client = _staff_client(staff)
    url = reverse("backoffice:round_offers", args=[round_.pk])
    offer = Offer.objects.get()
    page = client.get(url, {"q": offer.application.number})
    assert offer.application.number in page.content.decode()
    client.post(url, {"action": "accept", "offer": offer.pk})
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED and offer.decided_by == staff
    client.post(url, {"action": "decline", "offer": offer.pk})
    assert Offer.objects.get(state=OfferState.OPEN).application_id != offer.application_id
    assert client.post(url, {"action": "accept", "offer": "999999"}).status_code == 404


def test_staff_decide_about_a_batch_below_its_minimum(intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=4)  # minimum 1 in the helper; raise it
    las.min_participants = 3
    las.save()
    _apply(intake, 1, "647401", [las])
    round_ = _published(intake, staff)
    client = _staff_client(staff)
    url = reverse("backoffice:round_offers", args=[round_.pk])
    page = client.get(url).content.decode()
    assert 'value="run_anyway"' in page
    client.post(url, {"action": "run_anyway", "batch": las.pk, "reason": ""})
    assert not ClassSizeDecision.objects.exists()
    client.post(url, {"action": "merge", "batch": las.pk, "reason": "Gabung", "target": "1"})
    assert not ClassSizeDecision.objects.exists()
    client.post(url, {"action": "run_anyway", "batch": las.pk, "reason": "Dana harus terserap"})
    assert ClassSizeDecision.objects.get().kind == "run_anyway"


def test_an_applicant_objects_and_staff_answer(client: Client, intake: Intake, staff: User) -> None:
    las = _batch(intake, "LAS-S", quota=1)
    for i in (1, 2):
        _apply(intake, i, "647401", [las], email=f"s{i}@contoh.id")
    round_ = _published(intake, staff)
    loser = round_.outcomes.get(batch__isnull=True).application
    owner = User.objects.create_user(
        "pelamar9", password="x", role="applicant", confirmed_at=timezone.now()
    )
    loser.applicant.user = owner
    loser.applicant.save()
    client.force_login(owner)
    status = client.get(reverse("portal:application_status")).content.decode()
    assert reverse("portal:objection", args=[loser.number, round_.pk]) in status
    client.post(
        reverse("portal:objection", args=[loser.number, round_.pk]),
        {"text": "Saya tinggal di Bontang Utara sejak 2010."},
    )
    objection = Objection.objects.get()
    staff_client = _staff_client(staff)
    page = staff_client.get(reverse("backoffice:round_objections", args=[round_.pk]))
    assert "Bontang Utara" in page.content.decode()
    staff_client.post(
        reverse("backoffice:round_objections", args=[round_.pk]),
        {"objection": objection.pk, "verdict": "rejected", "answer": "Undian publik menentukan."},
    )
    objection.refresh_from_db()
    assert objection.verdict == "rejected"
    assert Message.objects.filter(template="selection_objection_answered").count() == 1
    status = client.get(reverse("portal:application_status")).content.decode()
    assert "Undian publik menentukan." in status
