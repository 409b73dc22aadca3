"""verify catches a tampered result, naming the check; explain answers "why not me?"."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings

from tests.allocation.instances import Doc, documents, encode
from vokasi.allocation import (
    encode_result,
    explain,
    load_problem,
    load_result,
    render,
    solve,
    verify,
)


def published(doc: Doc) -> tuple[bytes, bytes]:
    data = encode(doc)
    return data, encode_result(solve(load_problem(data)))


def checks(data: bytes, result: dict[str, Any]) -> list[str]:
    failures = verify(load_problem(data), load_result(json.dumps(result).encode()))
    return [str(f) for f in failures]


@settings(max_examples=100, deadline=None)
@given(documents())
def test_an_honest_result_verifies(doc: Doc) -> None:
    data, result = published(doc)
    assert verify(load_problem(data), load_result(result)) == []


def city() -> Doc:
    """Three applicants for LAS (2 seats, 1 reserved for disabilitas) and OTO (1 seat)."""
    return {
        "format": "vokasi.allocation/1",
        "seed": "2025-07-30 Bontang",
        "batches": [
            {"id": "LAS", "capacity": 2, "reserved": [{"group": "disabilitas", "seats": 1}]},
            {"id": "OTO", "capacity": 1},
        ],
        "applicants": [
            {"id": "ani", "choices": ["LAS", "OTO"], "score": 90},
            {"id": "budi", "choices": ["LAS", "OTO"], "score": 80},
            {"id": "citra", "choices": ["LAS"], "score": 50, "groups": ["disabilitas"]},
            {"id": "dodi", "choices": ["OTO"], "tiers": [1], "score": 99},
        ],
    }


def test_the_city_example() -> None:
    _, result = published(city())
    assert json.loads(result)["assignments"] == {
        "ani": "LAS",
        "budi": "OTO",
        "citra": "LAS",
        "dodi": None,
    }


def test_a_swapped_seat_is_caught_by_reserves_stability_and_re_solve() -> None:
    data, result = published(city())
    doc = json.loads(result)
    doc["assignments"].update(budi="LAS", citra=None)  # the reserved seat to a non-member
    doc["assignments"]["dodi"] = "OTO"
    found = checks(data, doc)
    assert any(f.startswith("reserves: applicant 'citra'") for f in found), found
    assert any(f.startswith("re-solve: applicant 'budi'") for f in found), found
    assert any(f.startswith("waiting_lists: batch 'LAS'") for f in found), found
    assert any(f.startswith("stats: assigned") for f in found) is False  # still 3 assigned


def test_over_capacity_unknown_and_missing_entries() -> None:
    data, result = published(city())
    doc = json.loads(result)
    doc["assignments"]["dodi"] = "OTO"
    doc["assignments"]["eko"] = "LAS"
    del doc["assignments"]["ani"]
    doc["assignments"]["citra"] = "OTO"
    found = checks(data, doc)
    assert "capacity: batch 'OTO' holds 2 applicants, capacity 1" in found
    assert "assignments: unknown applicant 'eko'" in found
    assert "assignments: applicant 'ani' is missing" in found
    assert "assignments: applicant 'citra' is given 'OTO', which they did not choose" in found


def test_hash_seed_and_stats() -> None:
    data, result = published(city())
    doc = json.loads(result)
    doc["input_sha256"] = "0" * 64
    doc["seed"] = "another seed"
    doc["stats"]["proposals"] += 1
    found = [f.split(":")[0] for f in checks(data, doc)]
    assert {"input_sha256", "seed", "stats"} <= set(found)


def test_a_free_seat_left_is_a_stability_failure() -> None:
    data, result = published(city())
    doc = json.loads(result)
    doc["assignments"]["citra"] = None
    found = checks(data, doc)
    assert (
        "stability: applicant 'citra' ranked batch 'LAS' above their result and it has a free seat"
    ) in found


def test_explain_names_the_cutoff_and_the_reason() -> None:
    data, result = published(city())
    problem = load_problem(data)
    assignments = json.loads(result)["assignments"]
    why = explain(problem, assignments, "budi")
    assert why.result == "OTO" and why.result_choice_number == 2
    (las,) = why.batches
    assert las.batch_id == "LAS" and las.outcome == "below_cutoff"
    open_seat, reserved = las.seats
    assert open_seat.kind == "open" and open_seat.last is not None
    assert open_seat.last.score == 90 and open_seat.decided_by == "score"
    assert reserved.kind == "reserved" and reserved.group == "disabilitas"
    assert not reserved.eligible
    text = render(why)
    assert 'Kursi cadangan untuk "disabilitas"' in text
    assert "nilai Anda (80) di bawah nilai batas (90)" in text
    assert "your score (80) is below the cut-off score (90)" in render(why, "en")


def test_explain_tier_and_lottery_reasons() -> None:
    data, result = published(city())
    why = explain(load_problem(data), json.loads(result)["assignments"], "dodi")
    assert why.result is None
    (oto,) = why.batches
    assert oto.seats[0].decided_by == "tier"  # dodi's tier 1 comes after budi's tier 0
    doc = {
        "format": "vokasi.allocation/1",
        "seed": "s",
        "batches": [{"id": "B", "capacity": 1}],
        "applicants": [{"id": "x", "choices": ["B"]}, {"id": "y", "choices": ["B"]}],
    }
    data, result = published(doc)
    assignments = json.loads(result)["assignments"]
    loser = next(a for a, b in assignments.items() if b is None)
    why = explain(load_problem(data), assignments, loser)
    assert why.batches[0].seats[0].decided_by == "lottery"
    assert "nomor undian Anda lebih besar" in render(why)


def test_explain_first_choice_and_a_tampered_result() -> None:
    data, result = published(city())
    problem = load_problem(data)
    assignments = json.loads(result)["assignments"]
    assert explain(problem, assignments, "ani").batches == ()
    assignments["budi"] = None
    assignments["citra"] = None
    why = explain(problem, assignments, "citra")
    assert why.batches[0].outcome == "would_be_admitted"
    assert "PERHATIAN" in render(why)
