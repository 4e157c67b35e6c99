"""Observables of qubit states: reduced matrices, correlations, fidelity.

All functions accept any :class:`~spinsync.states.QubitState` (block, product) and work
from reduced density matrices, so pair measures never need the full 4ᴺ matrix.
Operators follow CONVENTIONS.md: σ± = (σˣ ± iσʸ)/2 in the basis (|↑⟩, |↓⟩).
"""

from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from .errors import ModelError
from .states import BlockState, ProductState, QubitState

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
    "fidelity",
]

#: Single-qubit operators by name: x, y, z, +, − (also "p"/"m" for ±), and identity "i".
PAULI: dict[str, NDArray[np.complex128]] = {
    "i": np.eye(2, dtype=complex),
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.array([[1, 0], [0, -1]], dtype=complex),
    "+": np.array([[0, 1], [0, 0]], dtype=complex),
    "-": np.array([[0, 0], [1, 0]], dtype=complex),
}
PAULI["p"], PAULI["m"] = PAULI["+"], PAULI["-"]


def _op(name: str) -> NDArray[np.complex128]:
    try:
        return PAULI[name.lower()]
    except KeyError as exc:
        raise ModelError(f"operator {name!r}: expected one of x, y, z, +, -") from exc


def reduced_density_matrix(state: QubitState, qubits: Sequence[int]) -> NDArray[np.complex128]:
    """ρ_S = Tr_{not S} ρ for the qubits S, ordered as given (2ᵏ × 2ᵏ)."""
    return state.reduced(qubits)


def local_expectation(state: QubitState, qubit: int, op: str) -> complex:
    """⟨σᵅ_j⟩ for α ∈ {x, y, z, +, −}."""
    return complex(np.trace(state.reduced([qubit]) @ _op(op)))


def pair_expectation(state: QubitState, j: int, k: int, alpha: str, beta: str) -> complex:
    """⟨σᵅ_j σᵝ_k⟩ for j ≠ k and α, β ∈ {x, y, z, +, −}."""
    if j == k:
        raise ModelError(f"pair_expectation needs two different qubits, got j = k = {j}")
    rho = state.reduced([j, k])
    return complex(np.trace(rho @ np.kron(_op(alpha), _op(beta))))


def connected_correlation(state: QubitState, j: int, k: int, alpha: str, beta: str) -> complex:
    """⟨σᵅ_j σᵝ_k⟩ − ⟨σᵅ_j⟩⟨σᵝ_k⟩ (paper Eq. 3)."""
    rho = state.reduced([j, k])
    a, b = _op(alpha), _op(beta)
    rho_j = rho.reshape(2, 2, 2, 2).trace(axis1=1, axis2=3)
    rho_k = rho.reshape(2, 2, 2, 2).trace(axis1=0, axis2=2)
    joint = np.trace(rho @ np.kron(a, b))
    return complex(joint - np.trace(rho_j @ a) * np.trace(rho_k @ b))


_XYZ = np.stack([PAULI["x"], PAULI["y"], PAULI["z"]])


def bloch_vectors(state: QubitState) -> NDArray[np.float64]:
    """(N, 3) array of ⟨σˣ_j⟩, ⟨σʸ_j⟩, ⟨σᶻ_j⟩."""
    if isinstance(state, ProductState):
        rhos = state.factors
    else:
        rhos = np.stack([state.reduced([j]) for j in range(state.n)])
    return np.einsum("nab,kba->nk", rhos, _XYZ).real


def magnetizations(state: QubitState) -> NDArray[np.float64]:
    """⟨σᶻ_j⟩ for every qubit (for BlockState: from the populations only)."""
    if isinstance(state, BlockState):
        n = state.n
        pops = state.diagonal()
        states = np.arange(2**n, dtype=np.int64)
        shifts = np.arange(n - 1, -1, -1)
        signs = 1.0 - 2.0 * ((states[:, None] >> shifts[None, :]) & 1)
        return pops @ signs
    return bloch_vectors(state)[:, 2]


def pair_correlators(state: QubitState) -> NDArray[np.float64]:
    """(N, N, 3, 3) real array T[j, k, α, β] = ⟨σᵅ_j σᵝ_k⟩ for j ≠ k, α, β ∈ {x, y, z}.

    The diagonal j = k is set to NaN (the product of two Paulis on one qubit is not a
    two-point correlation).
    """
    n = state.n
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


