"""Formatting the way Indonesian government paperwork does it."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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
def rupiah_short(amount: int | None) -> str:
    """1_400_000_000 -> "Rp1,4 miliar", 850_000_000 -> "Rp850 juta": for a figure in a
    small card, where the whole number does not fit a phone (give it in a title)."""
    if amount is None:
        return "–"
    value = abs(int(amount))
    sign = "-" if amount < 0 else ""
    for size, word in ((10**12, _("trillion")), (10**9, _("billion")), (10**6, _("million"))):
        if value >= size:
            number = f"{value / size:.1f}".rstrip("0").rstrip(".")
            if get_language() == "id":
                number = number.replace(".", ",")
            return f"{sign}Rp{number} {word}"
    return rupiah(amount)


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
