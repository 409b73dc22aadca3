"""Reading the applicants of an input document.

This is the hot path of the command line on a national file. Applicants are first read
column by column, each check one loop in C; only when something is off are they read
again one by one, to name every problem.
"""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from .issues import MISSING, Issue, id_ok, show
from .model import INT32_MAX, INT32_MIN, MAX_ABS_SCORE, MAX_CHOICES

APPLICANT_KEYS = frozenset({"id", "choices", "tiers", "score", "groups"})
_NO_GROUPS: Any = ()


def read_applicants(
    applicants: list[Any], add: Any, batch_index: dict[str, int], group_index: dict[str, int]
) -> Columns:
    """The applicants as columns; problems are passed to `add` (and the columns are
    then incomplete)."""
    columns = read_columns(applicants, batch_index, group_index)
    return (
        columns
        if columns is not None
        else read_one_by_one(applicants, add, batch_index, group_index)
    )


# ids, choice counts, choices (batch indices), tiers, scores, group counts, groups
Columns = tuple[
    list[str],
    list[int],
    "list[int] | npt.NDArray[np.int32]",
    "list[int] | npt.NDArray[np.int64]",
    "list[float] | npt.NDArray[np.float64]",
    list[int],
    list[int],
]


def read_columns(
    applicants: list[Any], batch_index: dict[str, int], group_index: dict[str, int]
) -> Columns | None:
    """Read all applicants column by column, or None at the first sign of anything
    wrong (then `_careful` finds and names it). Each applicant's dict is visited once;
    every check after that is one loop in C over a column. That is what lets the
    command line keep pace with json parsing itself (each pass over 200,000 Python
    objects costs 20-50 ms on the reference machine)."""
    n = len(applicants)
    if n == 0:
        return [], [], [], [], [], [], []
    z = MISSING
    try:
        rows = [
            (
                a["id"],
                a["choices"],
                a.get("tiers", z),
                a.get("score", z),
                a.get("groups", z),
                len(a),
            )
            for a in applicants
        ]
    except (KeyError, TypeError, AttributeError):  # not a dict, or id/choices missing
        return None
    ids, choices, tier_col, score_col, group_col, sizes = zip(*rows, strict=True)
    present = 2 * n + 3 * n - tier_col.count(z) - score_col.count(z) - group_col.count(z)
    if sum(sizes) != present:  # some applicant has a field we do not know
        return None
    try:
        "".join(ids)  # raises unless every id is text: a C loop, quicker than type checks
    except TypeError:
        return None
    unique_ids = set(ids)
    if "" in unique_ids or len(unique_ids) != n or not set(map(type, choices)) <= {list}:
        return None
    lens = list(map(len, choices))
    if max(lens) > MAX_CHOICES:
        return None
    try:
        picked = np.array(
            list(map(batch_index.__getitem__, chain.from_iterable(choices))), dtype=np.int32
        )
    except (KeyError, TypeError):  # unknown batch, or not even text
        return None
    if _chosen_twice(picked, lens):
        return None
    missing = tier_col.count(z)
    if missing == n:
        tiers = np.zeros(picked.size, dtype=np.int64)
    else:
        tier_lists = (
            tier_col
            if missing == 0
            else [[0] * k if t is z else t for t, k in zip(tier_col, lens, strict=True)]
        )
        if not set(map(type, tier_lists)) <= {list} or list(map(len, tier_lists)) != lens:
            return None
        flat = list(chain.from_iterable(tier_lists))
        if not set(map(type, flat)) <= {int}:
            return None
        try:
            tiers = np.array(flat, dtype=np.int64)
        except OverflowError:
            return None
        if tiers.size and (tiers.min() < INT32_MIN or tiers.max() > INT32_MAX):
            return None
    missing = score_col.count(z)
    scores = score_col if missing == 0 else [0 if s is z else s for s in score_col]
    if not set(map(type, scores)) <= {int, float}:
        return None
    try:
        values = np.array(scores, dtype=np.float64)
    except OverflowError:
        return None
    # NaN fails every comparison; |score| = 2**53 exactly is left to the careful path,
    # which checks integers without rounding them.
    if not bool(np.all(np.abs(values) < MAX_ABS_SCORE)):
        return None
    group_lists = [_NO_GROUPS if g is z else g for g in group_col]
    if not set(map(type, group_lists)) <= {list, tuple}:
        return None
    groups = list(chain.from_iterable(group_lists))
    if not set(map(type, groups)) <= {str} or "" in set(groups):
        return None
    group_ids = [group_index.setdefault(g, len(group_index)) for g in groups]
    return list(ids), lens, picked, tiers, values, list(map(len, group_lists)), group_ids


def _chosen_twice(picked: npt.NDArray[np.int32], lens: list[int]) -> bool:
    """Whether some applicant lists a batch twice: sort each applicant's row of choices
    (padded with distinct negatives) and look for equal neighbours."""
    width = max(lens)
    if width < 2:
        return False
    counts = np.array(lens)
    rows = -1 - np.tile(np.arange(width), (counts.size, 1))
    rows[np.arange(width) < counts[:, None]] = picked
    rows.sort(axis=1)
    return bool(np.any(rows[:, 1:] == rows[:, :-1]))


