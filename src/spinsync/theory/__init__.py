"""Theory tools around the no-go theorem.

Nothing here is a second engine: spin networks of any size are
``Network.spins(...)`` solved by :func:`spinsync.steady_state`, product states and
residuals come from :mod:`spinsync.steady.analytic`, measures from :mod:`spinsync.measures`.

Modules (one concept each):

* :mod:`.diagnostics` — which terms break the theorem and by how much (Eq. 5 per bond for
  the paper's qubits; the exact residual and each bond's and channel's contribution for
  drives, collective channels and spins);
* :mod:`.uniqueness` — ker L counted sector by sector for any model, and the algebraic
  criterion of the supplement (S.M. I);
* :mod:`.spin1` — the spin-1 counter-example: Eq. S30, correlations, report and figure;
* :mod:`.mappings` — superconducting heat baths and trapped-ion couplings;
* :mod:`.reduction` — all-to-all network against its one-to-all reduction (Fig. 3);
* :mod:`.design` — choosing the environment's rates to maximize synchronization.
"""

from .design import DesignResult, HeuristicResult, design_dissipation, heuristic_design, objective_value
from .diagnostics import (
    BondDiagnosis,
    ChannelDiagnosis,
    NogoDiagnosis,
    bond_contributions,
    bond_operators,
    channel_contribution,
    diagnose,
    residual_operator,
)
from .mappings import (
    bose_occupation,
    magnetization_from_temperature,
    rate_ratio_from_temperature,
    strong_field_couplings,
    temperature_from_magnetization,
    temperature_from_ratio,
    thermal_network,
    thermal_rates,
    trapped_ion_network,
)
from .reduction import ReductionReport, compare_reduction, one_to_all_reduction
from .spin1 import compare_s30, plot_spin1, printed_s30, s30_commutator, spin1_pair, spin1_report, spin1_sweep
from .uniqueness import (
    KernelReport,
    algebraic_criterion,
    commutant_dimension,
    generated_algebra_dimension,
    kernel_dimension_dense,
    liouvillian_kernel,
    network_generators,
)

__all__ = [
    # diagnostics
    "BondDiagnosis", "ChannelDiagnosis", "NogoDiagnosis", "diagnose", "bond_contributions",
    "channel_contribution", "bond_operators", "residual_operator",
    # uniqueness
    "KernelReport", "liouvillian_kernel", "kernel_dimension_dense", "network_generators",
    "generated_algebra_dimension",
    "commutant_dimension", "algebraic_criterion",
    # spin-1 counter-example
    "spin1_pair", "spin1_report", "spin1_sweep", "plot_spin1", "compare_s30",
    "printed_s30", "s30_commutator",
    # mappings
    "bose_occupation", "rate_ratio_from_temperature", "magnetization_from_temperature",
    "temperature_from_ratio", "temperature_from_magnetization", "thermal_rates",
    "thermal_network", "trapped_ion_network", "strong_field_couplings",
    # reduction and design
    "ReductionReport", "one_to_all_reduction", "compare_reduction",
    "DesignResult", "HeuristicResult", "design_dissipation", "heuristic_design", "objective_value",
]
