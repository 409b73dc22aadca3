"""The real worker (django-tasks-db's `db_worker`) delivers what the outbox queued."""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from vokasi.notifications import channels
from vokasi.notifications.models import Channel, Message, MessageState
from vokasi.notifications.services import message_enqueue
from vokasi.notifications.tasks import RETRY_DELAYS

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks() -> Iterator[None]:
    """The production task backend, and the process state the worker changes put back."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    saved = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    with override_settings(TASKS=DATABASE_TASKS):
        yield
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for lg, level, lg_handlers in saved:
        lg.setLevel(level)
        lg.handlers[:] = lg_handlers


def _run_worker() -> str:
    out = StringIO()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=out)
    return out.getvalue()


def _enqueue() -> Message:
    return message_enqueue(
        channel=Channel.EMAIL,
        recipient="budi@example.id",
        template="account_confirm_code",
        context={"code": "482913", "minutes": 15},
        language="id",
        idempotency_key="account:1:confirm:1",
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_queued_email(
    database_tasks: None, mailoutbox: list[mail.EmailMessage]
) -> None:
    message = _enqueue()
    # Queued in the database, not sent by the request.
    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 1
    _run_worker()
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    [email] = mailoutbox
    assert email.subject == "Kode konfirmasi Anda: 482913"
    # Running it again finds nothing to do.
    _run_worker()
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_is_deferred_in_the_task_queue(
    database_tasks: None, mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(message: Message) -> None:
        raise channels.DeliveryError("smtp: connection refused")

    monkeypatch.setattr(channels, "send_email", down)
    message = _enqueue()
    _run_worker()  # fails once, queues the retry for later; --batch does not wait for it
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 1)
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == message.next_attempt_at
    assert message.next_attempt_at - message.claimed_at >= RETRY_DELAYS[0]  # type: ignore[operator]
