"""Placement records (append-only history), vacancies, shortlists, referrals and outcomes,
and the partner page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicantFactory,
    BatchFactory,
    GraduateFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgrammeFactory,
)
from vokasi.catalog.models import BatchState, Partner
from vokasi.core.models import AuditEntry, User
from vokasi.notifications.models import Message
from vokasi.placement.models import (
    Agreement,
    Outcome,
    PlacementRecord,
    Referral,
    ReferralState,
    Source,
    Vacancy,
)
from vokasi.placement.selectors import graduate_list, vacancy_matches
from vokasi.placement.services import (
    PlacementData,
    PlacementError,
    placement_record,
    referral_outcome,
    referrals_send,
    referrals_shortlist,
)

pytestmark = pytest.mark.django_db


def test_records_append_and_the_latest_is_current(staff: User) -> None:
    grad = GraduateFactory()
    placement_record(
        participant=grad,
        data=PlacementData(outcome="not_employed"),
        source=Source.STAFF,
        actor=staff,
    )
    placement_record(
        participant=grad,
        data=PlacementData(outcome="employed", employer="CV Las Mandiri", country="Jepang"),
        source=Source.STAFF,
        actor=staff,
    )
    assert PlacementRecord.objects.filter(participant=grad).count() == 2
    row = graduate_list(viewer=staff).get(pk=grad.pk)
    assert row.current_outcome == Outcome.EMPLOYED  # type: ignore[attr-defined]
    assert row.current_employer == "CV Las Mandiri"  # type: ignore[attr-defined]
    # A field that does not belong to the outcome is not kept.
    assert PlacementRecord.objects.filter(participant=grad).first().country == ""  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="placement.record").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PlacementData(outcome="employed"), "employer"),
        (PlacementData(outcome="self_employed"), "business"),
        (PlacementData(outcome="migrant", agency="PT P3MI"), "country"),
        (PlacementData(outcome="married"), "outcome"),
    ],
)
def test_each_outcome_asks_for_what_it_needs(staff: User, data: PlacementData, field: str) -> None:
    with pytest.raises(PlacementError) as caught:
        placement_record(participant=GraduateFactory(), data=data, source="staff", actor=staff)
    assert field in caught.value.errors
    assert not PlacementRecord.objects.exists()


def test_only_a_graduate_of_a_completed_batch_has_a_placement(staff: User) -> None:
    data = PlacementData(outcome="not_employed")
    for participant in (
        ParticipantFactory(batch=BatchFactory(state=BatchState.RUNNING), status="graduated"),
        GraduateFactory(status="dropped"),
    ):
        with pytest.raises(PlacementError, match="graduate"):
            placement_record(participant=participant, data=data, source="staff", actor=staff)


def _vacancy(programme: object, **extra: object) -> Vacancy:
    values = {
        "employer": "PT Badak NGL (kontraktor)",
        "position": "Welder SMAW",
        "programme": programme,
        "openings": 4,
        "closes_on": timezone.localdate() + dt.timedelta(days=14),
        "place": "Bontang",
    } | extra
    return Vacancy.objects.create(**values)


def test_matching_shortlist_referral_and_a_hire(staff: User) -> None:
    programme = ProgrammeFactory()
    batch = BatchFactory(programme=programme, state=BatchState.COMPLETED)
    looking = GraduateFactory(batch=batch, applicant=ApplicantFactory(email="a@example.org"))
    working = GraduateFactory(batch=batch, applicant=ApplicantFactory(phone="0812 3456 7890"))
    GraduateFactory()  # another programme
    placement_record(
        participant=working,
        data=PlacementData(outcome="employed", employer="PT X"),
        source="staff",
        actor=staff,
    )
    placement_record(
        participant=looking, data=PlacementData(outcome="not_employed"), source="staff", actor=staff
    )
    vacancy = _vacancy(programme)
    matches = vacancy_matches(vacancy=vacancy, viewer=staff)
    assert [p.pk for p in matches] == [looking.pk, working.pk]  # not yet employed first
    assert referrals_shortlist(vacancy=vacancy, participants=matches, actor=staff) == 2
    assert referrals_shortlist(vacancy=vacancy, participants=matches, actor=staff) == 0
    assert vacancy_matches(vacancy=vacancy, viewer=staff) == []
    with pytest.raises(PlacementError, match="Refer"):
        referral_outcome(referral=Referral.objects.first(), state="hired", actor=staff)  # type: ignore[arg-type]
    assert referrals_send(vacancy=vacancy, actor=staff) == 2
    assert Message.objects.filter(template="vacancy_referral").count() == 2
    assert referrals_send(vacancy=vacancy, actor=staff) == 0  # nobody left shortlisted
    referral = Referral.objects.get(participant=looking)
    referral_outcome(referral=referral, state=ReferralState.HIRED, actor=staff, start_date=None)
    record = PlacementRecord.objects.filter(participant=looking).first()
    assert record is not None and record.outcome == Outcome.EMPLOYED
    assert record.source == Source.REFERRAL and record.employer == "PT Badak NGL (kontraktor)"


def test_a_hire_abroad_is_a_migrant_placement(staff: User) -> None:
    programme = ProgrammeFactory()
    grad = GraduateFactory(batch=BatchFactory(programme=programme, state=BatchState.COMPLETED))
    vacancy = _vacancy(
        programme, location="abroad", country="Jepang", agency="PT Bina Karya Mandiri (P3MI)"
    )
    referrals_shortlist(vacancy=vacancy, participants=[grad], actor=staff)
    referrals_send(vacancy=vacancy, actor=staff)
    referral_outcome(
        referral=Referral.objects.get(), state="hired", actor=staff, start_date=dt.date(2026, 2, 1)
    )
    record = PlacementRecord.objects.get()
    assert (record.outcome, record.country, record.departure_date) == (
        Outcome.MIGRANT,
        "Jepang",
        dt.date(2026, 2, 1),
    )


def test_a_closed_vacancy_is_not_sent(staff: User) -> None:
    vacancy = _vacancy(None, closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(PlacementError, match="closed"):
        referrals_send(vacancy=vacancy, actor=staff)


def test_staff_create_a_vacancy_abroad_only_with_its_country(client: Client, staff: User) -> None:
    client.force_login(staff)
    data = {
        "employer": "Kyoto Tekko",
        "position": "Welder",
        "location": "abroad",
        "openings": "3",
        "closes_on": "2027-01-31",
    }
    response = client.post(reverse("backoffice:vacancy_create"), data)
    assert response.status_code == 200 and not Vacancy.objects.exists()
    response = client.post(reverse("backoffice:vacancy_create"), data | {"country": "Jepang"})
    assert response.status_code == 302
    assert Vacancy.objects.get().country == "Jepang"


def test_staff_correct_a_vacancy_and_the_trail_names_what_changed(
    client: Client, staff: User, viewer: User
) -> None:
    from vokasi.core.models import AuditEntry

    vacancy = _vacancy(None)
    url = reverse("backoffice:vacancy_update", args=[vacancy.pk])
    client.force_login(staff)
    page = client.get(reverse("backoffice:vacancy", args=[vacancy.pk])).content.decode()
    assert url in page
    form = client.get(url).content.decode()
    assert 'value="Welder SMAW"' in form  # the form opens with what is there
    data = {
        "employer": vacancy.employer,
        "position": "Welder SMAW 3G",
        "location": "home",
        "place": "Bontang",
        "openings": "6",
        "closes_on": "2027-03-31",
    }
    response = client.post(url, data | {"location": "abroad"})
    assert response.status_code == 200 and "country" in response.content.decode()
    assert client.post(url, data).status_code == 302
    vacancy.refresh_from_db()
    assert (vacancy.position, vacancy.openings) == ("Welder SMAW 3G", 6)
    entry = AuditEntry.objects.get(action="vacancy.update")
    assert {"position", "openings", "closes_on"} <= set(entry.data["fields"])
    assert Vacancy.objects.count() == 1
    client.force_login(viewer)  # the city's office reads reports, not vacancies
    assert client.get(url).status_code == 403
    assert client.post(url, data | {"position": "Forged"}).status_code == 403
    vacancy.refresh_from_db()
    assert vacancy.position == "Welder SMAW 3G"
    assert client.get(reverse("backoffice:vacancy_update", args=[999999])).status_code in (403, 404)


def test_the_vacancy_page_shortlists_and_sends(client: Client, staff: User) -> None:
    programme = ProgrammeFactory()
    grad = GraduateFactory(
        batch=BatchFactory(programme=programme, state=BatchState.COMPLETED),
        applicant=ApplicantFactory(email="g@example.org"),
    )
    vacancy = _vacancy(programme)
    client.force_login(staff)
    url = reverse("backoffice:vacancy", args=[vacancy.pk])
    assert grad.applicant.full_name in client.get(url).content.decode()
    client.post(url, {"action": "shortlist", "participant": [str(grad.pk), "abc", "999999"]})
    client.post(url, {"action": "send"})
    referral = Referral.objects.get()
    assert referral.state == ReferralState.SENT
    client.post(url, {"action": "outcome", "referral": referral.pk, "state": "declined"})
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECLINED
    assert client.post(url, {"action": "nonsense"}).status_code == 404


def test_the_partner_page_keeps_agreements_privately(client: Client, staff: User) -> None:
    partner = PartnerFactory(name="PT Pupuk Kalimantan Timur", kind=Partner.Kind.INDUSTRY)
    client.force_login(staff)
    url = reverse("backoffice:partner", args=[partner.pk])
    not_pdf = SimpleUploadedFile("mou.pdf", b"MZ this is no pdf")
    response = client.post(
        url,
        {
            "action": "agreement",
            "number": "500/12/BLKI-BTG/2025",
            "scope": "Pelatihan las dan penempatan",
            "signed_on": "2025-02-10",
            "file": not_pdf,
        },
    )
    assert response.status_code == 200 and not Agreement.objects.exists()
    pdf = SimpleUploadedFile("mou.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        url,
        {
            "action": "agreement",
            "number": "500/12/BLKI-BTG/2025",
            "scope": "Pelatihan las dan penempatan",
            "signed_on": "2025-02-10",
            "valid_until": "2028-02-09",
            "file": pdf,
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    download = client.get(reverse("backoffice:agreement_file", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    client.post(url, {"action": "contact", "name": "Ir. Hendra", "phone": "0812 5555 1234"})
    client.post(url, {"action": "contribution", "kind": "vacancies", "note": "Welder"})
    page = client.get(url).content.decode()
    assert "500/12/BLKI-BTG/2025" in page and "Ir. Hendra" in page and "Welder" in page
    response = client.post(
        url,
        {
            "action": "agreement",
            "number": "x",
            "scope": "y",
            "signed_on": "2025-02-10",
            "valid_until": "2024-01-01",
        },
    )
    assert response.status_code == 200 and Agreement.objects.count() == 1


def test_a_viewer_cannot_change_a_partner(client: Client, viewer: User) -> None:
    partner = PartnerFactory()
    client.force_login(viewer)
    url = reverse("backoffice:partner", args=[partner.pk])
    assert client.post(url, {"action": "contact", "name": "X"}).status_code == 403


def test_the_placement_list_filters_and_never_errors(client: Client, staff: User) -> None:
    grad = GraduateFactory()
    client.force_login(staff)
    url = reverse("backoffice:placements")
    for query in ({}, {"outcome": "unknown"}, {"batch": "abc"}, {"outcome": "x", "q": "a" * 500}):
        response = client.get(url, query)
        assert response.status_code == 200
    assert grad.applicant.full_name in client.get(url, {"outcome": "unknown"}).content.decode()
    assert grad.applicant.full_name not in client.get(url, {"outcome": "employed"}).content.decode()


def test_an_inmate_graduate_is_matched_to_vacancies_only_after_release(staff: User) -> None:
    from vokasi.inmates.models import Inmate

    prison = PartnerFactory()
    programme = ProgrammeFactory()
    batch = BatchFactory(
        programme=programme,
        state=BatchState.COMPLETED,
        venue_partner=prison,
        registration_opens=None,
        registration_closes=None,
    )
    grad = GraduateFactory(batch=batch)
    inmate = Inmate.objects.create(
        applicant=grad.applicant,
        prison=prison,
        number="B-9",
        expected_release=timezone.localdate() + dt.timedelta(days=30),
    )
    vacancy = _vacancy(programme)
    assert vacancy_matches(vacancy=vacancy, viewer=staff) == []
    assert referrals_shortlist(vacancy=vacancy, participants=[grad], actor=staff) == 0
    inmate.expected_release = timezone.localdate() - dt.timedelta(days=1)
    inmate.save()
    assert [p.pk for p in vacancy_matches(vacancy=vacancy, viewer=staff)] == [grad.pk]
    assert referrals_shortlist(vacancy=vacancy, participants=[grad], actor=staff) == 1


def test_a_vacancy_naming_units_matches_only_graduates_competent_in_each(
    client: Client, staff: User
) -> None:
    from vokasi.training.models import Assessment

    programme = ProgrammeFactory()
    smaw = programme.units.create(code="C.25.200.01.017.01", title="Mengelas SMAW posisi 3G")
    k3 = programme.units.create(code="C.25.200.01.001.01", title="Menerapkan K3")
    batch = BatchFactory(programme=programme, state=BatchState.COMPLETED)
    both, retaken, failed = (GraduateFactory(batch=batch) for _ in range(3))

    def assess(participant: object, unit: object, result: str, day: int) -> None:
        Assessment.objects.create(
            participant=participant,
            unit=unit,
            result=result,
            assessed_on=dt.date(2025, 7, day),
            assessor=staff,
        )

    assess(both, smaw, "K", 20)
    assess(both, k3, "K", 20)
    assess(retaken, smaw, "BK", 20)
    assess(retaken, smaw, "K", 25)  # the latest result counts
    assess(retaken, k3, "K", 20)
    assess(failed, smaw, "K", 20)
    assess(failed, k3, "K", 20)
    assess(failed, k3, "BK", 26)
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:vacancy_create"),
        {
            "employer": "PT Badak NGL (kontraktor)",
            "position": "Welder",
            "units": [str(smaw.pk), str(k3.pk)],
            "location": "home",
            "openings": "2",
            "closes_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert set(vacancy.units.all()) == {smaw, k3}
    matched = {p.pk for p in vacancy_matches(vacancy=vacancy, viewer=staff)}
    assert matched == {both.pk, retaken.pk}
    assert (
        "Mengelas SMAW posisi 3G"
        in client.get(reverse("backoffice:vacancy", args=[vacancy.pk])).content.decode()
    )
