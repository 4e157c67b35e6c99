"""Sweep axes: parameter paths, tied parameters and the per-point parameter table.

A *parameter path* names one numeric model parameter (or one parameter on every site) with
the vocabulary of the model files (``io/model_file.py``); no file text is ever evaluated,
paths are matched against this fixed grammar:

path                                      meaning
========================================  ==============================================
``qubits.gain[j]``                        Γᵍ_j
``qubits.damping[j]``                     Γᵈ_j
``qubits.omega[j]``                       ω_j (H₀ = Σ ω_j σᶻ_j / 2)
``qubits.magnetization[j]``               m_j; writing it sets Γᵍ_j, Γᵈ_j by the caption
                                          rule with the qubit's larger rate kept at its
                                          base-model value (1 for models built by the
                                          caption rule), docs/conventions.md
``couplings.ux`` / ``uy`` / ``uz``        Uᵅ on every bond (the same value on each)
``couplings.bond[i].ux`` / ``uy`` / ``uz``  Uᵅ on bond i (the model's bond order; for a
                                          topology the order of ``Network.bonds``)
``couplings.field`` (or ``field``)        the uniform field B (B Σ_j σᶻ_j)
========================================  ==============================================
=======
================================================  ===========================================
path                                              meaning
================================================  ===========================================
``qubits.gain[j]``, ``qubits.damping[j]``         Γᵍ_j, Γᵈ_j (½Γ D[σ±_j])
``qubits.dephasing[j]``                           Γᵠ_j (½Γᵠ D[σᶻ_j])
``qubits.omega[j]``                               ω_j (H₀ = Σ ω_j σᶻ_j / 2; with a drive: the
                                                  detuning from it)
``qubits.drive[j]``, ``qubits.drive_phase[j]``    Ω_j, φ_j: H += (Ω_j/2)(cos φ_j σˣ_j +
                                                  sin φ_j σʸ_j)
``qubits.magnetization[j]``                       m_j; writing it sets Γᵍ_j, Γᵈ_j by the caption
                                                  rule with the qubit's larger rate kept at its
                                                  base-model value (1 for models built by the
                                                  caption rule), docs/conventions.md
``spins.gain[j]``, ``spins.damping[j]``           γᵍ_j, γᵈ_j of A±_j (J± or J±Jᶻ: the scheme)
``spins.dephasing[j]``                            γᵠ_j (½γᵠ D[Jᶻ_j])
``spins.omega[j]``                                ω_j ((ω_j/2) Jᶻ_j; the detuning with a drive)
``spins.drive[j]``, ``spins.drive_phase[j]``      Ω_j, φ_j: H += Ω_j (cos φ_j Jˣ_j + sin φ_j Jʸ_j)
``qubits.X`` / ``spins.X`` (no index)             X on every site (the same value on each)
``collective[i].rate``                            γ of collective channel i (½γ D[Σ_{j∈S} A_j])
``collective.rate``                               every collective channel's rate
``couplings.ux`` / ``uy`` / ``uz``                Uᵅ on every bond (the same value on each)
``couplings.bond[i].ux`` / ``uy`` / ``uz``        Uᵅ on bond i (the model's bond order; for a
                                                  topology the order of ``Network.bonds``)
``couplings.field`` (or ``field``)                the uniform field B (B Σ_j σᶻ_j or B Σ_j Jᶻ_j)
================================================  ===========================================

Site and channel indices are 0-based (the paper's qubit j is index j − 1). ``qubits.*``
paths need a ``[qubits]`` base model and ``spins.*`` paths a ``[spins]`` one. Reading an
all-site or all-bond path gives the value of site, bond or channel 0. The network's
structure (the sites and their spins, the scheme, which bonds and collective channels
exist) is fixed by the base model; a sweep changes values.

A :class:`PointParams` holds every parameter of every point as arrays with a leading
point axis, so thousands of points are built and validated without Python loops over
points: the checks that need the compiled terms (the symmetry the terms keep, and whether
the steady state is certainly not unique) depend only on *which* terms are present, so
they run once per distinct pattern of present terms (:meth:`PointParams.patterns`), on one
representative point each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..model import Collective, Network
from ..model.validation import format_value
from ..operators.symmetry import SYMMETRIES

__all__ = ["ParamPath", "parse_path", "PointParams", "PATH_FORMS", "SITE_PARAMETERS", "POINT_FIELDS"]

#: Per-site parameters of each section (``magnetization`` is the qubit caption rule only).
SITE_PARAMETERS = {
    "qubits": ("gain", "damping", "dephasing", "omega", "drive", "drive_phase", "magnetization"),
    "spins": ("gain", "damping", "dephasing", "omega", "drive", "drive_phase"),
}

_SITE = re.compile(r"^(qubits|spins)\.([a-z_]+)(?:\[(\d+)\])?$")
_COLLECTIVE = re.compile(r"^collective(?:\[(\d+)\])?\.rate$")
_ALL_BONDS = re.compile(r"^couplings\.(ux|uy|uz)$")
_ONE_BOND = re.compile(r"^couplings\.bond\[(\d+)\]\.(ux|uy|uz)$")
_FIELD = re.compile(r"^(couplings\.)?field$")
_ALPHA = {"ux": 0, "uy": 1, "uz": 2}

#: Documented list of accepted forms, used in error messages.
PATH_FORMS = (
    "qubits.gain|damping|dephasing|omega|drive|drive_phase|magnetization[j], "
    "spins.gain|damping|dephasing|omega|drive|drive_phase[j] (without [j]: every site), "
    "collective[i].rate, collective.rate, "
    "couplings.ux|uy|uz, couplings.bond[i].ux|uy|uz, couplings.field"
)

#: Arrays of :class:`PointParams` with a leading point axis.
POINT_FIELDS = ("gain", "damping", "omega", "couplings", "field", "dephasing", "drive",
                 "drive_phase", "collective_rate")

#: Rates (must be ≥ 0), with the way a message names them.
_RATES = ("gain", "damping", "dephasing")


@dataclass(frozen=True)
class ParamPath:
    """A parsed parameter path.

    Attributes
    ----------
    text
        The path as written.
    kind
        ``gain``, ``damping``, ``dephasing``, ``omega``, ``drive``, ``drive_phase``,
        ``magnetization`` (site parameters), ``coupling``, ``field`` or ``collective``.
    index
        The site (site kinds), bond (``coupling``) or channel (``collective``); None = all.
    alpha
        The coupling component 0, 1, 2 for x, y, z.
    section
        ``"qubits"`` or ``"spins"`` for site parameters (the base model must be of that
        kind), else None.
    """

    text: str
    kind: str
    index: int | None = None
    alpha: int | None = None
    section: str | None = None

    @property
    def is_site(self) -> bool:
        return self.section is not None


def parse_path(text: str) -> ParamPath:
    """Parse a parameter path; raise :class:`ModelError` naming the accepted forms."""
    s = str(text).strip()
    if (m := _SITE.match(s)) and m.group(2) in SITE_PARAMETERS[m.group(1)]:
        index = None if m.group(3) is None else int(m.group(3))
        return ParamPath(s, m.group(2), index, None, m.group(1))
    if m := _COLLECTIVE.match(s):
        return ParamPath(s, "collective", None if m.group(1) is None else int(m.group(1)))
    if m := _ALL_BONDS.match(s):
        return ParamPath(s, "coupling", None, _ALPHA[m.group(1)])
    if m := _ONE_BOND.match(s):
        return ParamPath(s, "coupling", int(m.group(1)), _ALPHA[m.group(2)])
    if _FIELD.match(s):
        return ParamPath(s, "field")
    raise ModelError(f"unknown parameter path {s!r}; expected one of {PATH_FORMS}")


def _first(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    return tuple(int(x) for x in np.argwhere(mask)[0])


@dataclass(frozen=True, eq=False)
class PointParams:
    """All model parameters of P points of a sweep (leading axis = point).

    Attributes
    ----------
    gain, damping, omega, dephasing, drive, drive_phase
        Arrays (P, N): Γᵍ_j, Γᵈ_j, ω_j, Γᵠ_j, Ω_j, φ_j of every point (qubits), or the
        spin-network parameters of the same names (``Network.spins``).
    couplings
        Array (P, N_bonds, 3): Uˣ, Uʸ, Uᶻ of every bond.
    field
        Array (P,): the uniform field B.
    bond_sites
        Array (N_bonds, 2) of the bonds' sites (j < k), shared by all points.
    collective_rate
        Array (P, N_channels): the rate γ of every collective channel.
    kind, spin, scheme
        ``"qubits"`` or ``"spins"``, the spin of each site (½ for qubits) and the
        dissipation scheme of a spin network (None for qubits); shared by all points.
    collective_sites, collective_operators
        The channels' sites and operators (``"lowering"``, ``"raising"``, ``"dephasing"``).
    symmetry
        The sector a batched solve must use for these points (set by a sweep to the
        weakest symmetry of *all* its points, so every chunk solves in the same sector);
        None: decide from these points (:meth:`weakest_symmetry`).
    """

    gain: NDArray[np.float64]
    damping: NDArray[np.float64]
    omega: NDArray[np.float64]
    couplings: NDArray[np.float64]
    field: NDArray[np.float64]
    bond_sites: NDArray[np.int64]
    dephasing: NDArray[np.float64] | None = None
    drive: NDArray[np.float64] | None = None
    drive_phase: NDArray[np.float64] | None = None
    collective_rate: NDArray[np.float64] | None = None
    kind: str = "qubits"
    spin: NDArray[np.float64] | None = None
    scheme: str | None = None
    collective_sites: tuple[tuple[int, ...], ...] = ()
    collective_operators: tuple[str, ...] = ()
    symmetry: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        shape = np.shape(self.gain)
        for name in ("dephasing", "drive", "drive_phase"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(shape))
        if self.collective_rate is None:
            object.__setattr__(self, "collective_rate", np.zeros((shape[0], len(self.collective_sites))))
        if self.spin is None:
            object.__setattr__(self, "spin", np.full(shape[1], 0.5))
        if self.symmetry is not None and self.symmetry not in SYMMETRIES:
            raise ValueError(f"symmetry = {self.symmetry!r}: expected one of {', '.join(SYMMETRIES)}")

    @classmethod
    def repeat(cls, network: Network, count: int) -> "PointParams":
        """``count`` copies of ``network``'s parameters."""
        def tile(a: Any) -> NDArray:
            return np.repeat(np.asarray(a, dtype=float)[None, ...], count, axis=0)

        couplings = network.bond_couplings if network.bond_sites.size else np.zeros((0, 3))
        return cls(
            gain=tile(network.gain), damping=tile(network.damping), omega=tile(network.omega),
            couplings=tile(couplings), field=np.full(count, float(network.field)),
            bond_sites=np.asarray(network.bond_sites, dtype=np.int64).reshape(-1, 2),
            dephasing=tile(network.dephasing), drive=tile(network.drive),
            drive_phase=tile(network.drive_phase),
            collective_rate=tile([c.rate for c in network.collective]).reshape(count, -1),
            kind=network.kind, spin=np.asarray(network.spin, dtype=float).copy(),
            scheme=network.scheme,
            collective_sites=tuple(tuple(int(s) for s in c.sites) for c in network.collective),
            collective_operators=tuple(c.operator for c in network.collective),
        )

    # ------------------------------------------------------------------ shape
    @property
    def count(self) -> int:
        return int(self.gain.shape[0])

    @property
    def n(self) -> int:
        return int(self.gain.shape[1])

    @property
    def num_bonds(self) -> int:
        return int(self.bond_sites.shape[0])

    @property
    def num_channels(self) -> int:
        return len(self.collective_sites)

    @property
    def is_qubits(self) -> bool:
        return self.kind == "qubits"

    @property
    def dims(self) -> tuple[int, ...]:
        """Local dimensions 2s_j + 1."""
        return tuple(int(round(2 * s + 1)) for s in self.spin)

    def structure_key(self) -> tuple:
        """What every point shares (sites, spins, scheme, bonds, channels), hashable."""
        return (self.kind, self.spin.tobytes(), self.scheme, self.bond_sites.tobytes(),
                self.collective_sites, self.collective_operators)

    def take(self, index: slice | NDArray[np.int64]) -> "PointParams":
        """The points selected by ``index``."""
        return replace(self, **{name: getattr(self, name)[index] for name in POINT_FIELDS})

    # ------------------------------------------------------------------ access
    def _site_noun(self) -> str:
        return "qubit" if self.is_qubits else "site"

    def check_path(self, path: ParamPath) -> None:
        """Raise :class:`ModelError` (one line, naming the path) if ``path`` does not fit."""
        if path.is_site:
            if path.section != self.kind:
                hint = ""
                if path.kind in SITE_PARAMETERS[self.kind]:
                    idx = "" if path.index is None else f"[{path.index}]"
                    hint = f"; use {self.kind}.{path.kind}{idx}"
                raise ModelError(
                    f"parameter path {path.text!r}: the base model is a [{self.kind}] network, "
                    f"not [{path.section}]{hint}"
                )
            if path.index is not None and not 0 <= path.index < self.n:
                noun = self._site_noun()
                raise ModelError(
                    f"parameter path {path.text!r}: {noun} index {path.index} out of range "
                    f"[0, {self.n - 1}] (the base model has {self.n} {noun}s)"
                )
        elif path.kind == "coupling":
            if self.num_bonds == 0:
                raise ModelError(f"parameter path {path.text!r}: the base model has no bonds")
            if path.index is not None and not 0 <= path.index < self.num_bonds:
                raise ModelError(
                    f"parameter path {path.text!r}: bond index {path.index} out of range "
                    f"[0, {self.num_bonds - 1}]"
                )
        elif path.kind == "collective":
            if self.num_channels == 0:
                raise ModelError(
                    f"parameter path {path.text!r}: the base model has no collective channels"
                )
            if path.index is not None and not 0 <= path.index < self.num_channels:
                raise ModelError(
                    f"parameter path {path.text!r}: collective channel index {path.index} out "
                    f"of range [0, {self.num_channels - 1}]"
                )

    def get(self, path: ParamPath) -> NDArray[np.float64]:
        """Values (P,) of ``path`` at every point (all-site paths: site 0's, and so on)."""
        self.check_path(path)
        j = 0 if path.index is None else path.index
        if path.kind == "magnetization":
            g, d = self.gain[:, j], self.damping[:, j]
            return (g - d) / (g + d)
        if path.is_site:
            return getattr(self, path.kind)[:, j].copy()
        if path.kind == "coupling":
            return self.couplings[:, j, path.alpha].copy()
        if path.kind == "collective":
            return self.collective_rate[:, j].copy()
        return self.field.copy()

    def set(self, path: ParamPath, values: NDArray[np.float64]) -> None:
        """Write ``values`` (P,) into ``path`` in place (arrays are owned by this table)."""
        self.check_path(path)
        v = np.asarray(values, dtype=float)
        cols = slice(None) if path.index is None else path.index
        col_v = v if path.index is not None else v[:, None]
        if path.kind == "magnetization":
            bad = ~np.isfinite(v) | (np.abs(v) >= 1)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ModelError(f"{path.text} = {format_value(v[i])}: must be finite with |m| < 1")
            # Caption rule, keeping the larger rate of the qubit at its current value.
            scale = np.maximum(self.gain[:, cols], self.damping[:, cols])
            up = col_v >= 0
            self.gain[:, cols] = np.where(up, scale, scale * (1 + col_v) / (1 - col_v))
            self.damping[:, cols] = np.where(up, scale * (1 - col_v) / (1 + col_v), scale)
        elif path.is_site:
            getattr(self, path.kind)[:, cols] = col_v
        elif path.kind == "coupling":
            self.couplings[:, cols, path.alpha] = col_v
        elif path.kind == "collective":
            self.collective_rate[:, cols] = col_v
        else:
            self.field[:] = v

    # ------------------------------------------------------------------ checks
    def support(self) -> NDArray[np.bool_]:
        """Which terms each point has (P, K): what its symmetry and uniqueness depend on.

        Columns: gain, damping, dephasing > 0 and drive ≠ 0 per site; per bond the flip-flop
        part Uˣ + Uʸ ≠ 0 and the double-flip part Uˣ − Uʸ ≠ 0 (the ladder coefficients of
        :mod:`spinsync.operators.terms`); per channel rate > 0. Fields, ω and Uᶻ are left
        out: they conserve every down count and move no state.
        """
        c = self.couplings
        return np.concatenate([
            self.gain > 0, self.damping > 0, self.dephasing > 0, self.drive != 0,
            (c[..., 0] + c[..., 1]) != 0, (c[..., 0] - c[..., 1]) != 0,
            self.collective_rate > 0,
        ], axis=1)

    def patterns(self) -> NDArray[np.int64]:
        """One point per distinct :meth:`support` pattern: the first such point, ascending.

        The symmetry the compiled terms keep and the uniqueness refusal depend on the
        pattern alone, so checking these representatives checks every point.
        """
        if self.count == 0:
            return np.zeros(0, dtype=np.int64)
        _, first = np.unique(self.support(), axis=0, return_index=True)
        return np.sort(first).astype(np.int64)

    def symmetries(self) -> dict[int, str]:
        """``{representative point: terms.symmetry}`` for every support pattern."""
        return {int(i): self.network(int(i)).terms.symmetry for i in self.patterns()}

    def weakest_symmetry(self) -> str:
        """The weakest symmetry any point's terms keep (the sector that fits every point)."""
        found = list(self.symmetries().values()) or ["u1"]
        return max(found, key=SYMMETRIES.index)

    def validate(self) -> None:
        """Check every point as :class:`~spinsync.model.Network` and the solvers would.

        Values are checked vectorized; the uniqueness refusal of the solvers
        (:func:`~spinsync.steady.uniqueness.check_uniqueness`: a site with no dissipation
        and no flip-bond path to a dissipated one) runs on one point per support pattern.
        Raises :class:`ModelError` naming the first offending point and parameter.
        """
        for name in POINT_FIELDS:
            arr = getattr(self, name)
            bad = ~np.isfinite(arr)
            if bad.any():
                p = int(np.argwhere(bad)[0][0])
                raise ModelError(f"point {p}: {name} is not finite")
        for name in _RATES:
            arr = getattr(self, name)
            neg = arr < 0
            if neg.any():
                p, j = _first(neg)
                raise ModelError(f"point {p}: {self.kind}.{name}[{j}] = {format_value(arr[p, j])}: "
                                 "rates must be ≥ 0")
        neg = self.collective_rate < 0
        if neg.any():
            p, i = _first(neg)
            raise ModelError(f"point {p}: collective[{i}].rate = "
                             f"{format_value(self.collective_rate[p, i])}: rates must be ≥ 0")
        from ..steady.uniqueness import check_uniqueness

        for p in self.patterns():
            try:
                check_uniqueness(self.network(int(p)).terms)
            except ModelError as exc:
                raise ModelError(f"point {int(p)}: {exc}") from None

    # ------------------------------------------------------------------ networks
    def network(self, i: int) -> Network:
        """The :class:`Network` of point ``i`` (qubits or spins, with its channels)."""
        bonds = [
            (int(j), int(k), *map(float, self.couplings[i, b]))
            for b, (j, k) in enumerate(self.bond_sites)
        ]
        channels = [Collective(sites, op, float(rate)) for sites, op, rate in
                    zip(self.collective_sites, self.collective_operators, self.collective_rate[i])]
        terms = dict(dephasing=self.dephasing[i], drive=self.drive[i],
                     drive_phase=self.drive_phase[i], collective=channels)
        if self.is_qubits:
            return Network(self.gain[i], self.damping[i], self.omega[i], bonds,
                           float(self.field[i]), **terms)
        return Network.spins(self.spin.tolist(), self.gain[i], self.damping[i], scheme=self.scheme,
                             omega=self.omega[i], bonds=bonds, field=float(self.field[i]), **terms)

    def magnetization(self) -> NDArray[np.float64]:
        """Qubit limit-cycle magnetizations m_j = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ) (P, N); NaN where both are 0."""
        total = self.gain + self.damping
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (self.gain - self.damping) / np.where(total > 0, total, 1), np.nan)

    def is_xxz(self) -> bool:
        """True when Uˣ = Uʸ on every bond at every point."""
        c = self.couplings
        return bool(np.all(c[..., 0] == c[..., 1])) if c.size else True
