"""After logging in, each role lands where its work is."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("staff", "backoffice:home"),
        ("instructor", "backoffice:my_sessions"),
        ("assessor", "backoffice:my_batches"),
    ],
)
def test_each_role_lands_where_its_work_is(client: Client, role: str, landing: str) -> None:
    user = UserFactory(username=f"u-{role}", role=role)
    user.set_password("rahasia-123")
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": "rahasia-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_a_visitor_sent_to_log_in_from_apply_is_told_why_and_offered_an_account(
    client: Client,
) -> None:
    page = client.get("/login/", {"next": "/pendaftaran/?paket=LAS-2026-1"}).content.decode()
    assert "Buat akun" in page and "untuk mendaftar pelatihan" in page.lower()
    assert "daftar/?next=%2Fpendaftaran%2F%3Fpaket%3DLAS-2026-1" in page  # kept through sign-up
    plain = client.get("/login/", {"next": "/pendaftaran/status/"}).content.decode()
    assert "untuk mendaftar pelatihan" not in plain.lower()
