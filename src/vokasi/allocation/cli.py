"""python -m vokasi.allocation solve | verify | explain

Exit status: 0 all good; 1 verify found failures; 2 the input (or result) file cannot
be used, one line per problem on stderr; 3 an internal error (still one line, never a
traceback: a person reading this output is checking a public decision, not debugging).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from .explain import Lang, explain, render
from .fileformat import encode_result, load_problem, load_result
from .issues import Issue, ProblemError
from .model import Problem
from .solver import Engine, solve
from .verify import verify

# Below this many (applicant, choice) pairs the numpy engine finishes before numba has
# even been imported (~1 s on the reference machine), so "auto" does not import it.
COMPILED_FROM_PAIRS = 4_000_000
MAX_LINES_PER_CHECK = 20
MAX_PROBLEM_LINES = 1000


def _read(path: str, what: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise ProblemError([Issue(what, "(file)", f"cannot read {path}: {exc.strerror}")]) from None


def _engine(choice: str, problem: Problem) -> Engine:
    if choice != "auto":
        return cast(Engine, choice)
    return "auto" if problem.choice_batch.size >= COMPILED_FROM_PAIRS else "numpy"


def _solve(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    problem = load_problem(_read(args.input, "input"))
    result = solve(problem, engine=_engine(args.engine, problem))
    data = encode_result(result)
    try:
        if args.output == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ProblemError(
            [Issue("result", "(file)", f"cannot write {args.output}: {exc.strerror}")]
        ) from None
    stats = result.stats()
    print(
        f"{stats['applicants']} applicants, {stats['assigned']} assigned, "
        f"{stats['proposals']} proposals; result sha256 {hashlib.sha256(data).hexdigest()}; "
        f"{time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    problem = load_problem(_read(args.input, "input"))
    doc = load_result(_read(args.result, "result"))
    failures = verify(problem, doc, engine=_engine(args.engine, problem))
    if not failures:
        print("OK: the result is the allocation of this input, and it is stable.")
        return 0
    shown: dict[str, int] = {}
    for failure in failures:
        shown[failure.check] = shown.get(failure.check, 0) + 1
        if args.all or shown[failure.check] <= MAX_LINES_PER_CHECK:
            print(f"FAIL {failure}")
    for check, count in shown.items():
        if not args.all and count > MAX_LINES_PER_CHECK:
            print(f"FAIL {check}: ... and {count - MAX_LINES_PER_CHECK} more (--all lists them)")
    return 1


def _explain(args: argparse.Namespace) -> int:
    problem = load_problem(_read(args.input, "input"))
    doc = load_result(_read(args.result, "result"))
    if doc.input_sha256 != problem.input_sha256 or doc.seed != problem.seed:
        raise ProblemError(
            [Issue("result", "input_sha256", "this result was not computed from this input file")]
        )
    lang = cast(Lang, args.lang)
    print(render(explain(problem, doc.assignments, args.applicant_id), lang), end="")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vokasi.allocation",
        description="Seat allocation by deferred acceptance, reproducible by anyone.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    engines = ("auto", "numba", "numpy")

    p = commands.add_parser("solve", help="allocate seats; write the result file")
    p.add_argument("input", help="input file (vokasi.allocation/1), - for stdin")
    p.add_argument("-o", "--output", required=True, help="result file, - for stdout")
    p.add_argument("--engine", choices=engines, default="auto")
    p.set_defaults(run=_solve)

    p = commands.add_parser("verify", help="check a result file against its input")
    p.add_argument("input")
    p.add_argument("result")
    p.add_argument("--all", action="store_true", help="list every failure")
    p.add_argument("--engine", choices=engines, default="auto")
    p.set_defaults(run=_verify)

    p = commands.add_parser("explain", help="why an applicant got (or did not get) a seat")
    p.add_argument("input")
    p.add_argument("result")
    p.add_argument("applicant_id")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(run=_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A national file is millions of small objects that all live to the end: the cyclic
    # garbage collector would only rescan them, again and again, while json builds them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return cast(int, args.run(args))
    except ProblemError as exc:
        for issue in exc.issues[:MAX_PROBLEM_LINES]:
            print(issue, file=sys.stderr)
        if len(exc.issues) > MAX_PROBLEM_LINES:
            print(f"... and {len(exc.issues) - MAX_PROBLEM_LINES} more problems", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # see the module docstring: never a traceback
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    finally:
        if collecting:
            gc.enable()
