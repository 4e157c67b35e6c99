"""Solve one chunk of sweep points: batched dense stacks, or per-point ``steady_state``.

Runs inside worker processes (local pool or Dask workers), so it only takes and returns
plain picklable data: a :class:`ChunkTask` in, a dict of NumPy arrays out. Both paths
return the same keys (:data:`~spinsync.sweeps.batch.RESULT_KEYS`) with the same meaning
for every model: for ``[qubits]`` ⟨σ⁺_jσ⁻_k⟩, ⟨σᶻ_j⟩, ⟨σ⁺_j⟩; for ``[spins]``
⟨J⁺_jJ⁻_k⟩, ⟨Jᶻ_j⟩, ⟨J⁺_j⟩.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from ..blas_threads import limit_blas_threads
from ..measures import flipflop_matrix, magnetizations, spin_expectations, spin_flipflop_matrix
from ..steady import steady_state
from ..steady.summary import product_fidelity
from .axes import PointParams
from .batch import RESULT_KEYS, batch_steady

__all__ = ["ChunkTask", "solve_chunk", "solve_points", "point_observables"]


@dataclass(frozen=True)
class ChunkTask:
    """Points ``start … stop − 1`` of a sweep, with their parameters and the solver.

    ``xxz`` is the legacy sector switch of :func:`solve_points`; the sector itself
    travels with the parameters (``params.symmetry``).
    """

    index: int
    start: int
    stop: int
    params: PointParams
    solver: str
    xxz: bool | None = None


def point_observables(result, network) -> dict[str, object]:
    """The per-point entries of :data:`RESULT_KEYS` from a ``steady_state`` result.

    Fidelity to ρ₀ (:func:`~spinsync.steady.product_state`) is NaN where ρ₀ is undefined
    (a site whose local state is not unique) or the result does not determine it.
    """
    state = result.state
    n = network.n
    iu = np.triu_indices(n, 1)
    if network.is_qubits:
        ff, mag = flipflop_matrix(state), magnetizations(state)
    else:
        ff, mag = spin_flipflop_matrix(state), spin_expectations(state, "z")
    # σ⁺ = J⁺ for s = ½, so one function gives ⟨σ⁺_j⟩ and ⟨J⁺_j⟩.
    coherence = spin_expectations(state, "+")
    fid = product_fidelity(state, network)
    return {
        "flipflop": np.asarray(ff)[iu],
        "magnetization": np.asarray(mag, dtype=float),
        "coherence": np.asarray(coherence, dtype=complex),
        "fidelity": float("nan") if fid is None else fid,
        "residual": result.residual,
        "min_eigenvalue": result.checks.min_eigenvalue,
        "method": result.method,
    }


def solve_points(params: PointParams, solver: str = "batch", xxz: bool | None = None) -> dict[str, NDArray]:
    """Observables of every point (keys: :data:`~spinsync.sweeps.batch.RESULT_KEYS`).

    ``solver = "batch"`` uses the stacked dense solve (sector: ``params.symmetry``, else
    the weakest symmetry of the points; ``xxz`` is the legacy switch of
    :func:`~spinsync.sweeps.batch.batch_steady`); any other value is passed to
    :func:`~spinsync.steady.steady_state` point by point (``auto``, ``direct``, ``gmres``,
    ``analytic``, ``permutation``, ``cumulant``), which also raises its
    :class:`~spinsync.errors.NumericalError` if a state fails its checks. Works for qubit
    and spin networks alike. ``fidelity`` is NaN where the result cannot give it
    (``cumulant``).
    """
    if solver == "batch":
        return batch_steady(params, xxz)
    n = params.n
    npairs = len(list(combinations(range(n), 2)))
    out: dict[str, list] = {k: [] for k in RESULT_KEYS}
    for i in range(params.count):
        network = params.network(i)
        values = point_observables(steady_state(network, method=solver), network)
        for k in RESULT_KEYS:
            out[k].append(values[k])
    count = params.count
    return {
        "flipflop": np.asarray(out["flipflop"], dtype=complex).reshape(count, npairs),
        "magnetization": np.asarray(out["magnetization"], dtype=float).reshape(count, n),
        "fidelity": np.asarray(out["fidelity"], dtype=float).reshape(count),
        "residual": np.asarray(out["residual"], dtype=float).reshape(count),
        "min_eigenvalue": np.asarray(out["min_eigenvalue"], dtype=float).reshape(count),
        "method": np.asarray(out["method"], dtype=str).reshape(count),
        "coherence": np.asarray(out["coherence"], dtype=complex).reshape(count, n),
    }


def solve_chunk(task: ChunkTask) -> tuple[int, dict[str, NDArray], float]:
    """Solve a chunk with one BLAS thread; return ``(index, results, seconds)``.

    One thread per process: parallelism comes from running chunks in several processes,
    and small LAPACK calls only lose from threading (see :mod:`spinsync.blas_threads`).
    """
    start = time.perf_counter()
    with limit_blas_threads(1):
        results = solve_points(task.params, task.solver, task.xxz)
    return task.index, results, time.perf_counter() - start
