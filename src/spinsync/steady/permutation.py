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
from typing import Any

import numpy as np
import scipy.sparse.linalg as spla

from ..blas_threads import limit_blas_threads
from ..errors import ModelError, NumericalError
from ..liouvillian.permutation import part_liouvillian, part_nnz_estimate, part_terms
from ..model import Network
from ..model.groups import Partition, describe_no_groups, interchangeable_parts
from ..operators.permutation import PartSpace, sector_size
from ..resources import check_memory, format_bytes
from ..states.permutation import PermutationState
from .analytic import nogo_conditions_hold
from .checks import check_state
from .direct import DEGENERACY_COND, _smallest_singular_value, with_trace_row
from .plan import Plan
from .results import SteadyStateResult
from .uniqueness import certified_unique

__all__ = ["solve_permutation", "permutation_partition", "permutation_memory_estimate",
           "prefer_permutation", "EXACT_MAX_DIM"]

#: ``auto`` prefers the permutation method (when groups exist) above this exact sector
#: dimension: C(26, 13), the N = 13 sector that the exact GMRES solves in about 10 min and
#: 6.3 GiB on the 2-core reference machine (BENCHMARKS.md); N = 14 would take ~45 min.
EXACT_MAX_DIM = 10_400_600

#: Measured SuperLU (COLAMD) fill of the permutation Liouvillian: nnz(L + U) / dim^1.5 stayed
#: below 3 for one group with a single site (M ≤ 100, U(1) and none) — the sector is a
#: 2- or 3-dimensional grid in (j, m, m′) with nearest-neighbour couplings. Bound used for the
#: memory estimate (with a floor of 30 nonzeros per row).
_LU_FILL = 6.0


def permutation_memory_estimate(sector_dim: int, nnz: int) -> float:
    """Peak bytes: sector arrays, the assembled matrix (COO pieces + CSR + CSC) and LU factors."""
    lu = 16.0 * max(_LU_FILL * sector_dim**1.5, 30.0 * sector_dim)
    return 96.0 * sector_dim + 40.0 * nnz * 3 + lu


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


def solve_permutation(model: Any, *, symmetry: str = "auto", plan: Plan | None = None) -> SteadyStateResult:
    """Exact steady state in the permutation-invariant (Dicke) representation.

    Parameters
    ----------
    model
        A qubit :class:`~spinsync.model.Network` with at least one group of interchangeable
        sites.
    symmetry
        ``"auto"`` (the symmetry the terms keep) or a weaker one (``"parity"``, ``"none"``).

    Returns
    -------
    SteadyStateResult
        ``state`` is a :class:`~spinsync.states.permutation.PermutationState`; ``residual`` is
        ‖𝓛x‖₂/‖x‖₂ in the representative coordinates x (the Frobenius-norm residual of ρ,
        which weights each block by 1/D_b, is ``info["residual_frobenius"]``).

    Raises
    ------
    ModelError
        The model has no group of interchangeable qubits (the message names the closest
        pair and how it differs), is not a qubit network, or is not a Network.
    MemoryLimitError
        The sector's LU would not fit (estimated before anything is built).
    NumericalError
        The factorization failed or the steady state is not unique.
    """
    from .plan import make_plan

    start = time.perf_counter()
    plan = plan or make_plan(model, symmetry)
    partition = permutation_partition(model)
    dim = sector_size(partition.sizes, plan.symmetry)
    check_memory(permutation_memory_estimate(dim, 40 * dim),
                 what=f"the permutation solve ({partition.describe()}, sector dimension {dim})",
                 alternatives="use a stronger symmetry, fewer single sites, or --method cumulant")
    space = PartSpace.build(partition.parts, plan.symmetry)
    terms = part_terms(plan.terms, partition.parts, space.spaces)
    nnz_bound = part_nnz_estimate(terms, dim)
    need = permutation_memory_estimate(dim, nnz_bound)
    check_memory(need, what=f"the permutation Liouvillian ({nnz_bound} entries)",
                 alternatives="use --method cumulant")
    built = time.perf_counter()
    liouv = part_liouvillian(terms, space)
    system, rhs, _ = with_trace_row(liouv, space.trace_vector())
    certified = certified_unique(plan.terms)
    cond = None
    try:
        with limit_blas_threads(1):
            lu = spla.splu(system, permc_spec="COLAMD")
            vec = lu.solve(rhs)
            if not certified:
                cond = float(spla.norm(system)) / max(_smallest_singular_value(lu, dim), 1e-300)
    except RuntimeError as exc:
        raise NumericalError(f"sparse LU failed on the permutation Liouvillian ({exc}): the "
                             "steady state is not unique, or the system is numerically singular") from exc
    if cond is not None and not cond < DEGENERACY_COND:
        raise NumericalError(
            f"the steady state is not unique: the permutation Liouvillian has a second zero "
            f"mode (condition number of the trace-row system ≈ {cond:.1e})"
        )
    state = PermutationState(space, vec).hermitized()
    lx = liouv @ state.values
    residual = float(np.linalg.norm(lx) / np.linalg.norm(state.values))
    weights = np.exp(-space.block_weights())
    res_frob = float(np.sqrt(np.sum(np.abs(lx) ** 2 * weights))) / state.frobenius_norm()
    info = {
        "time": time.perf_counter() - start,
        "build_time": built - start,
        "parts": partition.describe(),
        "sector": plan.symmetry,
        "sector_dim": dim,
        "nnz": int(liouv.nnz),
        "lu_nnz": int(lu.L.nnz + lu.U.nnz),
        "memory_estimate": format_bytes(need),
        "uniqueness": "certified" if certified else "checked",
        "residual_frobenius": res_frob,
    }
    if cond is not None:
        info["condition_estimate"] = cond
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
