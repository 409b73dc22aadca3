"""Small pieces every interface's forms share."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO dates both ways, whatever the UI language."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def query_int(text: str, *, low: int = 1, high: int = 2**31 - 1) -> int | None:
    """A number from a query string or a posted id, or None for anything a user or a bot
    may type instead ("abc", "²", a 30-digit number): never a 500."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    value = int(text)
    return value if low <= value <= high else None
