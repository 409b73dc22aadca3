"""Small allocation problems for the tests, and the test's own (independent) rules.

Everything here is written without looking at the engine: its own choice rule, its own
stability check, its own brute force. When the engine and this file agree, two separate
readings of the published rules agree.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import strategies as st

from vokasi.allocation import Problem, load_problem

GROUPS = ("disabilitas", "perempuan", "lapas")
Doc = dict[str, Any]


@st.composite
def documents(
    draw: st.DrawFn,
    *,
    max_applicants: int = 8,
    max_batches: int = 4,
    max_choices: int = 4,
    reservations: bool = True,
    min_capacity: int = 0,
) -> Doc:
    """A valid input document. Small numbers of tiers and scores so that ties (and so
    the lottery) decide often."""
    n_batches = draw(st.integers(1, max_batches))
    batches = []
    for b in range(n_batches):
        capacity = draw(st.integers(min_capacity, 3))
        batch: Doc = {"id": f"B{b}", "capacity": capacity}
        if reservations and draw(st.booleans()):
            reserved = []
            left = capacity
            for _ in range(draw(st.integers(0, 3))):
                seats = draw(st.integers(0, left))
                left -= seats
                reserved.append({"group": draw(st.sampled_from(GROUPS)), "seats": seats})
            batch["reserved"] = reserved
        batches.append(batch)
    applicants = []
    for a in range(draw(st.integers(0, max_applicants))):
        choices = draw(
            st.lists(
                st.integers(0, n_batches - 1), unique=True, max_size=min(max_choices, n_batches)
            )
        )
        applicant: Doc = {"id": f"A{a}", "choices": [f"B{c}" for c in choices]}
        if draw(st.booleans()):
            applicant["tiers"] = [draw(st.integers(0, 2)) for _ in choices]
        if draw(st.booleans()):
            applicant["score"] = draw(st.sampled_from([0, 1, 2, 2.5, -1]))
        if reservations and draw(st.booleans()):
            applicant["groups"] = draw(st.lists(st.sampled_from(GROUPS), unique=True, max_size=2))
        applicants.append(applicant)
    seed = draw(st.text(min_size=1, max_size=8))
    return {
        "format": "vokasi.allocation/1",
        "seed": seed,
        "batches": batches,
        "applicants": applicants,
    }


def encode(doc: Doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


def problem_of(doc: Doc) -> Problem:
    return load_problem(encode(doc))


# --- the rules, read independently ---------------------------------------------------


def lottery(seed: str, applicant_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{applicant_id}".encode()).digest(), "big")


class Rules:
    """The published rules over an input document, in plain Python."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.batches = {b["id"]: b for b in doc["batches"]}
        self.applicants = {a["id"]: a for a in doc["applicants"]}

    def choices(self, aid: str) -> list[str]:
        return list(self.applicants[aid]["choices"])

    def key(self, aid: str, bid: str) -> tuple[int, float, int]:
        a = self.applicants[aid]
        tiers = a.get("tiers") or [0] * len(a["choices"])
        tier = tiers[a["choices"].index(bid)]
        return (tier, -a.get("score", 0), lottery(self.doc["seed"], aid))

    def groups(self, aid: str) -> set[str]:
        return set(self.applicants[aid].get("groups", []))

    def chooses(self, bid: str, candidates: Sequence[str]) -> set[str]:
        """The batch's choice from `candidates`, seat by seat: every open seat takes the
        best candidate left, every reserved seat the best member of its group left,
        then every seat still empty the best candidate left."""
        batch = self.batches[bid]
        left = sorted(candidates, key=lambda a: self.key(a, bid))
        reserved = batch.get("reserved", [])
        chosen: set[str] = set()
        empty = 0
        for _ in range(batch["capacity"] - sum(r["seats"] for r in reserved)):
            if left:
                chosen.add(left.pop(0))
        for r in reserved:
            for _ in range(r["seats"]):
                member = next((a for a in left if r["group"] in self.groups(a)), None)
                if member is None:
                    empty += 1
                else:
                    left.remove(member)
                    chosen.add(member)
        for _ in range(empty):
            if left:
                chosen.add(left.pop(0))
        return chosen

    def prefers(self, aid: str, bid: str, over: str | None) -> bool:
        choices = self.choices(aid)
        return bid in choices and (over is None or choices.index(bid) < choices.index(over))

    def blocking(self, matching: dict[str, str | None]) -> list[tuple[str, str]]:
        """(applicant, batch) pairs where the applicant wants the batch more than their
        result and the batch would choose them from its holders plus them. Also every
        batch over its capacity, as ("", batch)."""
        holders: dict[str, list[str]] = {b: [] for b in self.batches}
        for aid, bid in matching.items():
            if bid is not None:
                holders[bid].append(aid)
        out = [("", b) for b, h in holders.items() if len(h) > self.batches[b]["capacity"]]
        for aid in self.applicants:
            for bid in self.choices(aid):
                if not self.prefers(aid, bid, matching[aid]):
                    break
                if aid in self.chooses(bid, [*holders[bid], aid]):
                    out.append((aid, bid))
        return out

    def stable_matchings(self) -> Iterator[dict[str, str | None]]:
        ids = list(self.applicants)
        options = [[None, *self.choices(a)] for a in ids]
        for combo in itertools.product(*options):
            matching = dict(zip(ids, combo, strict=True))
            if not self.blocking(matching):
                yield matching

    def rank(self, aid: str, bid: str | None) -> int:
        choices = self.choices(aid)
        return len(choices) if bid is None else choices.index(bid)
