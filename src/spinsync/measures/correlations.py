"""Observables of qubit states in Pauli operators: reduced matrices and correlations.

Every function takes any state (block, product, a steady-state result, a dense density
matrix; :func:`~spinsync.measures.coerce.as_state`) of qubits and works from reduced density
matrices, so pair measures never need the full 4ᴺ matrix. Operators follow
docs/conventions.md: σ± = (σˣ ± iσʸ)/2 in the basis (|↑⟩, |↓⟩). For spins of any size (J
operators) see :mod:`spinsync.measures.spin`.
"""

from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.local import PAULI
from ..states import BlockState, ProductState, State
from ..states.moments import MomentState
from .coerce import as_state

__all__ = [
    "PAULI",
    "reduced_density_matrix",
    "local_expectation",
    "pair_expectation",
    "connected_correlation",
    "bloch_vectors",
    "magnetizations",
    "pair_correlators",
    "connected_correlators",
    "max_connected_correlation",
    "flipflop_matrix",
    "correlation_sums",
    "qubit_state",
]

def _op(name: str) -> NDArray[np.complex128]:
    try:
        return PAULI[name.lower()]
    except (KeyError, AttributeError):
        raise ModelError(f"operator {name!r}: expected one of x, y, z, +, -") from None


def qubit_state(state: object) -> BlockState | ProductState:
    """``state`` as a state of qubits (every local dimension 2), else ModelError."""
    st = as_state(state)
    if any(d != 2 for d in st.dims):
        raise ModelError(
            f"Pauli measures need qubits; this state has local dimensions {st.dims} "
            "(use the spin measures of spinsync.measures.spin)"
        )
    return st


def reduced_density_matrix(state: State, qubits: Sequence[int]) -> NDArray[np.complex128]:
    """ρ_S = Tr_{not S} ρ for the sites S, ordered as given (Π d × Π d; 2ᵏ × 2ᵏ for qubits)."""
    return as_state(state).reduced(qubits)


def local_expectation(state: State, qubit: int, op: str) -> complex:
    """⟨σᵅ_j⟩ for α ∈ {x, y, z, +, −}."""
    state = qubit_state(state)
    return complex(np.trace(state.reduced([qubit]) @ _op(op)))


def pair_expectation(state: State, j: int, k: int, alpha: str, beta: str) -> complex:
    """⟨σᵅ_j σᵝ_k⟩ for j ≠ k and α, β ∈ {x, y, z, +, −}."""
    if j == k:
        raise ModelError(f"pair_expectation needs two different qubits, got j = k = {j}")
    rho = qubit_state(state).reduced([j, k])
    return complex(np.trace(rho @ np.kron(_op(alpha), _op(beta))))


def connected_correlation(state: State, j: int, k: int, alpha: str, beta: str) -> complex:
    """⟨σᵅ_j σᵝ_k⟩ − ⟨σᵅ_j⟩⟨σᵝ_k⟩ (paper Eq. 3)."""
    rho = qubit_state(state).reduced([j, k])
    a, b = _op(alpha), _op(beta)
    rho_j = rho.reshape(2, 2, 2, 2).trace(axis1=1, axis2=3)
    rho_k = rho.reshape(2, 2, 2, 2).trace(axis1=0, axis2=2)
    joint = np.trace(rho @ np.kron(a, b))
    return complex(joint - np.trace(rho_j @ a) * np.trace(rho_k @ b))


_XYZ = np.stack([PAULI["x"], PAULI["y"], PAULI["z"]])


def bloch_vectors(state: State) -> NDArray[np.float64]:
    """(N, 3) array of ⟨σˣ_j⟩, ⟨σʸ_j⟩, ⟨σᶻ_j⟩."""
    state = qubit_state(state)
    if isinstance(state, MomentState):
        return np.array(state.bloch, dtype=float)
    if isinstance(state, ProductState):
        rhos = state.factors
    else:
        rhos = np.stack([state.reduced([j]) for j in range(state.n)])
    return np.einsum("nab,kba->nk", rhos, _XYZ).real


