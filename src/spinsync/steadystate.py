"""Exact steady states: the analytic no-go solution and the sector direct solve.

``steady_state(network, method="auto")`` picks

1. ``analytic`` when ρ₀ = ⊗ρ_{j,0} solves L[ρ] = 0 (no-go conditions; any N, no 4ᴺ object);
2. ``direct``: sparse LU of the Liouvillian restricted to the sector where the steady
   state lives — equal ket and bra magnetization when Uˣ = Uʸ on every bond
   (dimension C(2N, N)), equal parity otherwise (dimension 4ᴺ/2) — with one equation
   replaced by the trace condition Tr ρ = 1 — when the sector has at most
   :data:`DIRECT_MAX_DIM` entries (N ≤ 6 with Uˣ = Uʸ, N ≤ 5 otherwise);
3. ``gmres`` (:mod:`spinsync.gmres`): matrix-free preconditioned GMRES otherwise.

The steady state is unique for every valid network (paper, S.M. I), so the trace row
makes the system non-singular.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .blas_threads import limit_blas_threads
from .errors import ModelError, NumericalError
from .liouvillian import OperatorSector, choose_blocks, sector_liouvillian
from .model import Network
from .nogo import nogo_conditions_hold, product_residual, product_state, product_state_is_steady
from .resources import check_memory, format_bytes
from .results import StateChecks, SteadyStateResult
from .states import BlockState, ProductState

__all__ = ["steady_state", "check_state", "direct_memory_estimate", "METHODS", "register_method"]

#: Tolerance of the trace / Hermiticity / positivity checks. A direct solve reaches
#: ~1e-13; eigenvalues of a state with tiny populations can dip to −1e-12 by rounding.
CHECK_TOLERANCE = 1e-8

#: Measured LU fill of the sector Liouvillian with SuperLU/COLAMD: nnz(L+U) ≈ 0.68–0.8 × dim²
#: for all-to-all networks at N = 6…8 (XXZ and XYZ) — the factors are essentially dense.
#: Sparser graphs fill less; the estimate stays on the safe side.
_LU_FILL_FRACTION = 0.85

Solver = Callable[..., SteadyStateResult]
METHODS: dict[str, Solver] = {}


def register_method(name: str) -> Callable[[Solver], Solver]:
    """Decorator: make a solver available as ``steady_state(method=name)``."""

    def deco(fn: Solver) -> Solver:
        METHODS[name] = fn
        return fn

    return deco


def check_state(state: BlockState | ProductState, tolerance: float = CHECK_TOLERANCE) -> StateChecks:
    """Trace, Hermiticity and positivity of ``state``."""
    return StateChecks(
        trace_error=abs(state.trace() - 1.0),
        hermiticity_error=state.hermiticity_error(),
        min_eigenvalue=state.min_eigenvalue(),
        tolerance=tolerance,
    )


def _checked(result: SteadyStateResult) -> SteadyStateResult:
    if not result.checks.passed:
        c = result.checks
        raise NumericalError(
            f"steady state from method {result.method!r} failed its checks "
            f"(|Tr ρ − 1| = {c.trace_error:.2e}, max|ρ − ρ†| = {c.hermiticity_error:.2e}, "
            f"min eigenvalue = {c.min_eigenvalue:.2e}, tolerance {c.tolerance:.0e}; "
            f"residual {result.residual:.2e})"
        )
    return result


def steady_state(network: Network, method: str = "auto", **options: object) -> SteadyStateResult:
    """The unique steady state of ``network``.

    Parameters
    ----------
    network
        The model.
    method
        ``"auto"`` (default), ``"analytic"``, ``"direct"`` or another registered method
        (see :data:`METHODS`).
    **options
        Passed to the method (e.g. ``tol``, ``maxiter`` for iterative ones).

    Returns
    -------
    SteadyStateResult
        Checked for trace 1, Hermiticity and positivity within ``CHECK_TOLERANCE``.

    Raises
    ------
    ModelError
        Unknown method, or ``analytic`` when ρ₀ is not the steady state.
    MemoryLimitError
        When the method would exceed the machine's memory (raised before allocating).
    NumericalError
        When the result fails its checks.
    """
    if method == "auto":
        method = choose_method(network)
    public = [name for name in METHODS if not name.startswith("_")]  # hooks are private
    if method not in public:
        raise ModelError(f"method = {method!r}: expected auto or one of {', '.join(public)}")
    return _checked(METHODS[method](network, **options))


def choose_method(network: Network) -> str:
    """The method ``auto`` would use: analytic if ρ₀ is steady, else the best exact solver."""
    if product_state_is_steady(network):
        return "analytic"
    chooser = METHODS.get("_auto_numeric")
    if chooser is not None:  # the iterative engine installs a size-aware choice
        return chooser(network)  # type: ignore[return-value]
    return "direct"


@register_method("analytic")
def solve_analytic(network: Network) -> SteadyStateResult:
    """ρ₀ in closed form; valid when every bond term of Eq. 5 vanishes."""
    start = time.perf_counter()
    if not product_state_is_steady(network):
        raise ModelError(
            "method = 'analytic': the product state ρ₀ is not steady for this network "
            "(magnetizations differ across a bond, or Uˣ ≠ Uʸ with m_j + m_k ≠ 0); "
            "use method='auto' or 'direct'"
        )
    state = product_state(network)
    return SteadyStateResult(
        state=state,
        network=network,
        method="analytic",
        residual=product_residual(network),
        checks=check_state(state),
        nogo=nogo_conditions_hold(network),
        info={"time": time.perf_counter() - start, "reason": "L[ρ₀] = 0 (Eq. 5)"},
    )


#: ``auto`` uses the sparse direct solve up to this sector dimension, GMRES above.
#: Measured on the idle 2-core machine (all-to-all, U = 2 and 80; XYZ at N = 5):
#:   sector dim   252 (N=5)  512 (XYZ N=5)  924 (N=6)  3432 (N=7)  12870 (N=8)
#:   direct       0.019 s    0.027 s        0.10 s     2.8 s       ≈130 s
#:   gmres        0.013 s    0.007 s        0.02 s     0.04 s      0.10 s
#: Up to N = 6 (XXZ) both are well under a second; there the direct LU is kept — it is the
#: reference solver, needs no iteration budget, and the CLI contract (fig1c example)
#: reports it. From N = 7 on GMRES is 70× (N = 7) to 1000× (N = 8) faster.
DIRECT_MAX_DIM = 1000


def _auto_numeric(network: Network) -> str:
    """Size-aware choice between ``direct`` and ``gmres`` (installed as ``_auto_numeric``)."""
    return "direct" if _sector_for(network).dim <= DIRECT_MAX_DIM else "gmres"


def direct_memory_estimate(sector_dim: int, nnz: int) -> float:
    """Rough peak bytes of the sector direct solve: the matrix plus its LU factors."""
    matrix = 16.0 * nnz * 3  # COO pieces, CSR, CSC copy
    lu = 16.0 * _LU_FILL_FRACTION * float(sector_dim) ** 2
    return matrix + lu


def _sector_for(network: Network) -> OperatorSector:
    return OperatorSector.steady(choose_blocks(network))


@register_method("direct")
def solve_direct(network: Network) -> SteadyStateResult:
    """Sparse LU on the magnetization (XXZ) or parity (XYZ) sector, with the trace row."""
    start = time.perf_counter()
    sector = _sector_for(network)
    dim = sector.dim
    nnz_estimate = dim * (2 * len(network.bond_sites) + 2 * network.n + 1)
    need = direct_memory_estimate(dim, nnz_estimate)
    check_memory(
        need,
        what=f"the sector direct solve (N = {network.n}, sector dimension {dim})",
        alternatives="use method='gmres' (matrix-free) or a smaller network",
    )
    liouv = sector_liouvillian(network, sector)
    trace_vec = sector.trace_vector()
    # Replace the row of the first diagonal entry by the trace: the rows of L are
    # dependent (tᵀL = 0), and with a unique steady state this restores full rank.
    pivot = int(np.flatnonzero(trace_vec)[0])
    system = liouv.tolil()
    system[pivot, :] = trace_vec
    system = system.tocsc()
    rhs = np.zeros(dim, dtype=complex)
    rhs[pivot] = 1.0
    try:
        # SuperLU's supernode updates are small BLAS calls: a threaded BLAS only adds
        # contention (measured 0.2 s single-threaded vs 4–55 s with OpenBLAS's pool on a
        # loaded 2-core machine for the Fig. 1c network).
        with limit_blas_threads(1):
            lu = spla.splu(system, permc_spec="COLAMD")
    except RuntimeError as exc:  # "Factor is exactly singular"
        raise NumericalError(f"sparse LU failed on the sector Liouvillian: {exc}") from exc
    vec = lu.solve(rhs)
    state = BlockState(sector.basis, sector.split(vec)).hermitized()
    residual = float(np.linalg.norm(liouv @ sector.join(state.blocks)) / state.frobenius_norm())
    return SteadyStateResult(
        state=state,
        network=network,
        method="direct",
        residual=residual,
        checks=check_state(state),
        nogo=nogo_conditions_hold(network),
        info={
            "time": time.perf_counter() - start,
            "sector": sector.basis.kind,
            "sector_dim": dim,
            "nnz": int(liouv.nnz),
            "lu_nnz": int(lu.L.nnz + lu.U.nnz),
            "memory_estimate": format_bytes(need),
        },
    )


# The matrix-free engine registers as "gmres"; ``auto`` consults the size-aware chooser.
from .gmres import solve_gmres as _solve_gmres  # noqa: E402  (gmres imports us lazily)

register_method("gmres")(_solve_gmres)
METHODS["_auto_numeric"] = _auto_numeric  # type: ignore[assignment]
