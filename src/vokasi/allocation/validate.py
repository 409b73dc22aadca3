"""Check an input document and turn it into a `Problem`.

Every problem found is collected (not just the first), each naming the applicant or
batch and the field, so that whoever prepared the file can fix it in one go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .applicants import read_applicants, read_one_by_one
from .issues import MISSING, Issue, ProblemError, id_ok, is_int, show
from .lottery import lottery_prefixes
from .model import FORMAT, I64, INT32_MAX, MAX_RESERVATIONS, Problem

_TOP_KEYS = frozenset({"format", "seed", "batches", "applicants"})
_BATCH_KEYS = frozenset({"id", "capacity", "reserved"})
_RESERVATION_KEYS = frozenset({"group", "seats"})


def problem_from_dict(doc: object, *, input_sha256: str | None = None) -> Problem:
    """Validate a parsed input document (the JSON shape of `vokasi.allocation/1`)."""
    issues: list[Issue] = []
    add = issues.append
    if not isinstance(doc, Mapping):
        raise ProblemError([Issue("input", "(document)", "must be a JSON object")])
    for key in doc:
        if key not in _TOP_KEYS:
            add(Issue("input", str(key), "unknown field"))
    fmt = doc.get("format", MISSING)
    if fmt != FORMAT:
        add(Issue("input", "format", f'must be "{FORMAT}", got {show(fmt)}'))
    seed = doc.get("seed", MISSING)
    if not id_ok(seed):
        add(Issue("input", "seed", f"must be a non-empty text, got {show(seed)}"))
        seed = ""
    batches = doc.get("batches", MISSING)
    if type(batches) is not list:
        add(Issue("input", "batches", f"must be a list, got {show(batches)}"))
        batches = []
    applicants = doc.get("applicants", MISSING)
    if type(applicants) is not list:
        add(Issue("input", "applicants", f"must be a list, got {show(applicants)}"))
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

    if issues:  # already: read the applicants one by one, to report all problems
        columns = read_one_by_one(applicants, add, batch_index, group_index)
    else:
        columns = read_applicants(applicants, add, batch_index, group_index)
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


def _offsets(counts: list[int]) -> I64:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


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
        add(Issue(f"batches[{i}]", "(item)", f"must be an object, got {show(batch)}"))
        return
    bid = batch.get("id", MISSING)
    if id_ok(bid):
        where = f'batch "{bid}"'
        if bid in batch_index:
            add(Issue(where, "id", "duplicate batch id"))
    else:
        where = f"batches[{i}]"
        add(Issue(where, "id", f"must be a non-empty text, got {show(bid)}"))
    for key in batch:
        if key not in _BATCH_KEYS:
            add(Issue(where, str(key), "unknown field"))
    cap = batch.get("capacity", MISSING)
    cap_ok = is_int(cap) and 0 <= cap <= INT32_MAX
    if not cap_ok:
        add(Issue(where, "capacity", f"must be a non-negative integer, got {show(cap)}"))
    reserved = batch.get("reserved", [])
    total = 0
    if type(reserved) is not list:
        add(Issue(where, "reserved", f"must be a list, got {show(reserved)}"))
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
            add(Issue(where, field, f"must be an object, got {show(res)}"))
            continue
        for key in res:
            if key not in _RESERVATION_KEYS:
                add(Issue(where, f"{field}.{key}", "unknown field"))
        group = res.get("group", MISSING)
        seats = res.get("seats", MISSING)
        if not id_ok(group):
            add(Issue(where, f"{field}.group", f"must be a non-empty text, got {show(group)}"))
        if not (is_int(seats) and 0 <= seats <= INT32_MAX):
            add(
                Issue(where, f"{field}.seats", f"must be a non-negative integer, got {show(seats)}")
            )
            seats = 0
        total += seats
        if id_ok(group):
            res_group.append(group_index.setdefault(group, len(group_index)))
            res_seats.append(seats)
    if cap_ok and total > cap:
        add(Issue(where, "reserved", f"{total} seats reserved but capacity is {cap}"))
    if id_ok(bid) and bid not in batch_index:
        batch_index[bid] = len(batch_ids)
        batch_ids.append(bid)
        capacity.append(cap if cap_ok else 0)
