"""Approximate steady states by the cumulant expansion (``method="cumulant"``).

The closed moment equations (:mod:`spinsync.liouvillian.cumulant`: mean field, order 1, or
pair cumulants with third-order cumulants set to zero, order 2) are solved for their fixed
point dx/dt = F(x) = 0 by **pseudo-transient continuation** with inexact Newton–Krylov
steps: (σ − J) δ = F(x), J = ∂F/∂x applied by finite differences, solved by right-
preconditioned GMRES (:func:`~spinsync.steady.krylov.gmres_right`); σ starts at the model's
rate scale (implicit-Euler steps of length 1/σ from the product state ρ₀ of the local
steady states, C = 0) and shrinks as ‖F‖ falls (switched evolution relaxation), so the
iteration follows the dynamics to the attractor it reaches from ρ₀ and ends with Newton's
quadratic convergence. For up to :data:`DENSE_JACOBIAN_MAX` unknowns the preconditioner is the
exact LU of σ − J (J by finite differences); beyond, it inverts σ − (A_j ⊕ A_k) pair by pair,
A_j the 3×3 linearization of site j's own dynamics in its mean field (9×9 blocks formed once
per step from the eigenvectors of A_j): O(N²) per application. Strong couplings (U ≫ Γ) at
large N, which this pair-local preconditioner does not capture, converge slowly or not at all
(``ConvergenceError``).

**Approximate.** Results carry ``approximate = True``. Expected error regime (measured against
the exact engine in ``docs/beyond-exact.md``): mean field neglects all correlations
(⟨σ⁺_jσ⁻_k⟩ = ⟨σ⁺_j⟩⟨σ⁻_k⟩, which vanishes without drives, so S_t = 0 there); order 2 is exact
for two qubits and for any network whose third cumulants vanish. Beyond, its error grows with
the coupling as a second-order closure should — the relative error of S_t like (U/Γ)², that
of ⟨σᶻ⟩ like (U/Γ)⁴ — and for resonant all-to-all networks (Δ = 0, where coherences decay at only
Γ/4) it passes 10 % in S_t near U/Γ ≈ 0.05 and is tens of per cent to a factor ~2 for
U/Γ = 0.1 … 10 at N = 4 … 12: there it gives trends, not numbers. All-to-all couplings U₀/N
approach mean field as N grows. Moments can leave the physical domain;
:meth:`~spinsync.states.moments.MomentState.domain` is checked and reported
(``info["domain"]``, ``info["physical"]``), never silently.

Memory: O(N²) — the moment vector (3N + 9N(N − 1)/2 doubles), ~14 arrays of 16N² doubles
while the equations are evaluated, the GMRES basis of :data:`RESTART` + 1 moment vectors and
the preconditioner's 9×9 pair blocks: for N = 1000 about 3 GB estimated (measured peak
resident memory in docs/beyond-exact.md). It is estimated before anything is allocated.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ConvergenceError, ModelError
from ..liouvillian.cumulant import PAULI_BASIS, MomentEquations
from ..resources import check_memory, format_bytes
from ..states.moments import MomentState
from .analytic import local_steady_states, nogo_conditions_hold
from .checks import check_state
from .krylov import gmres_right
from .plan import Plan, terms_of
from .results import SteadyStateResult

__all__ = ["solve_cumulant", "DEFAULT_TOL", "RESTART", "MAX_STEPS"]

#: Target of max|dx/dt| / (rate scale): the moments' derivatives vanish to this fraction
#: of the fastest rate of the model.
DEFAULT_TOL = 1e-10
#: GMRES Krylov dimension per cycle (memory: RESTART + 1 moment vectors).
RESTART = 30
#: Pairs per chunk while the preconditioner's 9×9 blocks are formed (bounds the complex
#: temporaries to ~200 MB).
PAIR_CHUNK = 100_000
#: Up to this many unknowns (N ≲ 23 at order 2) the preconditioner is the exact LU of σ − J,
#: J by finite differences (one evaluation per unknown): strong couplings then converge in a
#: few steps; above it, the pair-local preconditioner of :class:`_Preconditioner`.
DENSE_JACOBIAN_MAX = 2500
#: GMRES cycles per pseudo-time step at most (strong couplings need more than one).
INNER_CYCLES = 3
#: Pseudo-time steps before giving up.
MAX_STEPS = 200
#: A step is rejected (and σ raised ×4) when ‖F‖₂ grows by more than this factor.
GROWTH_LIMIT = 10.0
#: Below σ = SIGMA_FLOOR × rate scale the step is a plain Newton step (σ = 0).
SIGMA_FLOOR = 1e-6


class _Preconditioner:
    """(σ − A_j ⊕ A_k)⁻¹ on moment vectors: 3×3 inverses per site, 9×9 inverses per pair.

    A_j is site j's linearized own dynamics in its mean field
    (:meth:`~spinsync.liouvillian.cumulant.MomentEquations.site_jacobian`); the pair
    operator acts on C_jk as A_j ⊗ 1 + 1 ⊗ A_k, so with A_j = V_j Λ_j V_j⁻¹ its inverse is
    (V_j ⊗ V_k)(σ − λ_j^a − λ_k^b)⁻¹(V_j⁻¹ ⊗ V_k⁻¹). These real 9×9 matrices are formed once
    per pseudo-time step by broadcasting (in chunks of :data:`PAIR_CHUNK` pairs; 648 bytes per
    pair kept) and applied as one batched mat-vec.
    """

    def __init__(self, eq: MomentEquations, m: NDArray, sigma: float) -> None:
        self.n = eq.n
        a = eq.site_jacobian(m)
        self.site = np.linalg.inv(sigma * np.eye(3)[None] - a)
        self.pair = None
        if eq.order == 2 and eq.n > 1:
            lam, vec = np.linalg.eig(a)
            inv = np.linalg.inv(vec)
            if not np.all(np.isfinite(inv)) or np.max(np.abs(inv)) * np.max(np.abs(vec)) > 1e8:
                vec, inv = None, None  # defective A_j: invert σ − A_j ⊕ A_k directly
            iu, ju = np.triu_indices(eq.n, 1)
            self.pair = np.empty((iu.size, 9, 9))
            eye3 = np.eye(3)
            for s_ in range(0, iu.size, PAIR_CHUNK):
                j, k = iu[s_:s_ + PAIR_CHUNK], ju[s_:s_ + PAIR_CHUNK]
                if vec is None:
                    op = (np.einsum("pab,cd->pacbd", a[j], eye3)
                          + np.einsum("ab,pcd->pacbd", eye3, a[k])).reshape(-1, 9, 9)
                    self.pair[s_:s_ + PAIR_CHUNK] = np.linalg.inv(sigma * np.eye(9)[None] - op)
                    continue
                d = 1.0 / (sigma - (lam[j][:, :, None] + lam[k][:, None, :]))  # (p, a', b')
                # W[p, a', y, ν] = Σ_b' V_k[y, b'] d[a', b'] V_k⁻¹[b', ν]
                w = np.einsum("pyb,pab,pbn->payn", vec[k], d, inv[k], optimize=True)
                # M[p, x, y, μ, ν] = Σ_a' V_j[x, a'] V_j⁻¹[a', μ] W[p, a', y, ν]
                mat = np.einsum("pxa,pam,payn->pxymn", vec[j], inv[j], w, optimize=True)
                self.pair[s_:s_ + PAIR_CHUNK] = np.real(mat).reshape(-1, 9, 9)

    def __call__(self, r: NDArray) -> NDArray:
        n = self.n
        out = np.empty_like(r)
        out[: 3 * n] = np.einsum("jab,jb->ja", self.site, r[: 3 * n].reshape(n, 3)).ravel()
        if self.pair is not None:
            rc = r[3 * n:].reshape(9, -1).T  # (pairs, 9): index 3μ + ν
            out[3 * n:] = np.einsum("pab,pb->ap", self.pair, rc).ravel()
        return out


class _DensePreconditioner:
    """(σ − J)⁻¹ with J the Jacobian by finite differences (small systems: an exact inverse)."""

    def __init__(self, eq: MomentEquations, x: NDArray, f: NDArray, sigma: float) -> None:
        from scipy.linalg import lu_factor

        size = x.size
        h = 1e-7 * max(float(np.linalg.norm(x)), 1.0)
        jac = np.empty((size, size))
        for i in range(size):
            e = x.copy()
            e[i] += h
            jac[:, i] = (eq.rhs_vector(e) - f) / h
        self.evaluations = size
        self.lu = lu_factor(sigma * np.eye(size) - jac)

    def __call__(self, r: NDArray) -> NDArray:
        from scipy.linalg import lu_solve

        return lu_solve(self.lu, r)


def _initial(eq: MomentEquations, model: Any) -> NDArray:
    """ρ₀ of the local steady states (zero Bloch vector where a site has none), C = 0."""
    rhos = local_steady_states(model)
    m = np.zeros((eq.n, 3))
    pauli = PAULI_BASIS[1:]  # σˣ, σʸ, σᶻ
    for j, r in enumerate(rhos):
        if r is not None:
            m[j] = np.real(np.einsum("ab,mba->m", r, pauli))
    c = np.zeros((3, 3, eq.n, eq.n)) if eq.order == 2 else None
    return eq.pack(m, c)


def _newton_ptc(eq: MomentEquations, x: NDArray, scale: float, tol: float, max_steps: int,
                restart: int) -> tuple[NDArray, dict[str, Any]]:
    """Pseudo-transient continuation (module docstring); returns x and iteration data."""
    f = eq.rhs_vector(x)
    res = float(np.max(np.abs(f))) / scale
    norm_f = float(np.linalg.norm(f))
    sigma = scale
    history = [res]
    evaluations, gmres_its, steps, rejected, builds = 1, 0, 0, 0, 0
    prec, prec_sigma, prec_m = None, 0.0, None
    while res > tol:
        if steps >= max_steps:
            raise ConvergenceError(
                f"cumulant steady state: max|dx/dt| = {res:.1e} × rate scale after {steps} "
                f"pseudo-time steps (target {tol:.0e}); the closed equations may have no stable "
                "fixed point here (a limit cycle) — try dynamics (spinsync.dynamics.cumulant)")
        steps += 1
        m = x[: 3 * eq.n].reshape(eq.n, 3)
        # The preconditioner is rebuilt when the shift or the mean field has moved; a shift
        # far below the rates (σ < 1e-3 × scale) no longer changes it.
        s_eff = max(sigma, 1e-3 * scale)
        if (prec is None or not 1 / 3 <= s_eff / prec_sigma <= 3
                or float(np.max(np.abs(m - prec_m))) > 1e-2):
            if x.size <= DENSE_JACOBIAN_MAX:
                prec = _DensePreconditioner(eq, x, f, sigma)
                evaluations += prec.evaluations
            else:
                prec = _Preconditioner(eq, m, sigma)
            prec_sigma, prec_m = s_eff, m.copy()
            builds += 1
        norm_x = max(float(np.linalg.norm(x)), 1.0)
        count = [0]

        def apply(v: NDArray) -> NDArray:
            nv = float(np.linalg.norm(v))
            if nv == 0:
                return np.zeros_like(v)
            h = 1e-7 * norm_x / nv
            count[0] += 1
            return sigma * v - (eq.rhs_vector(x + h * v) - f) / h

        eta = min(0.1, max(1e-3, res))  # inexact Newton forcing
        out = gmres_right(apply, prec, f, np.zeros_like(f), atol=eta * norm_f,
                          restart=restart, maxiter=INNER_CYCLES * restart)
        evaluations += count[0]
        gmres_its += out.iterations
        trial = x + out.x
        f_trial = eq.rhs_vector(trial)
        evaluations += 1
        norm_trial = float(np.linalg.norm(f_trial))
        if np.isfinite(norm_trial) and norm_trial < GROWTH_LIMIT * norm_f:
            # switched evolution relaxation: the pseudo-time step grows as ‖F‖ falls
            sigma = sigma * norm_trial / norm_f
            if sigma < SIGMA_FLOOR * scale:
                sigma = 0.0  # Newton
            x, f, norm_f = trial, f_trial, norm_trial
            res = float(np.max(np.abs(f))) / scale
        else:
            rejected += 1
            sigma = max(4.0 * sigma, scale)
        history.append(res)
    return x, {"steps": steps, "rejected_steps": rejected, "preconditioner_builds": builds,
               "evaluations": evaluations,
               "gmres_iterations": gmres_its, "residual_history": history}


def solve_cumulant(model: Any, *, order: int = 2, tol: float = DEFAULT_TOL,
                   max_steps: int = MAX_STEPS, restart: int = RESTART,
                   plan: Plan | None = None) -> SteadyStateResult:
    """Approximate steady state by the cumulant expansion (module docstring).

    Parameters
    ----------
    model
        A qubit :class:`~spinsync.model.Network` (or its compiled terms): every term of the
        general model — gain, damping, dephasing, drives, fields, XYZ bonds, collective
        channels.
    order
        1 (mean field) or 2 (pair cumulants, the default).
    tol
        Stop when max|dx/dt| ≤ tol × (rate scale of the model).

    Returns
    -------
    SteadyStateResult
        ``state`` is a :class:`~spinsync.states.moments.MomentState`, ``approximate`` is True,
        ``residual`` is max|dx/dt| / (rate scale) of the closed equations (not of the master
        equation), ``info["domain"]`` says whether the moments are physical.

    Raises
    ------
    ModelError
        A spin network or an unknown order.
    MemoryLimitError
        The moment vectors and the Krylov basis would not fit (checked before allocating).
    ConvergenceError
        No fixed point reached in ``max_steps`` pseudo-time steps.
    """
    start = time.perf_counter()
    terms = terms_of(model)
    if terms.convention != "qubits":
        raise ModelError("method = 'cumulant' is for qubit networks (Pauli conventions)")
    n = terms.n
    unknowns = 3 * n + (9 * n * (n - 1) // 2 if order == 2 else 0)
    need = 8.0 * unknowns * (restart + 6) + 8.0 * 16 * n * n * (14 if order == 2 else 1)
    if order == 2:
        need += 8.0 * 81 * n * (n - 1) / 2 + 16.0 * 81 * 2 * PAIR_CHUNK  # preconditioner blocks
    check_memory(need, what=f"the order-{order} cumulant solve of {n} qubits ({unknowns} moments)",
                 alternatives="use order 1 (mean field)")
    eq = MomentEquations(terms, order)
    scale = max(terms.rate_scale(), 1e-300)
    x, info = _newton_ptc(eq, _initial(eq, model), scale, tol, max_steps, restart)
    m, c = eq.unpack(x)
    state = MomentState(np.array(m), None if c is None else c)
    domain = state.domain()
    info.update({
        "time": time.perf_counter() - start,
        "order": order,
        "approximate": True,
        "unknowns": unknowns,
        "memory_estimate": format_bytes(need),
        "domain": domain.describe(),
        "physical": domain.physical,
        "max_bloch_length": domain.max_bloch,
        "min_pair_eigenvalue": domain.min_pair_eigenvalue,
        "error_regime": ("mean field: no correlations (S_t = 0 without drives)" if order == 1 else
                         "pair cumulants: exact for two qubits; S_t error ∝ (U/Γ)², above 10 % "
                         "near U/Γ ≈ 0.05 for resonant all-to-all networks (docs/beyond-exact.md)"),
    })
    return SteadyStateResult(
        state=state,
        network=model,
        method="cumulant",
        residual=float(info["residual_history"][-1]),
        checks=check_state(state),
        nogo=nogo_conditions_hold(model),
        info=info,
        symmetry="none",
        approximate=True,
    )
