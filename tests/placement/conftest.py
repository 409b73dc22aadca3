from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client: Client) -> Iterator[None]:
    """Messages and pages are checked in the source language (the UI default is Indonesian,
    whose translations are merged separately)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
