"""Measures of states: Pauli correlations (qubits), spin correlations (any s), fidelity,
synchronization (spin coherent states and Husimi Q of any s, single-site and pair S-functions,
their maxima and locked phases, Sᵐᵃˣ, S_t, Eq. 7), entropic measures (entropy, mutual
information, relative entropy of synchronization), l1 coherence, entanglement of a pair
(concurrence, logarithmic negativity), Pearson correlations of time traces, and observables
ready to record in ``evolve``."""

from .coerce import STATE_TYPES, as_state
from .correlations import (
    bloch_vectors,
    connected_correlation,
    connected_correlators,
    correlation_sums,
    flipflop_matrix,
    local_expectation,
    magnetizations,
    max_connected_correlation,
    pair_correlators,
    pair_expectation,
    qubit_state,
    reduced_density_matrix,
)
from .coherence import l1_coherence
from .entanglement import concurrence, log_negativity, partial_transpose, wootters_concurrence
from .entropy import (
    mutual_information,
    partial_trace,
    relative_entropy_of_sync,
    shannon_entropy,
    von_neumann_entropy,
)
from .fidelity import UhlmannFidelity, fidelity, psd_sqrt, sqrt_trace
from .spin import (
    spin_connected_correlators,
    spin_expectations,
    spin_flipflop_matrix,
    spin_max_connected_correlation,
    spin_operator,
    spin_pair_correlators,
)
from .sync import (
    FLAT_TOL,
    SyncPeaks,
    coherent_state,
    husimi_q,
    husimi_q_pair,
    locked_phase,
    pair_s_coefficients,
    pair_s_function,
    pair_sync,
    s_function,
    s_function_from_coefficients,
    s_function_integrated,
    s_function_peaks,
    site_locked_phase,
    site_s_coefficients,
    site_s_function,
    site_s_function_integrated,
    site_sync,
    site_sync_max,
    sync_max,
    sync_max_matrix,
    sync_total,
    two_qubit_flipflop,
)
from .observables import OBSERVABLES, Observable, observable
from .timeseries import pearson_correlation, sigma_x_pearson, sigma_x_traces, windowed_pearson

__all__ = [
    "as_state", "STATE_TYPES", "qubit_state",
    "reduced_density_matrix", "local_expectation", "pair_expectation", "connected_correlation",
    "bloch_vectors", "magnetizations", "pair_correlators", "connected_correlators",
    "max_connected_correlation", "flipflop_matrix", "correlation_sums",
    "spin_operator", "spin_expectations", "spin_flipflop_matrix", "spin_pair_correlators",
    "spin_connected_correlators", "spin_max_connected_correlation",
    "fidelity", "UhlmannFidelity", "psd_sqrt", "sqrt_trace",
    "von_neumann_entropy", "partial_trace", "mutual_information",
    "coherent_state", "husimi_q", "husimi_q_pair", "s_function", "s_function_integrated",
    "sync_max", "locked_phase", "sync_max_matrix", "sync_total", "two_qubit_flipflop",
    "site_s_function", "site_s_function_integrated", "site_s_coefficients", "pair_s_function",
    "pair_s_coefficients", "s_function_from_coefficients", "s_function_peaks", "SyncPeaks",
    "FLAT_TOL", "site_sync", "pair_sync", "site_sync_max", "site_locked_phase",
    "relative_entropy_of_sync", "shannon_entropy", "l1_coherence", "concurrence",
    "wootters_concurrence", "log_negativity", "partial_transpose",
    "pearson_correlation", "windowed_pearson", "sigma_x_traces", "sigma_x_pearson",
    "observable", "Observable", "OBSERVABLES",
]
