"""The compiled engine: deferred acceptance as one sequential loop (numba).

Importing this module imports numba, which costs about a second; the command line
only does so when the work is large enough to repay it (see `cli`).

Functions are compiled with `cache=True`, so a process after the first loads machine
code from `__pycache__` instead of compiling (seconds). Where no cache directory is
writable numba refuses `cache=True`; then we compile in memory each process.

Design, measured on a 2-core VM where a random memory access costs 30-200 ns:
- Applicants are ranked once by (-score, lottery). Within a batch an applicant's
  priority is then the integer (tier, rank): no per-batch sorting before the run.
- Each batch keeps its tentatively held applicants in a max-heap (the open seats) and
  a small sorted tail (reserved and leftover seats); both live in a few contiguous
  arrays, so a proposal touches one or two cache lines of batch state.
- Waiting lists are the only thing that needs every batch's full order; they are made
  after the run by one radix sort of the waiting (batch, tier, rank) keys.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, cast

import numba
import numpy as np

from .model import I32, I64, U64, Problem
from .prepare import applicant_order, tier_offsets


def _jit[F: Callable[..., Any]](fn: F) -> F:
    """Compiled on first call; called like the plain function (hence the cast)."""
    try:
        return cast(F, numba.njit(cache=True, nogil=True)(fn))
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return cast(F, numba.njit(nogil=True)(fn))


@_jit
def radix_sort(keys: U64, lo: int, hi: int, with_order: bool) -> tuple[I32, U64]:
    """Stable sort of uint64 keys by their bits lo..hi-1: (order, sorted keys); order is
    empty unless asked for. LSD radix sort with byte digits, which measured fastest
    here (256 counters stay in L1; the scatter writes go to 256 streams). `keys` is
    used as scratch space."""
    n = keys.size
    passes = max(1, (hi - lo + 7) // 8)
    counts = np.zeros((passes, 257), dtype=np.int64)
    for i in range(n):
        k = keys[i]
        for d in range(passes):
            counts[d, ((k >> np.uint64(lo + 8 * d)) & np.uint64(255)) + 1] += 1
    order = np.empty(n if with_order else 0, dtype=np.int32)
    other = np.empty(n if with_order else 0, dtype=np.int32)
    cur = keys
    tmp = np.empty(n, dtype=np.uint64)
    first = True
    for d in range(passes):
        shift = np.uint64(lo + 8 * d)
        c = counts[d]
        if c.max() == n:
            continue  # the same digit everywhere: this pass would move nothing
        for j in range(256):
            c[j + 1] += c[j]
        for i in range(n):
            k = cur[i]
            s = (k >> shift) & np.uint64(255)
            dest = c[s]
            c[s] = dest + 1
            tmp[dest] = k
            if with_order:
                other[dest] = i if first else order[i]
        first = False
        cur, tmp = tmp, cur
        order, other = other, order
    if first and with_order:
        for i in range(n):
            order[i] = i
    return order, cur


@_jit
def pair_words(
    app_order: I64,
    choice_ptr: I64,
    choice_batch: I32,
    tiers: I32,
    t_min: int,
    tier_bits: int,
    mask_bits: int,
    res_ptr: I64,
    res_group: I32,
    group_ptr: I64,
    app_group: I32,
) -> tuple[I64, int]:
    """One int64 per (applicant, choice) pair, high to low: batch | tier - t_min | rank
    | last | reservation bits. Below the batch it is the pair's *key*: smaller is a
    higher priority at that batch (the last two fields never decide, as (tier, rank)
    is unique within a batch). `last` marks an applicant's last choice; the reservation
    bits say which of the batch's reservations the applicant's groups match. With all
    that in one word, following a displaced applicant reads one cache line."""
    n = app_order.size
    rank = np.empty(n, dtype=np.int64)
    for r in range(n):
        rank[app_order[r]] = r
    rank_bits = 1
    while (1 << rank_bits) < n:
        rank_bits += 1
    r_shift = 1 + mask_bits
    t_shift = r_shift + rank_bits
    b_shift = t_shift + tier_bits
    words = np.empty(choice_batch.size, dtype=np.int64)
    for a in range(n):
        ra = rank[a] << r_shift
        g_lo = group_ptr[a]
        g_hi = group_ptr[a + 1]
        hi = choice_ptr[a + 1]
        for i in range(choice_ptr[a], hi):
            b = np.int64(choice_batch[i])
            word = (b << b_shift) | (np.int64(tiers[i] - t_min) << t_shift) | ra
            if i == hi - 1:
                word |= np.int64(1) << mask_bits
            if g_hi > g_lo:
                for t in range(res_ptr[b], res_ptr[b + 1]):
                    for h in range(g_lo, g_hi):
                        if app_group[h] == res_group[t]:
                            word |= np.int64(1) << (t - res_ptr[b])
                            break
            words[i] = word
    return words, b_shift


# Carry the applicant's index inside the waiting-list sort keys when it fits (tests turn
# this off to exercise the other way).
PACK_INDEX = True

# Columns of the per-batch state table: one 64-byte row per batch, so that the usual
# proposal (to a full batch, by someone worse than all its open-seat holders) reads one
# cache line. _WORST caches the key at the top of the heap for that test.
_OPEN_CAP, _COUNT, _HEAP_LO, _TAIL_LO, _SLOTS, _TAIL_LEN, _WORST = range(7)


@_jit
def deferred_acceptance(
    words: I64,
    b_shift: int,
    mask_bits: int,
    choice_ptr: I64,
    open_cap: I64,
    tail_slots: I64,
    res_ptr: I64,
    res_seats: I32,
) -> tuple[I64, int]:
    """Applicant-proposing deferred acceptance over pair words. Returns (the pairs held
    at the end, number of proposals).

    A batch's held set has two parts. The *open part* is the best open_cap held, a
    max-heap on key. The *tail* is everyone else held (at most the reserved seats R,
    plus a newcomer), a small array sorted by key. By the choice rule the open seats
    go to the best open_cap of held-plus-new whatever the rest is, and reservations and
    leftover seats are decided among the others alone; so a proposal costs O(log q) in
    the open part and O(R * reservations) in the tail. Batches that reserve nothing
    have no tail: whoever would enter it is turned away.

    Held entries are (key, pair index); a displaced applicant's next choice is simply
    the next pair, unless the key says it was their last.
    """
    n = choice_ptr.size - 1
    nb = open_cap.size
    key_mask = (np.int64(1) << b_shift) - 1
    last_bit = np.int64(1) << mask_bits
    res_bits = last_bit - 1
    bs = np.empty((nb, 8), dtype=np.int64)
    heap_total = 0
    tail_total = 0
    longest = 1
    for b in range(nb):
        slots = tail_slots[b]
        bs[b, _OPEN_CAP] = open_cap[b]
        bs[b, _COUNT] = 0
        bs[b, _HEAP_LO] = heap_total
        bs[b, _TAIL_LO] = tail_total
        bs[b, _SLOTS] = slots
        bs[b, _TAIL_LEN] = 0
        bs[b, _WORST] = -1
        heap_total += open_cap[b]
        tail_total += slots
        longest = max(longest, slots)
    heap_key = np.empty(heap_total, dtype=np.int64)
    heap_pair = np.empty(heap_total, dtype=np.int64)
    tail_key = np.empty(tail_total, dtype=np.int64)
    tail_pair = np.empty(tail_total, dtype=np.int64)
    marked = np.zeros(longest, dtype=np.uint8)
    proposals = 0
    for start in range(n):
        i = choice_ptr[start]
        if i == choice_ptr[start + 1]:
            continue
        # Follow the chain: whoever is turned away proposes next, until someone is held
        # without displacing anyone or runs out of choices.
        while True:
            proposals += 1
            word = words[i]
            b = word >> b_shift
            key = word & key_mask
            slots = bs[b, _SLOTS]
            cap = bs[b, _OPEN_CAP]
            count = bs[b, _COUNT]
            if count == cap and slots == 0 and key > bs[b, _WORST]:
                # The common case: a full batch turns the proposer away.
                if key & last_bit:
                    break
                i += 1
                continue
            lo = bs[b, _HEAP_LO]
            if count < cap:  # a free open seat: push onto the heap
                j = count
                while j > 0:
                    parent = (j - 1) >> 1
                    if heap_key[lo + parent] >= key:
                        break
                    heap_key[lo + j] = heap_key[lo + parent]
                    heap_pair[lo + j] = heap_pair[lo + parent]
                    j = parent
                heap_key[lo + j] = key
                heap_pair[lo + j] = i
                bs[b, _COUNT] = count + 1
                bs[b, _WORST] = heap_key[lo]
                break
            if cap > 0 and key < bs[b, _WORST]:
                # The proposer takes an open seat; the worst holder moves to the tail.
                x_key = heap_key[lo]
                x_pair = heap_pair[lo]
                j = 0
                while True:
                    c = 2 * j + 1
                    if c >= cap:
                        break
                    if c + 1 < cap and heap_key[lo + c + 1] > heap_key[lo + c]:
                        c += 1
                    if heap_key[lo + c] <= key:
                        break
                    heap_key[lo + j] = heap_key[lo + c]
                    heap_pair[lo + j] = heap_pair[lo + c]
                    j = c
                heap_key[lo + j] = key
                heap_pair[lo + j] = i
                bs[b, _WORST] = heap_key[lo]
            else:
                x_key = key
                x_pair = i
            if slots == 0:
                out_key = x_key
                out_pair = x_pair
            else:
                t_lo = bs[b, _TAIL_LO]
                k = bs[b, _TAIL_LEN]
                if k == slots - 1 and x_key & res_bits == 0 and x_key > tail_key[t_lo + k - 1]:
                    out_key = x_key  # in no reserved group and worse than the whole tail
                    out_pair = x_pair
                else:
                    j = k
                    while j > 0 and tail_key[t_lo + j - 1] > x_key:
                        tail_key[t_lo + j] = tail_key[t_lo + j - 1]
                        tail_pair[t_lo + j] = tail_pair[t_lo + j - 1]
                        j -= 1
                    tail_key[t_lo + j] = x_key
                    tail_pair[t_lo + j] = x_pair
                    k += 1
                    if k < slots:  # at most R held beyond the open seats: all stay
                        bs[b, _TAIL_LEN] = k
                        break
                    for j in range(k):
                        marked[j] = 0
                    r0 = res_ptr[b]
                    for t in range(r0, res_ptr[b + 1]):
                        need = res_seats[t]
                        j = 0
                        while need > 0 and j < k:
                            if marked[j] == 0 and (tail_key[t_lo + j] >> (t - r0)) & 1:
                                marked[j] = 1
                                need -= 1
                            j += 1
                    # Leftover seats go to the best unmarked; the worst unmarked is out.
                    j = k - 1
                    while marked[j] == 1:
                        j -= 1
                    out_key = tail_key[t_lo + j]
                    out_pair = tail_pair[t_lo + j]
                    for jj in range(j, k - 1):
                        tail_key[t_lo + jj] = tail_key[t_lo + jj + 1]
                        tail_pair[t_lo + jj] = tail_pair[t_lo + jj + 1]
                    bs[b, _TAIL_LEN] = k - 1
            # Whoever is out (the proposer or a displaced holder) tries their next choice.
            if out_key & last_bit:
                break
            i = out_pair + 1
    held = np.empty(heap_total + tail_total, dtype=np.int64)
    h = 0
    for b in range(nb):
        for j in range(bs[b, _COUNT]):
            held[h] = heap_pair[bs[b, _HEAP_LO] + j]
            h += 1
        for j in range(bs[b, _TAIL_LEN]):
            held[h] = tail_pair[bs[b, _TAIL_LO] + j]
            h += 1
    return held[:h], proposals


@_jit
def waiting_lists(
    app_order: I64,
    words: I64,
    b_shift: int,
    mask_bits: int,
    batch_bits: int,
    choice_ptr: I64,
    held: I64,
    nb: int,
    pack_index: bool,
) -> tuple[I32, I64, I32]:
    """(choice index each applicant ends on, waiting_ptr, waiting_app). The waiting
    lists hold every pair ranked above its applicant's result (or of an applicant with
    none), grouped by batch in the batch's order: a radix sort of those pairs' keys.
    With pack_index (the caller checks that it fits in the spare low bits) the
    applicant's index rides along in the key; otherwise it is looked up from the rank
    afterwards, a random read per entry."""
    n = app_order.size
    rank_bits = 1
    while (1 << rank_bits) < n:
        rank_bits += 1
    r_shift = 1 + mask_bits
    rank_mask = (np.int64(1) << rank_bits) - 1
    held_pair = np.full(n, -1, dtype=np.int64)
    for i in held:
        held_pair[app_order[(words[i] >> r_shift) & rank_mask]] = i
    cur = np.empty(n, dtype=np.int32)
    sort_bits = b_shift + batch_bits - r_shift  # batch | tier | rank
    idx_bits = rank_bits if pack_index else 0
    m = 0
    for a in range(n):
        end = held_pair[a] if held_pair[a] >= 0 else choice_ptr[a + 1]
        cur[a] = end - choice_ptr[a]
        m += end - choice_ptr[a]
    keys = np.empty(m, dtype=np.uint64)
    ptr = np.zeros(nb + 1, dtype=np.int64)
    m = 0
    for a in range(n):
        lo = choice_ptr[a]
        for i in range(lo, lo + cur[a]):
            w = words[i]
            ptr[(w >> b_shift) + 1] += 1
            keys[m] = np.uint64(((w >> r_shift) << idx_bits) | (a if idx_bits else 0))
            m += 1
    for b in range(nb):
        ptr[b + 1] += ptr[b]
    keys = radix_sort(keys, idx_bits, idx_bits + sort_bits, False)[1]
    apps = np.empty(m, dtype=np.int32)
    if idx_bits:
        low = np.uint64((1 << idx_bits) - 1)
        for j in range(m):
            apps[j] = keys[j] & low
    else:
        for j in range(m):
            apps[j] = app_order[np.int64(keys[j]) & rank_mask]
    return cur, ptr, apps


def solve_arrays(problem: Problem) -> tuple[I32, int, I64, I32]:
    """(choice index each applicant ends on, proposals, waiting_ptr, waiting_app)."""
    order = applicant_order(problem, sys.modules[__name__])
    tiers, t_min, n_tiers = tier_offsets(problem)
    nb = problem.n_batches
    res_ptr = problem.res_ptr
    mask_bits = int(np.diff(res_ptr).max()) if nb else 0
    open_cap, tail_slots = _seats(problem)
    words, b_shift = pair_words(
        order,
        problem.choice_ptr,
        problem.choice_batch,
        tiers,
        t_min,
        (n_tiers - 1).bit_length(),
        mask_bits,
        res_ptr,
        problem.res_group,
        problem.group_ptr,
        problem.app_group,
    )
    held, proposals = deferred_acceptance(
        words,
        b_shift,
        mask_bits,
        problem.choice_ptr,
        open_cap,
        tail_slots,
        res_ptr,
        problem.res_seats,
    )
    batch_bits = max(1, (nb - 1).bit_length())
    rank_bits = max(1, (problem.n_applicants - 1).bit_length())
    sort_bits = batch_bits + (n_tiers - 1).bit_length() + rank_bits
    cur, waiting_ptr, waiting_app = waiting_lists(
        order,
        words,
        b_shift,
        mask_bits,
        batch_bits,
        problem.choice_ptr,
        held,
        nb,
        PACK_INDEX and sort_bits + rank_bits <= 64,
    )
    return cur, int(proposals), waiting_ptr, waiting_app


def _seats(problem: Problem) -> tuple[I64, I64]:
    """(open seats, tail slots) per batch. The tail holds the reserved seats plus one
    newcomer. A batch with at least as many seats as applicants who chose it takes all
    of them whatever its reservations: it gets that many open seats and no tail, which
    also keeps memory to the applicants, not to a capacity typed as 2,000,000,000."""
    nb = problem.n_batches
    capacity = problem.capacity.astype(np.int64)
    res_counts = np.diff(problem.res_ptr)
    reserved = np.bincount(
        np.repeat(np.arange(nb), res_counts), weights=problem.res_seats, minlength=nb
    ).astype(np.int64)
    wanted = np.bincount(problem.choice_batch, minlength=nb).astype(np.int64)
    roomy = capacity >= wanted
    open_cap = np.where(roomy, wanted, capacity - reserved)
    tail_slots = np.where(roomy | (res_counts == 0), 0, reserved + 1)
    return open_cap, tail_slots


def fits(n_applicants: int, n_batches: int, n_tiers: int, max_reservations: int) -> bool:
    """Whether a problem's pair words fit in 64 bits (batch, tier, rank, last flag and
    reservation bits); otherwise the numpy engine takes it."""
    bits = sum(max(1, (x - 1).bit_length()) for x in (n_applicants, n_batches))
    return bits + (n_tiers - 1).bit_length() + 1 + max_reservations <= 64
