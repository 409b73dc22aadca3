"""Numbers in the reports' tables: thousands grouped, decimals as the language writes them."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value: object) -> object:
    """1234567 -> "1.234.567" in Indonesian ("1,234,567" in English); text unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, force_grouping=True)
    return number_format(value, force_grouping=True)
