"""The plain numpy engine: deferred acceptance in rounds.

In each round every applicant without a seat proposes to their next choice at once,
and every batch that received proposals re-chooses, by its choice rule, from the
applicants it holds plus the newcomers. The result is the same as the sequential loop
(deferred acceptance ends in the applicant-optimal stable matching whatever the order of
proposals); only the cost differs. It exists because importing numba takes about a
second, more than this engine needs for a few hundred thousand applicants, and as the
fallback where numba is unavailable.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .model import I32, I64
from .prepare import Prepared, position_batches

Bools = npt.NDArray[np.bool_]


def run(prep: Prepared) -> tuple[I32, int]:
    """(choice index each applicant ends on, number of proposals)."""
    lens = prep.lens
    cur = np.zeros(lens.size, dtype=np.int32)
    nb = prep.capacity.size
    counts = np.diff(prep.res_ptr)
    # seats_by_t[t, b]: seats of batch b's t-th reservation (0 when it has fewer).
    depth = int(counts.max()) if nb else 0
    seats_by_t = np.zeros((depth, nb), dtype=np.int64)
    for t in range(depth):
        has = np.flatnonzero(counts > t)
        seats_by_t[t, has] = prep.res_seats[prep.res_ptr[has] + t]
    pos_batch = position_batches(prep)
    touched = np.zeros(nb, dtype=np.bool_)
    held: I64 = np.empty(0, dtype=np.int64)
    free = np.flatnonzero(lens > 0)
    proposals = 0
    while free.size:
        proposals += free.size
        new = prep.pair_pos[prep.choice_ptr[free] + cur[free]].astype(np.int64)
        new_batch = pos_batch[new]
        touched[new_batch] = True
        again = touched[pos_batch[held]]
        touched[new_batch] = False
        cand = np.sort(np.concatenate((held[again], new)))
        chosen = _choose(prep, cand, pos_batch[cand], seats_by_t)
        held = np.concatenate((held[~again], cand[chosen]))
        out = prep.pos_app[cand[~chosen]]
        cur[out] += 1
        free = out[cur[out] < lens[out]]
    return cur, proposals


def _choose(prep: Prepared, cand: I64, batch: I32, seats_by_t: I64) -> Bools:
    """The choice rule applied to every batch at once. `cand` is sorted, so each batch's
    candidates are one run, best first."""
    size = cand.size
    first = np.empty(size, dtype=np.bool_)
    first[:1] = True
    first[1:] = batch[1:] != batch[:-1]
    run_start = np.flatnonzero(first)
    run_of = np.cumsum(first) - 1
    # 1. The best (capacity - reserved) of each batch take the open seats.
    chosen: Bools = (np.arange(size) - run_start[run_of]) < prep.open_cap[batch]
    if seats_by_t.shape[0] == 0:
        return chosen
    rest = ~chosen
    mask = prep.pos_mask[cand].astype(np.uint64)
    # 2. Each reservation, in order, takes the best remaining members of its group.
    for t, seats in enumerate(seats_by_t):
        member = rest & (((mask >> np.uint64(t)) & np.uint64(1)) == 1) & (seats[batch] > 0)
        take = member & (_rank_in_run(member, run_start, run_of) <= seats[batch])
        chosen |= take
        rest &= ~take
    # 3. Seats still empty go to the best remaining.
    left = prep.capacity[batch[run_start]] - np.add.reduceat(chosen.astype(np.int64), run_start)
    chosen |= rest & (_rank_in_run(rest, run_start, run_of) <= left[run_of])
    return chosen


def _rank_in_run(flags: Bools, run_start: I64, run_of: I64) -> I64:
    """1-based count of set flags up to each element, restarting at every run."""
    count = np.cumsum(flags)
    before = (count - flags)[run_start]
    ranks: I64 = count - before[run_of]
    return ranks
