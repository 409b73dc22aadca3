"""Delivery, run by the background worker (`manage.py db_worker`).

A message is delivered at most once by any number of workers and duplicate tasks: a
worker first *claims* it with a compare-and-set update (queued → sending, only if due),
and only the one whose update matched the row sends it. The one gap is a worker that dies
between the channel accepting a message and the row being marked sent: the sweep puts
such a message back in the queue after STUCK_AFTER, so it may then arrive twice. We take
that over losing it (a confirmation code that never arrives locks the applicant out); the
WhatsApp adapter sends an Idempotency-Key header so a gateway can drop the copy.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F
from django.tasks import task
from django.utils import timezone

from vokasi.notifications import channels
from vokasi.notifications.models import Message, MessageState

logger = logging.getLogger(__name__)

# The wait after the 1st, 2nd, … failed attempt. Long enough at the end to ride out an
# SMTP server or WhatsApp gateway that is down for a night; the message fails after that.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def schedule_delivery(message_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queues the delivery task, deferred to `run_after` where the task backend can defer.

    A backend that cannot (the immediate one used in tests) is given no deferred task: it
    would run at once and ignore the back-off; the sweep picks the message up when due.
    """
    delivery = deliver_message
    if run_after is not None:
        if not delivery.get_backend().supports_defer:
            return
        delivery = delivery.using(run_after=run_after)
    delivery.enqueue(message_id)


@task
def deliver_message(message_id: int) -> str:
    return message_deliver(message_id=message_id)


def message_deliver(*, message_id: int) -> str:
    """Claims, sends and records one message; returns what happened, for the task log."""
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, state=MessageState.QUEUED, next_attempt_at__lte=now
    ).update(state=MessageState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        # Sent already, being sent by another worker, failed for good, or not due yet:
        # a duplicate task (from the sweep or a retried enqueue) is harmless.
        return "skipped"
    message = Message.objects.get(pk=message_id)
    try:
        channels.send(message)
    except Exception as error:
        if not isinstance(error, channels.DeliveryError):
            logger.exception("message %s: unexpected error while sending", message_id)
        return _record_failure(message, claimed_at=now, error=error)
    sent = Message.objects.filter(pk=message_id, state=MessageState.SENDING, claimed_at=now).update(
        state=MessageState.SENT, sent_at=timezone.now(), last_error=""
    )
    if sent != 1:
        logger.warning("message %s was sent but the sweep had already taken it back", message_id)
    return "sent"


def _record_failure(message: Message, *, claimed_at: dt.datetime, error: Exception) -> str:
    now = timezone.now()
    reason = (str(error) or type(error).__name__)[:1000]
    # Only this worker's claim may be turned back; the claim time tells it from a later one.
    mine = Message.objects.filter(pk=message.pk, state=MessageState.SENDING, claimed_at=claimed_at)
    if message.attempts >= MAX_ATTEMPTS:
        mine.update(state=MessageState.FAILED, last_error=reason)
        logger.warning(
            "message %s failed for good after %s attempts: %s", message.pk, message.attempts, reason
        )
        return "failed"
    next_attempt_at = now + RETRY_DELAYS[message.attempts - 1]
    if mine.update(state=MessageState.QUEUED, next_attempt_at=next_attempt_at, last_error=reason):
        schedule_delivery(message.pk, run_after=next_attempt_at)
    logger.info(
        "message %s attempt %s failed, next at %s: %s",
        message.pk,
        message.attempts,
        next_attempt_at,
        reason,
    )
    return "retry"
