"""`solve`: priorities, deferred acceptance, waiting lists."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Literal

import numpy as np

from . import engine_numpy
from .model import Problem, Result
from .prepare import prepare, tier_offsets

Engine = Literal["auto", "numba", "numpy"]


def compiled_engine() -> ModuleType | None:
    """engine_numba, or None when numba cannot be imported or cannot compile here."""
    try:
        return importlib.import_module(".engine_numba", __package__)
    except Exception:  # any failure of numba means: use numpy
        return None


def solve(problem: Problem, *, engine: Engine = "auto") -> Result:
    """Applicant-proposing deferred acceptance with each batch's choice rule.

    engine: "numba" (compiled; fastest once imported), "numpy" (no compiler; good up
    to a few hundred thousand applicants), or "auto" (numba when it is available).
    All engines give the same result; tests hold them to it.
    """
    kernels = None if engine == "numpy" else compiled_engine()
    if engine == "numba" and kernels is None:
        raise RuntimeError("the numba engine was asked for but numba is not usable here")
    if kernels is not None and _fits_compiled(kernels, problem):
        cur, proposals, waiting_ptr, waiting_app = kernels.solve_arrays(problem)
    else:
        prep = prepare(problem)
        cur, proposals = engine_numpy.run(prep)
        # Positions whose applicant ranked the batch above where they ended (or ended
        # nowhere), increasing: the waiting lists, each batch's run in its own order.
        waiting = np.flatnonzero(prep.pos_k < cur[prep.pos_app])
        waiting_ptr = np.searchsorted(waiting, prep.batch_start).astype(np.int64)
        waiting_app = prep.pos_app[waiting].astype(np.int32)
    lens = np.diff(problem.choice_ptr)
    assigned = np.full(lens.size, -1, dtype=np.int32)
    has = np.flatnonzero(cur < lens)
    assigned[has] = problem.choice_batch[problem.choice_ptr[has] + cur[has]]
    return Result(
        problem=problem,
        assigned=assigned,
        waiting_ptr=waiting_ptr,
        waiting_app=waiting_app,
        proposals=proposals,
    )


def _fits_compiled(kernels: ModuleType, problem: Problem) -> bool:
    nb = problem.n_batches
    depth = int(np.diff(problem.res_ptr).max()) if nb else 0
    fits: bool = kernels.fits(problem.n_applicants, nb, tier_offsets(problem)[2], depth)
    return fits
