"""Sparse direct solve of the steady state on its symmetry sector, with the trace row.

The sector Liouvillian L (complex, dimension Σ_b n_b²) has tᵀL = 0 (L preserves the trace),
so its rows are dependent; replacing one diagonal entry's row by t (Tr ρ = 1) makes the
system non-singular exactly when the steady state is unique. SuperLU factors it.

When uniqueness is not certified (:mod:`spinsync.steady.uniqueness`), the factorization is
reused for an estimate of the smallest singular value of the system (a few steps of inverse
iteration on (A Aᴴ)⁻¹): a second zero mode makes it vanish to rounding, and the solve is
refused instead of returning one of the steady states silently.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from ..blas_threads import limit_blas_threads
from ..errors import NumericalError
from ..liouvillian.sparse import sector_liouvillian
from ..resources import check_memory, format_bytes
from ..states import BlockState
from .analytic import nogo_conditions_hold
from .checks import check_state
from .plan import Plan, make_plan
from .results import SteadyStateResult
from .uniqueness import certified_unique

__all__ = ["solve_direct", "direct_memory_estimate", "with_trace_row", "DEGENERACY_COND",
           "smallest_singular_value"]

#: Measured LU fill of the sector Liouvillian with SuperLU/COLAMD: nnz(L+U) ≈ 0.68–0.8 × dim²
#: for all-to-all networks at N = 6…8 (XXZ and XYZ) — the factors are essentially dense.
#: Sparser graphs fill less; the estimate stays on the safe side.
_LU_FILL_FRACTION = 0.85

#: A trace-row system with an estimated condition number above this has a second zero
#: mode (rounding leaves σ_min ~ 1e-16·‖A‖); physical near-degeneracies (slow modes with
#: rates 1e-8 of the largest) stay well below.
DEGENERACY_COND = 1e13


def direct_memory_estimate(sector_dim: int, nnz: int) -> float:
    """Rough peak bytes of the sector direct solve: the matrix plus its LU factors."""
    matrix = 16.0 * nnz * 3  # COO pieces, CSR, CSC copy
    lu = 16.0 * _LU_FILL_FRACTION * float(sector_dim) ** 2
    return matrix + lu


def with_trace_row(system: Any, trace: NDArray[np.float64],
                   in_place: bool = False) -> tuple[Any, NDArray[np.complex128], int]:
    """Replace the row of the first diagonal entry by the trace functional.

    Works on a sparse matrix, a dense one, or a stack of dense ones (B, D, D) (the row is
    replaced in every matrix). Returns the system (a modified copy, or for dense arrays with
    ``in_place=True`` the array itself — the caller keeps the replaced row if it needs it;
    CSC when sparse), the right-hand side e_pivot and the pivot row.
    """
    pivot = int(np.flatnonzero(trace)[0])
    if sp.issparse(system):
        n = system.shape[0]
        keep = np.ones(n)
        keep[pivot] = 0.0
        cols = np.flatnonzero(trace)
        row = sp.csr_matrix((np.asarray(trace)[cols].astype(complex), (np.full(cols.size, pivot), cols)),
                            shape=system.shape)
        out = (sp.diags(keep) @ sp.csr_matrix(system) + row).tocsc()
        out.eliminate_zeros()
        rhs = np.zeros(n, dtype=complex)
    else:
        out = system if in_place else np.array(system, copy=True)
        out[..., pivot, :] = trace
        rhs = np.zeros(out.shape[:-1], dtype=complex)
    rhs[..., pivot] = 1.0
    return out, rhs, pivot


def smallest_singular_value(lu: spla.SuperLU, n: int, steps: int = 6) -> float:
    """Estimate σ_min(A) from its LU factors by inverse iteration on (A Aᴴ)⁻¹."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    x /= np.linalg.norm(x)
    growth = 0.0
    for _ in range(steps):
        y = lu.solve(lu.solve(x, trans="H"))
        growth = float(np.linalg.norm(y))
        if not np.isfinite(growth) or growth == 0.0:
            return 0.0
        x = y / growth
    return 1.0 / np.sqrt(growth)


def solve_direct(model: Any, *, symmetry: str = "auto", plan: Plan | None = None) -> SteadyStateResult:
    """Sparse LU of the Liouvillian on the steady sector of the model's symmetry.

    Parameters
    ----------
    model
        A :class:`~spinsync.model.Network` or compiled terms.
    symmetry
        ``"auto"`` (detected from the terms) or a weaker one (``"parity"``, ``"none"``).

    Raises
    ------
    MemoryLimitError
        The LU factors would not fit (estimated before anything is built).
    NumericalError
        The factorization failed, or the system has a second zero mode (the steady state
        is not unique).
    """
    start = time.perf_counter()
    plan = plan or make_plan(model, symmetry)
    dim = plan.sector_dim
    need = direct_memory_estimate(dim, dim * plan.nnz_per_row())
    check_memory(
        need,
        what=f"the sector direct solve ({plan.n} sites, sector dimension {dim})",
        alternatives="use --method gmres (matrix-free) or a smaller network",
    )
    sector = plan.sector()
    liouv = sector_liouvillian(plan.terms, sector)
    system, rhs, _ = with_trace_row(liouv, sector.trace_vector())
    try:
        # SuperLU's supernode updates are small BLAS calls: a threaded BLAS only adds
        # contention (measured 0.2 s single-threaded vs 4–55 s with OpenBLAS's pool on a
        # loaded 2-core machine for the Fig. 1c network).
        with limit_blas_threads(1):
            lu = spla.splu(system, permc_spec="COLAMD")
            vec = lu.solve(rhs)
            certified = certified_unique(plan.terms)
            cond = None
            if not certified:
                norm = float(spla.norm(system))
                cond = norm / max(smallest_singular_value(lu, dim), 1e-300)
    except RuntimeError as exc:  # "Factor is exactly singular"
        raise NumericalError(
            f"sparse LU failed on the sector Liouvillian ({exc}): the steady state is not "
            "unique, or the system is numerically singular"
        ) from exc
    if cond is not None and not cond < DEGENERACY_COND:
        raise NumericalError(
            f"the steady state is not unique: the Liouvillian has a second zero mode "
            f"(condition number of the trace-row system ≈ {cond:.1e}); the model "
            "conserves something its dissipation does not fix"
        )
    state = BlockState(sector.basis, sector.split(vec)).hermitized()
    residual = float(np.linalg.norm(liouv @ sector.join(state.blocks)) / state.frobenius_norm())
    info = {
        "time": time.perf_counter() - start,
        "sector": sector.basis.kind,
        "sector_dim": dim,
        "nnz": int(liouv.nnz),
        "lu_nnz": int(lu.L.nnz + lu.U.nnz),
        "memory_estimate": format_bytes(need),
        "uniqueness": "certified" if certified else "checked",
    }
    if cond is not None:
        info["condition_estimate"] = cond
    return SteadyStateResult(
        state=state,
        network=model,
        method="direct",
        residual=residual,
        checks=check_state(state),
        nogo=nogo_conditions_hold(model),
        info=info,
        symmetry=plan.symmetry,
    )
