"""The published files: `vokasi.allocation/1` (input) and `vokasi.allocation-result/1`.

The result names the SHA-256 of the input file's exact bytes, so a result can only be
checked against the very file it was computed from. Results are written in a fixed
layout (applicants and batches sorted by id, one per line) so that solving the same
file twice gives byte-identical results, and so that two results diff line by line.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from json.encoder import encode_basestring
from typing import Any

import numpy as np

from .issues import Issue, ProblemError
from .model import FORMAT, RESULT_FORMAT, Applicant, Batch, Problem, Result
from .validate import problem_from_dict


def _parse(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise ProblemError(
            [
                Issue(
                    what,
                    "(document)",
                    f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                )
            ]
        ) from None
    except UnicodeDecodeError as exc:
        raise ProblemError(
            [Issue(what, "(document)", f"not UTF-8 text (byte {exc.start})")]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ProblemError([Issue(what, "(document)", f"malformed JSON: {exc}")]) from None


def load_problem(data: bytes) -> Problem:
    """Parse and validate the bytes of an input file. Raises ProblemError."""
    doc = _parse(data, "input")
    return problem_from_dict(doc, input_sha256=hashlib.sha256(data).hexdigest())


def encode_problem(
    *, seed: str, batches: Iterable[Batch], applicants: Iterable[Applicant]
) -> bytes:
    """An input file, one batch or applicant per line. Optional fields at their
    default are left out. Publish these bytes: results refer to their hash."""

    def batch(b: Batch) -> dict[str, Any]:
        out: dict[str, Any] = {"id": b.id, "capacity": b.capacity}
        if b.reserved:
            out["reserved"] = [{"group": r.group, "seats": r.seats} for r in b.reserved]
        return out

    def applicant(a: Applicant) -> dict[str, Any]:
        out: dict[str, Any] = {"id": a.id, "choices": list(a.choices)}
        if a.tiers is not None:
            out["tiers"] = list(a.tiers)
        if a.score:
            out["score"] = a.score
        if a.groups:
            out["groups"] = list(a.groups)
        return out

    def items(rows: Iterable[dict[str, Any]]) -> str:
        return ",\n".join(" " + json.dumps(r, ensure_ascii=False) for r in rows)

    text = (
        f'{{"format": "{FORMAT}",\n"seed": {json.dumps(seed, ensure_ascii=False)},\n'
        f'"batches": [\n{items(map(batch, batches))}\n],\n'
        f'"applicants": [\n{items(map(applicant, applicants))}\n]}}\n'
    )
    return text.encode()


def encode_result(result: Result) -> bytes:
    """The result file. The problem must have come from `load_problem` (for the hash)."""
    problem = result.problem
    if problem.input_sha256 is None:
        raise ValueError(
            "load the problem from the input file's bytes (load_problem), "
            "so that the result can name their hash"
        )
    # Every id is escaped once (in C), then only joined: at 200,000 applicants this
    # file is written in a fraction of the time json.dumps(indent=...) would take.
    ids = problem.applicant_ids
    quoted = list(map(encode_basestring, ids))
    batch_ids = problem.batch_ids
    batch_names = [*map(encode_basestring, batch_ids), "null"]  # index -1 -> null
    assigned = result.assigned.tolist()
    by_id = _id_order(ids)
    assignment_lines = ",\n".join([f" {quoted[a]}: {batch_names[assigned[a]]}" for a in by_id])
    ptr = result.waiting_ptr.tolist()
    # numpy gathers the (already escaped) ids of all waiting lists in one go.
    waiting = np.array(quoted, dtype=object)[result.waiting_app].tolist()
    waiting_lines = ",\n".join(
        [
            f" {batch_names[b]}: [{', '.join(waiting[ptr[b] : ptr[b + 1]])}]"
            for b in sorted(range(len(batch_ids)), key=batch_ids.__getitem__)
        ]
    )
    stats = json.dumps(result.stats())
    text = (
        f'{{"format": "{RESULT_FORMAT}",\n"seed": {encode_basestring(problem.seed)},\n'
        f'"input_sha256": "{problem.input_sha256}",\n"stats": {stats},\n'
        f'"assignments": {{\n{assignment_lines}\n}},\n'
        f'"waiting_lists": {{\n{waiting_lines}\n}}}}\n'
    )
    return text.encode()


def _id_order(ids: list[str]) -> Iterable[int]:
    """Indices in id order. Inputs exported from a database usually come sorted
    already, and checking that is four times cheaper than sorting."""
    if all(map(operator.le, ids, islice(ids, 1, None))):
        return range(len(ids))
    return sorted(range(len(ids)), key=ids.__getitem__)


@dataclass(frozen=True)
class ResultDoc:
    """A result file as read, before any checking beyond its format tag. Fields hold
    whatever the file holds; `verify` checks their shape and content."""

    seed: object
    input_sha256: object
    assignments: object
    waiting_lists: object
    stats: object


def load_result(data: bytes) -> ResultDoc:
    """Parse a result file. Raises ProblemError when it is not one at all."""
    doc = _parse(data, "result")
    if not isinstance(doc, dict):
        raise ProblemError([Issue("result", "(document)", "must be a JSON object")])
    if doc.get("format") != RESULT_FORMAT:
        raise ProblemError(
            [Issue("result", "format", f'must be "{RESULT_FORMAT}", got {doc.get("format")!r}')]
        )
    return ResultDoc(
        seed=doc.get("seed"),
        input_sha256=doc.get("input_sha256"),
        assignments=doc.get("assignments"),
        waiting_lists=doc.get("waiting_lists"),
        stats=doc.get("stats"),
    )
