"""Writes to the outbox. Other apps queue messages with `message_enqueue` and nothing else.

    message_enqueue(
        channel=Channel.EMAIL, recipient=applicant.email, language=applicant.language,
        template="application_documents_to_fix",
        context={"name": ..., "number": ..., "reason": ..., "url": ...},
        idempotency_key=f"application:{application.pk}:documents_to_fix:{round_no}",
        about=application,
    )

Call it inside the transaction of the change the message tells about: the message is
queued with that change or not at all, and delivery starts only after the commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vokasi.core.audit import audit_log
from vokasi.core.models import User
from vokasi.notifications import texts
from vokasi.notifications.models import Channel, Language, Message, MessageState
from vokasi.notifications.tasks import MAX_ATTEMPTS, schedule_delivery

# Longer than any channel's timeout: a message "sending" for this long lost its worker.
STUCK_AFTER = dt.timedelta(minutes=15)
# A message due this long ago should have been taken by its own deferred task; only then
# does the sweep queue another, so a busy queue does not fill up with duplicates.
SWEEP_GRACE = dt.timedelta(minutes=2)


class InvalidRecipient(ValueError):
    """The address or number cannot receive messages on that channel."""


class MessageError(Exception):
    """A change to a message that is not allowed; the text is for the user."""


def normalize_whatsapp_number(raw: str) -> str:
    """WhatsApp wants the international number in digits: 0812-3456-7890 → 6281234567890."""
    number = re.sub(r"[\s\-().]", "", raw)
    if number.startswith("+"):
        number = number[1:]
    elif number.startswith("0"):
        number = "62" + number[1:]  # a national Indonesian number
    if not (number.isascii() and number.isdigit() and 9 <= len(number) <= 15):
        raise InvalidRecipient(f"not a WhatsApp number: {raw!r}")
    return number


def normalize_recipient(*, channel: str, recipient: str) -> str:
    if channel == Channel.EMAIL:
        address = recipient.strip()
        try:
            validate_email(address)
        except ValidationError:
            raise InvalidRecipient(f"not an email address: {recipient!r}") from None
        return address
    if channel == Channel.WHATSAPP:
        return normalize_whatsapp_number(recipient)
    raise ValueError(f"unknown channel {channel!r}")


def message_enqueue(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: Mapping[str, object],
    language: str,
    idempotency_key: str,
    about: models.Model | None = None,
) -> Message:
    """Queues one message, or returns the one already queued under `idempotency_key`.

    The key decides: a second call with the same key returns the first message unchanged,
    whatever its other arguments, so build the key from what makes the message distinct.
    Raises InvalidRecipient, texts.UnknownTemplate or ValueError for bad arguments.
    """
    if language not in Language.values:
        raise ValueError(f"unknown language {language!r}")
    if not idempotency_key or len(idempotency_key) > 200:
        raise ValueError("idempotency_key must be 1 to 200 characters")
    address = normalize_recipient(channel=channel, recipient=recipient)
    subject, body = texts.render(
        template=template,
        context={"site": urlsplit(settings.SITE_URL).netloc} | dict(context),
        language=language,
    )
    try:
        # A savepoint: the caller's transaction stays usable if the key is taken.
        with transaction.atomic():
            message = Message.objects.create(
                channel=channel,
                recipient=address,
                language=language,
                template=template,
                subject=subject,
                body=body,
                next_attempt_at=timezone.now(),
                idempotency_key=idempotency_key,
                object_type=about._meta.label_lower if about is not None else "",
                object_id=str(about.pk) if about is not None else "",
            )
    except IntegrityError:
        # Another request queued it first (a double click, a retried request). On
        # PostgreSQL our insert waited for that transaction to commit, so the row is
        # visible now; if it is not, the error was about something else.
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    _deliver_after_commit(message.pk)
    return message


def _deliver_after_commit(message_id: int) -> None:
    # robust: the message is committed whatever happens here; if the task queue cannot
    # take it now, the sweep will, and the caller's request must not fail for it.
    transaction.on_commit(lambda: schedule_delivery(message_id), robust=True)


def message_retry(*, message: Message, actor: User | None) -> Message:
    """Puts a failed message back in the queue with a fresh set of attempts."""
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, state=MessageState.FAILED).update(
            state=MessageState.QUEUED, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
        )
        if changed != 1:
            raise MessageError(_("Only a failed message can be sent again."))
        audit_log(
            actor=actor,
            action="message.retry",
            obj=message,
            attempts=message.attempts,
            last_error=message.last_error[:200],
        )
        _deliver_after_commit(message.pk)
    message.refresh_from_db()
    return message


@dataclasses.dataclass(frozen=True, slots=True)
class SweepResult:
    scheduled: int  # deliveries queued for messages that were due
    revived: int  # messages taken back from a worker that stopped while sending
    failed: int  # of those, the ones that had no attempt left


def messages_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> SweepResult:
    """Queues deliveries for messages whose attempt is due and that no task took (the task
    queue lost it, or the backend cannot defer), and takes back messages stuck in
    "sending" because their worker died. Run it every few minutes (cron, docs/notifications.md)."""
    now = now or timezone.now()
    revived = failed = 0
    stuck = Message.objects.filter(
        state=MessageState.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).values_list("pk", "attempts", "claimed_at")[:limit]
    for pk, attempts, claimed_at in list(stuck):
        # Compare-and-set on the claim: a worker that finishes now keeps its result.
        mine = Message.objects.filter(pk=pk, state=MessageState.SENDING, claimed_at=claimed_at)
        error = "the worker stopped while sending; the message may have been sent"
        if attempts >= MAX_ATTEMPTS:
            failed += mine.update(state=MessageState.FAILED, last_error=error)
        elif mine.update(state=MessageState.QUEUED, next_attempt_at=now, last_error=error):
            revived += 1
            schedule_delivery(pk)
    due = Message.objects.filter(
        state=MessageState.QUEUED, next_attempt_at__lte=now - SWEEP_GRACE
    ).order_by("next_attempt_at")
    ids = list(due.values_list("pk", flat=True)[:limit])
    for pk in ids:
        schedule_delivery(pk)
    return SweepResult(scheduled=len(ids), revived=revived, failed=failed)
