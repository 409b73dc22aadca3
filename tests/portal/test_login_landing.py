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
