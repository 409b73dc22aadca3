"""Creating and editing batches in the back office: bad input gets the reason, nothing saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BatchFactory, FundingFactory, ProgrammeFactory
from vokasi.catalog.models import Batch, BatchState
from vokasi.core.audit import audit_entries_for
from vokasi.core.models import User

pytestmark = pytest.mark.django_db


def _form(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "programme": ProgrammeFactory().pk,
        "code": "LAS-2026-9",
        "name": "Pengelasan Angkatan IX",
        "funding": FundingFactory().pk,
        "cost": "50000000",
        "quota": "16",
        "min_participants": "10",
        "registration_opens": "2026-01-05",
        "registration_closes": "2026-01-31",
        "training_starts": "2026-02-09",
        "training_ends": "2026-04-10",
    }
    return data | fields


def test_staff_creates_a_draft_batch_and_it_is_audited(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post(reverse("backoffice:batch_create"), _form())
    batch = Batch.objects.get(code="LAS-2026-9")
    assert response.status_code == 302
    assert batch.state == BatchState.DRAFT
    assert audit_entries_for(batch).get().actor == staff


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quota": "8"}, "Kuota tidak boleh kurang"),
        ({"training_ends": "2026-02-01"}, "Pelatihan tidak boleh berakhir"),
        ({"registration_closes": "2026-02-20"}, "Pendaftaran"),
        ({"cost": "-5"}, ""),
        ({"training_starts": "31/02/2026"}, ""),
    ],
)
def test_impossible_batches_are_refused_with_the_reason(
    client: Client, staff: User, fields: dict[str, object], message: str
) -> None:
    client.force_login(staff)
    response = client.post(reverse("backoffice:batch_create"), _form(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert message in html
    assert not Batch.objects.filter(code="LAS-2026-9").exists()
    assert 'value="Pengelasan Angkatan IX"' in html  # what was typed is kept


def test_a_duplicate_code_is_refused(client: Client, staff: User) -> None:
    BatchFactory(code="LAS-2026-9")
    client.force_login(staff)
    response = client.post(reverse("backoffice:batch_create"), _form())
    assert response.status_code == 200
    assert Batch.objects.filter(code="LAS-2026-9").count() == 1


def test_a_forged_transition_target_changes_nothing(client: Client, staff: User) -> None:
    batch = BatchFactory()
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:batch_transition", args=[batch.pk]),
        {"target": "graduated"},
        follow=True,
    )
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.state == BatchState.DRAFT
    assert not audit_entries_for(batch).exists()


def test_a_transition_from_the_wrong_state_shows_the_reason(client: Client, staff: User) -> None:
    batch = BatchFactory(state=BatchState.COMPLETED)
    client.force_login(staff)
    response = client.post(
        reverse("backoffice:batch_transition", args=[batch.pk]), {"target": "open"}, follow=True
    )
    assert "tidak dapat diubah menjadi" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == BatchState.COMPLETED


def test_the_batch_list_filters_and_keeps_its_query_count(
    client: Client, staff: User, django_assert_max_num_queries: object
) -> None:
    for _ in range(5):
        BatchFactory(state=BatchState.OPEN)
    BatchFactory(state=BatchState.COMPLETED, name="Selesai")
    client.force_login(staff)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get(reverse("backoffice:batches"), {"state": "open"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 5


@pytest.mark.parametrize(
    "query",
    [
        "?programme=abc",
        "?programme=²",
        "?year=99999",
        "?year=²",
        "?programme=" + "9" * 23,
        "?page=zzz",
    ],
)
def test_odd_query_strings_never_cause_a_server_error(
    client: Client, staff: User, query: str
) -> None:
    BatchFactory()
    client.force_login(staff)
    assert client.get(reverse("backoffice:batches") + query).status_code in (200, 404)
    assert client.get(reverse("backoffice:batch_create") + query).status_code == 200


def test_a_viewer_sees_the_batch_but_not_its_participants(client: Client, viewer: User) -> None:
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory(applicant__full_name="Siti Rahmawati")
    client.force_login(viewer)
    html = client.get(reverse("backoffice:batch", args=[participant.batch_id])).content.decode()
    assert participant.batch.name in html
    assert "Siti Rahmawati" not in html


def test_an_edit_does_not_undo_a_state_change_made_meanwhile(client: Client, staff: User) -> None:
    batch = BatchFactory()
    client.force_login(staff)
    page = client.get(reverse("backoffice:batch_update", args=[batch.pk]))
    assert page.status_code == 200
    # Someone opens registration while the edit form is on screen.
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.OPEN)
    data = _form(
        programme=batch.programme_id, funding=batch.funding_id, code=batch.code, name="Nama baru"
    )
    response = client.post(reverse("backoffice:batch_update", args=[batch.pk]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.name, batch.state) == ("Nama baru", BatchState.OPEN)


def test_the_quota_cannot_go_below_the_participants(client: Client, staff: User) -> None:
    from tests.factories import ParticipantFactory

    batch = BatchFactory(quota=12, min_participants=2)
    for _ in range(3):
        ParticipantFactory(batch=batch)
    client.force_login(staff)
    data = _form(
        programme=batch.programme_id,
        funding=batch.funding_id,
        code=batch.code,
        quota="2",
        min_participants="2",
    )
    response = client.post(reverse("backoffice:batch_update", args=[batch.pk]), data)
    assert response.status_code == 200
    assert "3" in response.content.decode()
    batch.refresh_from_db()
    assert batch.quota == 12


def test_completed_batches_have_no_edit_page(client: Client, staff: User) -> None:
    batch = BatchFactory(state=BatchState.COMPLETED)
    client.force_login(staff)
    assert client.get(reverse("backoffice:batch_update", args=[batch.pk])).status_code == 404
