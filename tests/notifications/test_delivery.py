"""Delivery by the task: claimed once, sent once, retried with back-off, given up on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from tests.notifications.conftest import Enqueue
from vokasi.notifications import channels
from vokasi.notifications.models import Channel, Message, MessageState
from vokasi.notifications.services import STUCK_AFTER, messages_sweep
from vokasi.notifications.tasks import MAX_ATTEMPTS, RETRY_DELAYS, message_deliver


def _down(message: Message) -> None:
    raise channels.DeliveryError("smtp: connection refused")


def _make_due(message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_an_email_is_sent_after_commit_and_marked_sent(
    enqueue: Enqueue, mailoutbox: list[mail.EmailMessage]
) -> None:
    message = enqueue(language="en")
    assert message.state == MessageState.SENT
    assert message.sent_at is not None and message.attempts == 1
    [email] = mailoutbox
    assert email.to == ["budi@example.id"]
    assert email.subject == "Your confirmation code: 482913"
    assert "482913" in email.body
    assert email.extra_headers["X-Vokasi-Message"] == "account:1:confirm:1"


def test_a_whatsapp_message_goes_to_the_file_channel(enqueue: Enqueue, whatsapp_file: Path) -> None:
    message = enqueue(channel=Channel.WHATSAPP, recipient="0812-3456-7890")
    assert message.state == MessageState.SENT
    [line] = whatsapp_file.read_text().splitlines()
    sent = json.loads(line)
    assert sent["to"] == "6281234567890"
    assert sent["idempotency_key"] == "account:1:confirm:1"
    assert "Kode konfirmasi Anda untuk" in sent["text"]["body"]


def test_a_message_is_never_sent_twice(
    enqueue: Enqueue, mailoutbox: list[mail.EmailMessage]
) -> None:
    message = enqueue()
    _make_due(message)  # even a due-looking row: its state says it was sent
    assert message_deliver(message_id=message.pk) == "skipped"
    assert message_deliver(message_id=message.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_a_message_being_sent_by_another_worker_is_left_alone(
    enqueue: Enqueue, mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "send_email", _down)
    message = enqueue()
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING, claimed_at=timezone.now()
    )
    monkeypatch.undo()
    assert message_deliver(message_id=message.pk) == "skipped"
    assert mailoutbox == []


def test_a_failure_backs_off_and_the_retry_sends_it(
    enqueue: Enqueue, mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "send_email", _down)
    before = timezone.now()
    message = enqueue()
    assert message.state == MessageState.QUEUED
    assert message.attempts == 1
    assert message.last_error == "smtp: connection refused"
    assert message.next_attempt_at >= before + RETRY_DELAYS[0]
    # Not due yet: a task that runs early (or twice) does nothing.
    assert message_deliver(message_id=message.pk) == "skipped"

    _make_due(message)
    assert message_deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at >= timezone.now() + RETRY_DELAYS[1] - dt.timedelta(seconds=5)

    monkeypatch.undo()  # the mail server is back
    _make_due(message)
    assert message_deliver(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (MessageState.SENT, 3, "")
    assert len(mailoutbox) == 1


def test_it_gives_up_after_the_last_attempt(
    enqueue: Enqueue, mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "send_email", _down)
    message = enqueue()
    outcomes = []
    for _ in range(MAX_ATTEMPTS + 1):  # the first attempt ran when it was queued
        _make_due(message)
        outcomes.append(message_deliver(message_id=message.pk))
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert outcomes[-3:] == ["failed", "skipped", "skipped"]
    assert mailoutbox == []


def test_an_unexpected_error_counts_as_a_failed_attempt(
    enqueue: Enqueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(message: Message) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(channels, "send_email", broken)
    message = enqueue()
    assert message.state == MessageState.QUEUED
    assert "bug" in message.last_error


def test_the_sweep_queues_due_messages_and_revives_stuck_ones(
    enqueue: Enqueue, mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "send_email", _down)
    due = enqueue(idempotency_key="due")  # failed once; its retry task was not deferred
    stuck = enqueue(idempotency_key="stuck")
    # A worker claimed `stuck` and died before recording anything.
    Message.objects.filter(pk=stuck.pk).update(
        state=MessageState.SENDING, claimed_at=timezone.now() - STUCK_AFTER - dt.timedelta(1)
    )
    later = enqueue(idempotency_key="later")
    Message.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(hours=1)
    )
    monkeypatch.undo()

    Message.objects.filter(pk=due.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=10)
    )
    result = messages_sweep()
    assert (result.scheduled, result.revived, result.failed) == (1, 1, 0)
    states = dict(Message.objects.values_list("idempotency_key", "state"))
    assert states == {"due": "sent", "stuck": "sent", "later": "queued"}
    assert sorted(m.to[0] for m in mailoutbox) == ["budi@example.id"] * 2


def test_a_stuck_message_without_attempts_left_fails(enqueue: Enqueue) -> None:
    message = enqueue()
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING,
        attempts=MAX_ATTEMPTS,
        claimed_at=timezone.now() - STUCK_AFTER - dt.timedelta(minutes=1),
    )
    assert messages_sweep().failed == 1
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "worker stopped" in message.last_error


def test_the_sweep_command_reports_what_it_did(enqueue: Enqueue) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("notifications_sweep", stdout=out)
    assert out.getvalue().strip() == "scheduled 0, revived 0, failed 0"
