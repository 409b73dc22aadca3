"""GET /wilayah/ and /wilayah/<code>/: JSON lists for cascading address selects."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vokasi.regions.models import Region

pytestmark = pytest.mark.django_db


def test_provinces(client: Client, regions_loaded: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/wilayah/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    provinces = response.json()
    assert len(provinces) == 38
    assert all(set(p) == {"code", "name"} for p in provinces)
    assert {"code": "64", "name": "Kalimantan Timur"} in provinces
    assert [p["name"] for p in provinces] == sorted(p["name"] for p in provinces)
    # One query for the list (other middleware may ask for its own things).
    assert sum("regions_region" in q["sql"] for q in queries.captured_queries) == 1


def test_cacheable_for_a_day(client: Client, regions_loaded: None) -> None:
    cache_control = client.get("/wilayah/64/")["Cache-Control"]
    assert set(cache_control.split(", ")) == {"public", "max-age=86400"}


def test_children_of_a_province_and_a_city(client: Client, regions_loaded: None) -> None:
    regencies = client.get("/wilayah/64/").json()
    assert {"code": "6474", "name": "Kota Bontang"} in regencies
    assert {"code": "6472", "name": "Kota Samarinda"} in regencies
    assert {"code": "6408", "name": "Kabupaten Kutai Timur"} in regencies

    assert client.get("/wilayah/6474/").json() == [
        {"code": "647403", "name": "Bontang Barat"},
        {"code": "647402", "name": "Bontang Selatan"},
        {"code": "647401", "name": "Bontang Utara"},
    ]


def test_villages_when_loaded(client: Client, regions_loaded: None) -> None:
    assert client.get("/wilayah/647401/").json() == []  # loaded without villages

    Region.objects.create(code="6474011001", name="Bontang Baru", level=4, parent_id="647401")
    assert client.get("/wilayah/647401/").json() == [{"code": "6474011001", "name": "Bontang Baru"}]
    assert client.get("/wilayah/6474011001/").json() == []


@pytest.mark.parametrize(
    "url", ["/wilayah/99/", "/wilayah/6499/", "/wilayah/abc/", "/wilayah/123/"]
)
def test_unknown_or_malformed_code_is_404(client: Client, regions_loaded: None, url: str) -> None:
    assert client.get(url).status_code == 404


def test_only_get(client: Client, regions_loaded: None) -> None:
    assert client.post("/wilayah/").status_code == 405


def test_a_404_is_not_cached(client: Client, regions_loaded: None) -> None:
    assert "max-age" not in client.get("/wilayah/99/").get("Cache-Control", "")
