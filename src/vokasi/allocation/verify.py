"""Check a published result against its input, as anyone can.

Checks, each named in its failures: the input hash and seed; that every applicant has
exactly one entry and only a batch they chose; capacities; stability under each
batch's choice rule, which includes the reserved seats (nobody who ranked a batch
above their result would be chosen by it over someone it holds, or takes a free seat);
the waiting lists against their definition; the stats; and finally that solving the
input again gives the same assignments.

Stability is judged from the result alone, with the plain choice rule of `choice.py`,
not with the solver's code; the re-solve is a separate, last check.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from .choice import choose
from .fileformat import ResultDoc
from .lottery import lottery_rank
from .model import Problem
from .solver import Engine, solve

Check = Literal[
    "input_sha256",
    "seed",
    "assignments",
    "capacity",
    "stability",
    "reserves",
    "waiting_lists",
    "stats",
    "re-solve",
]
Key = tuple[int, float, int]


@dataclass(frozen=True, slots=True)
class Failure:
    check: Check
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def verify(problem: Problem, doc: ResultDoc, *, engine: Engine = "auto") -> list[Failure]:
    """Every way in which `doc` is not the result of `problem`; empty when it is."""
    out: list[Failure] = []
    if problem.input_sha256 is not None and doc.input_sha256 != problem.input_sha256:
        out.append(
            Failure(
                "input_sha256",
                f"the result names {doc.input_sha256!r}, but the "
                f"input file's SHA-256 is {problem.input_sha256}",
            )
        )
    if doc.seed != problem.seed:
        out.append(Failure("seed", f"the result has {doc.seed!r}, the input {problem.seed!r}"))
    ptr, batches = problem.choice_ptr.tolist(), problem.choice_batch.tolist()
    lists = [batches[ptr[a] : ptr[a + 1]] for a in range(problem.n_applicants)]
    given = _read_assignments(problem, doc.assignments, lists, out)
    if given is None:
        return out
    _check_capacity(problem, given, out)
    members, waiting = _members_and_waiting(problem, given, lists)
    keys = _Keys(problem, lists)
    _check_stability(problem, members, waiting, keys, out)
    _check_waiting_lists(problem, doc.waiting_lists, waiting, keys, out)
    _check_stats(problem, doc.stats, given, lists, out)
    result = solve(problem, engine=engine)
    ids = problem.applicant_ids
    for a, (have, want) in enumerate(zip(given, result.assigned.tolist(), strict=True)):
        if have != want:
            out.append(
                Failure(
                    "re-solve",
                    f"applicant {ids[a]!r}: the result says "
                    f"{_name(problem, have)}, solving the input gives "
                    f"{_name(problem, want)}",
                )
            )
    return out


def _name(problem: Problem, b: int) -> str:
    return "no seat" if b < 0 else repr(problem.batch_ids[b])


def _read_assignments(
    problem: Problem, raw: object, lists: list[list[int]], out: list[Failure]
) -> list[int] | None:
    """Batch index per applicant (-1: none) as the result states it, or None when the
    assignments are not even an object. Entries that make no sense count as -1 after
    being reported."""
    if not isinstance(raw, Mapping):
        out.append(Failure("assignments", "missing or not an object"))
        return None
    given = [-1] * problem.n_applicants
    seen = [False] * problem.n_applicants
    for aid, bid in raw.items():
        try:
            a = problem.applicant_index(aid)
        except KeyError:
            out.append(Failure("assignments", f"unknown applicant {aid!r}"))
            continue
        seen[a] = True
        if bid is None:
            continue
        if not isinstance(bid, str):
            out.append(Failure("assignments", f"applicant {aid!r}: {bid!r} is not a batch id"))
            continue
        try:
            b = problem.batch_index(bid)
        except KeyError:
            out.append(Failure("assignments", f"applicant {aid!r}: unknown batch {bid!r}"))
            continue
        if b not in lists[a]:
            out.append(
                Failure(
                    "assignments", f"applicant {aid!r} is given {bid!r}, which they did not choose"
                )
            )
            continue
        given[a] = b
    for a in range(problem.n_applicants):
        if not seen[a]:
            out.append(Failure("assignments", f"applicant {problem.applicant_ids[a]!r} is missing"))
    return given


def _check_capacity(problem: Problem, given: list[int], out: list[Failure]) -> None:
    counts = [0] * problem.n_batches
    for b in given:
        if b >= 0:
            counts[b] += 1
    for b, (count, cap) in enumerate(zip(counts, problem.capacity.tolist(), strict=True)):
        if count > cap:
            out.append(
                Failure(
                    "capacity",
                    f"batch {problem.batch_ids[b]!r} holds {count} applicants, capacity {cap}",
                )
            )


def _members_and_waiting(
    problem: Problem, given: list[int], lists: list[list[int]]
) -> tuple[list[list[int]], list[list[int]]]:
    """Per batch: who holds a seat, and who ranked it above their result (or has none)."""
    members: list[list[int]] = [[] for _ in range(problem.n_batches)]
    waiting: list[list[int]] = [[] for _ in range(problem.n_batches)]
    for a, choices in enumerate(lists):
        for b in choices:
            if b == given[a]:
                members[b].append(a)
                break
            waiting[b].append(a)
    return members, waiting


class _Keys:
    """Priority keys (tier, -score, lottery rank): smaller is better. The lottery rank
    comes from `lottery.lottery_rank`, the exact order of the 256-bit numbers."""

    def __init__(self, problem: Problem, lists: list[list[int]]) -> None:
        self.lists = lists
        ptr, tiers = problem.choice_ptr.tolist(), problem.choice_tier.tolist()
        self.tiers = [tiers[ptr[a] : ptr[a + 1]] for a in range(problem.n_applicants)]
        self.rank = lottery_rank(
            problem.seed, problem.applicant_ids, problem.lottery_prefix
        ).tolist()
        self.score = problem.score.tolist()

    def __call__(self, a: int, b: int) -> Key:
        return (self.tiers[a][self.lists[a].index(b)], -self.score[a], self.rank[a])

    def at(self, b: int) -> Callable[[int], Key]:
        """The sort key of batch b."""
        return lambda a: self(a, b)


def _check_stability(
    problem: Problem,
    members: list[list[int]],
    waiting: list[list[int]],
    keys: _Keys,
    out: list[Failure],
) -> None:
    ids = problem.applicant_ids
    for b in range(problem.n_batches):
        held = sorted(members[b], key=keys.at(b))
        q = int(problem.capacity[b])
        if len(held) > q:
            continue  # reported under capacity
        reservations = problem.reservations(b)
        n_open = q - sum(r.seats for r in reservations)
        held_keys = [keys(a, b) for a in held]
        for w in waiting[b]:
            if len(held) < q:
                out.append(
                    Failure(
                        "stability",
                        f"applicant {ids[w]!r} ranked batch "
                        f"{problem.batch_ids[b]!r} above their result "
                        f"and it has a free seat",
                    )
                )
                continue
            # The choice rule fills the open seats with the best n_open of held + w, and
            # decides the other seats among the rest alone: only that rest is re-chosen.
            at = bisect.bisect(held_keys, keys(w, b))
            everyone = [*held[:at], w, *held[at:]]
            rest = everyone[n_open:]
            if w not in rest:  # w takes an open seat; whoever it pushes down competes on
                chosen_rest = choose(rest, q - n_open, reservations, problem.groups)
                displaced = next(a for a in rest if a not in chosen_rest)
                seat_name = "an open seat"
            else:
                chosen_rest = choose(rest, q - n_open, reservations, problem.groups)
                if w not in chosen_rest:
                    continue
                seat = chosen_rest[w]
                displaced = next(a for a in rest if a not in chosen_rest)
                if seat.kind == "reserved":
                    out.append(
                        Failure(
                            "reserves",
                            f"applicant {ids[w]!r} ranked batch "
                            f"{problem.batch_ids[b]!r} above their result "
                            f"and would take its seat reserved for "
                            f"{seat.group!r} from {ids[displaced]!r}",
                        )
                    )
                    continue
                seat_name = "an open seat" if seat.kind == "open" else "a seat left over"
            out.append(
                Failure(
                    "stability",
                    f"applicant {ids[w]!r} ranked batch "
                    f"{problem.batch_ids[b]!r} above their result and "
                    f"would take {seat_name} from {ids[displaced]!r}",
                )
            )


def _check_waiting_lists(
    problem: Problem, raw: object, waiting: list[list[int]], keys: _Keys, out: list[Failure]
) -> None:
    if not isinstance(raw, Mapping):
        out.append(Failure("waiting_lists", "missing or not an object"))
        return
    ids = problem.applicant_ids
    for bid in raw:
        try:
            problem.batch_index(bid)
        except KeyError:
            out.append(Failure("waiting_lists", f"unknown batch {bid!r}"))
    for b, bid in enumerate(problem.batch_ids):
        if bid not in raw:
            out.append(Failure("waiting_lists", f"batch {bid!r} is missing"))
            continue
        found = raw[bid]
        expected = [ids[a] for a in sorted(waiting[b], key=keys.at(b))]
        if found == expected:
            continue
        if not isinstance(found, list):
            out.append(Failure("waiting_lists", f"batch {bid!r}: not a list"))
            continue
        at = next(
            (i for i, (x, y) in enumerate(zip(found, expected, strict=False)) if x != y),
            min(len(found), len(expected)),
        )
        have = repr(found[at]) if at < len(found) else "the end of the list"
        want = repr(expected[at]) if at < len(expected) else "the end of the list"
        out.append(
            Failure(
                "waiting_lists", f"batch {bid!r}: position {at + 1} should be {want}, found {have}"
            )
        )


def _check_stats(
    problem: Problem, raw: object, given: list[int], lists: list[list[int]], out: list[Failure]
) -> None:
    # Deferred acceptance proposes down each list to the final result: the count of
    # proposals follows from the assignments alone.
    proposals = 0
    for b, choices in zip(given, lists, strict=True):
        proposals += choices.index(b) + 1 if b >= 0 else len(choices)
    expected = {
        "applicants": problem.n_applicants,
        "assigned": sum(1 for b in given if b >= 0),
        "proposals": proposals,
    }
    if not isinstance(raw, Mapping):
        out.append(Failure("stats", "missing or not an object"))
        return
    for name, value in expected.items():
        if raw.get(name) != value:
            out.append(Failure("stats", f"{name} is {raw.get(name)!r}, should be {value}"))
    for name in raw:
        if name not in expected:
            out.append(Failure("stats", f"unknown field {name!r}"))
