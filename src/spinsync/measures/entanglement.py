"""Entanglement of a pair: Wootters' concurrence (qubits) and the logarithmic negativity.

Both take any state the measures take and work from the pair's reduced density matrix
ρ_jk (site j the left tensor factor; block states are reduced block by block).

* Concurrence (Wootters, PRL 80, 2245 (1998)): C = max(0, λ₁ − λ₂ − λ₃ − λ₄), λ the
  decreasing eigenvalues of √(√ρ ρ̃ √ρ), ρ̃ = (σʸ⊗σʸ) ρ* (σʸ⊗σʸ); 0 for separable states,
  1 for Bell states. Defined for two qubits only.
* Logarithmic negativity (Vidal & Werner, PRA 65, 032314 (2002); Plenio, PRL 95, 090503
  (2005)): E_N = log₂ ‖ρ^{T_k}‖₁ with the partial transpose on site k; in bits, 0 for
  separable (and all PPT) states, 1 for a Bell pair. Any local dimensions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from .coerce import as_state
from .fidelity import psd_sqrt

__all__ = ["concurrence", "log_negativity", "wootters_concurrence", "partial_transpose"]

_SYSY = np.kron(np.array([[0, -1j], [1j, 0]]), np.array([[0, -1j], [1j, 0]]))


def _pair(state: object, j: int, k: int, what: str) -> tuple[NDArray[np.complex128], tuple[int, int]]:
    if j == k:
        raise ModelError(f"{what} needs two different sites, got j = k = {j}")
    st = as_state(state, what)
    rho = st.reduced([j, k])
    return rho, (st.dims[j], st.dims[k])


def wootters_concurrence(rho_pair: NDArray[np.complex128]) -> float:
    """Wootters' concurrence of a 4×4 two-qubit density matrix (module docstring)."""
    rho = np.asarray(rho_pair, dtype=complex)
    if rho.shape != (4, 4):
        raise ModelError(f"concurrence: expected a 4×4 two-qubit density matrix, got shape {rho.shape}")
    root = psd_sqrt(rho)
    tilde = _SYSY @ rho.conj() @ _SYSY
    lam = np.sqrt(np.clip(np.linalg.eigvalsh(root @ tilde @ root), 0.0, None))[::-1]
    return float(max(0.0, lam[0] - lam[1] - lam[2] - lam[3]))


def concurrence(state: object, j: int, k: int) -> float:
    """Concurrence of qubits j and k (module docstring); ModelError for sites that are not qubits."""
    rho, dims = _pair(state, j, k, "concurrence")
    if dims != (2, 2):
        raise ModelError(f"concurrence is defined for two qubits; sites {j}, {k} have dimensions "
                         f"{dims} (use log_negativity)")
    return wootters_concurrence(rho)


def partial_transpose(rho_pair: NDArray[np.complex128], dims: tuple[int, int]) -> NDArray[np.complex128]:
    """ρ^{T_k}: the transpose on the second factor of a (d_j d_k)×(d_j d_k) matrix."""
    dj, dk = dims
    t = np.asarray(rho_pair).reshape(dj, dk, dj, dk)
    return t.transpose(0, 3, 2, 1).reshape(dj * dk, dj * dk)


def log_negativity(state: object, j: int, k: int) -> float:
    """E_N = log₂ ‖ρ_jk^{T_k}‖₁ of sites j and k, in bits (any local dimensions).

    ‖·‖₁ is the sum of |eigenvalues| of the Hermitian partial transpose; values below 0 from
    rounding (a product state gives ‖·‖₁ = 1 − O(1e-16)) are returned as 0.
    """
    rho, dims = _pair(state, j, k, "log_negativity")
    pt = partial_transpose(rho, dims)
    norm = float(np.sum(np.abs(np.linalg.eigvalsh((pt + pt.conj().T) / 2))))
    return max(0.0, float(np.log2(norm)))
