from __future__ import annotations

from django import template

from vokasi.core.masking import mask_phone

register = template.Library()


@register.filter
def mask_recipient(recipient: str) -> str:
    """budi.santoso@example.id → bu***@example.id; 6281234567890 → 6281******890."""
    if "@" in recipient:
        local, _, domain = recipient.rpartition("@")
        return f"{local[:2]}***@{domain}"
    return mask_phone(recipient)
