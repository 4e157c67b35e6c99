"""Exact steady states of networks with groups of identical qubits (``method="permutation"``).

When sites fall into groups of interchangeable qubits (:mod:`spinsync.model.groups`: equal
rates and local terms, equal couplings inside the group and to every other site, the same
collective channels), the unique steady state commutes with the permutations inside every
group. It is then exactly represented by the Dicke-basis blocks of Shammah et al.
(PRA 98, 063815 (2018); the method of ``qutip.piqs``), generalized here to several parts —
one or more groups plus single sites (:mod:`spinsync.operators.permutation`): O(M³)
unknowns per group of M qubits instead of 4ᴹ, and O(M²) under U(1) (a single group's
representative blocks are then diagonal).

Supported: local gain, damping and dephasing, z fields and drives, XXZ or XYZ couplings
inside and between parts, collective channels over whole parts. The Liouvillian on the
sector (:mod:`spinsync.liouvillian.permutation`) is solved with the trace row by sparse LU,
as the exact direct solver does; the result is exact to rounding.

Sizes (sector dimension, U(1)): memory qubit + M = 50 identical qubits: 2652; one group of
100: 2601; without U(1) (drives): 93 704 and 176 851. Two groups of 25 + 1 site: 74 256.

``auto`` uses this method when the network has a group and the exact engine's sector is
beyond what it solves in minutes (N ≥ 14 qubits): see :func:`prefer_permutation`.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..blas_threads import limit_blas_threads
from ..errors import ConvergenceError, ModelError, NumericalError
from ..liouvillian.permutation import part_liouvillian, part_nnz_estimate, part_terms
from ..model import Network
from ..model.groups import Partition, describe_no_groups, interchangeable_parts
from ..operators.permutation import PartSpace, charge_sizes
from ..resources import check_memory, format_bytes
from ..states.permutation import PermutationState
from .analytic import nogo_conditions_hold
from .checks import check_state
from .direct import DEGENERACY_COND, smallest_singular_value, with_trace_row
from .gmres import UNIQUENESS_RTOL
from .krylov import gmres_right
from .plan import Plan
from .results import SteadyStateResult
from .uniqueness import certified_unique

__all__ = ["solve_permutation", "permutation_partition", "permutation_memory_estimate",
           "prefer_permutation", "EXACT_MAX_DIM"]

#: ``auto`` prefers the permutation method (when groups exist) above this exact sector
#: dimension: C(26, 13), the N = 13 sector that the exact GMRES solves in 4.7 min and
#: 11.6 GiB on the 2-core reference machine (BENCHMARKS.md); N = 14 took 28 min, 17.5 GiB.
EXACT_MAX_DIM = 10_400_600

#: Measured SuperLU (COLAMD) fill of one charge block: nnz(L + U)/dim^1.5 = 1.5 for one group
#: of 100 (U(1)), 4.8–7.7 for a memory qubit with M = 10…50 identical qubits (U(1)). Bound used
#: for the memory estimate (with a floor of 30 nonzeros per row).
_LU_FILL = 8.0

#: Default ‖𝓛x‖₂/‖x‖₂ target when GMRES is needed (the LU path reaches ~1e-14 directly).
DEFAULT_TOL = 1e-13

#: Krylov dimension per GMRES cycle.
GMRES_RESTART = 100


def permutation_memory_estimate(charge_dims: Sequence[int], nnz: int, gmres: bool = False) -> float:
    """Peak bytes: sector arrays, the assembled matrix (COO pieces + CSR + CSC), the LU factors
    of every charge block and (``gmres``, when several blocks) the Krylov basis."""
    dim = float(sum(charge_dims))
    lu = 16.0 * sum(max(_LU_FILL * float(d) ** 1.5, 30.0 * d) for d in charge_dims)
    basis = 16.0 * dim * (GMRES_RESTART + 1) if gmres and len(charge_dims) > 1 else 0.0
    return 96.0 * dim + 40.0 * nnz * 3 + lu + basis


def permutation_partition(model: Any) -> Partition:
    """The network's parts, or ModelError (one line) saying why the method does not apply."""
    if not isinstance(model, Network):
        raise ModelError("method = 'permutation' needs a Network (it reads which sites are "
                         "interchangeable from the model's parameters)")
    if not model.is_qubits:
        raise ModelError("method = 'permutation' is for qubit networks; this network has spins")
    partition = interchangeable_parts(model)
    if not partition.has_groups:
        raise ModelError(
            "method = 'permutation': no two sites are interchangeable (equal rates, local "
            "terms, couplings to every other site and collective channels): "
            + describe_no_groups(model)
        )
    return partition


