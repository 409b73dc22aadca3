"""Nominations by a prison's officer through the form, and their review by staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PartnerFactory, PrisonBatchFactory, UserFactory, region
from vokasi.catalog.models import BatchState, Partner
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.inmates.models import Inmate, Nomination, NominationState
from vokasi.inmates.services import (
    NominationError,
    NomineeData,
    nomination_accept,
    nomination_create,
    nomination_reject,
)
from vokasi.intake.models import Applicant
from vokasi.training.models import Participant

pytestmark = pytest.mark.django_db


def nominee(serial: int = 1, **overrides: Any) -> NomineeData:
    values: dict[str, Any] = {
        "nik": f"647401120398{serial:04d}",
        "full_name": f"Warga Binaan {serial}",
        "birth_place": "Bontang",
        "birth_date": dt.date(1998, 3, 12),
        "sex": "M",
        "domicile": region("647401"),
        "schooling": 20,
        "number": f"B.I-{serial:03d}/2025",
        "expected_release": dt.date.today() + dt.timedelta(days=400),
    }
    return NomineeData(**(values | overrides))


def form_data(serial: int = 1, **overrides: str) -> dict[str, str]:
    return {
        "nik": f"6474 0112 0398 {serial:04d}",
        "full_name": f"Warga Binaan {serial}",
        "birth_place": "Bontang",
        "birth_date": "1998-03-12",
        "sex": "M",
        "district": "647401",
        "schooling": "20",
        "number": f"B.I-{serial:03d}/2025",
        "expected_release": "",
    } | overrides


@pytest.fixture
def batch() -> Any:
    return PrisonBatchFactory()


def test_the_officer_nominates_through_the_form(
    client: Client, partner_officer: User, batch: Any
) -> None:
    client.force_login(partner_officer)
    url = reverse("backoffice:inmate_nominate", args=[batch.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(7))
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.applicant.nik == "6474011203980007"
    assert nomination.prison == batch.venue_partner
    assert nomination.nominated_by == partner_officer
    assert nomination.state == NominationState.NOMINATED
    assert Inmate.objects.get(applicant=nomination.applicant).number == "B.I-007/2025"
    # The people of the batch page show the nominee with their inmate number.
    page = client.get(reverse("backoffice:inmate_batch", args=[batch.pk])).content.decode()
    assert "Warga Binaan 7" in page and "B.I-007/2025" in page


def test_the_form_applies_the_registration_nik_checks_and_keeps_the_input(
    client: Client, partner_officer: User, batch: Any
) -> None:
    client.force_login(partner_officer)
    url = reverse("backoffice:inmate_nominate", args=[batch.pk])
    response = client.post(url, form_data(8, birth_date="1998-03-13"))
    assert response.status_code == 200
    assert "differs from the date of birth" in response.content.decode()
    assert 'value="Warga Binaan 8"' in response.content.decode()
    response = client.post(url, form_data(8, nik="12345"))
    assert "16 digits" in response.content.decode()
    assert not Nomination.objects.exists() and not Applicant.objects.exists()


def test_a_woman_nik_with_male_sex_is_refused(partner_officer: User, batch: Any) -> None:
    with pytest.raises(NominationError) as caught:
        nomination_create(
            batch=batch, data=nominee(nik="6474015203980001", sex="M"), actor=partner_officer
        )
    assert "sex" in caught.value.errors


def test_the_same_person_twice_and_the_same_inmate_number_twice_are_refused(
    partner_officer: User, batch: Any
) -> None:
    nomination_create(batch=batch, data=nominee(1), actor=partner_officer)
    with pytest.raises(NominationError, match="already nominated"):
        nomination_create(batch=batch, data=nominee(1), actor=partner_officer)
    with pytest.raises(NominationError, match="inmate number"):
        nomination_create(
            batch=batch, data=nominee(2, number="B.I-001/2025"), actor=partner_officer
        )
    assert Nomination.objects.count() == 1


def test_an_officer_cannot_nominate_for_another_prison(batch: Any) -> None:
    other = Partner.objects.create(name="Lapas Kelas IIA Samarinda", kind=Partner.Kind.PRISON)
    outsider = UserFactory(role=Role.PARTNER, partner=other)
    with pytest.raises(NominationError, match="own institution"):
        nomination_create(batch=batch, data=nominee(1), actor=outsider)
    assert not Applicant.objects.exists()


def test_a_batch_at_the_centre_or_a_closed_one_takes_no_nominations(
    partner_officer: User, staff: User
) -> None:
    from tests.factories import BatchFactory

    with pytest.raises(NominationError, match="inside a prison"):
        nomination_create(batch=BatchFactory(), data=nominee(1), actor=staff)
    closed = PrisonBatchFactory(state=BatchState.COMPLETED)
    with pytest.raises(NominationError, match="closed"):
        nomination_create(batch=closed, data=nominee(1), actor=partner_officer)


def test_staff_enrol_a_nominee_with_participant_enrol(
    client: Client, partner_officer: User, staff: User, batch: Any
) -> None:
    nomination = nomination_create(batch=batch, data=nominee(3), actor=partner_officer)
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:inmate_batch", args=[batch.pk]),
        {"nomination": nomination.pk, "action": "accept"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ENROLLED and nomination.decided_by == staff
    participant = Participant.objects.get(batch=batch)
    assert participant.applicant == nomination.applicant and participant.number == 1
    with pytest.raises(NominationError, match="already decided"):
        nomination_accept(nomination=nomination, actor=staff)


def test_the_officer_cannot_review(client: Client, partner_officer: User, batch: Any) -> None:
    nomination = nomination_create(batch=batch, data=nominee(3), actor=partner_officer)
    client.force_login(partner_officer)
    response = client.post(
        reverse("backoffice:inmate_batch", args=[batch.pk]),
        {"nomination": nomination.pk, "action": "accept"},
    )
    assert response.status_code == 403
    assert not Participant.objects.exists()


def test_a_full_batch_refuses_the_enrolment_with_a_message(
    partner_officer: User, staff: User
) -> None:
    batch = PrisonBatchFactory(quota=10, min_participants=10)
    nominations = [
        nomination_create(batch=batch, data=nominee(n), actor=partner_officer) for n in range(1, 12)
    ]
    for nomination in nominations[:10]:
        nomination_accept(nomination=nomination, actor=staff)
    with pytest.raises(NominationError, match="full"):
        nomination_accept(nomination=nominations[10], actor=staff)
    nominations[10].refresh_from_db()
    assert nominations[10].state == NominationState.NOMINATED


def test_declining_needs_a_reason(partner_officer: User, staff: User, batch: Any) -> None:
    nomination = nomination_create(batch=batch, data=nominee(4), actor=partner_officer)
    with pytest.raises(NominationError, match="why"):
        nomination_reject(nomination=nomination, reason="  ", actor=staff)
    nomination_reject(
        nomination=nomination, reason="Sisa masa pidana di bawah 3 bulan", actor=staff
    )
    nomination.refresh_from_db()
    assert nomination.state == NominationState.REJECTED


def test_bad_posts_never_give_a_server_error(client: Client, staff: User, batch: Any) -> None:
    client.force_login(staff)
    url = reverse("backoffice:inmate_batch", args=[batch.pk])
    assert client.post(url, {"nomination": "abc", "action": "accept"}).status_code == 404
    assert client.post(url, {"nomination": "99999999999", "action": "accept"}).status_code == 404
    response = client.post(reverse("backoffice:inmate_nominate", args=[batch.pk]), {})
    assert response.status_code == 200


def test_inmate_fields_are_hidden_from_staff_without_the_permission(
    client: Client, partner_officer: User, batch: Any
) -> None:
    """Instructors teach in the prison and may see the roster, not the inmate numbers."""
    from vokasi.inmates.selectors import may_see_inmate_fields

    instructor = UserFactory(role=Role.INSTRUCTOR)
    assert not may_see_inmate_fields(instructor, prison_id=batch.venue_partner_id)
    assert may_see_inmate_fields(partner_officer, prison_id=batch.venue_partner_id)
    other = UserFactory(
        role=Role.PARTNER, partner=PartnerFactory(name="PT Badak NGL", kind="industry")
    )
    assert not may_see_inmate_fields(other, prison_id=batch.venue_partner_id)
    client.force_login(instructor)
    assert client.get(reverse("backoffice:inmate_batch", args=[batch.pk])).status_code == 403


def test_the_release_date_is_recorded_once_known(
    client: Client, partner_officer: User, staff: User, viewer: User, batch: Any
) -> None:
    from vokasi.inmates.models import Inmate

    nomination = nomination_create(batch=batch, data=nominee(7), actor=partner_officer)
    nomination_accept(nomination=nomination, actor=staff)
    url = reverse("backoffice:inmate_batch", args=[batch.pk])
    released = dt.date.today() - dt.timedelta(days=3)
    client.force_login(partner_officer)  # the prison's own officer knows the day
    client.post(url, {"nomination": nomination.pk, "action": "release", "released": released})
    assert Inmate.objects.get().expected_release == released
    for bad in ("kemarin", "2025-02-30", "9999-01-01"):
        assert (
            client.post(
                url, {"nomination": nomination.pk, "action": "release", "released": bad}
            ).status_code
            == 302
        )
    assert Inmate.objects.get().expected_release == released
    client.force_login(viewer)
    assert client.post(
        url, {"nomination": nomination.pk, "action": "release", "released": ""}
    ).status_code in (403, 404)
    assert Inmate.objects.get().expected_release == released
