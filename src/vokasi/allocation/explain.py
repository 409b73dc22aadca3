"""Why didn't I get in? For each batch an applicant ranked above their result: the
cut-off of every kind of seat they could have taken (the last admitted holder's tier,
score and lottery number), and what put them below it.

`explain` returns plain data for the web application to render in its own templates;
`render` turns it into text in Bahasa Indonesia (default) or English for the command
line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .choice import Seat, SeatKind, choose, priority_key
from .issues import Issue, ProblemError
from .lottery import lottery_hex
from .model import Problem

Criterion = Literal["tier", "score", "lottery"]
Outcome = Literal["below_cutoff", "no_seats", "would_be_admitted"]
Lang = Literal["id", "en"]


@dataclass(frozen=True, slots=True)
class Standing:
    """Where an applicant stands at a batch: lower tier first, then higher score, then
    lower lottery number (hex, as `sha256sum` prints it)."""

    tier: int
    score: float
    lottery: str


@dataclass(frozen=True, slots=True)
class SeatCutoff:
    kind: SeatKind
    group: str | None  # for reserved seats
    seats: int  # how many seats of this kind there are (leftover: how many were left)
    filled: int
    last: Standing | None  # the last admitted holder of this kind of seat
    eligible: bool  # could the applicant take this kind of seat at all?
    decided_by: Criterion | None  # what put the applicant below `last`


@dataclass(frozen=True, slots=True)
class BatchExplanation:
    batch_id: str
    choice_number: int  # 1 = first choice
    capacity: int
    you: Standing
    seats: tuple[SeatCutoff, ...]
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Explanation:
    applicant_id: str
    seed: str
    result: str | None
    result_choice_number: int | None
    batches: tuple[BatchExplanation, ...]


def explain(problem: Problem, assignments: object, applicant_id: str) -> Explanation:
    """`assignments`: the result's applicant id -> batch id (or None) mapping, as read
    from a result file. Raises ProblemError for an unknown applicant or bad mapping."""
    if not isinstance(assignments, Mapping):
        raise ProblemError([Issue("result", "assignments", "missing or not an object")])
    try:
        me = problem.applicant_index(applicant_id)
    except KeyError:
        raise ProblemError(
            [Issue(f'applicant "{applicant_id}"', "id", "not in the input")]
        ) from None
    members: dict[int, list[int]] = {}
    for aid, bid in assignments.items():
        try:
            a, b = problem.applicant_index(aid), problem.batch_index(bid)
        except (KeyError, TypeError):
            continue  # not an admission `verify` would accept; nothing to learn from it
        members.setdefault(b, []).append(a)
    choices = problem.choices(me)
    result_id = assignments.get(applicant_id)
    result = (
        choices.index(problem.batch_index(result_id))
        if (
            isinstance(result_id, str)
            and result_id in problem.batch_ids
            and problem.batch_index(result_id) in choices
        )
        else None
    )
    above = choices if result is None else choices[:result]
    return Explanation(
        applicant_id=applicant_id,
        seed=problem.seed,
        result=None if result is None else problem.batch_ids[choices[result]],
        result_choice_number=None if result is None else result + 1,
        batches=tuple(
            _batch(problem, me, b, k + 1, members.get(b, [])) for k, b in enumerate(above)
        ),
    )


def _standing(problem: Problem, a: int, b: int) -> Standing:
    tier, neg_score, _, aid = priority_key(problem, a, b)
    return Standing(tier, -neg_score, lottery_hex(problem.seed, aid))


def _batch(problem: Problem, me: int, b: int, number: int, held: list[int]) -> BatchExplanation:
    def key(a: int) -> tuple[int, float, int, str]:
        return priority_key(problem, a, b)

    capacity = int(problem.capacity[b])
    reservations = problem.reservations(b)
    ordered = sorted(held, key=key)
    seats = choose(ordered, capacity, reservations, problem.groups)
    with_me = choose(sorted([*held, me], key=key), capacity, reservations, problem.groups)
    mine = _standing(problem, me, b)
    my_groups = problem.groups(me)

    def cutoff(
        kind: SeatKind, count: int, holders: list[int], eligible: bool, group: str | None = None
    ) -> SeatCutoff:
        last = max(holders, key=key) if holders else None
        decided = _decided_by(key(me), key(last)) if last is not None and eligible else None
        return SeatCutoff(
            kind,
            group,
            count,
            len(holders),
            None if last is None else _standing(problem, last, b),
            eligible,
            decided,
        )

    def holders(match: Seat | SeatKind) -> list[int]:
        if isinstance(match, Seat):
            return [a for a, s in seats.items() if s == match]
        return [a for a, s in seats.items() if s.kind == match]

    reserved_total = sum(r.seats for r in reservations)
    parts: list[SeatCutoff] = []
    if capacity - reserved_total > 0:
        parts.append(cutoff("open", capacity - reserved_total, holders("open"), True))
    filled_reserved = 0
    for t, r in enumerate(reservations):
        who = holders(Seat("reserved", t, r.group))
        filled_reserved += len(who)
        parts.append(cutoff("reserved", r.seats, who, r.group in my_groups, r.group))
    leftover = reserved_total - filled_reserved
    if leftover > 0:
        parts.append(cutoff("leftover", leftover, holders("leftover"), True))
    if me in with_me:
        outcome: Outcome = "would_be_admitted"  # the result is not stable for this applicant
    elif capacity == 0:
        outcome = "no_seats"
    else:
        outcome = "below_cutoff"
    return BatchExplanation(problem.batch_ids[b], number, capacity, mine, tuple(parts), outcome)


def _decided_by(
    mine: tuple[int, float, int, str], last: tuple[int, float, int, str]
) -> Criterion | None:
    if mine <= last:
        return None  # not below this holder: it was another kind of seat that mattered
    if mine[0] != last[0]:
        return "tier"
    if mine[1] != last[1]:
        return "score"
    return "lottery"


# --- text ---------------------------------------------------------------------------

_TEXT: dict[str, dict[Lang, str]] = {
    "header": {
        "id": "Penjelasan hasil seleksi untuk {aid}",
        "en": "Why the allocation came out as it did for {aid}",
    },
    "draw": {
        "id": 'Nomor undian = SHA-256 dari teks "{seed}:<nomor pendaftaran>"; '
        "yang lebih kecil didahulukan.",
        "en": 'Lottery number = SHA-256 of the text "{seed}:<applicant id>"; lower goes first.',
    },
    "result": {
        "id": "Hasil: diterima di {batch} (pilihan ke-{n}).",
        "en": "Result: admitted to {batch} (choice {n}).",
    },
    "no_result": {"id": "Hasil: tidak mendapat kursi.", "en": "Result: no seat."},
    "first_choice": {
        "id": "Anda diterima di pilihan pertama; tidak ada yang perlu dijelaskan.",
        "en": "You got your first choice; there is nothing above it to explain.",
    },
    "batch": {
        "id": "Pilihan ke-{n}: {batch} (kuota {cap})",
        "en": "Choice {n}: {batch} (capacity {cap})",
    },
    "you": {"id": "  Anda: {standing}", "en": "  You: {standing}"},
    "standing": {
        "id": "tingkat {tier}, nilai {score}, nomor undian {lottery}",
        "en": "tier {tier}, score {score}, lottery number {lottery}",
    },
    "open": {"id": "Kursi umum ({seats} kursi)", "en": "Open seats ({seats})"},
    "reserved": {
        "id": 'Kursi cadangan untuk "{group}" ({seats} kursi)',
        "en": 'Seats reserved for "{group}" ({seats})',
    },
    "leftover": {
        "id": "Kursi cadangan yang tidak terisi kelompoknya ({seats} kursi)",
        "en": "Reserved seats their group left empty ({seats})",
    },
    "last": {"id": "    terakhir diterima: {standing}", "en": "    last admitted: {standing}"},
    "empty": {
        "id": "    tidak ada yang diterima di kursi ini",
        "en": "    nobody was admitted to these seats",
    },
    "not_member": {
        "id": "    Anda bukan anggota kelompok ini.",
        "en": "    You are not in this group.",
    },
    "tier": {
        "id": "    Anda di bawah batas: tingkat Anda ({mine}) dilayani setelah tingkat "
        "batas ({last}); tingkat yang lebih kecil didahulukan.",
        "en": "    You are below the cut-off: your tier ({mine}) is served after the "
        "cut-off tier ({last}); lower tiers go first.",
    },
    "score": {
        "id": "    Anda di bawah batas: tingkat sama, nilai Anda ({mine}) di bawah nilai "
        "batas ({last}).",
        "en": "    You are below the cut-off: same tier, and your score ({mine}) is "
        "below the cut-off score ({last}).",
    },
    "lottery": {
        "id": "    Anda di bawah batas: tingkat dan nilai sama, dan nomor undian Anda "
        "lebih besar (undian).",
        "en": "    You are below the cut-off: same tier and score, and your lottery "
        "number is higher (the draw).",
    },
    "no_seats": {"id": "  Angkatan ini tidak punya kursi.", "en": "  This batch has no seats."},
    "anomaly": {
        "id": "  PERHATIAN: menurut aturan, Anda seharusnya diterima di sini. Hasil ini "
        "tidak sesuai aturan; jalankan `verify`.",
        "en": "  WARNING: by the rules you would be admitted here. This result does "
        "not follow the rules; run `verify`.",
    },
}


def _t(name: str, lang: Lang, **values: object) -> str:
    return _TEXT[name][lang].format(**values)


def _number(x: float, lang: Lang) -> str:
    text = str(int(x)) if float(x).is_integer() else repr(float(x))
    return text.replace(".", ",") if lang == "id" else text


def _standing_text(s: Standing, lang: Lang) -> str:
    return _t("standing", lang, tier=s.tier, score=_number(s.score, lang), lottery=s.lottery)


def render(explanation: Explanation, lang: Lang = "id") -> str:
    """The explanation as text, one line per fact."""
    e = explanation
    lines = [_t("header", lang, aid=e.applicant_id), _t("draw", lang, seed=e.seed)]
    if e.result is None:
        lines.append(_t("no_result", lang))
    else:
        lines.append(_t("result", lang, batch=e.result, n=e.result_choice_number))
    if not e.batches:
        lines.append(_t("first_choice", lang))
    for be in e.batches:
        lines += [
            "",
            _t("batch", lang, n=be.choice_number, batch=be.batch_id, cap=be.capacity),
            _t("you", lang, standing=_standing_text(be.you, lang)),
        ]
        if be.outcome == "no_seats":
            lines.append(_t("no_seats", lang))
            continue
        if be.outcome == "would_be_admitted":
            lines.append(_t("anomaly", lang))
        for seat in be.seats:
            lines.append("  " + _t(seat.kind, lang, seats=seat.seats, group=seat.group))
            if not seat.eligible:
                lines.append(_t("not_member", lang))
                continue
            if seat.last is None:
                lines.append(_t("empty", lang))
                continue
            lines.append(_t("last", lang, standing=_standing_text(seat.last, lang)))
            if seat.decided_by == "tier":
                lines.append(_t("tier", lang, mine=be.you.tier, last=seat.last.tier))
            elif seat.decided_by == "score":
                lines.append(
                    _t(
                        "score",
                        lang,
                        mine=_number(be.you.score, lang),
                        last=_number(seat.last.score, lang),
                    )
                )
            elif seat.decided_by == "lottery":
                lines.append(_t("lottery", lang))
    return "\n".join(lines) + "\n"
