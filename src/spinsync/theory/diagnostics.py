"""No-go diagnostics: which bonds break the theorem, why, and by how much (paper Eq. 5).

With ρ₀ = ⊗_j (I + m_j σᶻ_j)/2 (Eq. 4) the master equation gives

    L[ρ₀] = −i[U, ρ₀] = (i/2) Σ_{j<k} (M_jk + U_jk) ⊗_{l≠j,k} ρ_{l,0}

    M_jk = (m_j − m_k)(Uˣ_jk + Uʸ_jk)(σ⁺_j σ⁻_k − σ⁻_j σ⁺_k)
    U_jk = (m_j + m_k)(Uˣ_jk − Uʸ_jk)(σ⁺_j σ⁺_k − σ⁻_j σ⁻_k)

(the paper prints ``[U, ρ₀]`` on the left; ``docs/conventions.md`` records the missing −i; norms are
unaffected). In ``M_jk ⊗ ρ_rest`` the operator M_jk takes the place of ρ_{j,0} ⊗ ρ_{k,0}.

A bond breaks the theorem through its *M term* when the magnetizations differ (and
Uˣ + Uʸ ≠ 0), and through its *U term* when Uˣ ≠ Uʸ (and m_j + m_k ≠ 0). The M and U
terms of all bonds are mutually orthogonal in the Hilbert–Schmidt inner product (they
change the ket/bra spin configuration on different pairs or in different ways), so the
squared norm of L[ρ₀] is the sum of the squared per-term norms; the per-bond norms come
in closed form from :func:`spinsync.steady.analytic.product_residual_terms`.

The dense operators here (:func:`bond_operators`, :func:`residual_operator`) are 2ᴺ×2ᴺ
and meant for checks at small N; :func:`diagnose` works at any N.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import reduce
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..model import Network
from ..steady.analytic import (
    MAGNETIZATION_ATOL,
    nogo_conditions_hold,
    product_residual_terms,
    product_state,
    product_state_is_steady,
)
from ..resources import check_memory

__all__ = [
    "BondDiagnosis",
    "NogoDiagnosis",
    "diagnose",
    "bond_operators",
    "residual_operator",
    "embed",
]

#: Couplings closer than this (absolute, in the model's energy unit) count as equal when
#: naming the reason a bond breaks the theorem. The norms themselves are exact.
COUPLING_ATOL = 1e-12

_SP = np.array([[0, 1], [0, 0]], dtype=complex)  # σ⁺ in (|↑⟩, |↓⟩)
_SM = _SP.T.copy()  # σ⁻


@dataclass(frozen=True)
class BondDiagnosis:
    """One bond's contribution to L[ρ₀].

    Attributes
    ----------
    j, k
        The bond (j < k, qubits numbered from 0).
    m_j, m_k
        Limit-cycle magnetizations of the two qubits.
    ux, uy, uz
        The couplings (same energy unit as the rates).
    m_coefficient, u_coefficient
        (m_j − m_k)(Uˣ + Uʸ) and (m_j + m_k)(Uˣ − Uʸ): the prefactors of M_jk and U_jk.
    m_norm, u_norm
        ‖½ M_jk ⊗ ρ_rest‖_F / ‖ρ₀‖_F and ‖½ U_jk ⊗ ρ_rest‖_F / ‖ρ₀‖_F (dimensionless
        ratio times the energy unit of the couplings, i.e. a rate).
    reasons
        Human-readable causes, empty when the bond term vanishes.
    """

    j: int
    k: int
    m_j: float
    m_k: float
    ux: float
    uy: float
    uz: float
    m_coefficient: float
    u_coefficient: float
    m_norm: float
    u_norm: float
    reasons: tuple[str, ...] = ()

    @property
    def norm(self) -> float:
        """Relative norm of the whole bond term (M and U parts are orthogonal)."""
        return float(np.hypot(self.m_norm, self.u_norm))

    @property
    def causes(self) -> tuple[str, ...]:
        """Short tags of ``reasons``: ``"unequal m"`` (M term), ``"Ux != Uy"`` (U term)."""
        tags = []
        if self.m_coefficient != 0.0:
            tags.append("unequal m")
        if self.u_coefficient != 0.0:
            tags.append("Ux != Uy")
        return tuple(tags)

    @property
    def breaks(self) -> bool:
        """True when this bond's term of Eq. 5 is non-zero."""
        return bool(self.m_coefficient != 0.0 or self.u_coefficient != 0.0)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        out["causes"] = list(self.causes)
        out["norm"] = self.norm
        out["breaks"] = self.breaks
        return out


