"""`solve`: priorities, deferred acceptance, waiting lists."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Literal

import numpy as np

from . import engine_numpy
from .model import I32, Problem, Result
from .prepare import Prepared, prepare

Engine = Literal["auto", "numba", "numpy"]


def compiled_engine() -> ModuleType | None:
    """engine_numba, or None when numba cannot be imported or cannot compile here."""
    try:
        return importlib.import_module(".engine_numba", __package__)
    except Exception:  # noqa: BLE001 - any failure of numba means: use numpy
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
    prep = prepare(problem, kernels)
    run = kernels.run if kernels is not None else engine_numpy.run
    cur, proposals = run(prep)
    return _result(problem, prep, cur, proposals)


def _result(problem: Problem, prep: Prepared, cur: I32, proposals: int) -> Result:
    lens = prep.lens
    m = prep.choice_batch.size
    assigned = np.full(lens.size, -1, dtype=np.int32)
    has = np.flatnonzero(cur < lens)
    assigned[has] = prep.choice_batch[prep.choice_ptr[has] + cur[has]]
    # Waiting list of b: everyone who chose b above where they ended up (or who ended
    # nowhere). Those are exactly the pairs with choice index below `cur`; taking their
    # positions in increasing order lists each batch in its own order.
    pair_app = prep.pos_app[prep.pair_pos]
    index_in_list = np.arange(m) - np.repeat(prep.choice_ptr[:-1], lens)
    waiting = np.zeros(m, dtype=np.bool_)
    waiting[prep.pair_pos[index_in_list < cur[pair_app]]] = True
    positions = np.flatnonzero(waiting)
    return Result(
        problem=problem,
        assigned=assigned,
        waiting_ptr=np.searchsorted(positions, prep.batch_start).astype(np.int64),
        waiting_app=prep.pos_app[positions].astype(np.int32),
        proposals=proposals,
    )
