"""The public draw: lottery number = SHA-256 of the UTF-8 text "{seed}:{applicant_id}",
read as a big-endian unsigned integer; lower is served first.

Anyone can recompute a number with a stock tool, for example
`printf '%s' '2025-07-30 Bontang:REG-000123' | sha256sum`.

The solver sorts on the first 64 bits only (numpy has no 256-bit integers) and then
breaks the rare exact ties on those 64 bits by the full digest, so the order is exactly
the order of the 256-bit numbers. Two ids with the same full digest would be a SHA-256
collision; should one ever happen the id (as text) decides, so the order stays total.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from .model import I64, U64


def lottery_digest(seed: str, applicant_id: str) -> bytes:
    return hashlib.sha256(f"{seed}:{applicant_id}".encode()).digest()


def lottery_number(seed: str, applicant_id: str) -> int:
    return int.from_bytes(lottery_digest(seed, applicant_id), "big")


def lottery_hex(seed: str, applicant_id: str) -> str:
    """The number as `sha256sum` prints it."""
    return lottery_digest(seed, applicant_id).hex()


def lottery_prefixes(seed: str, applicant_ids: Sequence[str]) -> U64:
    """The top 64 bits of every applicant's lottery number."""
    # Hash "{seed}:" once and copy that state per applicant: a little cheaper than
    # hashing the whole text each time. Only the first 8 bytes are kept: at 10M
    # applicants the full digests would be 320 MB.
    head = hashlib.sha256(f"{seed}:".encode())
    out = []
    for a in applicant_ids:
        h = head.copy()
        h.update(a.encode())
        out.append(h.digest()[:8])
    joined = b"".join(out)
    return np.frombuffer(joined, dtype=">u8").astype(np.uint64)


def lottery_rank(seed: str, applicant_ids: Sequence[str], prefixes: U64) -> I64:
    """rank[a] = position of applicant a when everyone is ordered by lottery number."""
    n = len(applicant_ids)
    order = np.argsort(prefixes, kind="stable")
    ordered = prefixes[order]
    tied = np.flatnonzero(ordered[1:] == ordered[:-1])
    if tied.size:
        # Expected about n**2 / 2**65 tied pairs: none at 1M, a few in a billion draws at
        # 10M. Re-sort each run of equal prefixes on the full number.
        starts = tied[np.r_[True, tied[1:] != tied[:-1] + 1]]
        for start in starts.tolist():
            stop = start + 1
            while stop < n and ordered[stop] == ordered[start]:
                stop += 1
            run = order[start:stop].tolist()
            run.sort(key=lambda a: (lottery_number(seed, applicant_ids[a]), applicant_ids[a]))
            order[start:stop] = run
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return rank
