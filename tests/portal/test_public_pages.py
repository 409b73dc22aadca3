"""The public site: what a visitor on a phone sees, in Bahasa Indonesia first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import BatchFactory, ParticipantFactory, PartnerFactory
from vokasi.catalog.models import BatchState

pytestmark = pytest.mark.django_db


def _open_batch(**fields: object) -> object:
    today = timezone.localdate()
    defaults: dict[str, object] = {
        "state": BatchState.OPEN,
        "registration_opens": today - dt.timedelta(days=3),
        "registration_closes": today + dt.timedelta(days=10),
        "training_starts": today + dt.timedelta(days=20),
        "training_ends": today + dt.timedelta(days=60),
    }
    return BatchFactory(**(defaults | fields))


def test_home_lists_open_batches_with_seats_and_dates_in_indonesian(client: Client) -> None:
    batch = _open_batch(name="Pengelasan SMAW Angkatan I", quota=16)
    ParticipantFactory(batch=batch)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pengelasan SMAW Angkatan I" in html
    assert "15 / 16" in html
    assert "Pendaftaran ditutup" in html  # "Registration closes" in Bahasa Indonesia
    assert f"{batch.registration_closes.day} " in html  # type: ignore[attr-defined]


def test_english_is_one_click_away(client: Client) -> None:
    _open_batch()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Registration closes" in response.content.decode()


def test_batches_inside_a_prison_never_appear_on_public_pages(client: Client) -> None:
    _open_batch(
        name="Las untuk Warga Binaan",
        state=BatchState.RUNNING,
        venue_partner=PartnerFactory(),
        registration_opens=None,
        registration_closes=None,
    )
    for url in ("/", "/program/"):
        assert "Warga Binaan" not in client.get(url).content.decode()


def test_a_draft_batch_is_not_public(client: Client) -> None:
    batch = BatchFactory(state=BatchState.DRAFT)
    assert client.get(f"/paket/{batch.code}/").status_code == 404


def test_programme_pages_show_units_and_requirements(client: Client) -> None:
    batch = _open_batch()
    batch.programme.units.create(
        code="C.25LAS00.001.2", title="Menerapkan K3 pengelasan", hours_jp=24
    )  # type: ignore[attr-defined]
    html = client.get(f"/program/{batch.programme_id}/").content.decode()  # type: ignore[attr-defined]
    assert "Menerapkan K3 pengelasan" in html
    assert "C.25LAS00.001.2" in html


def test_unknown_pages_answer_404_not_500(client: Client) -> None:
    assert client.get("/program/999999/").status_code == 404
    assert client.get("/paket/tidak-ada/").status_code == 404


def test_every_asset_is_served_locally(client: Client) -> None:
    _open_batch()
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_indonesian_by_default_even_for_a_phone_set_to_english(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    client.cookies["django_language"] = "en"
    assert client.get("/")["Content-Language"] == "en"


def test_home_links_the_latest_published_selection_announcements(client: Client) -> None:
    from tests.factories import CentreFactory
    from vokasi.catalog.models import Intake
    from vokasi.selection.models import RoundState, SelectionRound

    intake = Intake.objects.create(centre=CentreFactory(), name="Gelombang I", code="REG-A")
    now = timezone.now()
    published = [
        SelectionRound.objects.create(
            intake=intake,
            name=f"Seleksi tahap {n}",
            state=RoundState.PUBLISHED,
            seed=f"benih-{n}",
            published_at=now - dt.timedelta(days=n),
        )
        for n in range(1, 8)
    ]
    draft = SelectionRound.objects.create(intake=intake, name="Seleksi rancangan")
    html = client.get("/").content.decode()
    for newest in published[:5]:
        assert f'href="/seleksi/{newest.pk}/"' in html
        assert newest.name in html
    for older in published[5:]:
        assert f'href="/seleksi/{older.pk}/"' not in html
    assert draft.name not in html
    assert html.index(published[0].name) < html.index(published[1].name)
    assert client.get(f"/seleksi/{published[0].pk}/").status_code == 200
