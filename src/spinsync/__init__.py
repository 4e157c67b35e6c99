"""spinsync: steady states, dynamics and quantum synchronization of dissipative qubit networks.

Conventions follow ``CONVENTIONS.md`` of the project: basis (|↑⟩, |↓⟩), σᶻ = diag(1, −1),
σ± = (σˣ ± iσʸ)/2, qubits 0 … N−1, the master equation of the paper's Eq. (2) with its
factor ½ in front of the dissipators, ħ = 1.
"""

from .errors import (
    ConvergenceError,
    MemoryLimitError,
    ModelError,
    ModelFileError,
    NumericalError,
    SpinsyncError,
)
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
    pair_expectation,
    reduced_density_matrix,
)
from .model import Network, magnetization_from_rates, rates_from_magnetization
from .nogo import (
    nogo_conditions_hold,
    product_residual,
    product_residual_terms,
    product_state,
    product_state_is_steady,
)
from .results import SteadyStateResult
from .states import BlockState, ProductState
from .steadystate import steady_state
from .sync import (
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
    "Network", "load_model", "rates_from_magnetization", "magnetization_from_rates",
    # states and solvers
    "BlockState", "ProductState", "steady_state", "SteadyStateResult",
    # no-go theorem
    "product_state", "nogo_conditions_hold", "product_state_is_steady",
    "product_residual", "product_residual_terms",
    # measures
    "reduced_density_matrix", "local_expectation", "pair_expectation",
    "connected_correlation", "bloch_vectors", "magnetizations", "flipflop_matrix",
    "correlation_sums", "max_connected_correlation", "fidelity",
    # synchronization
    "coherent_state", "husimi_q", "husimi_q_pair", "s_function", "s_function_integrated",
    "sync_max", "locked_phase", "sync_max_matrix", "sync_total", "two_qubit_flipflop",
    # errors
    "SpinsyncError", "ModelError", "ModelFileError", "MemoryLimitError",
    "NumericalError", "ConvergenceError",
]