def read_one_by_one(
    applicants: list[Any], add: Any, batch_index: dict[str, int], group_index: dict[str, int]
) -> Columns:
    """Applicant by applicant, naming every problem found."""
    applicant_ids: list[str] = []
    seen: dict[str, int] = {}
    lens: list[int] = []
    choice_batch: list[int] = []
    choice_tier: list[int] = []
    scores: list[float] = []
    group_lens: list[int] = []
    app_group: list[int] = []
    for i, applicant in enumerate(applicants):
        # The fast path: a well-formed applicant costs a few dict lookups.
        if type(applicant) is dict and applicant.keys() <= APPLICANT_KEYS:
            aid = applicant.get("id")
            choices = applicant.get("choices")
            if id_ok(aid) and type(choices) is list and len(choices) <= MAX_CHOICES:
                try:
                    picked = [batch_index[c] for c in choices]
                except (KeyError, TypeError):
                    picked = None
                tiers = applicant.get("tiers", MISSING)
                score = applicant.get("score", 0)
                groups = applicant.get("groups", _NO_GROUPS)
                if (
                    picked is not None
                    and len(set(picked)) == len(picked)
                    and seen.setdefault(aid, i) == i
                    and (
                        tiers is MISSING
                        or (
                            type(tiers) is list
                            and len(tiers) == len(picked)
                            and all(map(_tier_ok, tiers))
                        )
                    )
                    and _score_ok(score)
                    and (groups is _NO_GROUPS or (type(groups) is list and all(map(id_ok, groups))))
                ):
                    applicant_ids.append(aid)
                    choice_batch += picked
                    choice_tier += [0] * len(picked) if tiers is MISSING else tiers
                    lens.append(len(picked))
                    scores.append(float(score))
                    for g in groups:
                        app_group.append(group_index.setdefault(g, len(group_index)))
                    group_lens.append(len(groups))
                    continue
        # Something is off: say exactly what.
        found: list[Issue] = []
        _explain_applicant(i, applicant, found.append, batch_index, seen)
        if not found:  # the two paths disagree: never drop an applicant silently
            found.append(Issue(f"applicants[{i}]", "(item)", "not a valid applicant"))
        for issue in found:
            add(issue)

    return applicant_ids, lens, choice_batch, choice_tier, scores, group_lens, app_group


def _tier_ok(value: object) -> bool:
    return type(value) is int and INT32_MIN <= value <= INT32_MAX


def _score_ok(value: object) -> bool:
    if type(value) is int:
        return -MAX_ABS_SCORE <= value <= MAX_ABS_SCORE
    return type(value) is float and math.isfinite(value) and abs(value) <= MAX_ABS_SCORE


def _explain_applicant(
    i: int,
    applicant: object,
    add: Any,
    batch_index: dict[str, int],
    seen: dict[str, int],
) -> None:
    """The slow path: find and report every problem of one applicant."""
    if type(applicant) is not dict:
        add(Issue(f"applicants[{i}]", "(item)", f"must be an object, got {show(applicant)}"))
        return
    aid = applicant.get("id", MISSING)
    if id_ok(aid):
        where = f'applicant "{aid}"'
        if seen.setdefault(aid, i) != i:
            add(Issue(where, "id", f"duplicate applicant id (also applicants[{seen[aid]}])"))
    else:
        where = f"applicants[{i}]"
        add(Issue(where, "id", f"must be a non-empty text, got {show(aid)}"))
    for key in applicant:
        if key not in APPLICANT_KEYS:
            add(Issue(where, str(key), "unknown field"))
    choices = applicant.get("choices", MISSING)
    if type(choices) is not list:
        add(Issue(where, "choices", f"must be a list of batch ids, got {show(choices)}"))
        choices = None
    else:
        if len(choices) > MAX_CHOICES:
            add(Issue(where, "choices", f"at most {MAX_CHOICES} choices, got {len(choices)}"))
        first: dict[str, int] = {}
        for k, c in enumerate(choices):
            if not id_ok(c):
                add(Issue(where, f"choices[{k}]", f"must be a batch id, got {show(c)}"))
            elif c not in batch_index:
                add(Issue(where, f"choices[{k}]", f'unknown batch "{c}"'))
            elif first.setdefault(c, k) != k:
                add(
                    Issue(
                        where,
                        f"choices[{k}]",
                        f'batch "{c}" chosen twice (also choices[{first[c]}])',
                    )
                )
    tiers = applicant.get("tiers", MISSING)
    if tiers is not MISSING:
        if type(tiers) is not list:
            add(Issue(where, "tiers", f"must be a list of integers, got {show(tiers)}"))
        else:
            if choices is not None and len(tiers) != len(choices):
                add(
                    Issue(
                        where,
                        "tiers",
                        f"has {len(tiers)} entries but there are {len(choices)} choices",
                    )
                )
            for k, t in enumerate(tiers):
                if not _tier_ok(t):
                    add(
                        Issue(
                            where,
                            f"tiers[{k}]",
                            f"must be an integer within 32 bits, got {show(t)}",
                        )
                    )
    score = applicant.get("score", 0)
    if not _score_ok(score):
        add(
            Issue(
                where, "score", f"must be a finite number of size at most 2**53, got {show(score)}"
            )
        )
    groups = applicant.get("groups", [])
    if type(groups) is not list:
        add(Issue(where, "groups", f"must be a list of group names, got {show(groups)}"))
    else:
        for k, g in enumerate(groups):
            if not id_ok(g):
                add(Issue(where, f"groups[{k}]", f"must be a non-empty text, got {show(g)}"))
