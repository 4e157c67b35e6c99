"""Solve one chunk of sweep points: batched dense stacks, or per-point ``steady_state``.

Runs inside worker processes (local pool or Dask workers), so it only takes and returns
plain picklable data: a :class:`ChunkTask` in, a dict of NumPy arrays out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..measures import fidelity, flipflop_matrix, magnetizations
from ..steady import product_state
from ..steady import steady_state
from .axes import PointParams
from .batch import RESULT_KEYS, batch_steady
from ..blas_threads import limit_blas_threads

__all__ = ["ChunkTask", "solve_chunk", "solve_points"]


@dataclass(frozen=True)
class ChunkTask:
    """Points ``start … stop − 1`` of a sweep, with their parameters and the solver."""

    index: int
    start: int
    stop: int
    params: PointParams
    solver: str
    xxz: bool


def solve_points(params: PointParams, solver: str = "batch", xxz: bool | None = None) -> dict[str, NDArray]:
    """Observables of every point (keys: :data:`~spinsync.sweeps.batch.RESULT_KEYS`).

    ``solver = "batch"`` uses the stacked dense solve; any other value is passed to
    :func:`~spinsync.steady.steady_state` point by point (``auto``, ``permutation`` and
    ``cumulant`` included), which also raises its :class:`~spinsync.errors.NumericalError`
    if a state fails its checks. ``fidelity`` is NaN where the result cannot give it
    (``cumulant``).
    """
    if solver == "batch":
        return batch_steady(params, xxz)
    n = params.n
    pairs = list(combinations(range(n), 2))
    rows = np.array([p[0] for p in pairs], dtype=np.int64)
    cols = np.array([p[1] for p in pairs], dtype=np.int64)
    out: dict[str, list] = {k: [] for k in RESULT_KEYS}
    for i in range(params.count):
        network = params.network(i)
        result = steady_state(network, method=solver)
        ff = flipflop_matrix(result.state)
        out["flipflop"].append(ff[rows, cols])
        out["magnetization"].append(magnetizations(result.state))
        out["fidelity"].append(_fidelity_or_nan(result, network))
        out["residual"].append(result.residual)
        out["min_eigenvalue"].append(result.checks.min_eigenvalue)
        out["method"].append(result.method)
    return {
        "flipflop": np.asarray(out["flipflop"], dtype=complex).reshape(params.count, len(pairs)),
        "magnetization": np.asarray(out["magnetization"], dtype=float).reshape(params.count, n),
        "fidelity": np.asarray(out["fidelity"], dtype=float),
        "residual": np.asarray(out["residual"], dtype=float),
        "min_eigenvalue": np.asarray(out["min_eigenvalue"], dtype=float),
        "method": np.asarray(out["method"], dtype=str),
    }


def _fidelity_or_nan(result, network) -> float:
    """F(ρ_ss, ρ₀), or NaN where the result's representation does not determine it (a
    cumulant result keeps only moments; a driven permutation state beyond N = 12)."""
    try:
        return float(fidelity(result.state, product_state(network)))
    except ModelError:
        return float("nan")


def solve_chunk(task: ChunkTask) -> tuple[int, dict[str, NDArray], float]:
    """Solve a chunk with one BLAS thread; return ``(index, results, seconds)``.

    One thread per process: parallelism comes from running chunks in several processes,
    and small LAPACK calls only lose from threading (see :mod:`spinsync.sweeps.blas`).
    """
    start = time.perf_counter()
    with limit_blas_threads(1):
        results = solve_points(task.params, task.solver, task.xxz)
    return task.index, results, time.perf_counter() - start
