"""The data the engine works on: plain specs in, a validated array form inside.

`Batch`, `Reservation` and `Applicant` are what a caller (the Django selection workflow,
a test) writes; `Problem` is the validated, array-backed form the solver reads. Arrays
are int32 wherever the value fits, because the national wave (10M applicants, ~40M
choices) has to fit in memory next to everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FORMAT = "vokasi.allocation/1"
RESULT_FORMAT = "vokasi.allocation-result/1"
MAX_CHOICES = 10
# Each (applicant, batch) pair carries its reservation memberships as bits of a uint64.
MAX_RESERVATIONS = 64
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
# Scores are compared as float64; beyond 2**53 integers stop being exact.
MAX_ABS_SCORE = 2**53

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Reservation:
    """`seats` of a batch held for members of `group`, filled after the open seats."""

    group: str
    seats: int


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    capacity: int
    reserved: tuple[Reservation, ...] = ()


@dataclass(frozen=True, slots=True)
class Applicant:
    """One applicant. `tiers[k]` is the tier at `choices[k]` (lower is served first)."""

    id: str
    choices: tuple[str, ...]
    tiers: tuple[int, ...] | None = None  # None means tier 0 everywhere
    score: float = 0
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Problem:
    """A validated allocation problem in array form. Build it with `load_problem`,
    `problem_from_dict` or `build_problem`; never construct it by hand.

    Applicants and batches keep the order of the input; the solver's answer does not
    depend on that order.
    """

    seed: str
    batch_ids: list[str]
    capacity: I32  # per batch
    # Reservations of batch b are res_group[res_ptr[b]:res_ptr[b+1]] (indices into
    # group_names) with the matching res_seats, in the batch's own order.
    res_ptr: I64
    res_group: I32
    res_seats: I32
    group_names: list[str]
    applicant_ids: list[str]
    score: F64  # per applicant
    # The first 8 bytes of each applicant's lottery digest, big-endian. Exact ties on
    # these 64 bits are broken on the full digest by `lottery.lottery_rank`.
    lottery_prefix: U64
    # Choices of applicant a are choice_batch[choice_ptr[a]:choice_ptr[a+1]], best first.
    choice_ptr: I64
    choice_batch: I32
    choice_tier: I32
    # Groups of applicant a are app_group[group_ptr[a]:group_ptr[a+1]].
    group_ptr: I64
    app_group: I32
    input_sha256: str | None = None  # of the file's bytes, when loaded from a file
    _batch_index: dict[str, int] = field(default_factory=dict, repr=False)
    _applicant_index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def n_applicants(self) -> int:
        return len(self.applicant_ids)

    @property
    def n_batches(self) -> int:
        return len(self.batch_ids)

    def batch_index(self, batch_id: str) -> int:
        """Position of a batch in the input; KeyError if unknown."""
        if not self._batch_index:
            self._batch_index.update((b, i) for i, b in enumerate(self.batch_ids))
        return self._batch_index[batch_id]

    def applicant_index(self, applicant_id: str) -> int:
        """Position of an applicant in the input; KeyError if unknown."""
        if not self._applicant_index:
            self._applicant_index.update((a, i) for i, a in enumerate(self.applicant_ids))
        return self._applicant_index[applicant_id]

    def reservations(self, b: int) -> list[Reservation]:
        lo, hi = int(self.res_ptr[b]), int(self.res_ptr[b + 1])
        return [
            Reservation(self.group_names[int(g)], int(s))
            for g, s in zip(self.res_group[lo:hi], self.res_seats[lo:hi], strict=True)
        ]

    def choices(self, a: int) -> list[int]:
        lo, hi = int(self.choice_ptr[a]), int(self.choice_ptr[a + 1])
        return [int(b) for b in self.choice_batch[lo:hi]]

    def tiers(self, a: int) -> list[int]:
        lo, hi = int(self.choice_ptr[a]), int(self.choice_ptr[a + 1])
        return [int(t) for t in self.choice_tier[lo:hi]]

    def groups(self, a: int) -> set[str]:
        lo, hi = int(self.group_ptr[a]), int(self.group_ptr[a + 1])
        return {self.group_names[int(g)] for g in self.app_group[lo:hi]}


@dataclass(frozen=True, eq=False)
class Result:
    """The allocation, kept as arrays; the dict views are built on demand because at
    national scale (10M applicants) Python dicts cost more than the solve itself."""

    problem: Problem
    assigned: I32  # batch index per applicant, -1 when unassigned
    # Waiting list of batch b: applicant indices waiting_app[waiting_ptr[b]:waiting_ptr[b+1]],
    # in the batch's order.
    waiting_ptr: I64
    waiting_app: I32
    proposals: int

    @property
    def n_assigned(self) -> int:
        return int(np.count_nonzero(self.assigned >= 0))

    def stats(self) -> dict[str, int]:
        return {
            "applicants": self.problem.n_applicants,
            "assigned": self.n_assigned,
            "proposals": self.proposals,
        }

    def assignment(self, applicant_id: str) -> str | None:
        b = int(self.assigned[self.problem.applicant_index(applicant_id)])
        return None if b < 0 else self.problem.batch_ids[b]

    def assignments(self) -> dict[str, str | None]:
        """Applicant id -> batch id (None when unassigned), in input order."""
        names: list[str | None] = [*self.problem.batch_ids, None]
        # Index -1 picks the trailing None.
        return dict(
            zip(
                self.problem.applicant_ids,
                map(names.__getitem__, self.assigned.tolist()),
                strict=True,
            )
        )

    def waiting_list(self, batch_id: str) -> list[str]:
        b = self.problem.batch_index(batch_id)
        ids = self.problem.applicant_ids
        lo, hi = int(self.waiting_ptr[b]), int(self.waiting_ptr[b + 1])
        return [ids[a] for a in self.waiting_app[lo:hi].tolist()]

    def waiting_lists(self) -> dict[str, list[str]]:
        """Batch id -> waiting applicant ids in the batch's order, in input order."""
        ids = self.problem.applicant_ids
        apps = [ids[a] for a in self.waiting_app.tolist()]
        ptr = self.waiting_ptr.tolist()
        return {b: apps[ptr[i] : ptr[i + 1]] for i, b in enumerate(self.problem.batch_ids)}
