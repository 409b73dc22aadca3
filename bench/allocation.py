"""Benchmark of the allocation engine. Prints markdown tables; not part of the tests.

    .venv/bin/python bench/allocation.py                 # N = 1k ... 10M, matching, CLI
    .venv/bin/python bench/allocation.py --max-n 100000  # stop early

Instances: N applicants, N/100 batches, 3-5 choices each drawn by Zipf popularity
(batch k chosen with weight 1/k), capacities 10-50 (about 30 % of N in total), tiers
0/1/2 per choice, integer scores 0-100 (so many ties, decided by the lottery), 5 % of
applicants in group "disabilitas" and 30 % in "perempuan", and 20 % of batches reserving
1 seat for the first and 2 for the second.

Each N runs in a fresh process: the instance is built, solved once to warm up (numba
loads its cached machine code), then solved --repeat times; the table shows the median.
Peak memory is the process's peak resident set (VmHWM) during those solves, problem
included; the high-water mark is reset just before them (Linux /proc/self/clear_refs).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numba
import numpy as np

from vokasi.allocation import Applicant, Batch, encode_problem, solve
from vokasi.allocation.choice import priority_key
from vokasi.allocation.lottery import lottery_prefixes
from vokasi.allocation.model import Problem

SIZES = [1_000, 10_000, 100_000, 1_000_000, 10_000_000]


@numba.njit(cache=True)
def _draw_choices(n, cdf, seed):  # type: ignore[no-untyped-def]
    """3-5 distinct batches per applicant, each drawn with probability from `cdf`."""
    np.random.seed(seed)
    lens = np.empty(n, dtype=np.int64)
    out = np.empty(n * 5, dtype=np.int32)
    m = 0
    for a in range(n):
        k = 3 + np.random.randint(0, 3)
        lens[a] = k
        start = m
        while m - start < k:
            b = np.int32(np.searchsorted(cdf, np.random.random(), side="right"))
            dup = False
            for j in range(start, m):
                if out[j] == b:
                    dup = True
            if not dup:
                out[m] = b
                m += 1
    return lens, out[:m].copy()


def make_problem(n: int, *, seed: int = 1, reservations: bool = True) -> Problem:
    """The instance of size n, straight into array form (a 10M-applicant JSON file
    would take minutes to write and is not what is being measured here)."""
    rng = np.random.default_rng(seed)
    nb = max(1, n // 100)
    weights = 1.0 / np.arange(1, nb + 1)
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    lens, choice_batch = _draw_choices(n, cdf, seed)
    m = choice_batch.size
    choice_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lens, out=choice_ptr[1:])
    capacity = rng.integers(10, 51, nb).astype(np.int32)
    res_counts = np.zeros(nb, dtype=np.int64)
    res_group = res_seats = np.zeros(0, dtype=np.int32)
    if reservations:
        reserving = np.flatnonzero(rng.random(nb) < 0.2)
        res_counts[reserving] = 2
        res_group = np.tile(np.array([0, 1], dtype=np.int32), reserving.size)
        res_seats = np.tile(np.array([1, 2], dtype=np.int32), reserving.size)
    res_ptr = np.zeros(nb + 1, dtype=np.int64)
    np.cumsum(res_counts, out=res_ptr[1:])
    dis = rng.random(n) < 0.05
    fem = rng.random(n) < 0.3
    group_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(dis.astype(np.int64) + fem, out=group_ptr[1:])
    app_group = np.empty(int(group_ptr[-1]), dtype=np.int32)
    app_group[group_ptr[:-1][dis]] = 0
    app_group[(group_ptr[:-1] + dis)[fem]] = 1
    ids = [f"REG-{i:08d}" for i in range(n)]
    seed_text = f"bench-{seed}"
    return Problem(
        seed=seed_text,
        batch_ids=[f"B-{j:06d}" for j in range(nb)],
        capacity=capacity,
        res_ptr=res_ptr,
        res_group=res_group,
        res_seats=res_seats,
        group_names=["disabilitas", "perempuan"],
        applicant_ids=ids,
        score=rng.integers(0, 101, n).astype(np.float64),
        lottery_prefix=lottery_prefixes(seed_text, ids),
        choice_ptr=choice_ptr,
        choice_batch=choice_batch,
        choice_tier=rng.choice(np.array([0, 1, 2], dtype=np.int32), m, p=[0.3, 0.2, 0.5]),
        group_ptr=group_ptr,
        app_group=app_group,
    )


# --- one size, in its own process -------------------------------------------------------


def _vm(field: str) -> int:
    """A field of /proc/self/status in bytes (0 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _timed(fn: Any, repeat: int) -> tuple[list[float], Any]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return times, out


def measure(n: int, repeat: int) -> dict[str, Any]:
    started = time.perf_counter()
    problem = make_problem(n)
    built = time.perf_counter() - started
    started = time.perf_counter()
    lottery_prefixes(problem.seed, problem.applicant_ids)
    lottery = time.perf_counter() - started
    solve(problem)  # warm-up: numba loads (or, the first time ever, compiles) the engine
    rss_before = _vm("VmRSS")
    exact_peak = _reset_peak()
    times, result = _timed(lambda: solve(problem), repeat)
    return {
        "n": n,
        "batches": problem.n_batches,
        "pairs": int(problem.choice_batch.size),
        "seats": int(problem.capacity.sum()),
        "assigned": result.n_assigned,
        "proposals": result.proposals,
        "times": times,
        "rss_before": rss_before,
        "peak": _vm("VmHWM") if exact_peak else 0,
        "build": built,
        "lottery": lottery,
    }


# --- the matching package --------------------------------------------------------------


def compare_with_matching(n: int, repeat: int) -> dict[str, Any]:
    """The same instance without its reservations (which `matching` cannot express)."""
    from matching.games import HospitalResident

    problem = make_problem(n, reservations=False)
    solve(problem)
    times, result = _timed(lambda: solve(problem), repeat)
    ids, bids = problem.applicant_ids, problem.batch_ids
    residents = {ids[a]: [bids[b] for b in problem.choices(a)] for a in range(n)}
    members: dict[int, list[int]] = {b: [] for b in range(problem.n_batches)}
    for a in range(n):
        for b in problem.choices(a):
            members[b].append(a)
    # Each batch's order from the plain-Python priority key, not from the engine.
    hospitals = {
        bids[b]: [ids[a] for a in sorted(m, key=lambda a, b=b: priority_key(problem, a, b))]
        for b, m in members.items()
    }
    capacities = {bids[b]: int(c) for b, c in enumerate(problem.capacity)}
    # `matching` deep-copies its players, which recurses along preference lists.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20 * n + 10_000))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        created = time.perf_counter() - started
        matched = game.solve(optimal="resident")
        total = time.perf_counter() - started
    theirs: dict[str, str | None] = dict.fromkeys(ids)
    for hospital, group in matched.items():
        for resident in group:
            theirs[resident.name] = hospital.name
    return {
        "n": n,
        "ours": statistics.median(times),
        "matching_total": total,
        "matching_solve": total - created,
        "agree": theirs == result.assignments(),
    }


# --- the command line ---------------------------------------------------------------------


def write_input(problem: Problem, path: Path) -> None:
    batches = [
        Batch(b, int(problem.capacity[i]), tuple(problem.reservations(i)))
        for i, b in enumerate(problem.batch_ids)
    ]
    names = problem.batch_ids
    applicants = [
        Applicant(
            a,
            tuple(names[b] for b in problem.choices(i)),
            tiers=tuple(problem.tiers(i)),
            score=int(problem.score[i]),
            groups=tuple(sorted(problem.groups(i))),
        )
        for i, a in enumerate(problem.applicant_ids)
    ]
    path.write_bytes(encode_problem(seed=problem.seed, batches=batches, applicants=applicants))


def _wall(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_cli(n: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        source, result = Path(tmp) / "input.json", Path(tmp) / "result.json"
        write_input(make_problem(n), source)
        started = time.perf_counter()
        with source.open("rb") as f:
            json.load(f)
        in_process = time.perf_counter() - started
        py = sys.executable
        parse = _wall([py, "-c", f"import json; json.load(open({str(source)!r}, 'rb'))"], repeat)
        cli = [py, "-m", "vokasi.allocation", "solve", str(source), "-o", str(result)]
        return {
            "n": n,
            "mb": source.stat().st_size / 1e6,
            "parse_process": parse,
            "parse_in_process": in_process,
            "cli": _wall(cli, repeat),
            "cli_numba": _wall([*cli, "--engine", "numba"], repeat),
        }


# --- the report ---------------------------------------------------------------------------


def _child(kind: str, n: int, repeat: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n), "--repeat", str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-n", type=int, default=SIZES[-1])
    parser.add_argument("--repeat", type=int, default=3, help="timed solves per size (>= 3)")
    parser.add_argument("--cli-n", type=int, default=200_000)
    parser.add_argument("--skip-matching", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n = args.child[0], int(args.child[1])
        fn = {"solve": measure, "matching": compare_with_matching, "cli": measure_cli}[kind]
        print(json.dumps(fn(n, max(1, args.repeat))))
        return

    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"numpy {np.__version__}, numba {numba.__version__}\n"
    )
    print(
        "| N | batches | seats | pairs | proposals | assigned | solve, median (s) | runs (s) "
        "| peak RSS (GB) | lottery hashing (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for n in (s for s in SIZES if s <= args.max_n):
        r = _child("solve", n, max(3, args.repeat))
        runs = " ".join(f"{t:.4f}" for t in r["times"])
        peak = f"{r['peak'] / 1e9:.2f}" if r["peak"] else "n/a"
        print(
            f"| {n:,} | {r['batches']:,} | {r['seats']:,} | {r['pairs']:,} | "
            f"{r['proposals']:,} | {r['assigned']:,} | {statistics.median(r['times']):.4f} "
            f"| {runs} | {peak} | {r['lottery']:.2f} |",
            flush=True,
        )

    if not args.skip_matching:
        print(
            "\n| N (no reservations) | ours, median (s) | matching: create + solve (s) "
            "| of which solve (s) | speed-up | same result |"
        )
        print("|---:|---:|---:|---:|---:|:---:|")
        for n in (s for s in (1_000, 10_000) if s <= args.max_n):
            r = _child("matching", n, max(3, args.repeat))
            print(
                f"| {n:,} | {r['ours']:.5f} | {r['matching_total']:.2f} | "
                f"{r['matching_solve']:.2f} | {r['matching_total'] / r['ours']:,.0f}x | "
                f"{'yes' if r['agree'] else 'NO'} |",
                flush=True,
            )

    if not args.skip_cli and args.cli_n <= args.max_n:
        r = _child("cli", args.cli_n, max(3, args.repeat))
        print(
            "\n| input file | python -c 'json.load(f)' (s) | json.load alone, in process (s) "
            "| solve CLI (s) | ratio | solve CLI --engine numba (s) |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        print(
            f"| {r['n']:,} applicants, {r['mb']:.0f} MB | {r['parse_process']:.2f} | "
            f"{r['parse_in_process']:.2f} | {r['cli']:.2f} | "
            f"{r['cli'] / r['parse_process']:.1f}x | {r['cli_numba']:.2f} |"
        )


if __name__ == "__main__":
    main()
