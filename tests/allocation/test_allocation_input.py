"""Reading input files: every problem reported, each naming the applicant or batch and
the field; and the public draw, exactly as published."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.allocation.instances import Doc, documents, encode, lottery, problem_of
from vokasi.allocation import (
    Applicant,
    Batch,
    ProblemError,
    Reservation,
    encode_problem,
    load_problem,
    lottery_hex,
    problem_from_dict,
    solve,
)
from vokasi.allocation import applicants as reading
from vokasi.allocation.prepare import applicant_order


def base() -> Doc:
    return {
        "format": "vokasi.allocation/1",
        "seed": "2025-07-30 Bontang",
        "batches": [
            {
                "id": "LAS-2025-1",
                "capacity": 16,
                "reserved": [{"group": "disabilitas", "seats": 1}],
            },
            {"id": "OTO-2025-1", "capacity": 2},
        ],
        "applicants": [
            {
                "id": "REG-000123",
                "choices": ["LAS-2025-1", "OTO-2025-1"],
                "tiers": [0, 2],
                "score": 71.5,
                "groups": ["disabilitas"],
            },
            {"id": "REG-000124", "choices": ["OTO-2025-1"]},
        ],
    }


def problems(doc: Any) -> list[str]:
    with pytest.raises(ProblemError) as caught:
        problem_of(doc)
    return [str(issue) for issue in caught.value.issues]


def test_the_issue_example_is_valid() -> None:
    problem = problem_of(base())
    assert problem.n_applicants == 2 and problem.n_batches == 2
    assert problem.reservations(0) == [Reservation("disabilitas", 1)]


def test_malformed_json() -> None:
    with pytest.raises(ProblemError) as caught:
        load_problem(b'{"format": "vokasi.allocation/1", "seed": ')
    assert str(caught.value).startswith("input: (document): malformed JSON at line 1 column")
    with pytest.raises(ProblemError, match="not UTF-8"):
        load_problem(b'{"seed": "\xff"}')


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(format="vokasi.allocation/2"),
            'input: format: must be "vokasi.allocation/1", got "vokasi.allocation/2"',
        ),
        (
            lambda d: d["applicants"][0]["choices"].append("NOPE"),
            'applicant "REG-000123": choices[2]: unknown batch "NOPE"',
        ),
        (
            lambda d: d["applicants"][1]["choices"].append("OTO-2025-1"),
            'applicant "REG-000124": choices[1]: batch "OTO-2025-1" chosen twice (also choices[0])',
        ),
        (
            lambda d: d["applicants"].append({"id": "REG-000124", "choices": []}),
            'applicant "REG-000124": id: duplicate applicant id (also applicants[1])',
        ),
        (
            lambda d: d["batches"].append({"id": "OTO-2025-1", "capacity": 1}),
            'batch "OTO-2025-1": id: duplicate batch id',
        ),
        (
            lambda d: d["applicants"][0].update(tiers=[0]),
            'applicant "REG-000123": tiers: has 1 entries but there are 2 choices',
        ),
        (
            lambda d: d["batches"][1].update(capacity=-1),
            'batch "OTO-2025-1": capacity: must be a non-negative integer, got -1',
        ),
        (
            lambda d: d["batches"][1].update(reserved=[{"group": "perempuan", "seats": 3}]),
            'batch "OTO-2025-1": reserved: 3 seats reserved but capacity is 2',
        ),
        (
            lambda d: d["applicants"][1].update(choices=[f"B{i}" for i in range(11)]),
            'applicant "REG-000124": choices: at most 10 choices, got 11',
        ),
        (
            lambda d: d["batches"][0].update(capacity="16"),
            'batch "LAS-2025-1": capacity: must be a non-negative integer, got "16"',
        ),
        (
            lambda d: d["applicants"][0].update(score="high"),
            'applicant "REG-000123": score: must be a finite number of size at most 2**53, '
            'got "high"',
        ),
        (
            lambda d: d["applicants"][0].update(score=float("nan")),
            'applicant "REG-000123": score: must be a finite number of size at most 2**53, got nan',
        ),
        (
            lambda d: d["applicants"][0].update(tiers=[0, True]),
            'applicant "REG-000123": tiers[1]: must be an integer within 32 bits, got true',
        ),
        (
            lambda d: d["applicants"][0].update(groups="disabilitas"),
            'applicant "REG-000123": groups: must be a list of group names, got "disabilitas"',
        ),
        (
            lambda d: d["applicants"][1].update(choices="OTO-2025-1"),
            'applicant "REG-000124": choices: must be a list of batch ids, got "OTO-2025-1"',
        ),
        (
            lambda d: d["applicants"][1].update(id=124),
            "applicants[1]: id: must be a non-empty text, got 124",
        ),
        (
            lambda d: d["applicants"][1].update(tier=[1]),
            'applicant "REG-000124": tier: unknown field',
        ),
        (
            lambda d: d["applicants"].append(["REG-9"]),
            "applicants[2]: (item): must be an object, got a list",
        ),
        (lambda d: d.pop("seed"), "input: seed: must be a non-empty text, got nothing"),
        (lambda d: d.update(applicants={}), "input: applicants: must be a list, got an object"),
        (
            lambda d: d["batches"][0]["reserved"][0].update(seats=-2),
            'batch "LAS-2025-1": reserved[0].seats: must be a non-negative integer, got -2',
        ),
        (
            lambda d: d["batches"][0]["reserved"].append({"seats": 1}),
            'batch "LAS-2025-1": reserved[1].group: must be a non-empty text, got nothing',
        ),
    ],
)
def test_each_problem_names_where_and_which_field(change: Any, expected: str) -> None:
    doc = base()
    change(doc)
    assert expected in problems(doc)


def test_every_problem_is_reported_not_just_the_first() -> None:
    doc = base()
    doc["batches"][1]["capacity"] = -5
    doc["applicants"][0]["choices"].append("X")
    doc["applicants"][1]["score"] = None
    assert len(problems(doc)) == 4  # capacity, unknown batch, tiers length, score


def test_not_an_object() -> None:
    assert problems([1, 2]) == ["input: (document): must be a JSON object"]


@st.composite
def broken(draw: st.DrawFn) -> Doc:
    doc = copy.deepcopy(draw(documents()))
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 12),
        st.floats(),
        st.text(max_size=3),
        st.lists(st.integers(0, 3), max_size=3),
        st.just(["B0", "B0"]),
        st.just({}),
    )
    if doc["applicants"]:
        target = draw(st.sampled_from(doc["applicants"]))
        field = draw(st.sampled_from(["id", "choices", "tiers", "score", "groups", "other"]))
        target[field] = draw(junk)
    return doc


def _read(doc: Doc, *, fast: bool) -> object:
    """The problem's arrays, or the list of problems found."""
    columns = reading.read_columns if fast else (lambda *args: None)
    with patch.object(reading, "read_columns", columns):
        try:
            problem = problem_from_dict(copy.deepcopy(doc))
        except ProblemError as exc:
            return [str(issue) for issue in exc.issues]
    return (
        problem.applicant_ids,
        problem.choice_ptr.tolist(),
        problem.choice_batch.tolist(),
        problem.choice_tier.tolist(),
        problem.score.tolist(),
        problem.groups(0) if problem.n_applicants else None,
    )


