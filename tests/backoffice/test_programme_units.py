"""Staff keep a programme's competency units: added, renamed, reordered, removed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ProgrammeFactory
from vokasi.core.models import User

pytestmark = pytest.mark.django_db


def _post(rows: list[tuple[str, str, str, bool]]) -> dict[str, str]:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for i, (code, title, jp, delete) in enumerate(rows):
        data |= {f"form-{i}-code": code, f"form-{i}-title": title, f"form-{i}-hours_jp": jp}
        if delete:
            data[f"form-{i}-DELETE"] = "on"
    return data


def test_units_are_kept_by_code_in_order(client: Client, staff: User) -> None:
    programme = ProgrammeFactory()
    kept = programme.units.create(code="C.1", title="Lama", hours_jp=10, order=1)
    programme.units.create(code="C.2", title="Dihapus", hours_jp=10, order=2)
    client.force_login(staff)
    url = reverse("backoffice:programme_units", args=[programme.pk])
    assert client.get(url).status_code == 200
    rows = [
        ("C.3", "Baru", "20", False),
        ("C.1", "Nama baru", "12", False),
        ("C.2", "Dihapus", "10", True),
        ("", "", "", False),
    ]
    response = client.post(url, _post(rows))
    assert response.status_code == 302
    units = list(programme.units.order_by("order").values_list("code", "title", "hours_jp"))
    assert units == [("C.3", "Baru", 20), ("C.1", "Nama baru", 12)]
    assert programme.units.get(code="C.1").pk == kept.pk


def test_a_code_twice_is_refused_and_nothing_changes(client: Client, staff: User) -> None:
    programme = ProgrammeFactory()
    programme.units.create(code="C.1", title="Lama", hours_jp=10, order=1)
    client.force_login(staff)
    url = reverse("backoffice:programme_units", args=[programme.pk])
    response = client.post(url, _post([("C.9", "A", "5", False), ("C.9", "B", "5", False)]))
    assert response.status_code == 200
    assert "C.9" in response.content.decode()
    assert list(programme.units.values_list("code", flat=True)) == ["C.1"]
