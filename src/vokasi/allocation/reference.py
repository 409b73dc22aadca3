"""Deferred acceptance in a few lines of plain Python, for audits and tests.

It is slow (every proposal re-runs the batch's whole choice rule) and meant to be read:
the fast engines must give exactly its answer.
"""

from __future__ import annotations

from .choice import batch_choose
from .model import Problem


def reference_solve(problem: Problem) -> tuple[list[int], int]:
    """(batch index or -1 for every applicant, number of proposals)."""
    n = problem.n_applicants
    choices = [problem.choices(a) for a in range(n)]
    next_choice = [0] * n
    held: list[set[int]] = [set() for _ in range(problem.n_batches)]
    free = list(range(n))
    proposals = 0
    while free:
        a = free.pop()
        if next_choice[a] == len(choices[a]):
            continue  # rejected everywhere they applied
        b = choices[a][next_choice[a]]
        proposals += 1
        candidates = held[b] | {a}
        held[b] = set(batch_choose(problem, b, candidates))
        for out in candidates - held[b]:
            next_choice[out] += 1
            free.append(out)
    assigned = [-1] * n
    for b, members in enumerate(held):
        for a in members:
            assigned[a] = b
    return assigned, proposals
