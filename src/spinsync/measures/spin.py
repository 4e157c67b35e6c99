"""Observables of spin states (J operators, any spin size): ⟨Jᵅ_j⟩, ⟨J⁺_jJ⁻_k⟩, connected correlations.

Spin matrices satisfy [Jˣ, Jʸ] = iJᶻ (no factor 2; for s = ½, J = σ/2) in the local basis
|s, s⟩ … |s, −s⟩ (docs/conventions.md). Every function works from one- and two-site reduced
density matrices of any state (block, product, dense), so it costs O(N²) small matrices.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.local import spin_matrices
from .coerce import as_state

__all__ = [
    "spin_operator",
    "spin_expectations",
    "spin_flipflop_matrix",
    "spin_pair_correlators",
    "spin_connected_correlators",
    "spin_max_connected_correlation",
]

_NAMES = ("x", "y", "z", "+", "-")


def spin_operator(d: int, name: str) -> NDArray[np.complex128]:
    """Jᵅ (α ∈ x, y, z, +, −) for a site of dimension d = 2s + 1."""
    if name not in _NAMES:
        raise ModelError(f"operator {name!r}: expected one of x, y, z, +, -")
    return np.asarray(spin_matrices((d - 1) / 2)[name])


def spin_expectations(state: object, op: str = "z") -> NDArray[np.complex128] | NDArray[np.float64]:
    """⟨Jᵅ_j⟩ for every site (real for x, y, z; complex for + and −)."""
    st = as_state(state)
    vals = np.array([np.trace(st.reduced([j]) @ spin_operator(d, op)) for j, d in enumerate(st.dims)])
    return vals.real if op in ("x", "y", "z") else vals


def spin_flipflop_matrix(state: object) -> NDArray[np.complex128]:
    """N×N matrix ⟨J⁺_j J⁻_k⟩ (diagonal: ⟨J⁺_jJ⁻_j⟩), the spin analogue of ⟨σ⁺_jσ⁻_k⟩."""
    st = as_state(state)
    n, dims = st.n, st.dims
    out = np.zeros((n, n), dtype=complex)
    for j, d in enumerate(dims):
        jp, jm = spin_operator(d, "+"), spin_operator(d, "-")
        out[j, j] = np.trace(st.reduced([j]) @ jp @ jm)
    for j, k in combinations(range(n), 2):
        rho = st.reduced([j, k])
        out[j, k] = np.trace(rho @ np.kron(spin_operator(dims[j], "+"), spin_operator(dims[k], "-")))
        out[k, j] = np.conj(out[j, k])  # ⟨J⁺_kJ⁻_j⟩ = ⟨(J⁺_jJ⁻_k)†⟩
    return out


def spin_pair_correlators(state: object) -> NDArray[np.float64]:
    """(N, N, 3, 3) real T[j, k, α, β] = ⟨Jᵅ_j Jᵝ_k⟩ for j ≠ k (NaN on the diagonal)."""
    st = as_state(state)
    n, dims = st.n, st.dims
    out = np.full((n, n, 3, 3), np.nan)
    for j, k in combinations(range(n), 2):
        rho = st.reduced([j, k])
        for a, na in enumerate("xyz"):
            for b, nb in enumerate("xyz"):
                op = np.kron(spin_operator(dims[j], na), spin_operator(dims[k], nb))
                out[j, k, a, b] = np.trace(rho @ op).real
        out[k, j] = out[j, k].T
    return out


def spin_connected_correlators(state: object) -> NDArray[np.float64]:
    """(N, N, 3, 3): ⟨Jᵅ_j Jᵝ_k⟩ − ⟨Jᵅ_j⟩⟨Jᵝ_k⟩ (NaN on the diagonal)."""
    st = as_state(state)
    mean = np.stack([spin_expectations(st, a) for a in "xyz"], axis=1)  # (N, 3)
    return spin_pair_correlators(st) - np.einsum("ja,kb->jkab", mean, mean)


def spin_max_connected_correlation(state: object) -> float:
    """max over j < k and α, β of |⟨Jᵅ_jJᵝ_k⟩ − ⟨Jᵅ_j⟩⟨Jᵝ_k⟩| (0 for one site)."""
    st = as_state(state)
    if st.n < 2:
        return 0.0
    return float(np.nanmax(np.abs(spin_connected_correlators(st))))
