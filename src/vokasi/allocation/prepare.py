"""Turn a `Problem` into the integer arrays the engines run on.

Every batch orders the applicants who chose it by (tier, -score, lottery). Instead of
sorting each batch, applicants are put in one global order by (-score, lottery) once,
and the (applicant, batch) pairs are then sorted stably by (batch, tier) in that order.
A pair's place in the result is its *position*: batches own consecutive runs of
positions (`batch_start`), best applicant first, so "better than" inside a batch is
simply "smaller position".

(The compiled engine shares `applicant_order` and `tier_offsets` and does the rest
its own way, see engine_numba.)
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np
import numpy.typing as npt

from .lottery import lottery_number
from .model import I32, I64, U64, Problem

U8 = npt.NDArray[np.uint8]


@dataclass(frozen=True, eq=False)
class Prepared:
    """What the numpy engine runs on (the compiled engine needs no positions)."""

    lens: I32  # number of choices per applicant
    choice_ptr: I64
    choice_batch: I32
    pair_pos: I32  # position of each (applicant, choice) pair
    pos_app: I32  # applicant at each position
    pos_k: U8  # index of the position's batch in its applicant's list
    # Bit t at a position: its applicant is in the group of the batch's t-th reservation.
    # Empty when no batch reserves seats; uint8 when no batch has more than 8.
    pos_mask: U8 | U64
    batch_start: I64  # positions of batch b: batch_start[b] .. batch_start[b+1]-1
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
    # Pack (score rank, leading lottery bits) into one uint64 so that one sort does it.
    lo, hi = float(score.min()), float(score.max())
    if hi - lo < 2**20 and bool(np.all(score == np.floor(score))):
        score_rank = (hi - score).astype(np.uint64)  # integer scores: no sort needed
    else:
        score_rank = np.unique(-score, return_inverse=True)[1].astype(np.uint64).ravel()
    s_bits = int(score_rank.max()).bit_length()
    # 40 lottery bits make ties (fixed below) rare: ~0.1 per million applicants.
    bits = min(64, s_bits + 40)
    key = problem.lottery_prefix >> np.uint64(64 - (bits - s_bits))
    if s_bits:
        key |= score_rank << np.uint64(bits - s_bits)
    if kernels is not None:
        order = np.asarray(kernels.radix_sort(key.copy(), 0, bits, True)[0], dtype=np.int64)
    else:
        order = np.argsort(key, kind="stable")
    ordered = key[order]
    tied = np.flatnonzero(ordered[1:] == ordered[:-1])
    if tied.size:
        _break_ties(problem, order, ordered, tied)
    return order


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


def tier_offsets(problem: Problem) -> tuple[I32, int, int]:
    """(tiers, offset, count): tier - offset is a small bucket number below count."""
    tier = problem.choice_tier
    if tier.size == 0:
        return tier, 0, 1
    t_min, t_max = int(tier.min()), int(tier.max())
    if t_max - t_min < 256:
        return tier, t_min, t_max - t_min + 1
    uniq, inv = np.unique(tier, return_inverse=True)  # wide tiers: use their ranks
    return inv.astype(np.int32).ravel(), 0, int(uniq.size)


def prepare(problem: Problem) -> Prepared:
    """The arrays of the numpy engine: pairs listed applicant by applicant in global
    order, then a stable sort by (batch, tier) bucket gives the positions."""
    nb, n, m = problem.n_batches, problem.n_applicants, problem.choice_batch.size
    tiers, t_min, n_tiers = tier_offsets(problem)
    order = applicant_order(problem, None)
    choice_ptr = problem.choice_ptr
    lens = np.diff(choice_ptr).astype(np.int32)
    bucket = problem.choice_batch.astype(np.int64) * n_tiers + (tiers - t_min)
    lens_o = lens[order]
    starts = choice_ptr[:-1][order] - (np.cumsum(lens_o) - lens_o)
    in_order = np.repeat(starts, lens_o) + np.arange(m)
    keys = bucket[in_order]
    if nb * n_tiers <= 1 << 16:
        keys = keys.astype(np.uint16)  # numpy radix-sorts 16-bit keys: linear time
    pos_pair = in_order[np.argsort(keys, kind="stable")]
    pair_pos = np.empty(m, dtype=np.int32)
    pair_pos[pos_pair] = np.arange(m, dtype=np.int32)
    pos_app = np.repeat(np.arange(n, dtype=np.int32), lens)[pos_pair]

    batch_start = np.zeros(nb + 1, dtype=np.int64)
    np.cumsum(np.bincount(problem.choice_batch, minlength=nb), out=batch_start[1:])
    res_ptr = problem.res_ptr
    res_batch = np.repeat(np.arange(nb), np.diff(res_ptr))
    reserved = np.bincount(res_batch, weights=problem.res_seats, minlength=nb)
    depth = int(np.diff(res_ptr).max()) if nb else 0
    return Prepared(
        lens=lens,
        choice_ptr=choice_ptr,
        choice_batch=problem.choice_batch,
        pair_pos=pair_pos,
        pos_app=pos_app,
        pos_k=(pos_pair - choice_ptr[:-1][pos_app]).astype(np.uint8),
        pos_mask=_position_masks(problem, pair_pos) if depth else np.zeros(0, np.uint64),
        batch_start=batch_start,
        capacity=problem.capacity,
        open_cap=(problem.capacity - reserved.astype(np.int64)).astype(np.int32),
        res_ptr=res_ptr,
        res_seats=problem.res_seats,
    )


def _position_masks(problem: Problem, pair_pos: I32) -> U64:
    """pos_mask for the numpy path, vectorised. Only pairs of a reserving batch and an
    applicant with groups can have bits, usually a small share, so the work is done on
    those alone."""
    mask = np.zeros(pair_pos.size, dtype=np.uint64)
    res_ptr, group_ptr = problem.res_ptr, problem.group_ptr
    n_groups = len(problem.group_names)
    if group_ptr[-1] == 0:
        return mask
    nb = res_ptr.size - 1
    # (batch, group) -> OR of the reservation bits of that group in that batch.
    res_batch = np.repeat(np.arange(nb, dtype=np.int64), np.diff(res_ptr))
    res_bit = np.arange(res_ptr[-1], dtype=np.int64) - res_ptr[res_batch]
    rkey = res_batch * n_groups + problem.res_group
    rorder = np.argsort(rkey, kind="stable")
    rkey, rbits = rkey[rorder], np.left_shift(np.uint64(1), res_bit[rorder].astype(np.uint64))
    ukey, first = np.unique(rkey, return_index=True)
    ubits = np.bitwise_or.reduceat(rbits, first)

    n_groups_of = np.diff(group_ptr)
    pair_app = np.repeat(np.arange(problem.n_applicants), np.diff(problem.choice_ptr))
    pairs = np.flatnonzero(
        (n_groups_of[pair_app] > 0) & (np.diff(res_ptr)[problem.choice_batch] > 0)
    )
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
    np.bitwise_or.at(mask, pair_pos[pair_of[hit]], ubits[at[hit]])
    return mask


def position_batches(prep: Prepared) -> I32:
    """The batch of every position (positions come grouped by batch)."""
    nb = prep.batch_start.size - 1
    return np.repeat(np.arange(nb, dtype=np.int32), np.diff(prep.batch_start))
