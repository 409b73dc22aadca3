"""Shared for the notification tests: a way to queue a message with sensible defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from vokasi.notifications.models import Channel, Message
from vokasi.notifications.services import message_enqueue

Enqueue = Callable[..., Message]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are checked in the source language; pages are checked in Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def whatsapp_file(tmp_path: Path) -> Iterator[Path]:
    """The file WhatsApp backend, writing to a fresh file per test."""
    path = tmp_path / "whatsapp-outbox.jsonl"
    with override_settings(WHATSAPP_BACKEND="file", WHATSAPP_OUTBOX_FILE=path):
        yield path


@pytest.fixture
def enqueue(db: None, django_capture_on_commit_callbacks: Any) -> Enqueue:
    """`enqueue(**overrides)` queues a confirmation code and runs the after-commit delivery,
    as it would run when the caller's transaction commits (ImmediateBackend in tests)."""

    def _enqueue(**overrides: Any) -> Message:
        arguments: dict[str, Any] = {
            "channel": Channel.EMAIL,
            "recipient": "budi@example.id",
            "template": "account_confirm_code",
            "context": {"code": "482913", "minutes": 15},
            "language": "id",
            "idempotency_key": "account:1:confirm:1",
        }
        with django_capture_on_commit_callbacks(execute=True):
            message = message_enqueue(**(arguments | overrides))
        message.refresh_from_db()
        return message

    return _enqueue
