"""Dense Lindblad superoperators for small, generic systems (spins of any size, test models).

Qubit networks have their own sparse, symmetry-blocked path (:mod:`spinsync.liouvillian`);
this module is the small dense fallback for Hilbert spaces that are not qubit registers.

Convention: row-major vectorization, as in :mod:`spinsync.liouvillian`:
vec(A X B) = (A ⊗ Bᵀ) vec(X), and ``rho.ravel()`` is vec(ρ). The generator is

    L[ρ] = −i[H, ρ] + Σ_k (c_k ρ c_k† − ½{c_k†c_k, ρ})

with the *collapse operators* c_k already carrying their rates (c_k = √rate_k A_k).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError, NumericalError
from ..resources import check_memory

__all__ = ["lindbladian", "steady_state_dense", "apply_lindbladian"]

Matrix = NDArray[np.complex128]


def lindbladian(hamiltonian: Matrix, collapse: Sequence[Matrix]) -> Matrix:
    """Dense d²×d² matrix of L (row-major vec).

    Parameters
    ----------
    hamiltonian
        d×d Hermitian matrix H (ħ = 1; energy unit = rate unit).
    collapse
        Collapse operators c_k (d×d), rates included.
    """
    h = np.asarray(hamiltonian, dtype=complex)
    d = h.shape[0]
    check_memory(16 * d**4 * 3, what=f"a dense {d * d}×{d * d} Lindbladian")
    eye = np.eye(d, dtype=complex)
    heff = h.copy()
    out = np.zeros((d * d, d * d), dtype=complex)
    for c in collapse:
        c = np.asarray(c, dtype=complex)
        heff = heff - 0.5j * (c.conj().T @ c)
        out += np.kron(c, c.conj())  # c X c† → (c ⊗ (c†)ᵀ) = c ⊗ c̄
    # −i(H_eff X − X H_eff†)
    out += -1j * (np.kron(heff, eye) - np.kron(eye, heff.conj()))
    return out


def apply_lindbladian(hamiltonian: Matrix, collapse: Sequence[Matrix], rho: Matrix) -> Matrix:
    """L[ρ] computed directly from the master equation (no superoperator; any d)."""
    h = np.asarray(hamiltonian, dtype=complex)
    out = -1j * (h @ rho - rho @ h)
    for c in collapse:
        c = np.asarray(c, dtype=complex)
        cdc = c.conj().T @ c
        out += c @ rho @ c.conj().T - 0.5 * (cdc @ rho + rho @ cdc)
    return out


def steady_state_dense(liouv: Matrix) -> Matrix:
    """The steady state of a dense Lindbladian with a one-dimensional kernel.

    Replaces the first diagonal-entry row by the trace condition (the rows of L are
    dependent because Tr L[X] = 0), solves, and Hermitizes.

    Raises
    ------
    NumericalError
        If the system is singular (kernel of dimension > 1) or the result is not a state.
    """
    dd = liouv.shape[0]
    d = int(round(np.sqrt(dd)))
    if d * d != dd:
        raise ModelError(f"Lindbladian of size {dd} is not d²×d²")
    trace_row = np.eye(d).ravel()
    system = np.array(liouv, dtype=complex, copy=True)
    system[0, :] = trace_row
    rhs = np.zeros(dd, dtype=complex)
    rhs[0] = 1.0
    try:
        vec = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError as exc:
        raise NumericalError(f"steady state is not unique (singular system): {exc}") from exc
    rho = vec.reshape(d, d)
    rho = (rho + rho.conj().T) / 2
    residual = float(np.linalg.norm(liouv @ rho.ravel()) / np.linalg.norm(rho))
    # A dense solve reaches ~1e-14 relative to ‖L‖; 1e-8 flags a near-singular system.
    scale = max(1.0, float(np.abs(liouv).max()))
    if residual > 1e-8 * scale or np.linalg.eigvalsh(rho)[0] < -1e-8:
        raise NumericalError(
            f"dense steady state failed its checks (residual {residual:.2e}, "
            f"min eigenvalue {np.linalg.eigvalsh(rho)[0]:.2e}); the kernel may be degenerate"
        )
    return rho
