from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from vokasi.core.models import AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "role", "partner", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("vokasi", {"fields": ("role", "full_name", "nip", "phone", "partner")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """The audit trail can be read, never edited or deleted."""

    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
