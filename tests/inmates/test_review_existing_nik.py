"""A NIK already on record: a prison's officer cannot take over someone else's record by
typing it, nor learn whose it is (review of issue 8)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import PrisonBatchFactory, UserFactory, region
from vokasi.catalog.models import Partner
from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.inmates.models import Inmate, Nomination
from vokasi.inmates.services import NominationError, NomineeData, nomination_create
from vokasi.inmates.spreadsheet import nominations_read
from vokasi.intake.models import Applicant

pytestmark = pytest.mark.django_db

NIK = "6474011203980002"
SECRET_NAME = "Rahasia Samarinda Dua"


def _data(**overrides: Any) -> NomineeData:
    values: dict[str, Any] = {
        "nik": NIK,
        "full_name": "Nama Karangan",
        "birth_place": "Bontang",
        "birth_date": dt.date(1998, 3, 12),
        "sex": "M",
        "domicile": region("647401"),
        "schooling": 20,
        "number": "BTG-99",
        "expected_release": dt.date.today() + dt.timedelta(days=300),
    }
    return NomineeData(**(values | overrides))


@pytest.fixture
def other_prisons_inmate() -> Inmate:
    samarinda = Partner.objects.create(name="Lapas Kelas IIA Samarinda", kind=Partner.Kind.PRISON)
    officer = UserFactory(role=Role.PARTNER, partner=samarinda)
    nomination_create(
        batch=PrisonBatchFactory(venue_partner=samarinda),
        data=_data(full_name=SECRET_NAME, number="SMD-7"),
        actor=officer,
    )
    return Inmate.objects.get(applicant__nik=NIK)


def test_another_prisons_inmate_cannot_be_taken_over_by_typing_their_nik(
    client: Client, partner_officer: User, other_prisons_inmate: Inmate
) -> None:
    own_batch = PrisonBatchFactory(venue_partner=partner_officer.partner)
    client.force_login(partner_officer)
    url = reverse("backoffice:inmate_nominate", args=[own_batch.pk])
    response = client.post(
        url,
        {
            "nik": NIK,
            "full_name": "Nama Karangan",
            "birth_place": "Bontang",
            "birth_date": "1998-03-12",
            "sex": "M",
            "district": "647401",
            "schooling": "20",
            "number": "BTG-99",
            "expected_release": "",
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not Nomination.objects.filter(batch=own_batch).exists()
    inmate = Inmate.objects.get(pk=other_prisons_inmate.pk)
    assert inmate.prison_id == other_prisons_inmate.prison_id and inmate.number == "SMD-7"
    page = client.get(reverse("backoffice:inmate_batch", args=[own_batch.pk])).content.decode()
    assert SECRET_NAME not in page and SECRET_NAME not in response.content.decode()


def test_even_with_the_right_name_another_prisons_inmate_is_a_matter_for_staff(
    partner_officer: User, other_prisons_inmate: Inmate
) -> None:
    own_batch = PrisonBatchFactory(venue_partner=partner_officer.partner)
    with pytest.raises(NominationError) as caught:
        nomination_create(batch=own_batch, data=_data(full_name=SECRET_NAME), actor=partner_officer)
    assert "nik" in caught.value.errors
    assert Inmate.objects.get(pk=other_prisons_inmate.pk).prison_id != partner_officer.partner_id


def test_a_registered_member_of_the_public_is_not_turned_into_an_inmate_by_a_wrong_nik(
    partner_officer: User,
) -> None:
    from tests.factories import ApplicantFactory

    person = ApplicantFactory(nik=NIK, full_name="Warga Biasa", birth_date=dt.date(1998, 3, 12))
    own_batch = PrisonBatchFactory(venue_partner=partner_officer.partner)
    with pytest.raises(NominationError) as caught:
        nomination_create(batch=own_batch, data=_data(), actor=partner_officer)
    assert "nik" in caught.value.errors
    assert "Warga Biasa" not in str(caught.value)
    assert not Inmate.objects.filter(applicant=person).exists()
    # The same person, typed as on record, may be nominated (e.g. sentenced since).
    nomination_create(
        batch=own_batch, data=_data(full_name="  warga  BIASA "), actor=partner_officer
    )
    assert Inmate.objects.get(applicant=person).prison_id == partner_officer.partner_id


def test_the_dry_run_reports_the_same_fault_by_row(
    partner_officer: User, other_prisons_inmate: Inmate
) -> None:
    own_batch = PrisonBatchFactory(venue_partner=partner_officer.partner)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIK", "Nama", "Tempat", "Tgl", "JK", "Kec", "Pend", "No", "Bebas"])
    sheet.append([NIK, "Nama Karangan", "Bontang", "12-03-1998", "L", "647401", "SMA", "BTG-99"])
    out = io.BytesIO()
    book.save(out)
    result = nominations_read(batch=own_batch, content=out.getvalue(), actor=partner_officer)
    assert [e.row for e in result.errors] == [2] and not result.rows
    assert SECRET_NAME not in " ".join(e.message for e in result.errors)
    assert Applicant.objects.count() == 1


def test_every_view_of_inmate_numbers_is_audited(
    client: Client, partner_officer: User, staff: User, other_prisons_inmate: Inmate
) -> None:
    """Inmate status is personal data: each page that shows it whole leaves a trace."""
    from vokasi.core.models import AuditEntry

    batch = Nomination.objects.get(applicant=other_prisons_inmate.applicant).batch
    client.force_login(staff)
    page = client.get(reverse("backoffice:inmate_batch", args=[batch.pk]))
    assert "SMD-7" in page.content.decode()
    entry = AuditEntry.objects.get(action="inmates.viewed")
    assert entry.actor == staff and entry.object_id == str(batch.pk) and entry.data["rows"] == 1
    # An officer's own batch with nobody nominated yet shows nobody: nothing to record.
    client.force_login(partner_officer)
    own = PrisonBatchFactory(venue_partner=partner_officer.partner)
    client.get(reverse("backoffice:inmate_batch", args=[own.pk]))
    assert AuditEntry.objects.filter(action="inmates.viewed").count() == 1
