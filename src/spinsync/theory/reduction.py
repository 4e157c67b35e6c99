"""Network reduction (paper Fig. 3): an all-to-all network against its one-to-all reduction.

The reduction keeps only the bonds of one hub site (the memory qubit, our 0). When the
other sites share one magnetization the bonds among them hardly matter for the steady
state — the no-go theorem applied to the environment — and the two networks synchronize
alike. :func:`compare_reduction` quantifies how alike.

Any model of the general engine can be reduced (qubits with dephasing, drives or
collective channels, spins of any size): every other term is kept, only bonds are dropped.
The synchronization measure S_t (Sᵐᵃˣ of paper Eq. 7) is defined for qubits; for spin
networks the report's S_t entries are NaN (``null`` in JSON) and the comparison rests on
the fidelity and the largest connected correlation ⟨Jᵅ_jJᵝ_k⟩_c.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import math

from ..errors import ModelError
from ..measures import fidelity, max_connected_correlation, spin_max_connected_correlation
from ..measures.sync import sync_max_matrix, sync_total
from ..model import Network
from ..steady import steady_state

__all__ = ["one_to_all_reduction", "ReductionReport", "compare_reduction"]


def one_to_all_reduction(network: Network, hub: int = 0) -> Network:
    """The same sites with only the bonds that touch ``hub`` (couplings and every other
    term unchanged)."""
    if not 0 <= hub < network.n:
        raise ModelError(f"hub = {hub!r}: must be a site index in [0, {network.n - 1}]")
    return network.replace(bonds=[b for b in network.bonds if hub in b[:2]])


@dataclass(frozen=True)
class ReductionReport:
    """The network against its one-to-all reduction.

    Attributes
    ----------
    hub
        The kept site.
    bonds_full, bonds_reduced
        Number of bonds in each network.
    sync_total_full, sync_total_reduced
        S_t = Σ_{j<k} Sᵐᵃˣ_jk of each steady state (NaN for spin networks).
    difference
        S_t(reduced) − S_t(full).
    relative_difference
        |difference| / S_t(full) (inf when S_t(full) = 0 and the difference is not).
    hub_sync_full, hub_sync_reduced
        Σ_k Sᵐᵃˣ_{hub,k}: the hub's own synchronization in each network (NaN for spins).
    fidelity
        F(ρ_full, ρ_reduced) (Uhlmann, not squared).
    methods
        Solver used for each steady state.
    correlation_full, correlation_reduced
        Largest connected two-site correlation of each steady state (Pauli σ for qubits,
        J for spins).
    """

    hub: int
    bonds_full: int
    bonds_reduced: int
    sync_total_full: float
    sync_total_reduced: float
    difference: float
    relative_difference: float
    hub_sync_full: float
    hub_sync_reduced: float
    fidelity: float
    methods: tuple[str, str]
    correlation_full: float = 0.0
    correlation_reduced: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["methods"] = list(self.methods)
        for key, value in out.items():
            if isinstance(value, float) and math.isnan(value):
                out[key] = None  # no meaning for this model (S_t of spins)
        return out


def compare_reduction(network: Network, hub: int = 0) -> ReductionReport:
    """Steady states of ``network`` and of its one-to-all reduction, compared.

    Uses :func:`spinsync.steady_state` (method ``auto``) for both; the fidelity is computed
    block by block (dense only for models without symmetry), so keep N small (≲ 10).
    """
    reduced = one_to_all_reduction(network, hub)
    full_ss = steady_state(network)
    red_ss = steady_state(reduced)
    if network.is_qubits:
        s_full, s_red = sync_max_matrix(full_ss.state), sync_max_matrix(red_ss.state)
        st_full, st_red = sync_total(s_full), sync_total(s_red)
        hub_full, hub_red = float(s_full[hub].sum()), float(s_red[hub].sum())
        corr = max_connected_correlation
    else:
        st_full = st_red = hub_full = hub_red = float("nan")
        corr = spin_max_connected_correlation
    diff = st_red - st_full
    if st_full > 0 or math.isnan(st_full):
        rel = abs(diff) / st_full
    else:
        rel = 0.0 if diff == 0 else float("inf")
    return ReductionReport(
        hub=hub,
        bonds_full=len(network.bond_sites),
        bonds_reduced=len(reduced.bond_sites),
        sync_total_full=st_full,
        sync_total_reduced=st_red,
        difference=diff,
        relative_difference=rel,
        hub_sync_full=hub_full,
        hub_sync_reduced=hub_red,
        fidelity=float(fidelity(full_ss.state, red_ss.state)),
        methods=(full_ss.method, red_ss.method),
        correlation_full=float(corr(full_ss.state)),
        correlation_reduced=float(corr(red_ss.state)),
    )