@settings(max_examples=300, deadline=None)
@given(st.one_of(broken(), documents()))
def test_the_fast_and_the_careful_reading_agree(doc: Doc) -> None:
    """Applicants are read column by column when all is well, one by one (naming each
    problem) otherwise; both readings must accept and reject the same documents."""
    fast, careful = _read(doc, fast=True), _read(doc, fast=False)
    assert fast == careful
    if isinstance(careful, list):
        assert all("not a valid applicant" not in issue for issue in careful)


def test_encode_problem_round_trips() -> None:
    data = encode_problem(
        seed="s",
        batches=[Batch("B1", 2, (Reservation("g", 1),)), Batch("B2", 1)],
        applicants=[
            Applicant("A1", ("B1", "B2"), tiers=(0, 1), score=3.5, groups=("g",)),
            Applicant("A2", ("B2",)),
        ],
    )
    problem = load_problem(data)
    assert problem.input_sha256 == hashlib.sha256(data).hexdigest()
    assert problem.choices(0) == [0, 1] and problem.tiers(0) == [0, 1]
    assert problem.groups(0) == {"g"} and problem.score.tolist() == [3.5, 0.0]
    assert json.loads(data)["applicants"][1] == {"id": "A2", "choices": ["B2"]}
    assert problem_from_dict(json.loads(data)).input_sha256 is None


# --- the draw ---------------------------------------------------------------------------


def test_lottery_number_is_sha256_of_seed_colon_id() -> None:
    # printf '%s' '2025-07-30 Bontang:REG-000123' | sha256sum
    expected = hashlib.sha256(b"2025-07-30 Bontang:REG-000123").hexdigest()
    assert lottery_hex("2025-07-30 Bontang", "REG-000123") == expected
    assert lottery_hex("séance", "Ñ") == hashlib.sha256("séance:Ñ".encode()).hexdigest()


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_ties_in_the_leading_bits_are_broken_by_the_full_number(engine: str) -> None:
    """The engines sort on the lottery's first 64 bits; force them all equal and the
    order must still be that of the full 256-bit numbers."""
    doc = {
        "format": "vokasi.allocation/1",
        "seed": "tie",
        "batches": [{"id": "B", "capacity": 5}],
        "applicants": [{"id": f"A{i}", "choices": ["B"], "score": i % 2} for i in range(40)],
    }
    problem = problem_of(doc)
    problem.lottery_prefix[:] = 12345  # as if every leading 64 bits collided
    expected = sorted(range(40), key=lambda a: (-(a % 2), lottery(doc["seed"], f"A{a}")))
    kernels = None
    if engine == "numba":
        from vokasi.allocation import engine_numba as kernels
    assert applicant_order(problem, kernels).tolist() == expected
    result = solve(problem, engine=engine)  # type: ignore[arg-type]
    assert result.waiting_list("B") == [f"A{a}" for a in expected[5:]]
    assert np.array_equal(result.assigned >= 0, np.isin(np.arange(40), expected[:5]))


@settings(max_examples=50, deadline=None)
@given(documents())
def test_load_is_deterministic(doc: Doc) -> None:
    a, b = load_problem(encode(doc)), load_problem(encode(doc))
    assert np.array_equal(a.lottery_prefix, b.lottery_prefix)
