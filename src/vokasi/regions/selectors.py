"""Reads of the region table."""

from __future__ import annotations

from typing import TypedDict

from vokasi.regions.models import Region


class RegionChoice(TypedDict):
    code: str
    name: str


def region_children(*, parent_code: str | None) -> list[RegionChoice] | None:
    """Direct children of a region, by name; the provinces for None; None if no such region.

    A region without children (a village, or a district while villages are not loaded)
    gives an empty list.
    """
    if parent_code is not None and not Region.objects.filter(code=parent_code).exists():
        return None
    rows = Region.objects.filter(parent_id=parent_code).order_by("name", "code")
    return [RegionChoice(code=code, name=name) for code, name in rows.values_list("code", "name")]
