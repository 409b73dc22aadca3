"""The choice rule by hand, its two properties the guarantees rest on, and textbook
examples with known answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.allocation.instances import documents, problem_of
from vokasi.allocation import Reservation, choose, solve
from vokasi.allocation.choice import Seat

GROUPS = {"a": {"g"}, "b": set(), "c": {"g", "h"}, "d": {"h"}, "e": set(), "f": {"g"}}


def seats(candidates: str, capacity: int, reserved: list[tuple[str, int]]) -> dict[str, str]:
    chosen = choose(
        list(candidates), capacity, [Reservation(g, s) for g, s in reserved], GROUPS.__getitem__
    )
    return {c: s.kind if s.group is None else f"{s.kind}:{s.group}" for c, s in chosen.items()}


def test_open_seats_are_filled_first_from_everyone() -> None:
    # a is in group g but is among the best: takes an open seat, not the reserved one.
    assert seats("abef", 3, [("g", 1)]) == {"a": "open", "b": "open", "f": "reserved:g"}


def test_reservations_take_the_best_remaining_members_in_order() -> None:
    assert seats("bedcaf", 3, [("g", 1), ("h", 1)]) == {
        "b": "open",
        "c": "reserved:g",
        "d": "reserved:h",
    }
    # c could fill either reservation; the first one in the batch's order gets it.
    assert seats("bec", 3, [("h", 1), ("g", 1)]) == {
        "b": "open",
        "c": "reserved:h",
        "e": "leftover",
    }


def test_unfilled_reserved_seats_go_to_the_best_remaining() -> None:
    assert seats("bed", 2, [("g", 1)]) == {"b": "open", "e": "leftover"}
    assert seats("be", 2, [("g", 2)]) == {"b": "leftover", "e": "leftover"}


def test_a_batch_takes_everyone_when_there_is_room() -> None:
    assert set(seats("ab", 5, [("h", 2)])) == {"a", "b"}
    assert seats("ab", 0, []) == {}


def test_seat_labels() -> None:
    assert Seat("reserved", 0, "g") == Seat("reserved", 0, "g")


@st.composite
def choice_cases(draw: st.DrawFn) -> tuple[list[str], int, list[Reservation], str]:
    pool = draw(st.permutations(list(GROUPS)))
    capacity = draw(st.integers(0, 5))
    reserved, left = [], capacity
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(0, left))
        left -= n
        reserved.append(Reservation(draw(st.sampled_from(["g", "h"])), n))
    return pool, capacity, reserved, draw(st.sampled_from(list(GROUPS)))


@settings(max_examples=300, deadline=None)
@given(choice_cases(), st.data())
def test_the_rule_is_substitutable_and_obeys_the_law_of_aggregate_demand(
    case: tuple[list[str], int, list[Reservation], str], data: st.DataObject
) -> None:
    """Adding a candidate never brings back one turned away (substitutes), and never
    lowers the number chosen (law of aggregate demand): what the guarantees need."""
    pool, capacity, reserved, _ = case
    subset = [c for c in pool if data.draw(st.booleans(), label=c)]
    extra = [c for c in pool if c not in subset]
    if not extra:
        return
    newcomer = data.draw(st.sampled_from(extra))
    bigger = [c for c in pool if c in subset or c == newcomer]  # keeps the pool's order
    small = choose(subset, capacity, reserved, GROUPS.__getitem__)
    large = choose(bigger, capacity, reserved, GROUPS.__getitem__)
    rejected = set(subset) - set(small)
    assert not rejected & set(large)
    assert len(large) >= len(small) == min(capacity, len(subset))


def _solve(doc: dict[str, object]) -> dict[str, str | None]:
    return solve(problem_of(doc)).assignments()  # type: ignore[arg-type]


def _doc(
    batches: list[dict[str, object]], applicants: list[dict[str, object]]
) -> dict[str, object]:
    return {
        "format": "vokasi.allocation/1",
        "seed": "x",
        "batches": batches,
        "applicants": applicants,
    }


def test_gale_shapley_1962_cyclic_example() -> None:
    """The 3x3 cyclic example of Gale and Shapley (1962): every man's first choice
    ranks him last, yet giving every man his first choice is stable, and it is what
    men-proposing deferred acceptance returns. Women are one-seat batches here, their
    rankings given as tiers."""
    men = {"a": "ABC", "b": "BCA", "c": "CAB"}
    women_order = {"A": "bca", "B": "cab", "C": "abc"}
    applicants = [
        {"id": m, "choices": list(prefs), "tiers": [women_order[w].index(m) for w in prefs]}
        for m, prefs in men.items()
    ]
    batches = [{"id": w, "capacity": 1} for w in women_order]
    assert _solve(_doc(batches, applicants)) == {"a": "A", "b": "B", "c": "C"}


def test_college_admissions_with_two_stable_matchings() -> None:
    """Two colleges, three students, two stable matchings (one best for the students,
    one for the colleges): student-proposing deferred acceptance returns the first."""
    # Colleges C1 (2 seats) and C2 (1 seat); students s1..s3.
    # s1: C2 > C1, s2: C1 > C2, s3: C1 > C2
    # C1 ranks s1 > s2 > s3; C2 ranks s2 > s3 > s1.
    # Student-optimal: s1 -> C2? C2 prefers s2 and s3 over s1, but they prefer C1,
    # and C1 has two seats for them: s2, s3 -> C1 and s1 -> C2.
    c1 = {"s1": 0, "s2": 1, "s3": 2}
    c2 = {"s2": 0, "s3": 1, "s1": 2}
    prefs = {"s1": ["C2", "C1"], "s2": ["C1", "C2"], "s3": ["C1", "C2"]}
    applicants = [
        {"id": s, "choices": p, "tiers": [(c1 if c == "C1" else c2)[s] for c in p]}
        for s, p in prefs.items()
    ]
    batches = [{"id": "C1", "capacity": 2}, {"id": "C2", "capacity": 1}]
    assert _solve(_doc(batches, applicants)) == {"s1": "C2", "s2": "C1", "s3": "C1"}


def test_a_reserved_seat_goes_to_the_best_member_not_the_best_overall() -> None:
    # 2 seats, 1 reserved for disabilitas. By score: x > y > z; only z is a member.
    applicants = [
        {"id": "x", "choices": ["LAS"], "score": 90},
        {"id": "y", "choices": ["LAS"], "score": 80},
        {"id": "z", "choices": ["LAS"], "score": 50, "groups": ["disabilitas"]},
    ]
    batches = [{"id": "LAS", "capacity": 2, "reserved": [{"group": "disabilitas", "seats": 1}]}]
    assert _solve(_doc(batches, applicants)) == {"x": "LAS", "y": None, "z": "LAS"}


def test_a_reserved_seat_nobody_in_the_group_wants_is_not_wasted() -> None:
    applicants = [
        {"id": "x", "choices": ["LAS"], "score": 90},
        {"id": "y", "choices": ["LAS"], "score": 80},
    ]
    batches = [{"id": "LAS", "capacity": 2, "reserved": [{"group": "disabilitas", "seats": 1}]}]
    assert _solve(_doc(batches, applicants)) == {"x": "LAS", "y": "LAS"}


def test_tier_beats_score_and_score_beats_the_lottery() -> None:
    applicants = [
        {"id": "local", "choices": ["B"], "tiers": [0], "score": 10},
        {"id": "outsider", "choices": ["B"], "tiers": [2], "score": 99},
    ]
    assert _solve(_doc([{"id": "B", "capacity": 1}], applicants))["local"] == "B"
    applicants = [
        {"id": "p", "choices": ["B"], "score": 5},
        {"id": "q", "choices": ["B"], "score": 6},
    ]
    assert _solve(_doc([{"id": "B", "capacity": 1}], applicants))["q"] == "B"


@settings(max_examples=50, deadline=None)
@given(documents(max_applicants=6, max_batches=3))
def test_a_batch_with_no_seats_takes_nobody(doc: dict[str, object]) -> None:
    for batch in doc["batches"]:  # type: ignore[attr-defined]
        batch["capacity"] = 0
        batch.pop("reserved", None)
    assert set(_solve(doc).values()) <= {None}
