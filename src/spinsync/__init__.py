"""spinsync: steady states, dynamics and quantum synchronization of dissipative qubit networks.

Conventions follow ``docs/conventions.md``: basis (|↑⟩, |↓⟩) for qubits and |s, s⟩ … |s, −s⟩
for spins, σᶻ = diag(1, −1), σ± = (σˣ ± iσʸ)/2, sites 0 … N−1, the master equation of the
paper's Eq. (2) with its factor ½ in front of every dissipator, ħ = 1.

Data flow (one subpackage each): :mod:`.model` (the network as data) → :mod:`.operators`
(its compiled terms, their symmetry, block matrices) → :mod:`.liouvillian` (sparse and
matrix-free forms, the preconditioner) → :mod:`.steady` and :mod:`.dynamics` (solvers) →
:mod:`.measures` → :mod:`.sweeps`, :mod:`.figures`, :mod:`.theory` → :mod:`.cli`.
"""

from .errors import (
    ConvergenceError,
    MemoryLimitError,
    ModelError,
    ModelFileError,
    NumericalError,
    SpinsyncError,
)
from .dynamics import EvolutionResult, evolve
from .io import load_model
from .measures import (
    bloch_vectors,
    connected_correlation,
    correlation_sums,
    fidelity,
    flipflop_matrix,
    local_expectation,
    magnetizations,
    max_connected_correlation,
    mutual_information,
    pair_expectation,
    reduced_density_matrix,
    spin_connected_correlators,
    spin_expectations,
    spin_flipflop_matrix,
    spin_max_connected_correlation,
    von_neumann_entropy,
)
from .model import Collective, Network, magnetization_from_rates, rates_from_magnetization
from .states import BlockState, ProductState
from .steady import (
    SteadyStateResult,
    nogo_conditions_hold,
    product_residual,
    product_residual_terms,
    product_state,
    product_state_is_steady,
    steady_state,
)
from .measures.sync import (
    coherent_state,
    husimi_q,
    husimi_q_pair,
    locked_phase,
    s_function,
    s_function_integrated,
    sync_max,
    sync_max_matrix,
    sync_total,
    two_qubit_flipflop,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # model and files
    "Network", "Collective", "load_model", "rates_from_magnetization", "magnetization_from_rates",
    # states and solvers
    "BlockState", "ProductState", "steady_state", "SteadyStateResult", "evolve",
    "EvolutionResult",
    # no-go theorem
    "product_state", "nogo_conditions_hold", "product_state_is_steady",
    "product_residual", "product_residual_terms",
    # measures
    "reduced_density_matrix", "local_expectation", "pair_expectation",
    "connected_correlation", "bloch_vectors", "magnetizations", "flipflop_matrix",
    "correlation_sums", "max_connected_correlation", "fidelity",
    "spin_expectations", "spin_flipflop_matrix", "spin_connected_correlators",
    "spin_max_connected_correlation", "von_neumann_entropy", "mutual_information",
    # synchronization
    "coherent_state", "husimi_q", "husimi_q_pair", "s_function", "s_function_integrated",
    "sync_max", "locked_phase", "sync_max_matrix", "sync_total", "two_qubit_flipflop",
    # errors
    "SpinsyncError", "ModelError", "ModelFileError", "MemoryLimitError",
    "NumericalError", "ConvergenceError",
]
