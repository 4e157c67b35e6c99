"""spinsync: steady states, dynamics and quantum synchronization of dissipative qubit networks.

Conventions follow ``docs/conventions.md``: basis (|↑⟩, |↓⟩) for qubits and |s, s⟩ … |s, −s⟩
for spins, σᶻ = diag(1, −1), σ± = (σˣ ± iσʸ)/2, sites 0 … N−1, the master equation of the
paper's Eq. (2) with its factor ½ in front of every dissipator, ħ = 1.

Data flow (one subpackage each): :mod:`.model` (the network as data) → :mod:`.operators`
(its compiled terms, their symmetry, block matrices) → :mod:`.liouvillian` (sparse and
matrix-free forms, the preconditioner) → :mod:`.steady` and :mod:`.dynamics` (solvers) →
:mod:`.measures` → :mod:`.sweeps`, :mod:`.figures`, :mod:`.theory` → :mod:`.cli`.
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    ConvergenceError,
    MemoryLimitError,
    ModelError,
    ModelFileError,
    NumericalError,
    SpinsyncError,
)

__version__ = "0.1.0"

#: Public name → the module that defines it. Imported on first use (PEP 562), so
#: ``import spinsync`` and ``spinsync --help`` stay fast; ``from spinsync import X`` and
#: ``spinsync.X`` work as with eager imports.
_EXPORTS: dict[str, str] = {
    # model and files
    "Network": "model", "Collective": "model", "rates_from_magnetization": "model",
    "magnetization_from_rates": "model", "load_model": "io",
    # states and solvers
    "BlockState": "states", "ProductState": "states", "PermutationState": "states",
    "MomentState": "states", "steady_state": "steady", "evolve_cumulant": "dynamics",
    "SteadyStateResult": "steady", "evolve": "dynamics", "EvolutionResult": "dynamics",
    # typed solver options
    "Gmres": "steady.options", "Direct": "steady.options", "Analytic": "steady.options",
    "Permutation": "steady.options", "Cumulant": "steady.options",
    "Dop853": "dynamics.options", "Taylor": "dynamics.options",
    # QuTiP in, QuTiP out (QuTiP itself is imported only when these are called)
    "steadystate": "interop.qutip", "mesolve": "interop.qutip", "to_qutip": "interop.qutip",
    # no-go theorem
    "product_state": "steady", "nogo_conditions_hold": "steady",
    "product_state_is_steady": "steady", "product_residual": "steady",
    "product_residual_terms": "steady",
    # measures
    "reduced_density_matrix": "measures", "local_expectation": "measures",
    "pair_expectation": "measures", "connected_correlation": "measures",
    "bloch_vectors": "measures", "magnetizations": "measures", "flipflop_matrix": "measures",
    "correlation_sums": "measures", "max_connected_correlation": "measures",
    "fidelity": "measures", "spin_expectations": "measures", "spin_flipflop_matrix": "measures",
    "spin_connected_correlators": "measures", "spin_max_connected_correlation": "measures",
    "von_neumann_entropy": "measures", "mutual_information": "measures",
    # synchronization
    "coherent_state": "measures", "husimi_q": "measures", "husimi_q_pair": "measures",
    "s_function": "measures", "s_function_integrated": "measures", "sync_max": "measures",
    "locked_phase": "measures", "sync_max_matrix": "measures", "sync_total": "measures",
    "two_qubit_flipflop": "measures", "site_s_function": "measures", "pair_s_function": "measures",
    "site_sync": "measures", "pair_sync": "measures", "site_sync_max": "measures",
    "site_locked_phase": "measures", "relative_entropy_of_sync": "measures",
    "l1_coherence": "measures", "concurrence": "measures", "log_negativity": "measures",
    "sigma_x_pearson": "measures", "observable": "measures",
}

__all__ = [
    "__version__", *_EXPORTS,
    # errors
    "SpinsyncError", "ModelError", "ModelFileError", "MemoryLimitError",
    "NumericalError", "ConvergenceError",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'spinsync' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # the eager imports, for type checkers and IDEs
    from .dynamics import EvolutionResult, evolve, evolve_cumulant
    from .dynamics.options import Dop853, Taylor
    from .interop.qutip import mesolve, steadystate, to_qutip
    from .io import load_model
    from .measures import (
        bloch_vectors, coherent_state, connected_correlation, correlation_sums, fidelity,
        flipflop_matrix, husimi_q, husimi_q_pair, local_expectation, locked_phase,
        magnetizations, max_connected_correlation, mutual_information, pair_expectation,
        reduced_density_matrix, s_function, s_function_integrated, spin_connected_correlators,
        spin_expectations, spin_flipflop_matrix, spin_max_connected_correlation, sync_max,
        sync_max_matrix, sync_total, two_qubit_flipflop, von_neumann_entropy,
        pair_s_function, pair_sync, site_locked_phase, site_s_function, site_sync, site_sync_max,
        relative_entropy_of_sync, l1_coherence, concurrence, log_negativity, sigma_x_pearson,
        observable,
    )
    from .model import Collective, Network, magnetization_from_rates, rates_from_magnetization
    from .states import BlockState, MomentState, PermutationState, ProductState
    from .steady import (
        SteadyStateResult, nogo_conditions_hold, product_residual, product_residual_terms,
        product_state, product_state_is_steady, steady_state,
    )
    from .steady.options import Analytic, Cumulant, Direct, Gmres, Permutation
