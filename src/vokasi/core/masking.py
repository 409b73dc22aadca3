"""Masking of personal data for viewers who have no need to see it whole (UU PDP)."""

from __future__ import annotations


def mask_nik(nik: str) -> str:
    """Keeps the region prefix (where it was issued) and the last two digits: 6474******0012."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 7) + digits[-3:]


def mask_name(name: str) -> str:
    """For public lists: "Muhammad Rizky" -> "Muh*** Riz***" (first three letters of each word)."""
    return " ".join(
        word[:3] + "***" if len(word) > 3 else word[:1] + "***" for word in name.split()
    )
