"""The choice rule of a batch, written the way the rules are published.

This is the definition the fast engines are tested against, and what `verify` and
`explain` use, so it favours being obviously right over being fast.

Given the applicants a batch could take, best first (tier, then score, then lottery):
  1. the best (capacity - reserved seats) of them take the open seats;
  2. each reservation, in the batch's order, takes the best remaining members of its
     group, up to its seats;
  3. seats still empty go to the best remaining applicants, whatever their group.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from .lottery import lottery_number
from .model import Problem, Reservation

SeatKind = Literal["open", "reserved", "leftover"]
PriorityKey = tuple[int, float, int, str]


@dataclass(frozen=True, slots=True)
class Seat:
    kind: SeatKind
    reservation: int | None = None  # index into the batch's reservations
    group: str | None = None


OPEN = Seat("open")
LEFTOVER = Seat("leftover")


def choose[T](
    candidates: Sequence[T],
    capacity: int,
    reservations: Sequence[Reservation],
    groups_of: Callable[[T], Collection[str]],
) -> dict[T, Seat]:
    """The chosen candidates and the seat each takes. `candidates` must be best first."""
    seats: dict[T, Seat] = {}
    n_open = capacity - sum(r.seats for r in reservations)
    for c in candidates[:n_open]:
        seats[c] = OPEN
    remaining = list(candidates[n_open:])
    for t, res in enumerate(reservations):
        members = [c for c in remaining if res.group in groups_of(c)][: res.seats]
        for c in members:
            seats[c] = Seat("reserved", t, res.group)
        remaining = [c for c in remaining if c not in seats]
    for c in remaining[: capacity - len(seats)]:
        seats[c] = LEFTOVER
    return seats


def priority_key(problem: Problem, applicant: int, batch: int) -> PriorityKey:
    """Sort key of an applicant at a batch that they chose: smaller is better."""
    lo, hi = int(problem.choice_ptr[applicant]), int(problem.choice_ptr[applicant + 1])
    chosen = problem.choice_batch[lo:hi].tolist()
    tier = int(problem.choice_tier[lo + chosen.index(batch)])
    aid = problem.applicant_ids[applicant]
    return (tier, -float(problem.score[applicant]), lottery_number(problem.seed, aid), aid)


def batch_choose(problem: Problem, batch: int, applicants: Collection[int]) -> dict[int, Seat]:
    """`choose` for a batch of the problem, over applicant indices who chose it."""
    ordered = sorted(applicants, key=lambda a: priority_key(problem, a, batch))
    return choose(
        ordered, int(problem.capacity[batch]), problem.reservations(batch), problem.groups
    )
