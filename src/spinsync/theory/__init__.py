"""Theory tools around the no-go theorem.

Modules (one concept each):

* :mod:`.diagnostics` — which bonds break the theorem and by how much (Eq. 5, per bond);
* :mod:`.uniqueness` — ker L is one-dimensional (numerically) and the algebraic criterion
  of the supplement (S.M. I);
* :mod:`.spins` — spins of any size s with the two dissipation schemes of S.M. IV;
* :mod:`.spin1` — the spin-1 counter-example: Eq. S30, correlations, report and figure;
* :mod:`.mappings` — superconducting heat baths and trapped-ion couplings;
* :mod:`.reduction` — all-to-all network against its one-to-all reduction (Fig. 3);
* :mod:`.design` — choosing the environment's rates to maximize synchronization.
"""

from .diagnostics import BondDiagnosis, NogoDiagnosis, bond_operators, diagnose, residual_operator
from .uniqueness import (
    KernelReport,
    algebraic_criterion,
    commutant_dimension,
    generated_algebra_dimension,
    liouvillian_kernel,
)

__all__ = [
    "BondDiagnosis", "NogoDiagnosis", "diagnose", "bond_operators", "residual_operator",
    "KernelReport", "liouvillian_kernel", "generated_algebra_dimension",
    "commutant_dimension", "algebraic_criterion",
]
