"""Restarted GMRES with right preconditioning, for NumPy or CuPy vectors.

Solves A x = b by minimizing ‖b − A M u‖ over Krylov spaces of A M, with x = x₀ + M u.
Right preconditioning keeps the minimized quantity the *true* residual of A x = b (left
preconditioning would minimize ‖M(b − Ax)‖), so the stopping test means what it says.

Arnoldi uses classical Gram–Schmidt (CGS): matrix–vector products with the basis per
step (BLAS-2, multithreaded) instead of k dot products. A second pass re-orthogonalizes
only when the first removed most of the vector, ‖w′‖ < ‖w‖/√2 (the criterion of Daniel,
Gragg, Kaufman and Stewart, Math. Comp. 30, 1976: "twice is enough"); then the basis is as
orthogonal as with modified Gram–Schmidt, and a step that does not need the second pass
reads the basis twice instead of four times. (With the steady-state preconditioners A·M ≈ I,
so nearly every step cancels and takes it.) The basis is one preallocated (restart + 1) × n
array — the solver's main memory cost; only the vectors a cycle writes are backed by memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["GmresOutcome", "gmres_right", "REORTHOGONALIZE"]

#: A second Gram–Schmidt pass runs when the first leaves less than this fraction of ‖w‖
#: (1/√2, the DGKS criterion).
REORTHOGONALIZE = 2.0**-0.5

Apply = Callable[[Any], Any]


@dataclass
class GmresOutcome:
    """What :func:`gmres_right` did.

    ``residual_history`` holds the Arnoldi estimate of ‖b − A x‖ after each iteration
    (exact in exact arithmetic), one entry per application of A.
    """

    x: Any
    converged: bool
    iterations: int
    residual_history: list[float] = field(default_factory=list)
    cycles: int = 0
    reorthogonalized: int = 0


def _rotation(a: complex, b: float) -> tuple[complex, complex, float]:
    """Givens (c, s) with [[c̄, s̄], [−s, c]]·(a, b) = (ρ, 0), ρ = ‖(a, b)‖ ≥ 0."""
    rho = float(np.hypot(abs(a), abs(b)))
    if rho == 0.0:
        return 1.0, 0.0, 0.0
    return a / rho, b / rho, rho


def gmres_right(
    apply_a: Apply,
    apply_m: Apply,
    b: Any,
    x0: Any,
    *,
    atol: float,
    restart: int,
    maxiter: int,
    xp: Any = np,
    callback: Callable[[int, float], None] | None = None,
    start_iteration: int = 0,
    flexible: bool = False,
    cycle_rtol: float = 0.0,
) -> GmresOutcome:
    """Right-preconditioned restarted GMRES(restart), or flexible GMRES (FGMRES).

    Parameters
    ----------
    apply_a, apply_m
        x ↦ A x and x ↦ M x (M ≈ A⁻¹), both linear and fixed.
    b, x0
        Right-hand side and initial guess (same dtype, real or complex).
    atol
        Stop when the residual estimate ‖b − A x‖ ≤ atol.
    restart
        Krylov dimension per cycle (memory: (restart + 1)·n entries).
    maxiter
        Largest total number of applications of A M, counting from ``start_iteration``.
    callback
        Called as ``callback(iteration, residual_estimate)`` after each iteration.
    start_iteration
        Iterations already spent (when the caller resumes), for numbering and the budget.
    flexible
        Store z_k = M v_k and update x with Σ y_k z_k (Saad's FGMRES). Then A Z = V H holds
        for the z_k actually computed, so a preconditioner that is not exactly linear (one
        applied in single precision) costs no extra iterations; memory: a second basis of
        ``restart`` vectors.
    cycle_rtol
        End a cycle (and restart from the true residual) once the estimate has fallen by
        this factor from the cycle's start. For a preconditioner that is not exactly linear
        in plain GMRES: x = x₀ + M(V y) then misses the Arnoldi estimate by ~M's rounding
        (relative 1e-7–1e-6 in single precision), so iterating a cycle beyond that only
        costs; 0 (default) runs each cycle to ``atol`` or ``restart``.
    """
    n = b.size
    dtype = b.dtype
    is_complex = np.iscomplexobj(b)
    basis = xp.empty((restart + 1, n), dtype=dtype)
    zs = xp.empty((restart, n), dtype=dtype) if flexible else None
    x = x0.copy()
    history: list[float] = []
    it = start_iteration
    cycles = 0
    reorthogonalized = 0
    converged = False

    def dot_basis(k: int, w: Any) -> Any:
        v = basis[: k + 1]
        return (v.conj() if is_complex else v) @ w

    while it < maxiter:
        cycles += 1
        r = b - apply_a(x)
        beta = float(xp.linalg.norm(r))
        if beta <= atol:
            converged = True
            break
        basis[0] = r / beta
        del r
        hess = np.zeros((restart + 1, restart), dtype=complex if is_complex else float)
        g = np.zeros(restart + 1, dtype=hess.dtype)
        g[0] = beta
        rotations: list[tuple[complex, complex]] = []
        k_done = 0
        for k in range(restart):
            if zs is not None:
                zs[k] = apply_m(basis[k])
                w = apply_a(zs[k])
            else:
                w = apply_a(apply_m(basis[k]))
            norm_w = float(xp.linalg.norm(w))
            h = dot_basis(k, w)
            w -= basis[: k + 1].T @ h
            hnext = float(xp.linalg.norm(w))
            if hnext < REORTHOGONALIZE * norm_w:
                h2 = dot_basis(k, w)  # second pass (DGKS): cancellation took most of w
                w -= basis[: k + 1].T @ h2
                h = h + h2
                hnext = float(xp.linalg.norm(w))
                reorthogonalized += 1
            col = np.zeros(restart + 1, dtype=hess.dtype)
            col[: k + 1] = np.asarray(h if xp is np else xp.asnumpy(h))
            col[k + 1] = hnext
            if hnext > 0:
                xp.divide(w, hnext, out=basis[k + 1])
            del w
            for i, (c, s) in enumerate(rotations):
                a1, a2 = col[i], col[i + 1]
                col[i] = np.conj(c) * a1 + np.conj(s) * a2
                col[i + 1] = -s * a1 + c * a2
            c, s, rho = _rotation(col[k], hnext)
            rotations.append((c, s))
            col[k], col[k + 1] = rho, 0.0
            g[k], g[k + 1] = np.conj(c) * g[k], -s * g[k]
            hess[:, k] = col
            it += 1
            k_done = k + 1
            res = float(abs(g[k + 1]))
            history.append(res)
            if callback is not None:
                callback(it, res)
            # hnext == 0: the Krylov space is invariant, the solution is exact in it.
            if res <= max(atol, cycle_rtol * beta) or it >= maxiter or hnext == 0:
                break
        y = np.linalg.solve(np.triu(hess[:k_done, :k_done]), g[:k_done])
        if xp is not np:
            y = xp.asarray(y)
        if zs is not None:
            x = x + zs[:k_done].T @ y
        else:
            x = x + apply_m(basis[:k_done].T @ y)
        if history and history[-1] <= atol:
            converged = True
            break
    return GmresOutcome(x=x, converged=converged, iterations=it - start_iteration,
                        residual_history=history, cycles=cycles,
                        reorthogonalized=reorthogonalized)
