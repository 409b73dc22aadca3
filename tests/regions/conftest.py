from __future__ import annotations

import pytest
from django.db import connection

from tests.fixtures_regions import regions_loaded  # noqa: F401  (a fixture)
from vokasi.regions.models import RegionDataset


@pytest.fixture
def empty_regions(db: None) -> None:
    """An empty region table for this test only (the session's rows come back afterwards).

    Raw SQL: the ORM's delete would collect 7,837 rows one by one for the self-foreign key;
    nothing else points at a region inside a regions test.
    """
    RegionDataset.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM regions_region")