def prefer_permutation(model: Any, plan: Plan) -> bool:
    """Whether ``auto`` uses this method: the network has a group and the exact sector is
    larger than :data:`EXACT_MAX_DIM` (N ≥ 14 qubits under U(1)).

    Machine-independent on purpose (the same model gets the same method everywhere). Below
    it the exact engine is kept: it needs no group structure and is the reference.
    """
    if plan.sector_dim <= EXACT_MAX_DIM or not isinstance(model, Network) or not model.is_qubits:
        return False
    return interchangeable_parts(model).has_groups


def solve_permutation(model: Any, *, symmetry: str = "auto", plan: Plan | None = None,
                      tol: float = DEFAULT_TOL, maxiter: int = 2000) -> SteadyStateResult:
    """Exact steady state in the permutation-invariant (Dicke) representation.

    Parameters
    ----------
    model
        A qubit :class:`~spinsync.model.Network` with at least one group of interchangeable
        sites.
    symmetry
        ``"auto"`` (the symmetry the terms keep) or a weaker one (``"parity"``, ``"none"``).
    tol, maxiter
        Only when some term changes the charge (drives, Uˣ ≠ Uʸ): GMRES stops at
        ‖𝓛x‖₂/‖x‖₂ ≤ tol (default 1e-13) within ``maxiter`` iterations.

    Returns
    -------
    SteadyStateResult
        ``state`` is a :class:`~spinsync.states.permutation.PermutationState`; ``residual`` is
        ‖𝓛x‖₂/‖x‖₂ in the representative coordinates x (the Frobenius-norm residual of ρ,
        which weights each block by 1/D_b, is ``info["residual_frobenius"]``).

    Method
    ------
    𝓛 = 𝓛₀ + 𝓛₁, where 𝓛₀ keeps the charge (K_bra − K_ket) and 𝓛₁ changes it. 𝓛₀ is
    block diagonal in the charge; each block (with the trace row in the charge-0 block) is
    factored by SuperLU — their fill grows like a 2-D problem, while the full sector's
    grows like dim^1.5 (measured: one group of 40 without U(1), 6.6e6 vs 2.9e5 factor
    entries). Under U(1) 𝓛₁ = 0 and this *is* the direct solve. Otherwise right-preconditioned
    GMRES (:func:`~spinsync.steady.krylov.gmres_right`) solves the trace-row system with the
    block LU as preconditioner: 21 iterations for 100 qubits driven at Ω = 0.5 (collective
    decay 0.2, pump 1), 130 at Ω = 3.

    Raises
    ------
    ModelError
        The model has no group of interchangeable qubits (the message names the closest
        pair and how it differs), is not a qubit network, or is not a Network.
    MemoryLimitError
        The factors would not fit (estimated before anything is built).
    NumericalError
        The factorization failed or the steady state is not unique.
    ConvergenceError
        GMRES did not reach ``tol`` within ``maxiter`` iterations.
    """
    from .plan import make_plan

    start = time.perf_counter()
    plan = plan or make_plan(model, symmetry)
    partition = permutation_partition(model)
    counts = charge_sizes(partition.sizes, plan.symmetry)
    dim = sum(counts)
    need0 = permutation_memory_estimate(counts, 40 * dim, gmres=True)
    check_memory(need0, what=f"the permutation solve ({partition.describe()}, sector dimension {dim})",
                 alternatives="use --method cumulant")
    space = PartSpace.build(partition.parts, plan.symmetry)
    terms = part_terms(plan.terms, partition.parts, space.spaces)
    nnz_bound = part_nnz_estimate(terms, dim)
    need = permutation_memory_estimate(counts, nnz_bound, gmres=True)
    check_memory(need, what=f"the permutation Liouvillian ({nnz_bound} entries)",
                 alternatives="use --method cumulant")
    liouv = part_liouvillian(terms, space)
    built = time.perf_counter()
    trace = space.trace_vector()
    system, rhs, _ = with_trace_row(liouv, trace)
    charge = space.charge()
    blocks = _ChargeBlocks(system, charge)
    certified = certified_unique(plan.terms)
    info: dict[str, Any] = {}
    with limit_blas_threads(1):
        vec = blocks.solve(rhs)
        if blocks.coupling_nnz == 0:
            method_used = "sparse LU"
            if not certified:
                cond = float(spla.norm(system)) / max(blocks.smallest_singular_value(), 1e-300)
                info["condition_estimate"] = cond
                if not cond < DEGENERACY_COND:
                    raise NumericalError(
                        "the steady state is not unique: the permutation Liouvillian has a second "
                        f"zero mode (condition number of the trace-row system ≈ {cond:.1e})")
        else:
            method_used = "GMRES, charge-block LU preconditioner"
            vec, its = _gmres(system, blocks, rhs, vec, liouv, trace, tol, maxiter)
            info["iterations"] = its
            if not certified:
                rng = np.random.default_rng(12345)
                x0 = rng.standard_normal(dim) + 1j * rng.standard_normal(dim)
                other, _ = _gmres(system, blocks, rhs, x0 / np.linalg.norm(x0), liouv, trace, tol, maxiter)
                diff = float(np.linalg.norm(other - vec) / np.linalg.norm(vec))
                info["uniqueness_difference"] = diff
                if not diff <= UNIQUENESS_RTOL:
                    raise NumericalError(
                        "the steady state is not unique: GMRES from two starting states converged "
                        f"to states {diff:.1e} apart (relative)")
    state = PermutationState(space, vec).hermitized()
    lx = liouv @ state.values
    residual = float(np.linalg.norm(lx) / np.linalg.norm(state.values))
    weights = np.exp(-space.block_weights())
    res_frob = float(np.sqrt(np.sum(np.abs(lx) ** 2 * weights))) / state.frobenius_norm()
    info.update({
        "time": time.perf_counter() - start,
        "build_time": built - start,
        "solver": method_used,
        "parts": partition.describe(),
        "sector": plan.symmetry,
        "sector_dim": dim,
        "charge_blocks": len(blocks.rows),
        "nnz": int(liouv.nnz),
        "lu_nnz": blocks.lu_nnz,
        "memory_estimate": format_bytes(need),
        "uniqueness": "certified" if certified else "checked",
        "residual_frobenius": res_frob,
    })
    return SteadyStateResult(
        state=state,
        network=model,
        method="permutation",
        residual=residual,
        checks=check_state(state),
        nogo=nogo_conditions_hold(model),
        info=info,
        symmetry=plan.symmetry,
    )


