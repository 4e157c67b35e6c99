"""Coherence of reduced states: the l1-norm of coherence (Baumgratz, Cramer & Plenio,
PRL 113, 140401 (2014)).

The reference basis is the product basis of the local Jᶻ eigenstates (|↑⟩, |↓⟩ for qubits;
|s, s⟩ … |s, −s⟩ for spins; docs/conventions.md), the one in which a limit cycle without a
phase is diagonal. The relative entropy of coherence in the same basis is the relative entropy
of synchronization, :func:`spinsync.measures.entropy.relative_entropy_of_sync`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .coerce import as_state
from .entropy import _sites

__all__ = ["l1_coherence"]


def l1_coherence(state: object, sites: int | Sequence[int]) -> float:
    """C_l1(ρ) = Σ_{a≠b} |ρ_ab| of the reduced state of ``sites`` (one site or a list).

    Zero exactly for diagonal ρ; at most D − 1 for dimension D (the maximally coherent
    state). For one qubit C_l1 = 2|⟨σ⁺⟩| = |⟨σˣ⟩ + i⟨σʸ⟩|. For a pair it counts joint
    coherences as well (e.g. |⟨σ⁺_jσ⁻_k⟩|). Any state the measures take; block states are
    reduced block by block.
    """
    st = as_state(state, "l1_coherence")
    rho = st.reduced(_sites(sites, "l1_coherence"))
    a = np.abs(rho)
    return float(a.sum() - np.trace(a))
