from django.contrib import admin

from vokasi.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    """Read-only: messages are queued by services and changed only by the worker; a
    failed one is sent again from the back office's outbox page (message_retry)."""

    list_display = ["created_at", "channel", "template", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel", "template"]
    search_fields = ["idempotency_key", "object_type", "object_id"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
