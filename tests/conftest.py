"""Shared fixtures: the region table (loaded once per session) and a few named personas.

Personas, as in healthchecks' tests: `admin`, `staff`, `instructor`, `assessor`,
`partner_officer` (Lapas Bontang), `viewer` (the city's office), `applicant`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import PartnerFactory, UserFactory
from vokasi.core.models import User
from vokasi.core.roles import Role

# No per-example deadline: a 2-core machine busy with a browser test can make one example slow,
# and a timing failure is not a property failure. In CI the examples are derandomised, so a
# run is repeatable; on developers' machines they stay random and keep exploring.
hypothesis_settings.register_profile("vokasi", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "vokasi")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The real Kemendagri table, without villages (7,837 rows), once for the whole run."""
    from vokasi.regions.services import load_regions

    with django_db_blocker.unblock():
        load_regions(villages=False)
    yield


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    from django.core.cache import cache

    from vokasi.catalog.selectors import forget_centre_timezone

    cache.clear()
    forget_centre_timezone()
    yield
    cache.clear()
    forget_centre_timezone()


def _persona(role: str, username: str, **extra: Any) -> User:
    user: User = UserFactory(username=username, role=role, **extra)
    return user


@pytest.fixture
def admin(db: None) -> User:
    return _persona(Role.ADMIN, "admin")


@pytest.fixture
def staff(db: None) -> User:
    return _persona(Role.STAFF, "staf")


@pytest.fixture
def instructor(db: None) -> User:
    return _persona(Role.INSTRUCTOR, "instruktur")


@pytest.fixture
def assessor(db: None) -> User:
    return _persona(Role.ASSESSOR, "asesor")


@pytest.fixture
def partner_officer(db: None) -> User:
    return _persona(Role.PARTNER, "lapas", partner=PartnerFactory())


@pytest.fixture
def viewer(db: None) -> User:
    return _persona(Role.VIEWER, "pemkot")


@pytest.fixture
def applicant_user(db: None) -> User:
    return _persona(Role.APPLICANT, "pelamar")


@pytest.fixture
def login(client: Client) -> Any:
    """`login(user)` logs the test client in as `user` and returns the client."""

    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login
