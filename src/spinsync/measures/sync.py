"""Quantum synchronization measures: Husimi Q, the S-function, Sᵐᵃˣ, S_t, Eq. (7).

Conventions (docs/conventions.md, paper before Eq. 6 and supplement Sec. III):

* spin coherent state |θ, φ⟩ = e^{−iφσᶻ/2} e^{−iθσʸ/2} |↑⟩
  = (e^{−iφ/2} cos θ/2, e^{iφ/2} sin θ/2);
* single-qubit Husimi Q(θ, φ) = ⟨θ, φ|ρ|θ, φ⟩ / (2π)  (Eq. S16);
* pair Husimi Q_jk = ⟨θ_j,φ_j; θ_k,φ_k|ρ_jk|θ_j,φ_j; θ_k,φ_k⟩ / (2π)²;
* S_jk(φ) = −1/(2π) + ∫₀^{2π}dφ_k ∫₀^π dθ_j ∫₀^π dθ_k sin θ_j sin θ_k Q_jk(θ_j, θ_k, φ+φ_k, φ_k),
  whose closed form (Eq. 6) is (π/16)|⟨σ⁺_jσ⁻_k⟩| cos(φ − φ⁽⁰⁾), φ⁽⁰⁾ = arg⟨σ⁺_jσ⁻_k⟩.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from ..model import Network
from .coerce import as_state
from .correlations import flipflop_matrix

__all__ = [
    "coherent_state",
    "husimi_q",
    "husimi_q_pair",
    "s_function",
    "s_function_integrated",
    "sync_max",
    "locked_phase",
    "sync_max_matrix",
    "sync_total",
    "two_qubit_flipflop",
]


def coherent_state(theta: ArrayLike, phi: ArrayLike) -> NDArray[np.complex128]:
    """|θ, φ⟩ as an array of shape (..., 2) in the basis (|↑⟩, |↓⟩)."""
    t = np.asarray(theta, dtype=float)
    p = np.asarray(phi, dtype=float)
    t, p = np.broadcast_arrays(t, p)
    return np.stack([np.exp(-0.5j * p) * np.cos(t / 2), np.exp(0.5j * p) * np.sin(t / 2)], -1)


def husimi_q(rho: NDArray[np.complex128], theta: ArrayLike, phi: ArrayLike) -> NDArray[np.float64]:
    """Single-qubit Q(θ, φ) = ⟨θ, φ|ρ|θ, φ⟩/(2π) (Eq. S16), broadcast over θ, φ."""
    rho = np.asarray(rho, dtype=complex)
    if rho.shape != (2, 2):
        raise ModelError(f"husimi_q: expected a 2×2 density matrix, got shape {rho.shape}")
    psi = coherent_state(theta, phi)
    return np.einsum("...i,ij,...j->...", psi.conj(), rho, psi).real / (2 * np.pi)


def husimi_q_pair(
    rho_pair: NDArray[np.complex128],
    theta_j: ArrayLike,
    theta_k: ArrayLike,
    phi_j: ArrayLike,
    phi_k: ArrayLike,
) -> NDArray[np.float64]:
    """Two-qubit Q_jk = ⟨θ_j,φ_j;θ_k,φ_k|ρ_jk|…⟩/(2π)², broadcast over the angles."""
    rho = np.asarray(rho_pair, dtype=complex)
    if rho.shape != (4, 4):
        raise ModelError(f"husimi_q_pair: expected a 4×4 density matrix, got {rho.shape}")
    a = coherent_state(theta_j, phi_j)
    b = coherent_state(theta_k, phi_k)
    a, b = np.broadcast_arrays(a, b)
    psi = (a[..., :, None] * b[..., None, :]).reshape(*a.shape[:-1], 4)
    return np.einsum("...i,ij,...j->...", psi.conj(), rho, psi).real / (2 * np.pi) ** 2


def s_function_integrated(
    rho_pair: NDArray[np.complex128], phi: ArrayLike, n_theta: int = 16, n_phi: int = 16
) -> NDArray[np.float64]:
    """S_jk(φ) by quadrature of its definition (paper, before Eq. 6).

    The integrand is a trigonometric polynomial of degree ≤ 2 in the periodic φ_k, so the
    trapezoid rule with ``n_phi`` ≥ 3 nodes is exact. In θ it is analytic but not a
    polynomial (sin²θ, sin θ cos θ terms), so Gauss–Legendre with ``n_theta`` nodes
    converges exponentially: the default 16 nodes reach ~1e-15.
    """
    phis = np.atleast_1d(np.asarray(phi, dtype=float))
    x, w = np.polynomial.legendre.leggauss(n_theta)
    theta = (x + 1) * np.pi / 2
    w_theta = w * np.pi / 2 * np.sin(theta)
    phi_k = np.arange(n_phi) * (2 * np.pi / n_phi)
    w_phi = np.full(n_phi, 2 * np.pi / n_phi)
    # Grid axes: (φ, φ_k, θ_j, θ_k).
    q = husimi_q_pair(
        rho_pair,
        theta[None, None, :, None],
        theta[None, None, None, :],
        phis[:, None, None, None] + phi_k[None, :, None, None],
        phi_k[None, :, None, None],
    )
    integral = np.einsum("fpjk,p,j,k->f", q, w_phi, w_theta, w_theta)
    out = integral - 1 / (2 * np.pi)
    return out if np.ndim(phi) else out[0]


def s_function(flipflop: complex, phi: ArrayLike) -> NDArray[np.float64]:
    """Closed form Eq. (6): (π/16)|⟨σ⁺_jσ⁻_k⟩| cos(φ − φ⁽⁰⁾) = (π/16) Re(⟨σ⁺_jσ⁻_k⟩ e^{−iφ})."""
    return (np.pi / 16) * np.real(complex(flipflop) * np.exp(-1j * np.asarray(phi, dtype=float)))


def sync_max(flipflop: ArrayLike) -> NDArray[np.float64]:
    """Sᵐᵃˣ = (π/16)|⟨σ⁺_jσ⁻_k⟩|."""
    return (np.pi / 16) * np.abs(np.asarray(flipflop))


def locked_phase(flipflop: ArrayLike) -> NDArray[np.float64]:
    """φ⁽⁰⁾ = arg⟨σ⁺_jσ⁻_k⟩ in (−π, π]."""
    return np.angle(np.asarray(flipflop))


def sync_max_matrix(state: object) -> NDArray[np.float64]:
    """N×N matrix of Sᵐᵃˣ_jk (symmetric, zero diagonal) of a qubit state."""
    s = sync_max(flipflop_matrix(state))
    np.fill_diagonal(s, 0.0)
    return s


def sync_total(state_or_matrix: object) -> float:
    """S_t = Σ_{j<k} Sᵐᵃˣ_jk (paper, Fig. 3) of a state, or of an Sᵐᵃˣ matrix.

    An ndarray counts as an Sᵐᵃˣ matrix only when it is one: real, N×N, symmetric, with a
    zero diagonal and no negative entry. Any other array is read as a density matrix (a
    state); a complex or non-square array that is neither raises instead of being
    summed.
    """
    if isinstance(state_or_matrix, np.ndarray) and _is_sync_matrix(state_or_matrix):
        s = np.asarray(state_or_matrix, dtype=float)
    else:
        s = sync_max_matrix(as_state(state_or_matrix, "sync_total"))
    return float(np.sum(np.triu(s, 1)))


def _is_sync_matrix(a: np.ndarray) -> bool:
    if a.ndim != 2 or a.shape[0] != a.shape[1] or np.iscomplexobj(a):
        return False
    a = np.asarray(a, dtype=float)
    return bool(np.all(np.diag(a) == 0) and np.all(a >= 0) and np.allclose(a, a.T, rtol=0, atol=1e-15))


def two_qubit_flipflop(network: Network) -> complex:
    """Closed form Eq. (7) for two qubits with Uˣ = Uʸ = U (any Uᶻ, no field needed).

    ⟨σ⁺₁σ⁻₂⟩ = 4UΓ₁Γ₂(m₁ − m₂)(4Δ − iΓ) / (64Γ²U² + Γ₁Γ₂(Γ² + 16Δ²)),
    Δ = ω₁ − ω₂, Γ_j = Γᵍ_j + Γᵈ_j, Γ = Γ₁ + Γ₂ (qubits 0 and 1 here).
    """
    if network.n != 2:
        raise ModelError(f"Eq. 7 is for two qubits, the network has {network.n}")
    if not network.is_xxz:
        raise ModelError("Eq. 7 needs Uˣ = Uʸ on the bond")
    u = float(network.coupling_matrix(0)[0, 1])
    g1, g2 = network.total_rate
    gamma = g1 + g2
    m1, m2 = network.magnetization
    delta = network.omega[0] - network.omega[1]
    num = 4 * u * g1 * g2 * (m1 - m2) * (4 * delta - 1j * gamma)
    den = 64 * gamma**2 * u**2 + g1 * g2 * (gamma**2 + 16 * delta**2)
    return complex(num / den)
