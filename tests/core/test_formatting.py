"""Amounts as Indonesian paperwork writes them."""

from __future__ import annotations

from django.utils import translation

from vokasi.core.templatetags.vokasi import rupiah, rupiah_short


def test_rupiah_in_full_and_short() -> None:
    assert rupiah(1_400_000_000) == "Rp1.400.000.000"
    with translation.override("id"):
        assert rupiah_short(1_400_000_000) == "Rp1,4 miliar"
        assert rupiah_short(850_000_000) == "Rp850 juta"
        assert rupiah_short(50_000_000) == "Rp50 juta"
        assert rupiah_short(999_999) == "Rp999.999"
    with translation.override("en"):
        assert rupiah_short(1_400_000_000) == "Rp1.4 billion"
