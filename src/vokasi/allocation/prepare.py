"""Turn a `Problem` into the integer arrays the engines run on.

Every batch orders the applicants who chose it by (tier, -score, lottery). Instead of
sorting each batch, applicants are put in one global order by (-score, lottery) once,
and the (applicant, batch) pairs are then bucketed by (batch, tier) in that order (a
counting sort, so stable). A pair's place in the result is its *position*: batches own
consecutive runs of positions (`batch_start`), best applicant first, so "better than"
inside a batch is simply "smaller position".
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from .lottery import lottery_number
from .model import I32, I64, U64, Problem


@dataclass(frozen=True, eq=False)
class Prepared:
    lens: I32  # number of choices per applicant
    choice_ptr: I64
    choice_batch: I32
    pair_pos: I32  # position of each (applicant, choice) pair
    pos_app: I32  # applicant at each position
    pos_batch: I32  # batch of each position
    pos_mask: U64  # bit t: applicant belongs to the group of the batch's t-th reservation
    batch_start: I64
    capacity: I32
    open_cap: I32  # capacity minus the reserved seats
    res_ptr: I64
    res_seats: I32


def applicant_order(problem: Problem, kernels: ModuleType | None) -> I64:
    """All applicants by score (higher first), then lottery number (lower first)."""
    score = problem.score
    n = score.size
    if n == 0:
        return np.empty(0, dtype=np.int64)
    # Pack (score rank, top lottery bits) into one uint64 so that one sort does it.
    lo, hi = float(score.min()), float(score.max())
    if hi - lo < 2**20 and bool(np.all(score == np.floor(score))):
        score_rank = (hi - score).astype(np.uint64)  # integer scores: no sort needed
    else:
        score_rank = np.unique(-score, return_inverse=True)[1].astype(np.uint64).ravel()
    bits = int(score_rank.max()).bit_length()
    key = problem.lottery_prefix
    if bits:
        key = (score_rank << np.uint64(64 - bits)) | (key >> np.uint64(bits))
    order = kernels.radix_argsort_u64(key) if kernels else np.argsort(key, kind="stable")
    ordered = key[order]
    tied = np.flatnonzero(ordered[1:] == ordered[:-1])
    if tied.size:
        _break_ties(problem, order, ordered, tied)
    return order.astype(np.int64, copy=False)


def _break_ties(problem: Problem, order: I64, ordered: U64, tied: I64) -> None:
    """Equal packed keys mean equal score and equal leading lottery bits: re-sort each
    such run on the full 256-bit lottery number (then the id, see lottery.py)."""
    seed, ids = problem.seed, problem.applicant_ids
    starts = tied[np.r_[True, tied[1:] != tied[:-1] + 1]]
    for start in starts.tolist():
        stop = start + 1
        while stop < ordered.size and ordered[stop] == ordered[start]:
            stop += 1
        run = order[start:stop].tolist()
        run.sort(key=lambda a: (lottery_number(seed, ids[a]), ids[a]))
        order[start:stop] = run


def prepare(problem: Problem, kernels: ModuleType | None = None) -> Prepared:
    """`kernels` is the compiled module (engine_numba) or None for plain numpy."""
    n, nb = problem.n_applicants, problem.n_batches
    choice_ptr, choice_batch = problem.choice_ptr, problem.choice_batch
    lens = np.diff(choice_ptr).astype(np.int32)
    m = choice_batch.size
    pair_app = np.repeat(np.arange(n, dtype=np.int32), lens)

    # Tiers become small non-negative offsets so (batch, tier) is one bucket number.
    tier = problem.choice_tier
    if m and int(tier.max()) - int(tier.min()) < 64:
        tier_off = (tier - tier.min()).astype(np.int64)
        n_tiers = int(tier_off.max()) + 1
    elif m:
        uniq, inv = np.unique(tier, return_inverse=True)
        tier_off, n_tiers = inv.astype(np.int64).ravel(), uniq.size
    else:
        tier_off, n_tiers = np.zeros(0, dtype=np.int64), 1
    bucket = choice_batch.astype(np.int64) * n_tiers + tier_off

    order = applicant_order(problem, kernels)
    if kernels is not None and nb * n_tiers <= 4 * m + (1 << 20):
        pos_pair = kernels.bucket_pairs(order, choice_ptr, bucket, nb * n_tiers)
    else:
        # Pairs listed applicant by applicant in global order, then a stable sort by bucket.
        lens_o = lens[order]
        starts = choice_ptr[:-1][order] - (np.cumsum(lens_o) - lens_o)
        in_order = np.repeat(starts, lens_o) + np.arange(m)
        keys = bucket[in_order]
        if nb * n_tiers <= 1 << 16:
            keys = keys.astype(np.uint16)  # numpy radix-sorts 16-bit keys: linear time
        pos_pair = in_order[np.argsort(keys, kind="stable")]
    pair_pos = np.empty(m, dtype=np.int32)
    pair_pos[pos_pair] = np.arange(m, dtype=np.int32)

    batch_start = np.zeros(nb + 1, dtype=np.int64)
    np.cumsum(np.bincount(choice_batch, minlength=nb), out=batch_start[1:])
    res_ptr = problem.res_ptr
    res_batch = np.repeat(np.arange(nb), np.diff(res_ptr))
    reserved = np.bincount(res_batch, weights=problem.res_seats, minlength=nb)
    open_cap = (problem.capacity - reserved.astype(np.int64)).astype(np.int32)
    return Prepared(
        lens=lens,
        choice_ptr=choice_ptr,
        choice_batch=choice_batch,
        pair_pos=pair_pos,
        pos_app=pair_app[pos_pair],
        pos_batch=choice_batch[pos_pair],
        pos_mask=_pair_masks(problem, pair_app)[pos_pair],
        batch_start=batch_start,
        capacity=problem.capacity,
        open_cap=open_cap,
        res_ptr=res_ptr,
        res_seats=problem.res_seats,
    )


def _pair_masks(problem: Problem, pair_app: I32) -> U64:
    """Bit t of pair (a, b) is set when applicant a belongs to the group of b's t-th
    reservation. Only pairs of a reserving batch and an applicant with groups can have
    bits, usually a small share, so the work is done on those alone."""
    m = pair_app.size
    mask = np.zeros(m, dtype=np.uint64)
    res_ptr, group_ptr = problem.res_ptr, problem.group_ptr
    if res_ptr[-1] == 0 or group_ptr[-1] == 0:
        return mask
    n_groups = len(problem.group_names)
    # (batch, group) -> OR of the reservation bits of that group in that batch.
    res_batch = np.repeat(np.arange(problem.n_batches, dtype=np.int64), np.diff(res_ptr))
    res_bit = np.arange(res_ptr[-1], dtype=np.int64) - res_ptr[res_batch]
    rkey = res_batch * n_groups + problem.res_group
    rorder = np.argsort(rkey, kind="stable")
    rkey, rbits = rkey[rorder], np.left_shift(np.uint64(1), res_bit[rorder].astype(np.uint64))
    ukey, first = np.unique(rkey, return_index=True)
    ubits = np.bitwise_or.reduceat(rbits, first)

    n_groups_of = np.diff(group_ptr)
    pairs = np.flatnonzero((n_groups_of[pair_app] > 0) & (np.diff(res_ptr)[problem.choice_batch] > 0))
    if pairs.size == 0:
        return mask
    apps = pair_app[pairs]
    reps = n_groups_of[apps]
    pair_of = np.repeat(pairs, reps)
    start = np.repeat(group_ptr[apps] - (np.cumsum(reps) - reps), reps)
    groups = problem.app_group[start + np.arange(pair_of.size)]
    qkey = problem.choice_batch[pair_of].astype(np.int64) * n_groups + groups
    at = np.minimum(np.searchsorted(ukey, qkey), ukey.size - 1)
    hit = ukey[at] == qkey
    np.bitwise_or.at(mask, pair_of[hit], ubits[at[hit]])
    return mask
