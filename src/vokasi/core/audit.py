"""The audit trail: one function writes it, so every entry has the same shape."""

from __future__ import annotations

from typing import Any

from django.db import models

from vokasi.core.models import AuditEntry, User


def audit_log(*, actor: User | None, action: str, obj: models.Model, **data: Any) -> AuditEntry:
    """Records that `actor` did `action` to `obj`; call inside the change's transaction."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data,
    )


def audit_entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
