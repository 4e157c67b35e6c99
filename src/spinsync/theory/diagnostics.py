"""No-go diagnostics: which terms break the theorem, why, and by how much.

ρ₀ = ⊗_j ρ_j is the product of the sites' local steady states
(:func:`spinsync.steady.analytic.product_state`); the theorem holds when L[ρ₀] = 0.

**Qubits without drives or collective channels (paper Eq. 5).** With
ρ_j = (I + m_j σᶻ_j)/2 (Eq. 4; local dephasing keeps this form) the master equation gives

    L[ρ₀] = −i[U, ρ₀] = (i/2) Σ_{j<k} (M_jk + U_jk) ⊗_{l≠j,k} ρ_{l,0}

    M_jk = (m_j − m_k)(Uˣ_jk + Uʸ_jk)(σ⁺_j σ⁻_k − σ⁻_j σ⁺_k)
    U_jk = (m_j + m_k)(Uˣ_jk − Uʸ_jk)(σ⁺_j σ⁺_k − σ⁻_j σ⁻_k)

(the paper prints ``[U, ρ₀]`` on the left; docs/conventions.md records the missing −i;
norms are unaffected). In ``M_jk ⊗ ρ_rest`` the operator M_jk takes the place of
ρ_{j,0} ⊗ ρ_{k,0}. A bond breaks the theorem through its *M term* when the magnetizations
differ (and Uˣ + Uʸ ≠ 0), and through its *U term* when Uˣ ≠ Uʸ (and m_j + m_k ≠ 0). The M
and U terms of all bonds are mutually orthogonal in the Hilbert–Schmidt inner product, so
‖L[ρ₀]‖² is the sum of the squared per-term norms; they come in closed form from
:func:`spinsync.steady.analytic.product_residual_terms`.

**Every other model** (drives, collective channels, spins of any size and scheme). The
total residual ‖L[ρ₀]‖_F/‖ρ₀‖_F is the exact closed form of
:func:`spinsync.steady.analytic.product_residual` (no D² object). Its terms are no longer
orthogonal, so the breakdown reports each coupling term's contribution *alone* — what the
residual would be if that term were the only coupling, with the same local states ρ_j:

* a bond (j, k): ‖[U_jk, ρ_j ⊗ ρ_k]‖_F / (‖ρ_j‖_F ‖ρ_k‖_F), O(d⁴) per bond;
* a collective channel ½γ D[Σ_{j∈S} A_j]: the residual of its cross terms
  A_jρA_k† + A_kρA_j† − ½{A_k†A_j + A_j†A_k, ρ} over the pairs of S, from the same closed
  form (its single-site parts are in the local Liouvillians and vanish on ρ₀).

The contributions do not add in quadrature (terms on one pair interfere); the total is
``residual``. A site whose local Liouvillian has no unique steady state (no dissipation
acting on it alone, e.g. the interior of a boundary-driven chain) leaves ρ₀ undefined: the
diagnosis says so (``product_state_defined``, ``undefined_sites``) and reports no
residual instead of failing.

The dense operators here (:func:`bond_operators`, :func:`residual_operator`) are 2ᴺ×2ᴺ
and meant for checks of Eq. 5 at small N; :func:`diagnose` works at any N.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import asdict, dataclass, field
from functools import reduce
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..model import Network
from ..operators.local import PAULI, spin_matrices
from ..operators.terms import Terms
from ..resources import check_memory
from ..steady.analytic import (
    MAGNETIZATION_ATOL,
    RESIDUAL_RTOL,
    local_steady_states,
    nogo_conditions_hold,
    product_residual,
    product_residual_terms,
    product_state,
    product_state_is_steady,
)

__all__ = [
    "BondDiagnosis",
    "ChannelDiagnosis",
    "NogoDiagnosis",
    "diagnose",
    "bond_contributions",
    "channel_contribution",
    "bond_operators",
    "residual_operator",
    "embed",
]

#: Couplings closer than this (absolute, in the model's energy unit) count as equal when
#: naming the reason a bond breaks the theorem. The norms themselves are exact.
COUPLING_ATOL = 1e-12

#: Bytes of bond matrices processed at once by :func:`bond_contributions`.
_CHUNK_BYTES = 64 * 2**20

_NAN = float("nan")


def _json_float(x: float | None) -> float | None:
    """NaN (no meaning for this model) → None, so ``to_dict`` stays strict JSON."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


