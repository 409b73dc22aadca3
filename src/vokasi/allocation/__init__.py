"""The allocation engine: who gets a seat, by rules published beforehand and a public
draw, reproducible by anyone. Pure Python and numpy (numba when available); nothing
here imports Django or any other part of vokasi. See docs/allocation.md.

The model
    Each applicant ranks up to 10 batches. Each batch orders the applicants who chose
    it by tier (lower first, given per applicant and choice), then score (higher
    first), then lottery number (SHA-256 of "{seed}:{applicant_id}", lower first). A
    batch of capacity q with reservations R_1..R_k (seats for groups, in order) chooses
    from a set of applicants: the best q - sum(R) take the open seats; then each
    reservation in order takes the best remaining members of its group; seats still
    empty go to the best remaining applicants. Seats are allocated by applicant-
    proposing deferred acceptance (Gale and Shapley 1962) with that choice rule.

What is guaranteed, and why (details, proof and references in docs/allocation.md)
    This choice rule is substitutable (adding applicants never makes a batch take back
    one it turned away) and chooses min(q, |set|) applicants, so the number chosen
    never falls as the set grows (the law of aggregate demand); both are proved in the
    docs. For such choice rules applicant-proposing deferred acceptance gives a stable
    result (no applicant wants a batch that would choose them from its holders plus
    them, nor one with a free seat) that is the best stable result for every applicant
    at once (Roth 1984; Hatfield and Milgrom 2005), and no applicant can gain by
    misreporting their ranking (Hatfield and Milgrom 2005; Roth 1982 and Dubins and
    Freedman 1981 for the case without reservations). That last guarantee needs tiers,
    scores and groups that do not depend on how the applicant ranks batches, and it
    covers applicants who want at most 10 batches.

Using it (the selection workflow builds the input from the database)
    data = encode_problem(seed=..., batches=[Batch(...)], applicants=[Applicant(...)])
    problem = load_problem(data)            # ProblemError(issues) if invalid
    result = solve(problem)                 # Result: arrays, with dict views
    published = encode_result(result)       # bytes; names sha256(data)
    result.assignment("REG-1"), result.assignments(), result.waiting_lists()
    failures = verify(problem, load_result(published))     # [] when all holds
    why = explain(problem, result.assignments(), "REG-1")  # data; render(why, "id")

    Publish `data` and `published`; anyone can then run
    `python -m vokasi.allocation verify input.json result.json`.
"""

from .choice import Seat, choose
from .explain import BatchExplanation, Explanation, SeatCutoff, Standing, explain, render
from .fileformat import ResultDoc, encode_problem, encode_result, load_problem, load_result
from .issues import Issue, ProblemError
from .lottery import lottery_hex, lottery_number
from .model import Applicant, Batch, Problem, Reservation, Result
from .solver import Engine, solve
from .validate import problem_from_dict
from .verify import Failure, verify

__all__ = [
    "Applicant",
    "Batch",
    "BatchExplanation",
    "Engine",
    "Explanation",
    "Failure",
    "Issue",
    "Problem",
    "ProblemError",
    "Reservation",
    "Result",
    "ResultDoc",
    "Seat",
    "SeatCutoff",
    "Standing",
    "choose",
    "encode_problem",
    "encode_result",
    "explain",
    "load_problem",
    "load_result",
    "lottery_hex",
    "lottery_number",
    "problem_from_dict",
    "render",
    "solve",
    "verify",
]
