"""The centre's time zone is read once a minute per process, and at once after a save."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import CentreFactory
from vokasi.catalog.selectors import current_centre_timezone
from vokasi.core.models import User

pytestmark = pytest.mark.django_db


def test_the_zone_is_remembered_and_forgotten_when_the_admin_saves_the_centre(
    client: Client, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    centre = CentreFactory(timezone="Asia/Makassar")
    assert current_centre_timezone() == "Asia/Makassar"
    # Another process (here: an update behind the admin's back) changes it: not seen yet.
    type(centre).objects.filter(pk=centre.pk).update(timezone="Asia/Jayapura")
    assert current_centre_timezone() == "Asia/Makassar"
    admin.is_staff = admin.is_superuser = True  # the Django admin's own gate
    admin.save()
    client.force_login(admin)
    page = client.get(f"/admin/catalog/trainingcentre/{centre.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "logo"}
    data |= {"timezone": "Asia/Jakarta", "region": centre.region_id}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/catalog/trainingcentre/{centre.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert current_centre_timezone() == "Asia/Jakarta"
