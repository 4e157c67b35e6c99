"""The network model: sites of any spin with local terms, Heisenberg bonds and collective channels.

Two conventions, fixed by how the network is built (docs/conventions.md):

* **qubits** (``Network(...)``, model files' ``[qubits]``; paper Eq. 2), Pauli operators::

      H = Σ_j (ω_j/2 + B) σᶻ_j + Σ_j (Ω_j/2)(cos φ_j σˣ_j + sin φ_j σʸ_j)
          + Σ_bonds Σ_α Uᵅ_jk σᵅ_j σᵅ_k
      L = −i[H, ·] + ½ Σ_j (Γᵍ_j D[σ⁺_j] + Γᵈ_j D[σ⁻_j] + Γᵠ_j D[σᶻ_j]) + ½ Σ_c γ_c D[Σ_{j∈S_c} A_j]

* **spins** (``Network.spins(...)``, ``[spins]``; supplement Eq. S29 for n sites), spin
  matrices J with [Jˣ, Jʸ] = iJᶻ::

      H = Σ_j (ω_j/2 + B) Jᶻ_j + Σ_j Ω_j (cos φ_j Jˣ_j + sin φ_j Jʸ_j) + Σ_bonds Σ_α Uᵅ_jk Jᵅ_j Jᵅ_k
      L = −i[H, ·] + ½ Σ_j (γᵍ_j D[A⁺_j] + γᵈ_j D[A⁻_j] + γᵠ_j D[Jᶻ_j]) + ½ Σ_c γ_c D[Σ_{j∈S_c} A_j]

  with A± = J± (scheme ``"gain-damping"``) or J±Jᶻ (``"roulet-bruder"``).

D[A]ρ = AρA† − ½{A†A, ρ}; ω_j is the detuning from the drive (rotating frame); ħ = 1 and
every rate and energy is in the same (arbitrary) unit. Sites are numbered 0 … N−1.

A network is data only: :attr:`Network.terms` compiles it once into the description of its
Hamiltonian and jump operators (:mod:`spinsync.operators.terms`) that every solver reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Literal, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from .rates import magnetization_from_rates, rates_from_magnetization
from .topology import topology_bonds
from .validation import check_rates, format_value, site_vector, validate_bonds

__all__ = ["Network", "Collective", "SCHEMES", "COLLECTIVE_OPERATORS", "check_spin"]

Kind = Literal["qubits", "spins"]

#: Dissipation schemes of ``[spins]`` networks (supplement S.M. IV).
SCHEMES = ("gain-damping", "roulet-bruder")

#: Operators of a collective channel: lowering (σ⁻ / J⁻), raising (σ⁺ / J⁺), dephasing (σᶻ / Jᶻ).
COLLECTIVE_OPERATORS = ("lowering", "raising", "dephasing")


def check_spin(s: object, name: str = "s") -> float:
    """A spin size: a positive integer or half-integer (½, 1, 3/2, …)."""
    try:
        value = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ModelError(f"{name} = {format_value(s)}: spin must be a number") from None
    two_s = Fraction(value).limit_denominator(4) * 2
    if (
        isinstance(s, bool)
        or not np.isfinite(value)
        or two_s.denominator != 1
        or two_s < 1
        or abs(float(two_s) / 2 - value) > 1e-12
    ):
        raise ModelError(
            f"{name} = {format_value(s)}: spin must be a positive integer or half-integer "
            "(0.5, 1, 1.5, …)"
        )
    return float(two_s) / 2


@dataclass(frozen=True)
class Collective:
    """A collective channel ½γ D[Σ_{j∈S} A_j].

    Attributes
    ----------
    sites
        The sites S (sorted, distinct), or ``"all"`` before the channel is attached to a
        network.
    operator
        ``"lowering"`` (σ⁻ / J⁻), ``"raising"`` (σ⁺ / J⁺) or ``"dephasing"`` (σᶻ / Jᶻ).
    rate
        γ ≥ 0 (enters with the factor ½, like every dissipator).
    """

    sites: tuple[int, ...] | str
    operator: str
    rate: float

    def resolved(self, n: int, index: int = 0) -> "Collective":
        """Validated copy with ``"all"`` expanded to the ``n`` sites."""
        where = f"collective[{index}]"
        if self.operator not in COLLECTIVE_OPERATORS:
            raise ModelError(
                f"{where}.operator = {self.operator!r}: expected one of "
                f"{', '.join(COLLECTIVE_OPERATORS)}"
            )
        try:
            rate = float(self.rate)
        except (TypeError, ValueError):
            raise ModelError(f"{where}.rate = {format_value(self.rate)}: must be a number") from None
        if isinstance(self.rate, bool) or not np.isfinite(rate) or rate < 0:
            raise ModelError(f"{where}.rate = {format_value(self.rate)}: must be finite and ≥ 0")
        if isinstance(self.sites, str):
            if self.sites != "all":
                raise ModelError(f"{where}.sites = {self.sites!r}: expected a list of sites or \"all\"")
            sites: tuple[int, ...] = tuple(range(n))
        else:
            raw = list(self.sites)
            if not raw:
                raise ModelError(f"{where}.sites: empty (give at least one site, or \"all\")")
            for s in raw:
                if isinstance(s, bool) or float(s) != int(s) or not 0 <= int(s) < n:
                    raise ModelError(
                        f"{where}.sites: {format_value(s)} is not a site index in [0, {n - 1}]"
                    )
            sites = tuple(sorted(int(s) for s in raw))
            if len(set(sites)) != len(sites):
                raise ModelError(f"{where}.sites = {list(sites)}: repeated site")
        return Collective(sites=sites, operator=self.operator, rate=rate)


def _as_collective(item: object, index: int, n: int) -> Collective:
    if isinstance(item, Collective):
        return item.resolved(n, index)
    if isinstance(item, dict):
        try:
            return Collective(item["sites"], item["operator"], item["rate"]).resolved(n, index)
        except KeyError as exc:
            raise ModelError(f"collective[{index}]: missing key {exc.args[0]!r}") from None
    try:
        sites, operator, rate = item  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ModelError(
            f"collective[{index}] = {item!r}: expected Collective(sites, operator, rate)"
        ) from None
    return Collective(sites, operator, rate).resolved(n, index)


_FIELDS = ("gain", "damping", "omega", "bonds", "field", "dephasing", "drive", "drive_phase",
           "collective")


@dataclass(frozen=True, eq=False, init=False)
class Network:
    """A network of dissipative sites (qubits, or spins of any size) with couplings.

    Parameters (qubits; see :meth:`spins` for spin networks)
    ----------
    gain, damping
        Γᵍ_j and Γᵈ_j, rates of σ⁺_j and σ⁻_j (with Eq. 2's factor ½: collapse operators
        √(Γ/2) σ±). Finite and ≥ 0; zero rates are allowed where the steady state stays
        unique (the steady-state solvers check it).
    omega
        ω_j: H₀ = Σ ω_j σᶻ_j / 2 (with a drive: the detuning from it). Default 0.
    bonds
        Sequence of ``(j, k, ux, uy, uz)``: the term Σ_α Uᵅ σᵅ_j σᵅ_k. Each unordered pair
        at most once; no self-bonds.
    field
        Uniform field B: adds B Σ_j σᶻ_j.
    dephasing
        Γᵠ_j ≥ 0: adds ½ Γᵠ_j D[σᶻ_j]. Default 0.
    drive, drive_phase
        Ω_j and φ_j: H += (Ω_j/2)(cos φ_j σˣ_j + sin φ_j σʸ_j). Default 0.
    collective
        :class:`Collective` channels (or ``(sites, operator, rate)`` tuples).

    Use :meth:`from_magnetization` and :meth:`with_topology` to build networks the way the
    paper's captions describe them.
    """

    kind: Kind
    spin: NDArray[np.float64]
    scheme: str | None
    gain: NDArray[np.float64]
    damping: NDArray[np.float64]
    omega: NDArray[np.float64]
    dephasing: NDArray[np.float64]
    drive: NDArray[np.float64]
    drive_phase: NDArray[np.float64]
    bond_sites: NDArray[np.int64]
    bond_couplings: NDArray[np.float64]
    field: float
    collective: tuple[Collective, ...]

    def __init__(
        self,
        gain: ArrayLike,
        damping: ArrayLike,
        omega: ArrayLike | None = None,
        bonds: Iterable[Sequence[float]] = (),
        field: float = 0.0,
        *,
        dephasing: ArrayLike | None = None,
        drive: ArrayLike | None = None,
        drive_phase: ArrayLike | None = None,
        collective: Iterable[object] = (),
    ) -> None:
        self._setup("qubits", None, None, gain, damping, omega, bonds, field, dephasing,
                    drive, drive_phase, collective)

    def _setup(
        self,
        kind: Kind,
        spin: ArrayLike | None,
        scheme: str | None,
        gain: ArrayLike,
        damping: ArrayLike,
        omega: ArrayLike | None,
        bonds: Iterable[Sequence[float]],
        field: float,
        dephasing: ArrayLike | None,
        drive: ArrayLike | None,
        drive_phase: ArrayLike | None,
        collective: Iterable[object],
    ) -> None:
        g = site_vector("gain", gain, None)
        n = g.size
        if n == 0:
            raise ModelError("gain: a network needs at least one site")
        d = site_vector("damping", damping, n)
        w = site_vector("omega", omega, n, default=0.0)
        deph = site_vector("dephasing", dephasing, n, default=0.0)
        drv = site_vector("drive", drive, n, default=0.0)
        phase = site_vector("drive_phase", drive_phase, n, default=0.0)
        for name, arr in (("gain", g), ("damping", d), ("dephasing", deph)):
            check_rates(name, arr)
        if kind == "qubits":
            s = np.full(n, 0.5)
        else:
            if isinstance(spin, (list, tuple, np.ndarray)):
                values = list(np.asarray(spin, dtype=object).ravel())
                if len(values) != n:
                    raise ModelError(f"s: expected 1 or {n} values (one per site), got {len(values)}")
            else:
                values = [spin] * n
            s = np.array([check_spin(v, "s" if np.ndim(spin) == 0 else f"s[{i}]")
                          for i, v in enumerate(values)])
            if scheme not in SCHEMES:
                raise ModelError(f"scheme = {scheme!r}: expected one of {', '.join(SCHEMES)}")
        try:
            b = float(field)
        except (TypeError, ValueError) as exc:
            raise ModelError(f"field = {format_value(field)}: must be a number") from exc
        if not np.isfinite(b):
            raise ModelError(f"field = {format_value(field)}: must be finite")
        sites, couplings = validate_bonds(list(bonds), n)
        channels = tuple(_as_collective(c, i, n) for i, c in enumerate(collective))
        for arr in (g, d, w, deph, drv, phase, s, sites, couplings):
            arr.setflags(write=False)
        values_by_name: dict[str, Any] = dict(
            kind=kind, spin=s, scheme=scheme, gain=g, damping=d, omega=w, dephasing=deph,
            drive=drv, drive_phase=phase, bond_sites=sites, bond_couplings=couplings, field=b,
            collective=channels,
        )
        for name, value in values_by_name.items():
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def spins(
        cls,
        s: float | ArrayLike,
        gain: ArrayLike,
        damping: ArrayLike,
        *,
        scheme: str = "gain-damping",
        dephasing: ArrayLike | None = None,
        omega: ArrayLike | None = None,
        drive: ArrayLike | None = None,
        drive_phase: ArrayLike | None = None,
        bonds: Iterable[Sequence[float]] = (),
        field: float = 0.0,
        collective: Iterable[object] = (),
    ) -> "Network":
        """Sites of spin ``s`` (one value, or one per site) in the J conventions of Eq. S29.

        ``gain``/``damping`` are γᵍ_j, γᵈ_j of A± (J± for ``scheme="gain-damping"``,
        J±Jᶻ for ``"roulet-bruder"``), ``dephasing`` γᵠ_j of Jᶻ, ``omega`` enters as
        (ω_j/2) Jᶻ_j, ``drive`` as Ω_j (cos φ_j Jˣ_j + sin φ_j Jʸ_j), bonds as Uᵅ JᵅJᵅ and
        ``field`` as B Σ_j Jᶻ_j. For s = ½ these are not the qubit conventions
        (docs/conventions.md): (ω/2)Jᶻ = ωσᶻ/4 and Uᵅ JᵅJᵅ = (Uᵅ/4) σᵅσᵅ.
        """
        net = cls.__new__(cls)
        net._setup("spins", s, scheme, gain, damping, omega, bonds, field, dephasing,
                   drive, drive_phase, collective)
        return net

    @classmethod
    def from_magnetization(
        cls,
        magnetization: ArrayLike,
        rate_scale: ArrayLike | None = None,
        omega: ArrayLike | None = None,
        bonds: Iterable[Sequence[float]] = (),
        field: float = 0.0,
        **terms: Any,
    ) -> "Network":
        """Qubits given by their magnetization m_j (larger rate = scale, docs/conventions.md).

        ``terms`` are the keyword-only terms of :class:`Network` (dephasing, drive, …).
        """
        gain, damping = rates_from_magnetization(magnetization, rate_scale)
        return cls(gain, damping, omega, bonds, field, **terms)

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
        **terms: Any,
    ) -> "Network":
        """Qubits with uniform couplings on a named topology.

        ``topology`` is one of ``all-to-all``, ``star`` (hub ``hub``), ``chain``, ``ring``,
        ``power-law`` (Uᵅ/|j−k|^``alpha``) or ``none``; ``terms`` as for
        :meth:`from_magnetization`.
        """
        n = site_vector("gain", gain, None).size
        bonds = topology_bonds(topology, n, ux, uy, uz, hub=hub, alpha=alpha)
        return cls(gain, damping, omega, bonds, field, **terms)

    # ------------------------------------------------------------------ structure
    @property
    def n(self) -> int:
        """Number of sites N."""
        return int(self.gain.size)

    @property
    def is_qubits(self) -> bool:
        """True for the Pauli conventions (``[qubits]``), False for ``[spins]``."""
        return self.kind == "qubits"

    @property
    def dims(self) -> tuple[int, ...]:
        """Local Hilbert-space dimensions 2s_j + 1."""
        return tuple(int(round(2 * s + 1)) for s in self.spin)

    @property
    def dim(self) -> int:
        """Hilbert-space dimension Π_j (2s_j + 1) (an exact Python integer)."""
        out = 1
        for d in self.dims:
            out *= d
        return out

    @property
    def magnetization(self) -> NDArray[np.float64]:
        """Qubit limit-cycle magnetizations m_j = (Γᵍ_j − Γᵈ_j)/(Γᵍ_j + Γᵈ_j) (NaN where both are 0).

        This is the σ± limit cycle of paper Eq. 4 (no drive); the product state of the
        general model is :func:`spinsync.product_state`.
        """
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
        """True when Uˣ = Uʸ on every bond."""
        c = self.bond_couplings
        return bool(np.all(c[:, 0] == c[:, 1])) if c.size else True

    @property
    def has_drive(self) -> bool:
        """True when some site has Ω_j ≠ 0."""
        return bool(np.any(self.drive != 0))

    def coupling_matrix(self, alpha: int) -> NDArray[np.float64]:
        """Symmetric N×N matrix of Uᵅ_jk (α = 0, 1, 2 for x, y, z)."""
        mat = np.zeros((self.n, self.n))
        if self.bond_sites.size:
            j, k = self.bond_sites.T
            mat[j, k] = self.bond_couplings[:, alpha]
            mat[k, j] = self.bond_couplings[:, alpha]
        return mat

    def dissipated_sites(self) -> NDArray[np.bool_]:
        """Sites with a non-zero local rate or in a collective channel of non-zero rate."""
        out = (self.gain > 0) | (self.damping > 0) | (self.dephasing > 0)
        for c in self.collective:
            if c.rate > 0:
                out[list(c.sites)] = True
        return out

    # ------------------------------------------------------------------ compiled form
    @property
    def terms(self) -> Any:
        """The compiled description of H and the jump operators (computed once).

        See :class:`spinsync.operators.terms.Terms`; every solver reads it.
        """
        cached = self.__dict__.get("_terms")
        if cached is None:
            from ..operators.terms import compile_network

            cached = compile_network(self)
            object.__setattr__(self, "_terms", cached)
        return cached

    # ------------------------------------------------------------------ copies
    def _fields(self) -> dict[str, Any]:
        return dict(
            gain=self.gain, damping=self.damping, omega=self.omega, bonds=self.bonds,
            field=self.field, dephasing=self.dephasing, drive=self.drive,
            drive_phase=self.drive_phase, collective=self.collective,
        )

    def replace(self, **changes: object) -> "Network":
        """A copy with some of its parameters replaced.

        Fields: ``gain, damping, omega, bonds, field, dephasing, drive, drive_phase,
        collective``, and for spin networks also ``s`` and ``scheme``.
        """
        kwargs = self._fields()
        allowed = set(kwargs) | ({"s", "scheme"} if self.kind == "spins" else set())
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"unknown Network fields: {sorted(unknown)}")
        if self.kind == "spins":
            s = changes.pop("s", self.spin)
            scheme = changes.pop("scheme", self.scheme)
            kwargs.update(changes)
            return Network.spins(s, scheme=scheme, **kwargs)  # type: ignore[arg-type]
        kwargs.update(changes)
        return Network(**kwargs)  # type: ignore[arg-type]

    def without_couplings(self) -> "Network":
        """The same sites with every bond removed (the non-interacting reference)."""
        return self.replace(bonds=[])

    def to_dict(self) -> dict[str, object]:
        """Plain-Python description (for metadata and JSON)."""
        out: dict[str, object] = {"kind": self.kind}
        if self.kind == "spins":
            out["s"] = self.spin.tolist()
            out["scheme"] = self.scheme
        out.update(
            gain=self.gain.tolist(), damping=self.damping.tolist(), omega=self.omega.tolist(),
            bonds=[list(b) for b in self.bonds], field=self.field,
            dephasing=self.dephasing.tolist(), drive=self.drive.tolist(),
            drive_phase=self.drive_phase.tolist(),
            collective=[{"sites": list(c.sites), "operator": c.operator, "rate": c.rate}
                        for c in self.collective],
        )
        return out

    def __repr__(self) -> str:
        extra = ""
        if self.kind == "spins":
            sizes = sorted(set(self.spin.tolist()))
            extra = f", s={sizes[0] if len(sizes) == 1 else sizes}, scheme={self.scheme!r}"
        return (
            f"Network({self.kind}, n={self.n}{extra}, bonds={len(self.bond_sites)}, "
            f"xxz={self.is_xxz}, field={self.field})"
        )
