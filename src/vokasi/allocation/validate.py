"""Check an input document and turn it into a `Problem`.

Every problem found is collected (not just the first), each naming the applicant or
batch and the field, so that whoever prepared the file can fix it in one go. The loop
over applicants is the hot path of the command line on a national file, hence the
plain, branchy code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeGuard

import numpy as np
import numpy.typing as npt

from .lottery import lottery_prefixes
from .model import (
    FORMAT,
    I64,
    INT32_MAX,
    INT32_MIN,
    MAX_ABS_SCORE,
    MAX_CHOICES,
    MAX_RESERVATIONS,
    Problem,
)

_TOP_KEYS = frozenset({"format", "seed", "batches", "applicants"})
_BATCH_KEYS = frozenset({"id", "capacity", "reserved"})
_RESERVATION_KEYS = frozenset({"group", "seats"})
_APPLICANT_KEYS = frozenset({"id", "choices", "tiers", "score", "groups"})
_MISSING: Any = object()
_NO_GROUPS: Any = ()


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input: `where` names the batch or applicant (or its position
    when it has no usable id), `field` the field inside it."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


class ProblemError(ValueError):
    """The input is not a valid allocation problem; `issues` lists every problem."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(map(str, issues)))


def _show(value: object) -> str:
    """A short rendering of a bad value for a message."""
    if value is _MISSING:
        return "nothing"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'"{text}"'
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _is_int(value: object) -> bool:
    return type(value) is int  # bool is an int subclass; JSON true is not a number


def _id_ok(value: object) -> TypeGuard[str]:
    return type(value) is str and value != ""


