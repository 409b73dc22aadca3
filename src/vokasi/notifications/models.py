"""The outbox: every message to an applicant, participant or member of staff is a row here
first, and a background worker delivers it (see `services.py` and `tasks.py`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Language(models.TextChoices):
    ID = "id", _("Bahasa Indonesia")
    EN = "en", _("English")


class Message(models.Model):
    """One message to one recipient, rendered when it was queued.

    Subject and body are stored rendered, in the recipient's language, so that a later
    change of a text does not alter what is already waiting in the queue, and so that staff
    can see exactly what was sent.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # An email address, or a WhatsApp number in international form without "+" (628…).
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    template = models.CharField(_("template"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    # Delivery attempts started, counted when a worker claims the message, so that a
    # message that crashes its worker every time still runs out of attempts.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # When a worker claimed the message; the sweep uses it to find a worker that died.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Chosen by the caller from what the message is about, e.g.
    # "application:123:documents_to_fix:2": a double click or a retried request that
    # queues the same message again gets the row that exists instead of a second one.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    # What the message is about, as AuditEntry names it ("intake.application", "123").
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="notifications_message_idempotency_key"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notifications_message_channel"
            ),
            models.CheckConstraint(
                condition=Q(state__in=MessageState.values), name="notifications_message_state"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="notifications_message_language"
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.SENT) | Q(sent_at__isnull=False),
                name="notifications_message_sent_has_sent_at",
            ),
        ]
        indexes = [
            # The sweep's two questions: what is due, and what has been sending too long.
            models.Index(fields=["state", "next_attempt_at"], name="notif_msg_state_due"),
            models.Index(fields=["object_type", "object_id"], name="notif_msg_about"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} #{self.pk}"
