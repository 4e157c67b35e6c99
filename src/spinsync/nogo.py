"""The no-go theorem: the product state ρ₀ and its residual L[ρ₀] (paper Eqs. 4–5).

With ρ₀ = ⊗_j (I + m_j σᶻ_j)/2 the dissipators and H₀ annihilate ρ₀, and

    L[ρ₀] = −i[U, ρ₀] = (i/2) Σ_{j<k} (M_jk + U_jk) ⊗_{l≠j,k} ρ_{l,0}       (Eq. 5)

    M_jk = (m_j − m_k)(Uˣ_jk + Uʸ_jk)(σ⁺_j σ⁻_k − σ⁻_j σ⁺_k)
    U_jk = (m_j + m_k)(Uˣ_jk − Uʸ_jk)(σ⁺_j σ⁺_k − σ⁻_j σ⁻_k)

(the paper prints L[ρ₀] = [U, ρ₀]; CONVENTIONS.md records the missing −i). All bond terms
are mutually orthogonal in the Hilbert–Schmidt inner product, so the norm of L[ρ₀]
follows in closed form at any N without building ρ₀.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .model import Network
from .states import ProductState

__all__ = [
    "product_state",
    "nogo_conditions_hold",
    "product_state_is_steady",
    "BondResidual",
    "product_residual_terms",
    "product_residual",
]

#: Magnetizations within this absolute distance count as equal (|m| ≤ 1).
MAGNETIZATION_ATOL = 1e-12


def product_state(network: Network) -> ProductState:
    """ρ₀ = ⊗_j (I + m_j σᶻ_j)/2, the non-interacting steady state (Eq. 4)."""
    m = network.magnetization
    factors = np.zeros((network.n, 2, 2), dtype=complex)
    factors[:, 0, 0] = (1 + m) / 2
    factors[:, 1, 1] = (1 - m) / 2
    return ProductState(factors)


def nogo_conditions_hold(network: Network) -> bool:
    """The theorem's conditions (CONVENTIONS.md).

    Either all m_j equal and Uˣ = Uʸ on every bond, or all m_j = 0 (any XYZ couplings).
    """
    m = network.magnetization
    if np.all(np.abs(m) <= MAGNETIZATION_ATOL):
        return True
    equal_m = bool(np.ptp(m) <= MAGNETIZATION_ATOL)
    return equal_m and network.is_xxz


@dataclass(frozen=True)
class BondResidual:
    """Contribution of one bond to L[ρ₀] (Eq. 5).

    ``m_coefficient`` = (m_j − m_k)(Uˣ + Uʸ) and ``u_coefficient`` = (m_j + m_k)(Uˣ − Uʸ);
    ``m_norm`` and ``u_norm`` are the Frobenius norms of ½ M_jk ⊗ρ_rest and ½ U_jk ⊗ρ_rest
    divided by ‖ρ₀‖_F (so they are comparable at any N).
    """

    j: int
    k: int
    m_coefficient: float
    u_coefficient: float
    m_norm: float
    u_norm: float

    @property
    def norm(self) -> float:
        """Relative norm of the whole bond term (M and U parts are orthogonal)."""
        return float(np.hypot(self.m_norm, self.u_norm))


def product_residual_terms(network: Network) -> list[BondResidual]:
    """Per-bond split of L[ρ₀] into the M and U terms of Eq. 5, relative to ‖ρ₀‖_F."""
    m = network.magnetization
    purity = (1 + m**2) / 2  # ‖ρ_{l,0}‖_F²
    out = []
    for (j, k), (ux, uy, _) in zip(network.bond_sites, network.bond_couplings):
        mc = (m[j] - m[k]) * (ux + uy)
        uc = (m[j] + m[k]) * (ux - uy)
        # ‖σ⁺σ⁻ − σ⁻σ⁺‖_F² = ‖σ⁺σ⁺ − σ⁻σ⁻‖_F² = 2; the ½ of Eq. 5; ρ_j ρ_k are replaced
        # by these operators, so divide by their purities.
        scale = np.sqrt(2.0 / (purity[j] * purity[k])) / 2
        out.append(BondResidual(int(j), int(k), float(mc), float(uc),
                                float(abs(mc) * scale), float(abs(uc) * scale)))
    return out


def product_residual(network: Network) -> float:
    """‖L[ρ₀]‖_F / ‖ρ₀‖_F, exact, without building ρ₀."""
    terms = product_residual_terms(network)
    return float(np.sqrt(sum(t.m_norm**2 + t.u_norm**2 for t in terms)))


def product_state_is_steady(network: Network) -> bool:
    """True when every bond term of Eq. 5 vanishes, so ρ₀ is the (unique) steady state.

    This contains the theorem's conditions and also covers, e.g., bonds between parts
    of the network that are not coupled to qubits of another magnetization.
    """
    m = network.magnetization
    for (j, k), (ux, uy, _) in zip(network.bond_sites, network.bond_couplings):
        if abs(m[j] - m[k]) > MAGNETIZATION_ATOL and ux + uy != 0.0:
            return False
        if abs(m[j] + m[k]) > MAGNETIZATION_ATOL and ux != uy:
            return False
    return True
