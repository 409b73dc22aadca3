"""The guarantees of the allocation, checked on many small random problems against the
tests' own reading of the rules (instances.Rules), not against the engine's code."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.allocation.instances import Doc, Rules, documents, encode, problem_of
from vokasi.allocation import encode_result, load_problem, solve
from vokasi.allocation.reference import reference_solve

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def allocate(doc: Doc, engine: str = "auto") -> dict[str, str | None]:
    return solve(problem_of(doc), engine=engine).assignments()  # type: ignore[arg-type]


@FAST
@given(documents())
def test_capacity_reservations_and_stability_hold(doc: Doc) -> None:
    rules = Rules(doc)
    matching = allocate(doc)
    assert set(matching) == set(rules.applicants)
    for aid, bid in matching.items():
        assert bid is None or bid in rules.choices(aid)
    assert rules.blocking(matching) == []  # includes capacity, see Rules.blocking
    # The reservations, spelled out: a batch's holders are exactly its own choice from
    # them plus everyone who wanted it more than their result.
    for bid in rules.batches:
        holders = [a for a, b in matching.items() if b == bid]
        wanting = [a for a in rules.applicants if rules.prefers(a, bid, matching[a])]
        assert rules.chooses(bid, holders + wanting) == set(holders)


@SLOW
@given(documents(max_applicants=5, max_batches=3, max_choices=3))
def test_equals_the_applicant_optimal_stable_matching_by_brute_force(doc: Doc) -> None:
    rules = Rules(doc)
    stable = list(rules.stable_matchings())
    assert stable, "a stable matching always exists for these choice rules"
    best = {a: min(rules.rank(a, m[a]) for m in stable) for a in rules.applicants}
    optimal = [m for m in stable if all(rules.rank(a, m[a]) == best[a] for a in best)]
    assert len(optimal) == 1, "one stable matching is best for every applicant at once"
    assert allocate(doc) == optimal[0]


@FAST
@given(documents(max_applicants=10, max_batches=5))
def test_every_engine_gives_the_reference_answer(doc: Doc) -> None:
    problem = problem_of(doc)
    assigned, proposals = reference_solve(problem)
    for engine in ("numba", "numpy"):
        result = solve(problem, engine=engine)
        assert result.assigned.tolist() == assigned
        assert result.proposals == proposals
        assert result.waiting_lists() == solve(problem, engine="numpy").waiting_lists()


@FAST
@given(documents())
def test_waiting_lists_follow_their_definition(doc: Doc) -> None:
    rules = Rules(doc)
    result = solve(problem_of(doc))
    matching = result.assignments()
    for bid in rules.batches:
        wanting = [a for a in rules.applicants if rules.prefers(a, bid, matching[a])]
        assert result.waiting_list(bid) == sorted(wanting, key=lambda a: rules.key(a, bid))


@FAST
@given(documents(), st.randoms(use_true_random=False))
def test_order_of_applicants_and_batches_in_the_file_does_not_matter(
    doc: Doc, rnd: random.Random
) -> None:
    shuffled = {
        **doc,
        "applicants": rnd.sample(doc["applicants"], len(doc["applicants"])),
        "batches": rnd.sample(doc["batches"], len(doc["batches"])),
    }
    first, second = solve(problem_of(doc)), solve(problem_of(shuffled))
    assert first.assignments() == second.assignments()
    assert first.waiting_lists() == second.waiting_lists()
    # The result files differ at most in the line naming the input's hash.
    lines = [
        [
            line
            for line in encode_result(r).decode().splitlines()
            if not line.startswith('"input_sha256"')
        ]
        for r in (first, second)
    ]
    assert lines[0] == lines[1]


@FAST
@given(documents())
def test_same_input_same_bytes(doc: Doc) -> None:
    data = encode(doc)
    assert encode_result(solve(load_problem(data))) == encode_result(solve(load_problem(data)))


def _misreports(choices: list[str]) -> list[list[str]]:
    """Every ordered selection from the true list: truncations, permutations, drops."""
    return [list(p) for k in range(len(choices) + 1) for p in itertools.permutations(choices, k)]


@SLOW
@given(documents(max_applicants=5, max_batches=3, max_choices=3))
def test_nobody_gains_by_truncating_or_permuting_their_list(doc: Doc) -> None:
    rules = Rules(doc)
    truthful = allocate(doc)
    for index, applicant in enumerate(doc["applicants"]):
        aid = applicant["id"]
        tiers = dict(
            zip(
                applicant["choices"],
                applicant.get("tiers") or [0] * len(applicant["choices"]),
                strict=True,
            )
        )
        for report in _misreports(applicant["choices"]):
            lying = {**applicant, "choices": report, "tiers": [tiers[b] for b in report]}
            applicants = [*doc["applicants"]]
            applicants[index] = lying
            outcome = allocate({**doc, "applicants": applicants})[aid]
            # Judged by the true list: a batch not on it is worth nothing.
            assert rules.rank(aid, truthful[aid]) <= rules.rank(aid, outcome), (aid, report)


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_a_larger_random_problem_is_stable(engine: str) -> None:
    rnd = random.Random(7)
    batches = [
        {
            "id": f"B{b}",
            "capacity": rnd.randint(0, 6),
            "reserved": [{"group": "g", "seats": 1}] if b % 3 == 0 else [],
        }
        for b in range(30)
    ]
    for b in batches:
        b["capacity"] = max(b["capacity"], len(b["reserved"]))
    applicants = [
        {
            "id": f"A{a}",
            "choices": [f"B{c}" for c in rnd.sample(range(30), 4)],
            "tiers": [rnd.randint(0, 2) for _ in range(4)],
            "score": rnd.randint(0, 5),
            "groups": ["g"] if a % 4 == 0 else [],
        }
        for a in range(400)
    ]
    doc = {
        "format": "vokasi.allocation/1",
        "seed": "s",
        "batches": batches,
        "applicants": applicants,
    }
    matching = allocate(doc, engine)
    assert Rules(doc).blocking(matching) == []