def problem_from_dict(doc: object, *, input_sha256: str | None = None) -> Problem:
    """Validate a parsed input document (the JSON shape of `vokasi.allocation/1`)."""
    issues: list[Issue] = []
    add = issues.append
    if not isinstance(doc, Mapping):
        raise ProblemError([Issue("input", "(document)", "must be a JSON object")])
    for key in doc:
        if key not in _TOP_KEYS:
            add(Issue("input", str(key), "unknown field"))
    fmt = doc.get("format", _MISSING)
    if fmt != FORMAT:
        add(Issue("input", "format", f'must be "{FORMAT}", got {_show(fmt)}'))
    seed = doc.get("seed", _MISSING)
    if not _id_ok(seed):
        add(Issue("input", "seed", f"must be a non-empty text, got {_show(seed)}"))
        seed = ""
    batches = doc.get("batches", _MISSING)
    if type(batches) is not list:
        add(Issue("input", "batches", f"must be a list, got {_show(batches)}"))
        batches = []
    applicants = doc.get("applicants", _MISSING)
    if type(applicants) is not list:
        add(Issue("input", "applicants", f"must be a list, got {_show(applicants)}"))
        applicants = []

    group_index: dict[str, int] = {}
    batch_index: dict[str, int] = {}
    batch_ids: list[str] = []
    capacity: list[int] = []
    res_ptr = [0]
    res_group: list[int] = []
    res_seats: list[int] = []
    for i, batch in enumerate(batches):
        _read_batch(
            i, batch, add, batch_index, group_index, batch_ids, capacity, res_group, res_seats
        )
        res_ptr.append(len(res_group))

    columns = None if issues else _columns(applicants, batch_index, group_index)
    if columns is None:
        columns = _careful(applicants, add, batch_index, group_index)
    if issues:
        raise ProblemError(issues)
    applicant_ids, lens, picked, tiers, scores, group_lens, groups = columns
    group_names = list(group_index)
    return Problem(
        seed=seed,
        batch_ids=batch_ids,
        capacity=np.array(capacity, dtype=np.int32),
        res_ptr=np.array(res_ptr, dtype=np.int64),
        res_group=np.array(res_group, dtype=np.int32),
        res_seats=np.array(res_seats, dtype=np.int32),
        group_names=group_names,
        applicant_ids=applicant_ids,
        score=np.asarray(scores, dtype=np.float64) + 0.0,  # + 0.0 turns -0.0 into 0.0
        lottery_prefix=lottery_prefixes(seed, applicant_ids),
        choice_ptr=_offsets(lens),
        choice_batch=np.asarray(picked, dtype=np.int32),
        choice_tier=np.asarray(tiers, dtype=np.int32),
        group_ptr=_offsets(group_lens),
        app_group=np.array(groups, dtype=np.int32),
        input_sha256=input_sha256,
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


def _offsets(counts: list[int]) -> I64:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _columns(
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
    z = _MISSING
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


def _careful(
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
        if type(applicant) is dict and applicant.keys() <= _APPLICANT_KEYS:
            aid = applicant.get("id")
            choices = applicant.get("choices")
            if _id_ok(aid) and type(choices) is list and len(choices) <= MAX_CHOICES:
                try:
                    picked = [batch_index[c] for c in choices]
                except (KeyError, TypeError):
                    picked = None
                tiers = applicant.get("tiers", _MISSING)
                score = applicant.get("score", 0)
                groups = applicant.get("groups", _NO_GROUPS)
                if (
                    picked is not None
                    and len(set(picked)) == len(picked)
                    and seen.setdefault(aid, i) == i
                    and (
                        tiers is _MISSING
                        or (
                            type(tiers) is list
                            and len(tiers) == len(picked)
                            and all(map(_tier_ok, tiers))
                        )
                    )
                    and _score_ok(score)
                    and (
                        groups is _NO_GROUPS or (type(groups) is list and all(map(_id_ok, groups)))
                    )
                ):
                    applicant_ids.append(aid)
                    choice_batch += picked
                    choice_tier += [0] * len(picked) if tiers is _MISSING else tiers
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


def _read_batch(
    i: int,
    batch: object,
    add: Any,
    batch_index: dict[str, int],
    group_index: dict[str, int],
    batch_ids: list[str],
    capacity: list[int],
    res_group: list[int],
    res_seats: list[int],
) -> None:
    if type(batch) is not dict:
        add(Issue(f"batches[{i}]", "(item)", f"must be an object, got {_show(batch)}"))
        return
    bid = batch.get("id", _MISSING)
    if _id_ok(bid):
        where = f'batch "{bid}"'
        if bid in batch_index:
            add(Issue(where, "id", "duplicate batch id"))
    else:
        where = f"batches[{i}]"
        add(Issue(where, "id", f"must be a non-empty text, got {_show(bid)}"))
    for key in batch:
        if key not in _BATCH_KEYS:
            add(Issue(where, str(key), "unknown field"))
    cap = batch.get("capacity", _MISSING)
    cap_ok = _is_int(cap) and 0 <= cap <= INT32_MAX
    if not cap_ok:
        add(Issue(where, "capacity", f"must be a non-negative integer, got {_show(cap)}"))
    reserved = batch.get("reserved", [])
    total = 0
    if type(reserved) is not list:
        add(Issue(where, "reserved", f"must be a list, got {_show(reserved)}"))
        reserved = []
    elif len(reserved) > MAX_RESERVATIONS:
        add(
            Issue(
                where, "reserved", f"at most {MAX_RESERVATIONS} reservations, got {len(reserved)}"
            )
        )
    for k, res in enumerate(reserved):
        field = f"reserved[{k}]"
        if type(res) is not dict:
            add(Issue(where, field, f"must be an object, got {_show(res)}"))
            continue
        for key in res:
            if key not in _RESERVATION_KEYS:
                add(Issue(where, f"{field}.{key}", "unknown field"))
        group = res.get("group", _MISSING)
        seats = res.get("seats", _MISSING)
        if not _id_ok(group):
            add(Issue(where, f"{field}.group", f"must be a non-empty text, got {_show(group)}"))
        if not (_is_int(seats) and 0 <= seats <= INT32_MAX):
            add(
                Issue(
                    where, f"{field}.seats", f"must be a non-negative integer, got {_show(seats)}"
                )
            )
            seats = 0
        total += seats
        if _id_ok(group):
            res_group.append(group_index.setdefault(group, len(group_index)))
            res_seats.append(seats)
    if cap_ok and total > cap:
        add(Issue(where, "reserved", f"{total} seats reserved but capacity is {cap}"))
    if _id_ok(bid) and bid not in batch_index:
        batch_index[bid] = len(batch_ids)
        batch_ids.append(bid)
        capacity.append(cap if cap_ok else 0)


def _explain_applicant(
    i: int,
    applicant: object,
    add: Any,
    batch_index: dict[str, int],
    seen: dict[str, int],
) -> None:
    """The slow path: find and report every problem of one applicant."""
    if type(applicant) is not dict:
        add(Issue(f"applicants[{i}]", "(item)", f"must be an object, got {_show(applicant)}"))
        return
    aid = applicant.get("id", _MISSING)
    if _id_ok(aid):
        where = f'applicant "{aid}"'
        if seen.setdefault(aid, i) != i:
            add(Issue(where, "id", f"duplicate applicant id (also applicants[{seen[aid]}])"))
    else:
        where = f"applicants[{i}]"
        add(Issue(where, "id", f"must be a non-empty text, got {_show(aid)}"))
    for key in applicant:
        if key not in _APPLICANT_KEYS:
            add(Issue(where, str(key), "unknown field"))
    choices = applicant.get("choices", _MISSING)
    if type(choices) is not list:
        add(Issue(where, "choices", f"must be a list of batch ids, got {_show(choices)}"))
        choices = None
    else:
        if len(choices) > MAX_CHOICES:
            add(Issue(where, "choices", f"at most {MAX_CHOICES} choices, got {len(choices)}"))
        first: dict[str, int] = {}
        for k, c in enumerate(choices):
            if not _id_ok(c):
                add(Issue(where, f"choices[{k}]", f"must be a batch id, got {_show(c)}"))
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
    tiers = applicant.get("tiers", _MISSING)
    if tiers is not _MISSING:
        if type(tiers) is not list:
            add(Issue(where, "tiers", f"must be a list of integers, got {_show(tiers)}"))
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
                            f"must be an integer within 32 bits, got {_show(t)}",
                        )
                    )
    score = applicant.get("score", 0)
    if not _score_ok(score):
        add(
            Issue(
                where, "score", f"must be a finite number of size at most 2**53, got {_show(score)}"
            )
        )
    groups = applicant.get("groups", [])
    if type(groups) is not list:
        add(Issue(where, "groups", f"must be a list of group names, got {_show(groups)}"))
    else:
        for k, g in enumerate(groups):
            if not _id_ok(g):
                add(Issue(where, f"groups[{k}]", f"must be a non-empty text, got {_show(g)}"))
