"""The region table for tests, loaded once per session. Import into a conftest.py:

    from tests.fixtures_regions import regions_loaded  # noqa: F401

and request `regions_loaded` (with `@pytest.mark.django_db`) where a test needs regions.

The rows are committed outside any test's transaction, so every later test sees them. A
transactional test (`django_db(transaction=True)`, `live_server`) flushes the table when
it ends; `load_regions` notices the missing rows by count, so a test that runs after one
can call `load_regions(villages=False)` again (about 0.3 s).
"""

from __future__ import annotations

import pytest
from pytest_django import DjangoDbBlocker

from vokasi.regions.services import load_regions


def load_regions_once(django_db_blocker: DjangoDbBlocker) -> None:
    """Provinces, regencies / cities and districts (7,837 rows), no villages: ~0.3 s."""
    with django_db_blocker.unblock():
        load_regions(villages=False)


@pytest.fixture(scope="session")
def regions_loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    load_regions_once(django_db_blocker)
