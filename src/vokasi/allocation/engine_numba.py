"""The compiled engine: deferred acceptance as one sequential loop (numba).

Importing this module imports numba, which costs about a second; `solver` only does
so when the work is large enough to repay it (see `solver.choose_engine`).

Functions are compiled with `cache=True`, so a process after the first loads machine
code from `__pycache__` instead of compiling (seconds). Where no cache directory is
writable numba refuses `cache=True`; then we compile in memory each process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba
import numpy as np

from .model import I32
from .prepare import Prepared

F = TypeVar("F", bound=Callable[..., Any])


def _jit(fn: F) -> F:
    try:
        return numba.njit(cache=True, nogil=True)(fn)  # type: ignore[no-any-return]
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(nogil=True)(fn)  # type: ignore[no-any-return]


@_jit
def radix_argsort_u64(keys):  # type: ignore[no-untyped-def]
    """Stable argsort of uint64 keys: four counting passes of 16 bits each."""
    n = keys.size
    order = np.arange(n, dtype=np.int64)
    other = np.empty(n, dtype=np.int64)
    cur_keys = keys.copy()
    tmp_keys = np.empty(n, dtype=np.uint64)
    counts = np.zeros((4, 65537), dtype=np.int64)
    for i in range(n):
        k = keys[i]
        for d in range(4):
            counts[d, ((k >> np.uint64(16 * d)) & np.uint64(0xFFFF)) + 1] += 1
    for d in range(4):
        shift = np.uint64(16 * d)
        c = counts[d]
        if c.max() == n:
            continue  # this digit is the same everywhere: the pass would not move anything
        for j in range(65536):
            c[j + 1] += c[j]
        for i in range(n):
            k = cur_keys[i]
            slot = (k >> shift) & np.uint64(0xFFFF)
            dest = c[slot]
            c[slot] = dest + 1
            tmp_keys[dest] = k
            other[dest] = order[i]
        cur_keys, tmp_keys = tmp_keys, cur_keys
        order, other = other, order
    return order


@_jit
def bucket_pairs(order, choice_ptr, bucket, n_buckets):  # type: ignore[no-untyped-def]
    """Positions: pairs grouped by bucket (batch, tier), applicants in `order` inside."""
    m = bucket.size
    start = np.zeros(n_buckets + 1, dtype=np.int64)
    for i in range(m):
        start[bucket[i] + 1] += 1
    for j in range(n_buckets):
        start[j + 1] += start[j]
    pos_pair = np.empty(m, dtype=np.int64)
    for a in order:
        for i in range(choice_ptr[a], choice_ptr[a + 1]):
            k = bucket[i]
            pos_pair[start[k]] = i
            start[k] += 1
    return pos_pair


@_jit
def deferred_acceptance(  # type: ignore[no-untyped-def]
    choice_ptr, choice_batch, pair_pos, pos_app, pos_mask, open_cap, res_ptr, res_seats, tail_ptr
):
    """Applicant-proposing deferred acceptance. Returns (choice index each applicant
    ends on, len(choices) meaning unassigned; number of proposals).

    A batch's tentatively held set is kept in two parts. The *open part* is the best
    open_cap applicants held, a bitmap over the batch's positions with a pointer to its
    worst member; once full that pointer only moves up, so finding the next worst is
    paid for once per position. The *tail* is everyone else held (at most the reserved
    seats R plus the newcomer), a small sorted array. By the choice rule, the open seats
    go to the best open_cap of the held-plus-new set whatever the rest is, and the
    reservations and leftover seats are decided among the others alone; so a proposal
    touches the open part in O(1) and the tail in O(R * reservations).
    Batches without reservations have no tail: whoever would enter it is rejected.
    """
    n = choice_ptr.size - 1
    nb = open_cap.size
    held = np.zeros(pair_pos.size, dtype=np.uint8)
    open_count = np.zeros(nb, dtype=np.int64)
    worst = np.full(nb, -1, dtype=np.int64)
    tail = np.empty(tail_ptr[nb], dtype=np.int64)
    tail_len = np.zeros(nb, dtype=np.int64)
    longest = 1
    for b in range(nb):
        longest = max(longest, tail_ptr[b + 1] - tail_ptr[b])
    marked = np.zeros(longest, dtype=np.uint8)
    cur = np.zeros(n, dtype=np.int32)
    proposals = 0
    one = np.uint64(1)
    for start in range(n):
        a = start
        # Follow the chain: whoever gets rejected proposes next, until someone is held
        # without displacing anyone or runs out of choices.
        while True:
            i = choice_ptr[a] + cur[a]
            if i >= choice_ptr[a + 1]:
                break
            proposals += 1
            b = choice_batch[i]
            p = np.int64(pair_pos[i])
            cap = open_cap[b]
            if open_count[b] < cap:
                held[p] = 1
                open_count[b] += 1
                if p > worst[b]:
                    worst[b] = p
                break
            x = p
            if cap > 0 and p < worst[b]:
                held[p] = 1
                w = worst[b]
                held[w] = 0
                q = w - 1
                while held[q] == 0:
                    q -= 1
                worst[b] = q
                x = w
            lo = tail_ptr[b]
            slots = tail_ptr[b + 1] - lo
            if slots == 0:
                rejected = x
            else:
                k = tail_len[b]
                j = k
                while j > 0 and tail[lo + j - 1] > x:
                    tail[lo + j] = tail[lo + j - 1]
                    j -= 1
                tail[lo + j] = x
                k += 1
                if k < slots:  # fewer than R + 1: everyone in the tail keeps a seat
                    tail_len[b] = k
                    break
                for j in range(k):
                    marked[j] = 0
                r0 = res_ptr[b]
                for t in range(r0, res_ptr[b + 1]):
                    need = res_seats[t]
                    bit = np.uint64(t - r0)
                    j = 0
                    while need > 0 and j < k:
                        if marked[j] == 0 and (pos_mask[tail[lo + j]] >> bit) & one:
                            marked[j] = 1
                            need -= 1
                        j += 1
                # The leftover seats take the best unmarked; the worst unmarked is out.
                j = k - 1
                while marked[j] == 1:
                    j -= 1
                rejected = tail[lo + j]
                for jj in range(j, k - 1):
                    tail[lo + jj] = tail[lo + jj + 1]
                tail_len[b] = k - 1
            a = pos_app[rejected]
            cur[a] += 1
    return cur, proposals


def run(prep: Prepared) -> tuple[I32, int]:
    has_res = np.diff(prep.res_ptr) > 0
    reserved = np.zeros(prep.open_cap.size, dtype=np.int64)
    reserved[has_res] = (prep.capacity - prep.open_cap)[has_res]
    tail_ptr = np.zeros(prep.open_cap.size + 1, dtype=np.int64)
    np.cumsum(np.where(has_res, reserved + 1, 0), out=tail_ptr[1:])
    cur, proposals = deferred_acceptance(
        prep.choice_ptr,
        prep.choice_batch,
        prep.pair_pos,
        prep.pos_app,
        prep.pos_mask,
        prep.open_cap.astype(np.int64),
        prep.res_ptr,
        prep.res_seats,
        tail_ptr,
    )
    return cur, int(proposals)
