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
from typing import Any, TypeGuard

import numpy as np

from .lottery import lottery_prefixes
from .model import (
    FORMAT,
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

    applicant_ids: list[str] = []
    seen: dict[str, int] = {}
    choice_ptr = [0]
    choice_batch: list[int] = []
    choice_tier: list[int] = []
    scores: list[float] = []
    group_ptr = [0]
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
                    choice_ptr.append(len(choice_batch))
                    scores.append(float(score) + 0.0)  # + 0.0 turns -0.0 into 0.0
                    for g in groups:
                        app_group.append(group_index.setdefault(g, len(group_index)))
                    group_ptr.append(len(app_group))
                    continue
        # Something is off: say exactly what.
        before = len(issues)
        _explain_applicant(i, applicant, add, batch_index, seen)
        if len(issues) == before:  # the two paths disagree: never drop an applicant silently
            add(Issue(f"applicants[{i}]", "(item)", "not a valid applicant"))

    if issues:
        raise ProblemError(issues)
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
        score=np.array(scores, dtype=np.float64),
        lottery_prefix=lottery_prefixes(seed, applicant_ids),
        choice_ptr=np.array(choice_ptr, dtype=np.int64),
        choice_batch=np.array(choice_batch, dtype=np.int32),
        choice_tier=np.array(choice_tier, dtype=np.int32),
        group_ptr=np.array(group_ptr, dtype=np.int64),
        app_group=np.array(app_group, dtype=np.int32),
        input_sha256=input_sha256,
    )


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