def magnetizations(state: State) -> NDArray[np.float64]:
    """⟨σᶻ_j⟩ for every qubit (for BlockState: from the populations only, block by block)."""
    state = qubit_state(state)
    if isinstance(state, BlockState):
        out = np.zeros(state.n)
        space = state.basis.space
        for (b, c), m in state.blocks.items():
            if b == c:
                digits = space.digits(state.basis.states[b])
                out += np.real(np.diag(m)) @ (1.0 - 2.0 * digits)
        return out
    return bloch_vectors(state)[:, 2]


def pair_correlators(state: State) -> NDArray[np.float64]:
    """(N, N, 3, 3) real array T[j, k, α, β] = ⟨σᵅ_j σᵝ_k⟩ for j ≠ k, α, β ∈ {x, y, z}.

    The diagonal j = k is set to NaN (the product of two Paulis on one qubit is not a
    two-point correlation).
    """
    state = qubit_state(state)
    n = state.n
    if isinstance(state, MomentState):  # the same numbers as its reduced(), all pairs at once
        return state.pauli_correlators()
    if isinstance(state, ProductState):
        r = bloch_vectors(state)
        out = np.einsum("ja,kb->jkab", r, r)
    else:
        out = np.zeros((n, n, 3, 3))
        pair_ops = np.einsum("aij,bkl->abikjl", _XYZ, _XYZ).reshape(3, 3, 4, 4)
        for j, k in combinations(range(n), 2):
            rho = state.reduced([j, k])
            t = np.einsum("ij,abji->ab", rho, pair_ops).real
            out[j, k] = t
            out[k, j] = t.T
    idx = np.arange(n)
    out[idx, idx] = np.nan
    return out


def connected_correlators(state: State) -> NDArray[np.float64]:
    """(N, N, 3, 3): ⟨σᵅ_j σᵝ_k⟩ − ⟨σᵅ_j⟩⟨σᵝ_k⟩ (NaN on the diagonal)."""
    r = bloch_vectors(state)
    return pair_correlators(state) - np.einsum("ja,kb->jkab", r, r)


def max_connected_correlation(state: State) -> float:
    """max over j < k and α, β ∈ {x, y, z} of |⟨σᵅ_jσᵝ_k⟩ − ⟨σᵅ_j⟩⟨σᵝ_k⟩| (0 for N = 1)."""
    state = qubit_state(state)
    if state.n < 2:
        return 0.0
    if isinstance(state, ProductState):
        return 0.0
    return float(np.nanmax(np.abs(connected_correlators(state))))


def flipflop_matrix(state: State) -> NDArray[np.complex128]:
    """N×N matrix ⟨σ⁺_j σ⁻_k⟩; the diagonal is ⟨σ⁺_jσ⁻_j⟩ = P(qubit j up)."""
    state = qubit_state(state)
    t = pair_correlators(state)
    ff = 0.25 * (t[..., 0, 0] + t[..., 1, 1] + 1j * (t[..., 1, 0] - t[..., 0, 1]))
    idx = np.arange(state.n)
    ff[idx, idx] = (1 + magnetizations(state)) / 2
    return ff


def correlation_sums(state: State, kinds: Sequence[str] = ("+-", "-+", "++", "--", "xx", "yy", "xy", "yx")) -> dict[str, complex]:
    """C_αβ = Σ_{j<k} Tr[ρ_jk σᵅ_j σᵝ_k] (supplement Eq. S6), keyed like ``"+-"``."""
    ops = {kind: np.kron(_op(kind[0]), _op(kind[1])) for kind in kinds}
    for kind in kinds:
        if len(kind) != 2:
            raise ModelError(f"correlation kind {kind!r}: expected two letters like '+-'")
    sums = {kind: 0j for kind in kinds}
    state = qubit_state(state)
    if isinstance(state, ProductState):
        rhos = state.factors
        for kind in kinds:
            a = np.einsum("nij,ji->n", rhos, _op(kind[0]))
            b = np.einsum("nij,ji->n", rhos, _op(kind[1]))
            # Σ_{j<k} a_j b_k without an N² loop.
            sums[kind] = complex(np.sum(a[:-1] * np.cumsum(b[::-1])[::-1][1:]))
        return sums
    for j, k in combinations(range(state.n), 2):
        rho = state.reduced([j, k])
        for kind, op in ops.items():
            sums[kind] += np.trace(rho @ op)
    return {k: complex(v) for k, v in sums.items()}
