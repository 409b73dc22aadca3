"""The engines' less travelled paths give the reference answer too."""

from __future__ import annotations

import random

import pytest

from tests.allocation.instances import Doc, problem_of
from vokasi.allocation import engine_numba, solve
from vokasi.allocation.reference import reference_solve


def spread_out(seed: int) -> Doc:
    """Tiers far apart (so they are ranked, not offset), reservations, groups, and
    applicants with no choices at all."""
    rnd = random.Random(seed)
    batches = [
        {
            "id": f"B{b}",
            "capacity": rnd.randint(0, 4),
            "reserved": [
                {"group": g, "seats": 1} for g in rnd.sample(["g", "h"], rnd.randint(0, 2))
            ],
        }
        for b in range(8)
    ]
    for b in batches:
        b["capacity"] = max(b["capacity"], len(b["reserved"]))
    applicants = []
    for a in range(60):
        choices = rnd.sample(range(8), rnd.randint(0, 5))
        applicants.append(
            {
                "id": f"A{a}",
                "choices": [f"B{c}" for c in choices],
                "tiers": [rnd.choice([-(2**31), -7, 0, 1000, 2**31 - 1]) for _ in choices],
                "score": rnd.choice([0, 1.5, -3]),
                "groups": rnd.sample(["g", "h"], rnd.randint(0, 2)),
            }
        )
    return {
        "format": "vokasi.allocation/1",
        "seed": f"s{seed}",
        "batches": batches,
        "applicants": applicants,
    }


def answer(doc: Doc) -> tuple[list[int], int, dict[str, list[str]]]:
    problem = problem_of(doc)
    result = solve(problem, engine="numpy")
    assert (result.assigned.tolist(), result.proposals) == reference_solve(problem)
    return result.assigned.tolist(), result.proposals, result.waiting_lists()


@pytest.mark.parametrize("seed", range(5))
def test_wide_tiers(seed: int) -> None:
    doc = spread_out(seed)
    result = solve(problem_of(doc), engine="numba")
    assert (result.assigned.tolist(), result.proposals, result.waiting_lists()) == answer(doc)


@pytest.mark.parametrize("seed", range(3))
def test_waiting_lists_without_the_index_in_the_key(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_numba, "PACK_INDEX", False)
    doc = spread_out(seed)
    result = solve(problem_of(doc), engine="numba")
    assert result.waiting_lists() == answer(doc)[2]


def test_problems_too_wide_for_the_compiled_engine_go_to_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine_numba, "fits", lambda *args: False)
    doc = spread_out(9)
    result = solve(problem_of(doc), engine="numba")
    assert (result.assigned.tolist(), result.proposals, result.waiting_lists()) == answer(doc)


def test_fits() -> None:
    assert engine_numba.fits(10_000_000, 100_000, 3, 2)
    assert not engine_numba.fits(2**31, 2**31, 2**10, 8)


def test_empty_problems() -> None:
    for doc in (
        {"format": "vokasi.allocation/1", "seed": "s", "batches": [], "applicants": []},
        {
            "format": "vokasi.allocation/1",
            "seed": "s",
            "batches": [{"id": "B", "capacity": 0}],
            "applicants": [{"id": "A", "choices": []}],
        },
    ):
        for engine in ("numba", "numpy"):
            result = solve(problem_of(doc), engine=engine)  # type: ignore[arg-type]
            assert set(result.assignments().values()) <= {None}
            assert result.proposals == 0


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_a_huge_capacity_costs_nothing(engine: str) -> None:
    doc = {
        "format": "vokasi.allocation/1",
        "seed": "s",
        "batches": [
            {
                "id": "BIG",
                "capacity": 2**31 - 1,
                "reserved": [{"group": "g", "seats": 2**30}, {"group": "h", "seats": 2**29}],
            },
            {"id": "SMALL", "capacity": 1},
        ],
        "applicants": [
            {"id": f"A{i}", "choices": ["SMALL", "BIG"], "groups": ["g"] * (i % 2)}
            for i in range(5)
        ],
    }
    result = solve(problem_of(doc), engine=engine)  # type: ignore[arg-type]
    assert sorted(result.assignments().values()) == ["BIG"] * 4 + ["SMALL"]