def connected_correlators(state: QubitState) -> NDArray[np.float64]:
    """(N, N, 3, 3): ⟨σᵅ_j σᵝ_k⟩ − ⟨σᵅ_j⟩⟨σᵝ_k⟩ (NaN on the diagonal)."""
    r = bloch_vectors(state)
    return pair_correlators(state) - np.einsum("ja,kb->jkab", r, r)


def max_connected_correlation(state: QubitState) -> float:
    """max over j < k and α, β ∈ {x, y, z} of |⟨σᵅ_jσᵝ_k⟩ − ⟨σᵅ_j⟩⟨σᵝ_k⟩| (0 for N = 1)."""
    if state.n < 2:
        return 0.0
    if isinstance(state, ProductState):
        return 0.0
    return float(np.nanmax(np.abs(connected_correlators(state))))


def flipflop_matrix(state: QubitState) -> NDArray[np.complex128]:
    """N×N matrix ⟨σ⁺_j σ⁻_k⟩; the diagonal is ⟨σ⁺_jσ⁻_j⟩ = P(qubit j up)."""
    t = pair_correlators(state)
    ff = 0.25 * (t[..., 0, 0] + t[..., 1, 1] + 1j * (t[..., 1, 0] - t[..., 0, 1]))
    idx = np.arange(state.n)
    ff[idx, idx] = (1 + magnetizations(state)) / 2
    return ff


def correlation_sums(state: QubitState, kinds: Sequence[str] = ("+-", "-+", "++", "--", "xx", "yy", "xy", "yx")) -> dict[str, complex]:
    """C_αβ = Σ_{j<k} Tr[ρ_jk σᵅ_j σᵝ_k] (supplement Eq. S6), keyed like ``"+-"``."""
    ops = {kind: np.kron(_op(kind[0]), _op(kind[1])) for kind in kinds}
    for kind in kinds:
        if len(kind) != 2:
            raise ModelError(f"correlation kind {kind!r}: expected two letters like '+-'")
    sums = {kind: 0j for kind in kinds}
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


# ----------------------------------------------------------------------------- fidelity
def _sqrt_psd(mat: NDArray[np.complex128]) -> NDArray[np.complex128]:
    vals, vecs = np.linalg.eigh((mat + mat.conj().T) / 2)
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.conj().T


def _dense_fidelity(rho: NDArray[np.complex128], sigma: NDArray[np.complex128]) -> float:
    root = _sqrt_psd(rho)
    inner = root @ sigma @ root
    vals = np.linalg.eigvalsh((inner + inner.conj().T) / 2)
    return float(np.sum(np.sqrt(np.clip(vals, 0, None))))


def fidelity(
    rho: QubitState | NDArray[np.complex128], sigma: QubitState | NDArray[np.complex128]
) -> float:
    """Uhlmann fidelity F(ρ, σ) = Tr √(√ρ σ √ρ) ∈ [0, 1] (not squared).

    Product ⊗ product is the product of local fidelities (any N); a block-diagonal
    state against a diagonal product state (the no-go ρ₀) is computed block by block.
    """
    if isinstance(rho, ProductState) and isinstance(sigma, ProductState):
        if rho.n != sigma.n:
            raise ModelError(f"fidelity: states of {rho.n} and {sigma.n} qubits")
        return float(np.prod([_dense_fidelity(a, b) for a, b in zip(rho.factors, sigma.factors)]))
    if isinstance(rho, ProductState) and not isinstance(sigma, ProductState):
        rho, sigma = sigma, rho
    if isinstance(rho, BlockState) and isinstance(sigma, ProductState):
        diagonal = not (np.any(sigma.factors[:, 0, 1]) or np.any(sigma.factors[:, 1, 0]))
        if diagonal and rho.is_block_diagonal:
            weights = sigma.to_blocks(rho.basis)
            total = 0.0
            for pair, block in rho.blocks.items():
                root = np.sqrt(np.clip(np.real(np.diag(weights.blocks[pair])), 0, None))
                inner = root[:, None] * block * root[None, :]
                vals = np.linalg.eigvalsh((inner + inner.conj().T) / 2)
                total += float(np.sum(np.sqrt(np.clip(vals, 0, None))))
            return total
    a = rho if isinstance(rho, np.ndarray) else rho.to_dense()
    b = sigma if isinstance(sigma, np.ndarray) else sigma.to_dense()
    if a.shape != b.shape:
        raise ModelError(f"fidelity: shapes {a.shape} and {b.shape} differ")
    return _dense_fidelity(np.asarray(a, complex), np.asarray(b, complex))
