"""Benchmark of the allocation engine (placeholder; completed below)."""

from __future__ import annotations

import numba
import numpy as np

from vokasi.allocation.lottery import lottery_prefixes
from vokasi.allocation.model import Problem


@numba.njit(cache=True)
def _draw_choices(n, cdf, seed):  # type: ignore[no-untyped-def]
    np.random.seed(seed)
    lens = np.empty(n, dtype=np.int64)
    out = np.empty(n * 5, dtype=np.int32)
    m = 0
    for a in range(n):
        k = 3 + np.random.randint(0, 3)
        lens[a] = k
        start = m
        while m - start < k:
            b = np.int32(np.searchsorted(cdf, np.random.random(), side="right"))
            dup = False
            for j in range(start, m):
                if out[j] == b:
                    dup = True
            if not dup:
                out[m] = b
                m += 1
    return lens, out[:m].copy()


def make_problem(n: int, *, seed: int = 1, reservations: bool = True) -> Problem:
    rng = np.random.default_rng(seed)
    nb = max(1, n // 100)
    weights = 1.0 / np.arange(1, nb + 1)
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    lens, choice_batch = _draw_choices(n, cdf, seed)
    m = choice_batch.size
    choice_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lens, out=choice_ptr[1:])
    capacity = rng.integers(10, 51, nb).astype(np.int32)
    group_names = ["disabilitas", "perempuan"]
    if reservations:
        reserving = np.flatnonzero(rng.random(nb) < 0.2)
        res_counts = np.zeros(nb, dtype=np.int64)
        res_counts[reserving] = 2
        res_group = np.tile(np.array([0, 1], dtype=np.int32), reserving.size)
        res_seats = np.tile(np.array([1, 2], dtype=np.int32), reserving.size)
    else:
        res_counts = np.zeros(nb, dtype=np.int64)
        res_group = res_seats = np.zeros(0, dtype=np.int32)
    res_ptr = np.zeros(nb + 1, dtype=np.int64)
    np.cumsum(res_counts, out=res_ptr[1:])
    dis = rng.random(n) < 0.05
    fem = rng.random(n) < 0.3
    group_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(dis.astype(np.int64) + fem, out=group_ptr[1:])
    app_group = np.empty(int(group_ptr[-1]), dtype=np.int32)
    app_group[group_ptr[:-1][dis]] = 0
    app_group[(group_ptr[:-1] + dis)[fem]] = 1
    ids = [f"A{i:08d}" for i in range(n)]
    seed_text = f"bench-{seed}"
    return Problem(
        seed=seed_text,
        batch_ids=[f"B{j:06d}" for j in range(nb)],
        capacity=capacity,
        res_ptr=res_ptr,
        res_group=res_group,
        res_seats=res_seats,
        group_names=group_names,
        applicant_ids=ids,
        score=rng.integers(0, 101, n).astype(np.float64),
        lottery_prefix=lottery_prefixes(seed_text, ids),
        choice_ptr=choice_ptr,
        choice_batch=choice_batch,
        choice_tier=rng.choice(np.array([0, 1, 2], dtype=np.int32), m, p=[0.3, 0.2, 0.5]),
        group_ptr=group_ptr,
        app_group=app_group,
    )
