from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are checked in the source language; pages are checked in Indonesian."""
    with translation.override("en"):
        yield