@dataclass(frozen=True)
class NogoDiagnosis:
    """Whether the theorem applies to a network, and which bonds spoil it.

    Attributes
    ----------
    n
        Number of qubits.
    conditions_hold
        The theorem's conditions (all m equal and XXZ, or all m = 0 with any XYZ).
    product_is_steady
        L[ρ₀] = 0 (every bond term vanishes); implied by, but weaker than, the conditions
        (e.g. bonds with Uˣ = −Uʸ between qubits of different m, or a disconnected network).
    all_m_zero_xyz
        The special case of Eq. 5: all m_j = 0 and at least one bond with Uˣ ≠ Uʸ,
        where the theorem still holds (every U_jk term has m_j + m_k = 0).
    residual
        ‖L[ρ₀]‖_F / ‖ρ₀‖_F, the quadrature sum of all bond norms.
    magnetization
        Limit-cycle magnetizations m_j.
    bonds
        One :class:`BondDiagnosis` per bond, in the network's bond order.
    """

    n: int
    conditions_hold: bool
    product_is_steady: bool
    all_m_zero_xyz: bool
    residual: float
    magnetization: tuple[float, ...]
    bonds: tuple[BondDiagnosis, ...] = field(default_factory=tuple)

    @property
    def breaking_bonds(self) -> list[BondDiagnosis]:
        """Bonds with a non-zero term, largest norm first."""
        return sorted((b for b in self.bonds if b.breaks), key=lambda b: -b.norm)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON contract of ``spinsync nogo --json``)."""
        return {
            "n": self.n,
            "conditions_hold": self.conditions_hold,
            "product_is_steady": self.product_is_steady,
            "all_m_zero_xyz": self.all_m_zero_xyz,
            "residual": self.residual,
            "magnetization": list(self.magnetization),
            "bonds": [b.to_dict() for b in self.bonds],
            "breaking_bonds": [[b.j, b.k] for b in self.breaking_bonds],
        }


def _reasons(m_j: float, m_k: float, ux: float, uy: float) -> tuple[str, ...]:
    reasons = []
    if abs(m_j - m_k) > MAGNETIZATION_ATOL and abs(ux + uy) > COUPLING_ATOL:
        reasons.append(
            f"unequal magnetizations m_j = {m_j:+.6g}, m_k = {m_k:+.6g} (unequal Γᵍ/Γᵈ) "
            f"with Uˣ + Uʸ = {ux + uy:.6g}: M term"
        )
    if abs(ux - uy) > COUPLING_ATOL and abs(m_j + m_k) > MAGNETIZATION_ATOL:
        reasons.append(
            f"anisotropic bond Uˣ = {ux:.6g} ≠ Uʸ = {uy:.6g} with m_j + m_k = "
            f"{m_j + m_k:+.6g} ≠ 0: U term"
        )
    return tuple(reasons)


def diagnose(network: Network) -> NogoDiagnosis:
    """Per-bond diagnosis of the no-go theorem for ``network`` (any N, no 4ᴺ object).

    Parameters
    ----------
    network
        The model.

    Returns
    -------
    NogoDiagnosis
        Conditions, the residual and its per-bond M/U split.
    """
    m = network.magnetization
    terms = product_residual_terms(network)
    bonds = []
    for t, (ux, uy, uz) in zip(terms, network.bond_couplings):
        mj, mk = float(m[t.j]), float(m[t.k])
        # Coefficients below the tolerances are exact zeros of Eq. 5 up to rounding of m.
        mc = t.m_coefficient if abs(mj - mk) > MAGNETIZATION_ATOL else 0.0
        uc = t.u_coefficient if abs(mj + mk) > MAGNETIZATION_ATOL else 0.0
        bonds.append(
            BondDiagnosis(
                j=t.j, k=t.k, m_j=mj, m_k=mk, ux=float(ux), uy=float(uy), uz=float(uz),
                m_coefficient=float(mc), u_coefficient=float(uc),
                m_norm=t.m_norm if mc else 0.0, u_norm=t.u_norm if uc else 0.0,
                reasons=_reasons(mj, mk, float(ux), float(uy)),
            )
        )
    all_zero = bool(np.all(np.abs(m) <= MAGNETIZATION_ATOL))
    return NogoDiagnosis(
        n=network.n,
        conditions_hold=nogo_conditions_hold(network),
        product_is_steady=product_state_is_steady(network),
        all_m_zero_xyz=all_zero and not network.is_xxz,
        residual=float(np.sqrt(sum(b.m_norm**2 + b.u_norm**2 for b in bonds))),
        magnetization=tuple(float(x) for x in m),
        bonds=tuple(bonds),
    )


# ------------------------------------------------------------------ explicit operators
def embed(n: int, local: dict[int, NDArray[np.complex128]]) -> NDArray[np.complex128]:
    """⊗_j A_j on n qubits with A_j = ``local[j]`` (2×2) or the identity (qubit 0 leftmost)."""
    check_memory(16 * 4**n, what=f"a dense {2**n}×{2**n} operator")
    eye = np.eye(2, dtype=complex)
    return reduce(np.kron, [np.asarray(local.get(j, eye), dtype=complex) for j in range(n)])


def _check_bond(network: Network, j: int, k: int) -> tuple[float, float]:
    for (a, b), (ux, uy, _) in zip(network.bond_sites, network.bond_couplings):
        if (a, b) == (min(j, k), max(j, k)):
            return float(ux), float(uy)
    raise ModelError(f"bond ({j}, {k}) is not in the network")


def bond_operators(
    network: Network, j: int, k: int
) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """The operators M_jk ⊗ ρ_rest and U_jk ⊗ ρ_rest of Eq. 5 as dense 2ᴺ×2ᴺ matrices.

    ρ_rest = ⊗_{l≠j,k} ρ_{l,0} fills the other qubits; qubits j and k carry M_jk or U_jk.
    The residual is L[ρ₀] = (i/2) Σ_bonds (M + U). Small N only (memory 16·4ᴺ bytes each).
    """
    ux, uy = _check_bond(network, j, k)
    j, k = min(j, k), max(j, k)
    m = network.magnetization
    rest = {l: f for l, f in enumerate(product_state(network).factors) if l not in (j, k)}
    flipflop = embed(network.n, {**rest, j: _SP, k: _SM}) - embed(network.n, {**rest, j: _SM, k: _SP})
    pairflip = embed(network.n, {**rest, j: _SP, k: _SP}) - embed(network.n, {**rest, j: _SM, k: _SM})
    return (m[j] - m[k]) * (ux + uy) * flipflop, (m[j] + m[k]) * (ux - uy) * pairflip


def residual_operator(network: Network) -> NDArray[np.complex128]:
    """L[ρ₀] assembled from Eq. 5: (i/2) Σ_{bonds} (M_jk + U_jk) ⊗ ρ_rest (dense, small N)."""
    dim = 2**network.n
    out = np.zeros((dim, dim), dtype=complex)
    for j, k in network.bond_sites:
        mop, uop = bond_operators(network, int(j), int(k))
        out += 0.5j * (mop + uop)
    return out