@dataclass(frozen=True)
class BondDiagnosis:
    """One bond's contribution to L[ρ₀].

    Attributes
    ----------
    j, k
        The bond (j < k, sites numbered from 0).
    m_j, m_k
        Qubits of the paper's model: limit-cycle magnetizations (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ).
        Other models: ⟨σᶻ⟩ (qubits) or ⟨Jᶻ⟩ (spins) of the local steady states ρ_j, ρ_k.
        NaN where ρ_j is undefined.
    ux, uy, uz
        The couplings (same energy unit as the rates).
    m_coefficient, u_coefficient
        (m_j − m_k)(Uˣ + Uʸ) and (m_j + m_k)(Uˣ − Uʸ): the prefactors of M_jk and U_jk of
        Eq. 5. NaN where Eq. 5 does not hold (drives, collective channels, spins).
    m_norm, u_norm
        ‖½ M_jk ⊗ ρ_rest‖_F / ‖ρ₀‖_F and ‖½ U_jk ⊗ ρ_rest‖_F / ‖ρ₀‖_F (a rate); NaN where
        Eq. 5 does not hold.
    reasons
        Human-readable causes, empty when the bond term vanishes.
    contribution
        ‖[U_jk, ρ_j ⊗ ρ_k]‖_F / (‖ρ_j‖‖ρ_k‖): this bond's residual alone (a rate). Under
        Eq. 5 it equals hypot(m_norm, u_norm). NaN where ρ₀ is undefined.
    threshold
        Contributions at or below this count as zero (RESIDUAL_RTOL × the model's rate
        scale) outside Eq. 5, where the test is exact.
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
    contribution: float | None = None
    threshold: float = 0.0

    @property
    def eq5(self) -> bool:
        """True when this bond's split into M and U terms (Eq. 5) applies."""
        return not math.isnan(self.m_coefficient)

    @property
    def norm(self) -> float:
        """Relative norm of the whole bond term (M and U parts are orthogonal)."""
        if self.contribution is not None and not self.eq5:
            return float(self.contribution)
        return float(np.hypot(self.m_norm, self.u_norm))

    @property
    def causes(self) -> tuple[str, ...]:
        """Short tags: ``"unequal m"`` (M term), ``"Ux != Uy"`` (U term) under Eq. 5;
        ``"[U, rho0] != 0"`` for other models."""
        if not self.eq5:
            return ("[U, rho0] != 0",) if self.breaks else ()
        tags = []
        if self.m_coefficient != 0.0:
            tags.append("unequal m")
        if self.u_coefficient != 0.0:
            tags.append("Ux != Uy")
        return tuple(tags)

    @property
    def breaks(self) -> bool:
        """True when this bond's term is non-zero (False when ρ₀ is undefined)."""
        if not self.eq5:
            c = self.contribution
            return bool(c is not None and not math.isnan(c) and c > self.threshold)
        return bool(self.m_coefficient != 0.0 or self.u_coefficient != 0.0)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("threshold")
        for key in ("m_j", "m_k", "m_coefficient", "u_coefficient", "m_norm", "u_norm"):
            out[key] = _json_float(out[key])
        out["reasons"] = list(self.reasons)
        out["causes"] = list(self.causes)
        out["norm"] = _json_float(self.norm)
        out["contribution"] = _json_float(self.norm)
        defined = not math.isnan(self.norm)
        out["breaks"] = self.breaks if defined else None
        return out


