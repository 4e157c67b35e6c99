"""Matrix-free steady states: right-preconditioned GMRES on the symmetry sector.

The steady state ρ solves L[ρ] = 0 with Tr ρ = 1 in the sector of diagonal block pairs
(magnetization blocks when Uˣ = Uʸ on every bond, parity blocks otherwise). We solve

    (L + s·t tᵀ) x = s·t,        t = vec(I) (so tᵀx = Tr x)

— a rank-one *deflation*: tᵀL = 0 (L preserves the trace) and the kernel of L is one-
dimensional (unique steady state), so L + s t tᵀ is non-singular and its solution is the
steady state with Tr = 1. The scale s = 1/tᵀM t makes the added direction an eigenvalue
≈ 1 of the preconditioned operator, like the rest of its spectrum.

Unknowns are the real coordinates Y = Re ρ + Im ρ of the Hermitian blocks
(:class:`~spinsync.matrixfree.HermitianBlockLiouvillian`): real arithmetic, half the
memory of complex vectors, and the same Krylov iterates (GMRES's optimum over complex
combinations of Hermitian vectors is real, since ‖H₁ + iH₂‖² = ‖H₁‖² + ‖H₂‖²).

The preconditioner M = L_nj⁻¹ is the exact inverse of the no-jump Liouvillian
(:class:`~spinsync.nojump.NoJumpInverse`); with it GMRES needs a few dozen iterations
for N = 6–12 and U/Γ from 0.1 to 80 (the jumps are a low-"rank" perturbation).

Residual: GMRES's residual r = b − A x has the orthogonal parts −L x (range of L ⊥ t) and
s t (1 − tᵀx), so ‖L x‖ ≤ ‖r‖. The solver stops on ‖r‖ ≤ ½·tol·‖x‖ and then checks the
true ‖L[ρ]‖_F/‖ρ‖_F with the matrix-free L, iterating on if needed.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from .backend import BackendName, get_backend
from .basis import BlockBasis, bit_of
from .errors import ConvergenceError
from .krylov import gmres_right
from .liouvillian import OperatorSector, choose_blocks
from .matrixfree import HermitianBlockLiouvillian
from .model import Network
from .nogo import nogo_conditions_hold
from .nojump import NoJumpInverse
from .resources import available_memory, check_memory, format_bytes, MEMORY_FRACTION
from .results import SteadyStateResult
from .states import BlockState

__all__ = ["solve_gmres", "gmres_memory_estimate", "DEFAULT_TOL", "DEFAULT_RESTART"]

#: Target of ‖L[ρ]‖_F/‖ρ‖_F (the issue's accuracy requirement).
DEFAULT_TOL = 1e-10
#: Krylov dimension per cycle. Observed iteration counts are 35–60, so one cycle usually
#: suffices; the memory cap below lowers it for N ≥ 14.
DEFAULT_RESTART = 80
#: Fewest Krylov vectors we accept before refusing for lack of memory.
MIN_RESTART = 10
#: Fraction of the usable memory the Krylov basis may take (the rest: factors, temporaries).
BASIS_MEMORY_SHARE = 0.6
#: Stop GMRES at this fraction of tol: the Arnoldi estimate and the true residual differ
#: by rounding, and the final normalization changes ‖x‖ slightly.
SAFETY = 0.5


def gmres_memory_estimate(sector_dim: int, restart: int, itemsize: int = 8) -> float:
    """Peak bytes: Krylov basis + eigenvector factors (4 complex n² per block ⇒ 64·dim)
    + ~8 sector-sized real vectors and complex temporaries."""
    return itemsize * sector_dim * (restart + 1) + 64.0 * sector_dim + 8 * 16.0 * sector_dim


def _restart_for(sector_dim: int, requested: int | None) -> int:
    usable = MEMORY_FRACTION * available_memory() * BASIS_MEMORY_SHARE
    fit = int(usable // (8 * sector_dim)) - 1
    want = DEFAULT_RESTART if requested is None else int(requested)
    return max(MIN_RESTART, min(want, fit)) if requested is None else want


def product_guess(basis: BlockBasis, network: Network) -> np.ndarray:
    """ρ₀ = ⊗(I + m_j σᶻ_j)/2 in real block coordinates (diagonal, trace 1): the exact
    answer when interactions vanish, and a cheap starting point otherwise."""
    sector = OperatorSector.steady(basis)
    m = network.magnetization
    y = np.zeros(sector.dim)
    for p, states in enumerate(basis.states):
        w = np.ones(states.size)
        for j in range(network.n):
            w *= np.where(bit_of(states, j, network.n) == 1, (1 - m[j]) / 2, (1 + m[j]) / 2)
        n = states.size
        y[int(sector.offsets[p]) + np.arange(n) * (n + 1)] = w
    return y


def solve_gmres(
    network: Network,
    tol: float = DEFAULT_TOL,
    maxiter: int = 500,
    restart: int | None = None,
    callback: Callable[[int, float], None] | None = None,
    backend: BackendName = "numpy",
) -> SteadyStateResult:
    """Steady state by preconditioned GMRES on the symmetry sector (matrix-free).

    Parameters
    ----------
    network
        The model (any N; memory ~ 8·(restart + 10)·C(2N, N) bytes for XXZ couplings,
        with 4ᴺ/2 in place of C(2N, N) for XYZ).
    tol
        Target relative residual ‖L[ρ]‖_F/‖ρ‖_F (dimensionless).
    maxiter
        Largest number of GMRES iterations (applications of L·M), all cycles together.
    restart
        Krylov vectors per cycle; default :data:`DEFAULT_RESTART`, lowered to fit memory.
    callback
        ``callback(iteration, residual)`` after each iteration; ``residual`` estimates
        ‖L[ρ]‖/‖ρ‖ (compare with ``tol``). For progress bars; the library prints nothing.
    backend
        ``"numpy"`` (default), ``"cupy"`` or ``"auto"``.

    Returns
    -------
    SteadyStateResult
        ``info`` has ``iterations``, ``residual_history`` (per-iteration estimates of
        ‖L[ρ]‖/‖ρ‖), ``time`` and ``setup_time`` (s), ``sector``, ``sector_dim``,
        ``restart``, ``cycles``, ``backend`` and the preconditioner's factorization stats.

    Raises
    ------
    ConvergenceError
        The true residual is above ``tol`` after ``maxiter`` iterations.
    MemoryLimitError
        The Krylov basis with ``MIN_RESTART`` vectors would not fit.
    """
    start = time.perf_counter()
    be = get_backend(backend)
    xp = be.xp
    basis = choose_blocks(network)
    sector = OperatorSector.steady(basis)
    dim = sector.dim
    m = _restart_for(dim, restart)
    need = gmres_memory_estimate(dim, m)
    check_memory(
        need,
        what=f"GMRES (N = {network.n}, sector dimension {dim}, restart {m})",
        alternatives="pass a smaller restart=, or use a machine with more memory",
    )
    liouv = HermitianBlockLiouvillian(network, sector, backend=be)
    precond = NoJumpInverse(network, sector, backend=be)
    t = be.asarray(sector.trace_vector())
    mt = precond.apply_real(t)
    scale = 1.0 / float(xp.dot(t, mt))  # tᵀ L_nj⁻¹ t = Tr L_nj⁻¹[I] < 0, real

    def apply_a(y: Any) -> Any:
        out = liouv.matvec(y)
        out += (scale * float(xp.dot(t, y))) * t
        return out

    b = scale * t
    x = be.asarray(product_guess(basis, network))
    setup_time = time.perf_counter() - start

    history: list[float] = []
    iterations = 0
    cycles = 0
    tighten = 1.0
    residual = float("inf")
    while True:
        norm_x = float(xp.linalg.norm(x))
        atol = SAFETY * tol * norm_x * tighten

        def report(it: int, res: float, _n: float = norm_x) -> None:
            rel = res / _n
            history.append(rel)
            if callback is not None:
                callback(it, rel)

        out = gmres_right(
            apply_a, precond.apply_real, b, x, atol=atol, restart=m, maxiter=maxiter,
            xp=xp, callback=report, start_iteration=iterations,
        )
        x = out.x
        iterations += out.iterations
        cycles += out.cycles
        rho = x / float(xp.dot(t, x))
        residual = float(xp.linalg.norm(liouv.matvec(rho)) / xp.linalg.norm(rho))
        if residual <= tol:
            break
        if iterations >= maxiter or (out.iterations == 0 and tighten < 1e-4):
            last = history[-1] if history else residual
            raise ConvergenceError(
                f"GMRES did not reach ‖L[ρ]‖/‖ρ‖ ≤ {tol:.1e} within maxiter = {maxiter} "
                f"iterations (true residual {residual:.2e}, last estimate {last:.2e}, "
                f"restart {m}); try a larger maxiter or restart, a looser tol, or "
                f"method='direct' for small networks (N ≤ 7)"
            )
        # The Arnoldi estimate met the target but the true residual did not (rounding):
        # ask GMRES for more.
        tighten *= 0.1

    rho_host = be.to_host(liouv.to_complex(rho))
    blocks = sector.split(rho_host)
    state = BlockState(basis, {pair: blk.copy() for pair, blk in blocks.items()})
    from .steadystate import check_state  # late import: steadystate registers us

    return SteadyStateResult(
        state=state,
        network=network,
        method="gmres",
        residual=residual,
        checks=check_state(state),
        nogo=nogo_conditions_hold(network),
        info={
            "time": time.perf_counter() - start,
            "setup_time": setup_time,
            "iterations": iterations,
            "cycles": cycles,
            "residual_history": history,
            "sector": basis.kind,
            "sector_dim": dim,
            "restart": m,
            "tol": tol,
            "backend": be.name,
            "memory_estimate": format_bytes(need),
            "preconditioner": dict(precond.info),
        },
    )