class _ChargeBlocks:
    """SuperLU factors of the charge-conserving part of a system, one per charge block."""

    def __init__(self, system, charge: np.ndarray) -> None:
        coo = system.tocoo()
        same = charge[coo.row] == charge[coo.col]
        self.coupling_nnz = int(np.count_nonzero(~same & (coo.data != 0)))
        order = np.argsort(charge, kind="stable")
        bounds = np.flatnonzero(np.diff(charge[order])) + 1
        self.rows = np.split(order, bounds)
        local = np.empty(charge.size, dtype=np.int64)
        for rows in self.rows:
            local[rows] = np.arange(rows.size)
        block_of = np.empty(charge.size, dtype=np.int64)
        for b, rows in enumerate(self.rows):
            block_of[rows] = b
        r, c, v = coo.row[same], coo.col[same], coo.data[same]
        by_block = block_of[r]
        sort = np.argsort(by_block, kind="stable")
        r, c, v, by_block = r[sort], c[sort], v[sort], by_block[sort]
        cuts = np.searchsorted(by_block, np.arange(len(self.rows) + 1))
        self.lus = []
        try:
            for b, rows in enumerate(self.rows):
                sl = slice(cuts[b], cuts[b + 1])
                mat = sp.csc_matrix((v[sl], (local[r[sl]], local[c[sl]])), shape=(rows.size,) * 2)
                self.lus.append(spla.splu(mat, permc_spec="COLAMD"))
        except RuntimeError as exc:  # "Factor is exactly singular"
            raise NumericalError(
                f"sparse LU failed on the permutation Liouvillian ({exc}): the steady state is "
                "not unique, or the system is numerically singular") from exc
        self.lu_nnz = int(sum(lu.L.nnz + lu.U.nnz for lu in self.lus))

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        out = np.empty_like(rhs, dtype=complex)
        for rows, lu in zip(self.rows, self.lus):
            out[rows] = lu.solve(rhs[rows].astype(complex))
        return out

    def smallest_singular_value(self) -> float:
        return min(smallest_singular_value(lu, rows.size) for rows, lu in zip(self.rows, self.lus))


def _gmres(system, blocks: _ChargeBlocks, rhs, x0, liouv, trace, tol: float, maxiter: int):
    """Right-preconditioned GMRES until ‖𝓛x‖/‖x‖ ≤ tol (checked on the true residual)."""
    mat = system.tocsr()
    x = x0
    spent = 0
    while True:
        norm_x = max(float(np.linalg.norm(x)), 1e-300)
        out = gmres_right(lambda v: mat @ v, blocks.solve, rhs, x, atol=0.5 * tol * norm_x,
                          restart=GMRES_RESTART, maxiter=maxiter, start_iteration=spent)
        spent += out.iterations
        x = out.x
        x = x / (trace @ x)  # Tr ρ = 1 (the trace row)
        res = float(np.linalg.norm(liouv @ x) / np.linalg.norm(x))
        if res <= tol:
            return x, spent
        if spent >= maxiter or out.iterations == 0:
            raise ConvergenceError(
                f"permutation GMRES did not reach ‖𝓛x‖/‖x‖ ≤ {tol:.0e} in {spent} iterations "
                f"(reached {res:.1e}); raise maxiter")