@dataclass(frozen=True)
class ChannelDiagnosis:
    """One collective channel's contribution to L[ρ₀] (its cross terms alone).

    Attributes
    ----------
    label
        ``"collective[i]"`` (the i-th channel of the model).
    operator
        ``"lowering"``, ``"raising"`` or ``"dephasing"``.
    sites
        The sites of the channel.
    rate
        γ of ½γ D[Σ A_j].
    contribution
        Residual of the channel's cross terms alone, relative to ‖ρ₀‖_F (a rate); NaN
        where ρ₀ is undefined.
    threshold
        Contributions at or below this count as zero.
    """

    label: str
    operator: str
    sites: tuple[int, ...]
    rate: float
    contribution: float
    threshold: float = 0.0

    @property
    def breaks(self) -> bool:
        return bool(not math.isnan(self.contribution) and self.contribution > self.threshold)

    def to_dict(self) -> dict[str, Any]:
        defined = not math.isnan(self.contribution)
        return {"label": self.label, "operator": self.operator, "sites": list(self.sites),
                "rate": self.rate, "contribution": _json_float(self.contribution),
                "breaks": self.breaks if defined else None}


@dataclass(frozen=True)
class NogoDiagnosis:
    """Whether the theorem applies to a network, and which terms spoil it.

    Attributes
    ----------
    n
        Number of sites.
    conditions_hold
        The theorem's conditions (:func:`spinsync.steady.analytic.nogo_conditions_hold`:
        all m equal and XXZ, or all m = 0 with any XYZ; J± spins likewise; no drives or
        collective channels).
    product_is_steady
        L[ρ₀] = 0; implied by, but weaker than, the conditions (e.g. bonds with Uˣ = −Uʸ
        between qubits of different m, or a disconnected network). False when ρ₀ is
        undefined.
    all_m_zero_xyz
        The special case of Eq. 5: all m_j = 0 and at least one bond with Uˣ ≠ Uʸ,
        where the theorem still holds.
    residual
        ‖L[ρ₀]‖_F / ‖ρ₀‖_F, exact (NaN when ρ₀ is undefined).
    magnetization
        Eq. 5 models: limit-cycle m_j; others: ⟨σᶻ_j⟩ or ⟨Jᶻ_j⟩ of ρ_j (NaN where undefined).
    bonds
        One :class:`BondDiagnosis` per bond, in the network's bond order.
    kind, symmetry
        ``"qubits"``/``"spins"`` and the symmetry the compiled terms keep.
    eq5
        True when the per-bond M/U split of Eq. 5 applies (qubits, no drive, no channel).
    product_state_defined, undefined_sites
        Whether every site has a unique local steady state, and the sites that do not.
    channels
        One :class:`ChannelDiagnosis` per collective channel of non-zero rate.
    note
        One plain sentence when ρ₀ is undefined or the Eq. 5 split does not apply.
    """

    n: int
    conditions_hold: bool
    product_is_steady: bool
    all_m_zero_xyz: bool
    residual: float
    magnetization: tuple[float, ...]
    bonds: tuple[BondDiagnosis, ...] = field(default_factory=tuple)
    kind: str = "qubits"
    symmetry: str = "u1"
    eq5: bool = True
    product_state_defined: bool = True
    undefined_sites: tuple[int, ...] = ()
    channels: tuple[ChannelDiagnosis, ...] = ()
    note: str = ""

    @property
    def breaking_bonds(self) -> list[BondDiagnosis]:
        """Bonds with a non-zero term, largest norm first."""
        return sorted((b for b in self.bonds if b.breaks), key=lambda b: -b.norm)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the JSON contract of ``spinsync nogo --json``; NaN becomes null)."""
        return {
            "n": self.n,
            "conditions_hold": self.conditions_hold,
            "product_is_steady": self.product_is_steady,
            "all_m_zero_xyz": self.all_m_zero_xyz,
            "residual": _json_float(self.residual),
            "magnetization": [_json_float(x) for x in self.magnetization],
            "bonds": [b.to_dict() for b in self.bonds],
            "breaking_bonds": [[b.j, b.k] for b in self.breaking_bonds],
            "kind": self.kind,
            "symmetry": self.symmetry,
            "eq5": self.eq5,
            "product_state_defined": self.product_state_defined,
            "undefined_sites": list(self.undefined_sites),
            "channels": [c.to_dict() for c in self.channels],
            "breaking_channels": [c.label for c in self.channels if c.breaks],
            "note": self.note,
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


def _is_eq5_model(network: Network) -> bool:
    """Qubits with σ± (and σᶻ dephasing) only: where Eq. 5 splits L[ρ₀] per bond."""
    return network.is_qubits and not network.has_drive and not network.collective


def diagnose(network: Network) -> NogoDiagnosis:
    """Diagnosis of the no-go theorem for ``network`` (any N, no D² object).

    Parameters
    ----------
    network
        The model: qubits or spins, with any of their terms.

    Returns
    -------
    NogoDiagnosis
        Conditions, the exact residual and its breakdown: the per-bond M/U split of Eq. 5
        for the paper's qubit model, each bond's and each collective channel's
        contribution alone otherwise (module docstring).
    """
    terms = network.terms
    rhos = local_steady_states(network)
    undefined = tuple(j for j, r in enumerate(rhos) if r is None)
    conditions = nogo_conditions_hold(network)
    common = dict(kind=network.kind, symmetry=terms.symmetry, conditions_hold=conditions,
                  undefined_sites=undefined, product_state_defined=not undefined)
    if _is_eq5_model(network) and not undefined:
        return _diagnose_eq5(network, common)
    return _diagnose_general(network, terms, rhos, common)


def _diagnose_eq5(network: Network, common: dict[str, Any]) -> NogoDiagnosis:
    m = network.magnetization
    bonds = []
    for t, (ux, uy, uz) in zip(product_residual_terms(network), network.bond_couplings):
        mj, mk = float(m[t.j]), float(m[t.k])
        # Coefficients below the tolerances are exact zeros of Eq. 5 up to rounding of m.
        mc = t.m_coefficient if abs(mj - mk) > MAGNETIZATION_ATOL else 0.0
        uc = t.u_coefficient if abs(mj + mk) > MAGNETIZATION_ATOL else 0.0
        mn, un = (t.m_norm if mc else 0.0), (t.u_norm if uc else 0.0)
        bonds.append(
            BondDiagnosis(
                j=t.j, k=t.k, m_j=mj, m_k=mk, ux=float(ux), uy=float(uy), uz=float(uz),
                m_coefficient=float(mc), u_coefficient=float(uc), m_norm=mn, u_norm=un,
                reasons=_reasons(mj, mk, float(ux), float(uy)),
                contribution=float(np.hypot(mn, un)),
            )
        )
    all_zero = bool(np.all(np.abs(m) <= MAGNETIZATION_ATOL))
    return NogoDiagnosis(
        n=network.n,
        product_is_steady=product_state_is_steady(network),
        all_m_zero_xyz=all_zero and not network.is_xxz and common["conditions_hold"],
        residual=float(np.sqrt(sum(b.m_norm**2 + b.u_norm**2 for b in bonds))),
        magnetization=tuple(float(x) for x in m),
        bonds=tuple(bonds),
        eq5=True,
        **common,
    )


def _local_z(terms: Terms, rhos: list[NDArray[np.complex128] | None]) -> list[float]:
    """⟨σᶻ⟩ (qubits) or ⟨Jᶻ⟩ (spins) of each local state (NaN where it is undefined)."""
    out = []
    for r, d in zip(rhos, terms.space.dims):
        if r is None:
            out.append(_NAN)
            continue
        z = PAULI["z"] if terms.convention == "qubits" else spin_matrices((d - 1) / 2).z
        out.append(float(np.trace(r @ z).real))
    return out


def bond_contributions(network: Network | Terms) -> NDArray[np.float64]:
    """Each bond's residual alone, ‖[U_jk, ρ_j ⊗ ρ_k]‖_F / (‖ρ_j‖_F‖ρ_k‖_F), in the
    order of the compiled bond groups' rows (for a Network: its bond order).

    Raises ValueError when ρ₀ is undefined.
    """
    terms = network if isinstance(network, Terms) else network.terms
    rhos = local_steady_states(network)
    if any(r is None for r in rhos):
        raise ValueError("ρ₀ is undefined: some site has no unique local steady state")
    out = []
    for group in terms.bonds:
        dl, dr = group.left.shape[1], group.right.shape[1]
        kron = np.einsum("pab,pcd->pacbd", group.left, group.right).reshape(len(group.left), dl * dr, dl * dr)
        per = max(1, _CHUNK_BYTES // (16 * 4 * (dl * dr) ** 2))
        for start in range(0, len(group.sites), per):
            sites = group.sites[start:start + per]
            u = np.einsum("bp,pxy->bxy", group.coefficients[start:start + per], kron)
            rl = np.stack([rhos[j] for j in sites[:, 0]])
            rr = np.stack([rhos[k] for k in sites[:, 1]])
            pair = np.einsum("pab,pcd->pacbd", rl, rr).reshape(len(sites), dl * dr, dl * dr)
            comm = u @ pair - pair @ u
            scale = np.linalg.norm(rl, axis=(1, 2)) * np.linalg.norm(rr, axis=(1, 2))
            out.append(np.linalg.norm(comm, axis=(1, 2)) / scale)
    if not out:
        return np.zeros(0)
    values = np.concatenate(out)
    if isinstance(network, Network) and len(terms.bonds) > 1:
        # Groups split the bonds by local dimensions: back to the network's bond order
        # (each pair is bonded at most once).
        n = network.n
        keys = np.concatenate([g.sites[:, 0] * n + g.sites[:, 1] for g in terms.bonds])
        wanted = network.bond_sites[:, 0] * n + network.bond_sites[:, 1]
        position = np.argsort(keys)
        values = values[position[np.searchsorted(keys[position], wanted)]]
    return values


def channel_contribution(network: Network | Terms, index: int) -> float:
    """Residual of collective channel ``index`` (of the compiled channels) alone.

    The same closed form as :func:`spinsync.steady.analytic.product_residual`, on terms
    that keep every site's local Liouvillian (the other channels' single-site parts become
    local jumps, so every ρ_j is unchanged) but have no bonds and only this channel's
    cross terms. Raises ValueError when ρ₀ is undefined.
    """
    terms = network if isinstance(network, Terms) else network.terms
    ch = terms.channels[index]
    local = [list(j) for j in terms.local_jumps]
    for other in terms.channels:
        if other is ch:
            continue
        for j, mat in zip(other.sites, other.matrices):
            local[j].append((other.label, other.rate, mat))
    alone = dataclasses.replace(terms, local_jumps=tuple(tuple(j) for j in local),
                                bonds=(), channels=(ch,))
    return float(product_residual(alone))


def _diagnose_general(network: Network, terms: Terms, rhos: list, common: dict[str, Any]) -> NogoDiagnosis:
    undefined = common["undefined_sites"]
    defined = not undefined
    threshold = RESIDUAL_RTOL * max(terms.rate_scale(), 1e-300)
    z = _local_z(terms, rhos)
    if defined:
        residual = float(product_residual(network))
        per_bond = bond_contributions(network)
        per_channel = [channel_contribution(terms, i) for i in range(len(terms.channels))]
    else:
        residual = _NAN
        per_bond = np.full(len(network.bond_sites), _NAN)
        per_channel = [_NAN] * len(terms.channels)
    bonds = []
    for (j, k), (ux, uy, uz), c in zip(network.bond_sites, network.bond_couplings, per_bond):
        j, k = int(j), int(k)
        reasons: tuple[str, ...] = ()
        if defined and c > threshold:
            why = []
            for site in (j, k):
                off = rhos[site] - np.diag(np.diag(rhos[site]))
                if np.max(np.abs(off)) > MAGNETIZATION_ATOL:
                    src = " (driven)" if network.drive[site] != 0 else ""
                    why.append(f"ρ_{site} has coherences{src}")
            if not why:
                why.append("the flip terms (Uˣ, Uʸ) connect pair states of unequal weight in ρ_j ⊗ ρ_k")
            reasons = (f"[U_jk, ρ_j ⊗ ρ_k] ≠ 0 ({'; '.join(why)}): contribution {c:.6g}",)
        bonds.append(BondDiagnosis(
            j=j, k=k, m_j=z[j], m_k=z[k], ux=float(ux), uy=float(uy), uz=float(uz),
            m_coefficient=_NAN, u_coefficient=_NAN, m_norm=_NAN, u_norm=_NAN,
            reasons=reasons, contribution=float(c), threshold=threshold,
        ))
    by_label = {f"collective[{i}]": c for i, c in enumerate(network.collective)}
    channels = tuple(
        ChannelDiagnosis(label=ch.label, operator=by_label[ch.label].operator, sites=tuple(ch.sites),
                         rate=float(ch.rate), contribution=float(v), threshold=threshold)
        for ch, v in zip(terms.channels, per_channel)
    )
    if undefined:
        shown = ", ".join(str(j) for j in undefined[:8]) + (" …" if len(undefined) > 8 else "")
        note = (f"ρ₀ is undefined: site {shown} has no unique local steady state (no dissipation "
                "acting on it alone), so there is no product state to test; the steady state, "
                "if unique, is correlated through the bonds")
    else:
        note = ("Eq. 5 does not apply (drive, collective channel or spins): residual is the exact "
                "total; bond and channel contributions are each term alone and do not add in "
                "quadrature")
    m_rates = network.magnetization
    all_zero = bool(np.all(np.abs(m_rates) <= MAGNETIZATION_ATOL))
    return NogoDiagnosis(
        n=network.n,
        product_is_steady=bool(defined and product_state_is_steady(network)),
        all_m_zero_xyz=all_zero and not network.is_xxz and common["conditions_hold"],
        residual=residual,
        magnetization=tuple(z),
        bonds=tuple(bonds),
        eq5=False,
        channels=channels,
        note=note,
        **common,
    )


# ------------------------------------------------------------------ explicit operators
def embed(n: int, local: dict[int, NDArray[np.complex128]]) -> NDArray[np.complex128]:
    """⊗_j A_j on n qubits with A_j = ``local[j]`` (2×2) or the identity (qubit 0 leftmost)."""
    check_memory(16 * 4**n, what=f"a dense {2**n}×{2**n} operator")
    eye = PAULI["i"]
    return reduce(np.kron, [np.asarray(local.get(j, eye), dtype=complex) for j in range(n)])


def _check_bond(network: Network, j: int, k: int) -> tuple[float, float]:
    if not _is_eq5_model(network):
        raise ModelError("bond_operators: Eq. 5 holds for qubit networks without drives or "
                         "collective channels; use diagnose() for other models")
    for (a, b), (ux, uy, _) in zip(network.bond_sites, network.bond_couplings):
        if (a, b) == (min(j, k), max(j, k)):
            return float(ux), float(uy)
    raise ModelError(f"bond ({j}, {k}) is not in the network")


def bond_operators(
    network: Network, j: int, k: int
) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """The operators M_jk ⊗ ρ_rest and U_jk ⊗ ρ_rest of Eq. 5 as dense 2ᴺ×2ᴺ matrices.

    ρ_rest = ⊗_{l≠j,k} ρ_{l,0} fills the other qubits; qubits j and k carry M_jk or U_jk.
    The residual is L[ρ₀] = (i/2) Σ_bonds (M + U). Small N only (memory 16·4ᴺ bytes each);
    qubit networks without drives or collective channels only (ModelError otherwise).
    """
    ux, uy = _check_bond(network, j, k)
    j, k = min(j, k), max(j, k)
    m = network.magnetization
    rho0 = product_state(network)
    if rho0 is None:
        raise ModelError("bond_operators: ρ₀ is undefined (a qubit has Γᵍ + Γᵈ = 0)")
    sp_, sm = PAULI["+"], PAULI["-"]
    rest = {l: f for l, f in enumerate(rho0.factors) if l not in (j, k)}
    flipflop = embed(network.n, {**rest, j: sp_, k: sm}) - embed(network.n, {**rest, j: sm, k: sp_})
    pairflip = embed(network.n, {**rest, j: sp_, k: sp_}) - embed(network.n, {**rest, j: sm, k: sm})
    return (m[j] - m[k]) * (ux + uy) * flipflop, (m[j] + m[k]) * (ux - uy) * pairflip


def residual_operator(network: Network) -> NDArray[np.complex128]:
    """L[ρ₀] assembled from Eq. 5: (i/2) Σ_{bonds} (M_jk + U_jk) ⊗ ρ_rest (dense, small N)."""
    dim = 2**network.n
    out = np.zeros((dim, dim), dtype=complex)
    for j, k in network.bond_sites:
        mop, uop = bond_operators(network, int(j), int(k))
        out += 0.5j * (mop + uop)
    return out
