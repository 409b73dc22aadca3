from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from vokasi.catalog.models import Intake


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are checked in the source language; pages are checked in Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def intake(db: None) -> Intake:
    from tests.factories import CentreFactory

    return Intake.objects.create(centre=CentreFactory(), name="Gelombang I", code="REG-S")
