"""A fresh installation's first account, from `manage.py createsuperuser`, is an administrator."""

from __future__ import annotations

import pytest

from vokasi.core.models import User
from vokasi.core.roles import Perm, Role

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_an_administrator() -> None:
    user = User.objects.create_superuser("kepala", "kepala@contoh.id", "rahasia-123")
    assert user.role == Role.ADMIN
    assert user.can(Perm.AUDIT_VIEW)
    ordinary = User.objects.create_user("warga", password="x")
    assert ordinary.role == Role.APPLICANT
