"""List pages do a fixed number of queries however long the list (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BatchFactory, ParticipantFactory
from vokasi.core.audit import audit_log
from vokasi.core.models import User

pytestmark = pytest.mark.django_db


def _fill(staff: User, n: int) -> None:
    for _ in range(n):
        batch = BatchFactory()
        batch.programme.units.create(code=f"U{batch.pk}", title="Unit")
        ParticipantFactory(batch=batch)
        audit_log(actor=staff, action="batch.update", obj=batch)


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        # The overview counts what waits for staff: six more, each a single count.
        (reverse("backoffice:home"), 18),
        (reverse("backoffice:batches"), 12),
        (reverse("backoffice:programmes"), 12),
        (reverse("backoffice:funding"), 12),
        (reverse("backoffice:partners"), 12),
        (reverse("backoffice:audit"), 12),
        (reverse("portal:home"), 12),
        (reverse("portal:programmes"), 12),
    ],
)
def test_query_count_does_not_grow_with_rows(
    client: Client, admin: User, url: str, limit: int, django_assert_max_num_queries: Any
) -> None:
    client.force_login(admin)
    _fill(admin, 2)
    with django_assert_max_num_queries(limit) as few:
        assert client.get(url).status_code == 200
    _fill(admin, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_programme_filters(client: Client, staff: User) -> None:
    BatchFactory(programme__name="Barista", programme__field="Pariwisata")
    BatchFactory(programme__name="Las", programme__field="Teknik Las", programme__active=False)
    client.force_login(staff)
    html = client.get(reverse("backoffice:programmes"), {"field": "Pariwisata"}).content.decode()
    assert "Barista" in html and ">Las<" not in html
    html = client.get(reverse("backoffice:programmes"), {"active": "0"}).content.decode()
    assert ">Las<" in html and "Barista" not in html
