"""Reads of the outbox."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from vokasi.notifications.models import Channel, Message, MessageState


def message_list(*, state: str = "", channel: str = "") -> QuerySet[Message]:
    """The outbox, newest first; unknown filter values are ignored, not an error."""
    messages = Message.objects.all()
    if state in MessageState.values:
        messages = messages.filter(state=state)
    if channel in Channel.values:
        messages = messages.filter(channel=channel)
    return messages.order_by("-created_at", "-id")


def messages_about(obj: models.Model) -> QuerySet[Message]:
    """Messages queued about `obj` (an application, a participant…), newest first."""
    return Message.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("-created_at", "-id")


def message_counts() -> dict[str, int]:
    """How many messages are in each state, for the outbox page's header."""
    counts = dict(
        Message.objects.values_list("state")
        .annotate(n=models.Count("id"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in MessageState.values}
