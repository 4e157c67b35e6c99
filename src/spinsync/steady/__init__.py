"""Steady-state solvers: analytic ρ₀, sparse direct, matrix-free GMRES — all on the compiled terms —
and, beyond exact reach, the permutation method (exact, groups of identical qubits) and the
cumulant expansion (approximate).

Layout: :mod:`.plan` (symmetry and sizes, before anything is built) → :mod:`.uniqueness`
(certificate or refusal) and :mod:`.irreducibility` (the certificate that covers chains) →
the methods (:mod:`.analytic`, :mod:`.direct`, :mod:`.gmres` with the Krylov core
:mod:`.krylov`, :mod:`.permutation`, :mod:`.cumulant`) → :mod:`.checks` →
:class:`.results.SteadyStateResult`; :mod:`.api` dispatches.
"""

from .analytic import (
    BondResidual,
    local_steady_states,
    nogo_conditions_hold,
    product_residual,
    product_residual_terms,
    product_state,
    product_state_is_steady,
)
from .api import DIRECT_MAX_DIM, METHODS, choose_method, register_method, steady_state
from .checks import CHECK_TOLERANCE, check_state
from .cumulant import solve_cumulant
from .direct import direct_memory_estimate
from .gmres import gmres_memory_estimate
from .permutation import solve_permutation
from .plan import Plan, make_plan
from .irreducibility import IrreducibilityReport, certify_irreducible
from .results import StateChecks, SteadyStateResult
from .uniqueness import certified_unique, check_uniqueness, isolated_sites

__all__ = [
    "steady_state", "choose_method", "METHODS", "register_method", "DIRECT_MAX_DIM",
    "SteadyStateResult", "StateChecks", "check_state", "CHECK_TOLERANCE",
    "product_state", "local_steady_states", "nogo_conditions_hold", "product_state_is_steady",
    "product_residual", "product_residual_terms", "BondResidual",
    "Plan", "make_plan", "direct_memory_estimate", "gmres_memory_estimate",
    "certified_unique", "check_uniqueness", "isolated_sites",
    "certify_irreducible", "IrreducibilityReport",
    "solve_permutation", "solve_cumulant",
]
