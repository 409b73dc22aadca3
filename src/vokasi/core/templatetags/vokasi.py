"""Formatting the way Indonesian government paperwork does it."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """12_500_000 -> "Rp12.500.000" (integer rupiah; the dot groups thousands in any language,
    since that is how the currency is written)."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


@register.filter
def percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{100 * part / whole:.0f}%"


@register.filter
def can(user: object, perm: str) -> bool:
    """`{% if user|can:"catalog.manage" %}`: the same check the views make."""
    from vokasi.core.models import User
    from vokasi.core.roles import Perm

    return isinstance(user, User) and user.can(Perm(perm))
