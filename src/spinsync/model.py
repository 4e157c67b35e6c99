"""The network model: N qubits with gain, damping, frequencies and Heisenberg bonds.

Conventions (``CONVENTIONS.md``): qubits are numbered 0 … N−1; the master equation is
the paper's Eq. (2),

    dρ/dt = −i[H₀ + U + B Σ_j σᶻ_j, ρ] + ½ Σ_j (Γᵍ_j D[σ⁺_j] + Γᵈ_j D[σ⁻_j]) ρ,

with H₀ = Σ_j ω_j σᶻ_j / 2 and U = Σ_bonds Σ_α Uᵅ_jk σᵅ_j σᵅ_k (each bond counted once).
All rates and energies are in the same (arbitrary) unit, ħ = 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import ModelError

__all__ = [
    "Network",
    "rates_from_magnetization",
    "magnetization_from_rates",
    "all_to_all_bonds",
    "star_bonds",
    "chain_bonds",
    "ring_bonds",
    "power_law_bonds",
]

#: Two magnetizations closer than this count as equal for the no-go test.
NOGO_RTOL = 1e-12


def magnetization_from_rates(gain: ArrayLike, damping: ArrayLike) -> NDArray[np.float64]:
    """Single-qubit steady-state magnetization m = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ) (paper, before Eq. 4)."""
    g = np.asarray(gain, dtype=float)
    d = np.asarray(damping, dtype=float)
    return (g - d) / (g + d)


def rates_from_magnetization(
    magnetization: ArrayLike, rate_scale: ArrayLike | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gain and damping rates that give the magnetizations ``m`` (CONVENTIONS.md).

    The larger of the two rates equals ``rate_scale`` (default 1): for m ≥ 0,
    Γᵍ = s and Γᵈ = s(1−m)/(1+m); for m < 0, Γᵈ = s and Γᵍ = s(1+m)/(1−m).

    Raises
    ------
    ModelError
        If any |m| ≥ 1, is not finite, or a scale is not finite and positive.
    """
    m = np.atleast_1d(np.asarray(magnetization, dtype=float))
    bad = ~np.isfinite(m) | (np.abs(m) >= 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ModelError(f"magnetization[{i}] = {_fmt(m[i])}: must be finite with |m| < 1")
    if rate_scale is None:
        s = np.ones_like(m)
    else:
        s = np.atleast_1d(np.asarray(rate_scale, dtype=float))
        if s.size == 1:
            s = np.full(m.shape, s[0])
        elif s.shape != m.shape:
            raise ModelError(
                f"rate_scale: expected 1 or {m.size} values (one per qubit), got {s.size}"
            )
        badscale = ~np.isfinite(s) | (s <= 0)
        if badscale.any():
            i = int(np.flatnonzero(badscale)[0])
            raise ModelError(f"rate_scale[{i}] = {_fmt(s[i])}: must be finite and > 0")
    up = m >= 0
    gain = np.where(up, s, s * (1 + m) / (1 - m))
    damping = np.where(up, s * (1 - m) / (1 + m), s)
    return gain, damping


def _fmt(value: object) -> str:
    """A value as users wrote it: plain Python repr, never ``np.float64(...)``."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


# --------------------------------------------------------------------------- topologies
def all_to_all_bonds(n: int) -> list[tuple[int, int]]:
    """Every pair j < k."""
    return [(j, k) for j in range(n) for k in range(j + 1, n)]


def star_bonds(n: int, hub: int = 0) -> list[tuple[int, int]]:
    """One-to-all network: the hub coupled to every other qubit."""
    if not 0 <= hub < n:
        raise ModelError(f"hub = {_fmt(hub)}: must be a qubit index in [0, {n - 1}]")
    return [(min(hub, k), max(hub, k)) for k in range(n) if k != hub]


def chain_bonds(n: int) -> list[tuple[int, int]]:
    """Open chain 0–1–…–(N−1)."""
    return [(j, j + 1) for j in range(n - 1)]


def ring_bonds(n: int) -> list[tuple[int, int]]:
    """Periodic chain; for N ≤ 2 it is the chain (no duplicate bond)."""
    bonds = chain_bonds(n)
    if n > 2:
        bonds.append((0, n - 1))
    return bonds


def power_law_bonds(n: int, alpha: float) -> tuple[list[tuple[int, int]], NDArray[np.float64]]:
    """All pairs with weights 1/|j−k|^α (trapped-ion couplings)."""
    if not np.isfinite(alpha) or alpha < 0:
        raise ModelError(f"alpha = {_fmt(alpha)}: must be finite and ≥ 0")
    bonds = all_to_all_bonds(n)
    weights = np.array([1.0 / abs(j - k) ** alpha for j, k in bonds], dtype=float)
    return bonds, weights


# --------------------------------------------------------------------------- the model
def _as_vector(name: str, values: ArrayLike, n: int | None) -> NDArray[np.float64]:
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ModelError(f"{name} = {values!r}: not a list of numbers") from exc
    if arr.ndim != 1:
        raise ModelError(f"{name}: expected a 1-D list, got shape {arr.shape}")
    if n is not None and arr.size != n:
        raise ModelError(f"{name}: expected {n} values (one per qubit), got {arr.size}")
    nonfinite = ~np.isfinite(arr)
    if nonfinite.any():
        i = int(np.flatnonzero(nonfinite)[0])
        raise ModelError(f"{name}[{i}] = {_fmt(arr[i])}: must be finite")
    return arr


@dataclass(frozen=True, eq=False)
class Network:
    """A network of N dissipative qubits with anisotropic Heisenberg couplings.

    Parameters
    ----------
    gain, damping
        Γᵍ_j and Γᵈ_j (rates of σ⁺_j and σ⁻_j, entering Eq. 2 with the factor ½).
        Finite, ≥ 0, and Γᵍ_j + Γᵈ_j > 0 for every qubit.
    omega
        Qubit frequencies ω_j (H₀ = Σ ω_j σᶻ_j / 2). Default 0.
    bonds
        Sequence of ``(j, k, ux, uy, uz)``: the term Σ_α Uᵅ σᵅ_j σᵅ_k. Each unordered
        pair at most once; no self-bonds.
    field
        Uniform field B: adds B Σ_j σᶻ_j to the Hamiltonian.

    Use the class methods (:meth:`from_magnetization`, :meth:`with_topology`) to build
    networks the way the paper's captions describe them.
    """

    gain: NDArray[np.float64]
    damping: NDArray[np.float64]
    omega: NDArray[np.float64]
    bond_sites: NDArray[np.int64] = field(repr=False)
    bond_couplings: NDArray[np.float64] = field(repr=False)
    field: float = 0.0

    def __init__(
        self,
        gain: ArrayLike,
        damping: ArrayLike,
        omega: ArrayLike | None = None,
        bonds: Iterable[Sequence[float]] = (),
        field: float = 0.0,
    ) -> None:
        g = _as_vector("gain", gain, None)
        n = g.size
        if n == 0:
            raise ModelError("gain: a network needs at least one qubit")
        d = _as_vector("damping", damping, n)
        w = np.zeros(n) if omega is None else _as_vector("omega", omega, n)
        for name, arr in (("gain", g), ("damping", d)):
            neg = arr < 0
            if neg.any():
                i = int(np.flatnonzero(neg)[0])
                raise ModelError(f"{name}[{i}] = {_fmt(arr[i])}: rates must be ≥ 0")
        nodiss = (g + d) <= 0
        if nodiss.any():
            i = int(np.flatnonzero(nodiss)[0])
            raise ModelError(
                f"qubit {i}: gain + damping = 0; every qubit needs dissipation "
                "(Γᵍ + Γᵈ > 0), otherwise its steady state is not unique"
            )
        try:
            b = float(field)
        except (TypeError, ValueError) as exc:
            raise ModelError(f"field = {_fmt(field)}: must be a number") from exc
        if not np.isfinite(b):
            raise ModelError(f"field = {_fmt(field)}: must be finite")
        sites, couplings = _validate_bonds(list(bonds), n)
        for name, arr in (("gain", g), ("damping", d), ("omega", w)):
            arr.setflags(write=False)
        sites.setflags(write=False)
        couplings.setflags(write=False)
        object.__setattr__(self, "gain", g)
        object.__setattr__(self, "damping", d)
        object.__setattr__(self, "omega", w)
        object.__setattr__(self, "bond_sites", sites)
        object.__setattr__(self, "bond_couplings", couplings)
        object.__setattr__(self, "field", b)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_magnetization(
        cls,
        magnetization: ArrayLike,
        rate_scale: ArrayLike | None = None,
        omega: ArrayLike | None = None,
        bonds: Iterable[Sequence[float]] = (),
        field: float = 0.0,
    ) -> "Network":
        """Qubits given by their magnetization m_j (larger rate = scale, CONVENTIONS.md)."""
        gain, damping = rates_from_magnetization(magnetization, rate_scale)
        return cls(gain, damping, omega, bonds, field)

    @classmethod
    def with_topology(
        cls,
        gain: ArrayLike,
        damping: ArrayLike,
        topology: str,
        ux: float = 0.0,
        uy: float = 0.0,
        uz: float = 0.0,
        omega: ArrayLike | None = None,
        field: float = 0.0,
        hub: int = 0,
        alpha: float = 1.0,
    ) -> "Network":
        """Uniform couplings on a named topology.

        ``topology`` is one of ``all-to-all``, ``star`` (hub ``hub``), ``chain``, ``ring``,
        ``power-law`` (Uᵅ/|j−k|^``alpha``) or ``none``.
        """
        n = _as_vector("gain", gain, None).size
        bonds = topology_bonds(topology, n, ux, uy, uz, hub=hub, alpha=alpha)
        return cls(gain, damping, omega, bonds, field)

    # ------------------------------------------------------------------ properties
    @property
    def n(self) -> int:
        """Number of qubits N."""
        return int(self.gain.size)

    @property
    def magnetization(self) -> NDArray[np.float64]:
        """Limit-cycle magnetizations m_j = (Γᵍ_j − Γᵈ_j)/(Γᵍ_j + Γᵈ_j)."""
        return magnetization_from_rates(self.gain, self.damping)

    @property
    def total_rate(self) -> NDArray[np.float64]:
        """Γ_j = Γᵍ_j + Γᵈ_j."""
        return self.gain + self.damping

    @property
    def bonds(self) -> list[tuple[int, int, float, float, float]]:
        """Bonds as ``(j, k, ux, uy, uz)`` tuples with j < k."""
        return [
            (int(j), int(k), float(ux), float(uy), float(uz))
            for (j, k), (ux, uy, uz) in zip(self.bond_sites, self.bond_couplings)
        ]

    @property
    def is_xxz(self) -> bool:
        """True when Uˣ = Uʸ on every bond (the Liouvillian then conserves magnetization)."""
        c = self.bond_couplings
        return bool(np.all(c[:, 0] == c[:, 1])) if c.size else True

    def coupling_matrix(self, alpha: int) -> NDArray[np.float64]:
        """Symmetric N×N matrix of Uᵅ_jk (α = 0, 1, 2 for x, y, z)."""
        mat = np.zeros((self.n, self.n))
        if self.bond_sites.size:
            j, k = self.bond_sites.T
            mat[j, k] = self.bond_couplings[:, alpha]
            mat[k, j] = self.bond_couplings[:, alpha]
        return mat

    def replace(self, **changes: object) -> "Network":
        """A copy with some of ``gain, damping, omega, bonds, field`` replaced."""
        kwargs: dict[str, object] = dict(
            gain=self.gain, damping=self.damping, omega=self.omega,
            bonds=self.bonds, field=self.field,
        )
        unknown = set(changes) - set(kwargs)
        if unknown:
            raise TypeError(f"unknown Network fields: {sorted(unknown)}")
        kwargs.update(changes)
        return Network(**kwargs)  # type: ignore[arg-type]

    def without_couplings(self) -> "Network":
        """The same qubits with every bond removed (the non-interacting reference)."""
        return self.replace(bonds=[])

    def to_dict(self) -> dict[str, object]:
        """Plain-Python description (for metadata and JSON)."""
        return {
            "gain": self.gain.tolist(),
            "damping": self.damping.tolist(),
            "omega": self.omega.tolist(),
            "bonds": [list(b) for b in self.bonds],
            "field": self.field,
        }

    def __repr__(self) -> str:
        return (
            f"Network(n={self.n}, bonds={len(self.bond_sites)}, "
            f"xxz={self.is_xxz}, field={self.field})"
        )


def topology_bonds(
    topology: str,
    n: int,
    ux: float,
    uy: float,
    uz: float,
    *,
    hub: int = 0,
    alpha: float = 1.0,
) -> list[tuple[int, int, float, float, float]]:
    """Bond list ``(j, k, ux, uy, uz)`` for a named topology with uniform couplings."""
    topo = topology.lower().replace("_", "-")
    weights: NDArray[np.float64] | None = None
    if topo in ("all-to-all", "all"):
        pairs = all_to_all_bonds(n)
    elif topo in ("star", "one-to-all"):
        pairs = star_bonds(n, hub)
    elif topo == "chain":
        pairs = chain_bonds(n)
    elif topo == "ring":
        pairs = ring_bonds(n)
    elif topo in ("power-law", "powerlaw"):
        pairs, weights = power_law_bonds(n, alpha)
    elif topo == "none":
        pairs = []
    else:
        raise ModelError(
            f"topology = {topology!r}: expected one of all-to-all, star, chain, ring, "
            "power-law, none"
        )
    if weights is None:
        weights = np.ones(len(pairs))
    return [(j, k, ux * w, uy * w, uz * w) for (j, k), w in zip(pairs, weights)]


def _validate_bonds(
    bonds: list[Sequence[float]], n: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    sites = np.zeros((len(bonds), 2), dtype=np.int64)
    couplings = np.zeros((len(bonds), 3), dtype=float)
    seen: dict[tuple[int, int], int] = {}
    for b, bond in enumerate(bonds):
        if len(bond) != 5:
            raise ModelError(f"bonds[{b}] = {tuple(bond)!r}: expected (j, k, ux, uy, uz)")
        j, k = bond[0], bond[1]
        for name, idx in (("j", j), ("k", k)):
            if isinstance(idx, bool) or float(idx) != int(idx):
                raise ModelError(f"bonds[{b}].{name} = {_fmt(idx)}: site must be an integer")
        j, k = int(j), int(k)
        for idx in (j, k):
            if not 0 <= idx < n:
                raise ModelError(
                    f"bonds[{b}] sites = ({j}, {k}): index {idx} out of range [0, {n - 1}]"
                )
        if j == k:
            raise ModelError(f"bonds[{b}] sites = ({j}, {k}): self-bonds are not allowed")
        key = (min(j, k), max(j, k))
        if key in seen:
            raise ModelError(
                f"bonds[{b}] sites = ({j}, {k}): duplicate of bonds[{seen[key]}]"
            )
        seen[key] = b
        vals = np.asarray(bond[2:], dtype=float)
        if not np.all(np.isfinite(vals)):
            raise ModelError(
                f"bonds[{b}] couplings = ({', '.join(_fmt(v) for v in vals)}): must be finite"
            )
        sites[b] = key
        couplings[b] = vals
    return sites, couplings
