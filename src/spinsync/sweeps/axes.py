"""Sweep axes: parameter paths, tied parameters and the per-point parameter table.

A *parameter path* names one numeric model parameter with the vocabulary of the model
files (``io/model_file.py``); no file text is ever evaluated, paths are matched against
this fixed grammar:

========================================  ==============================================
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

Qubit indices are 0-based (the paper's qubit j is index j − 1). The network's structure
(number of qubits, which bonds exist) is fixed by the base model; a sweep changes values.

A :class:`PointParams` holds every parameter of every point as arrays with a leading
point axis, so thousands of points are built and validated without Python loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..model import Network

__all__ = ["ParamPath", "parse_path", "PointParams", "theta_names", "PATH_FORMS"]

_QUBIT = re.compile(r"^qubits\.(gain|damping|omega|magnetization)\[(\d+)\]$")
_ALL_BONDS = re.compile(r"^couplings\.(ux|uy|uz)$")
_ONE_BOND = re.compile(r"^couplings\.bond\[(\d+)\]\.(ux|uy|uz)$")
_FIELD = re.compile(r"^(couplings\.)?field$")
_ALPHA = {"ux": 0, "uy": 1, "uz": 2}

#: Documented list of accepted forms, used in error messages.
PATH_FORMS = (
    "qubits.gain[j], qubits.damping[j], qubits.omega[j], qubits.magnetization[j], "
    "couplings.ux|uy|uz, couplings.bond[i].ux|uy|uz, couplings.field"
)


@dataclass(frozen=True)
class ParamPath:
    """A parsed parameter path.

    ``kind`` is ``gain``, ``damping``, ``omega``, ``magnetization``, ``coupling`` or
    ``field``; ``index`` the qubit (qubit kinds) or bond (``coupling``; None = all
    bonds); ``alpha`` the coupling component 0, 1, 2 for x, y, z.
    """

    text: str
    kind: str
    index: int | None = None
    alpha: int | None = None


def parse_path(text: str) -> ParamPath:
    """Parse a parameter path; raise :class:`ModelError` naming the accepted forms."""
    s = str(text).strip()
    if m := _QUBIT.match(s):
        return ParamPath(s, m.group(1), int(m.group(2)))
    if m := _ALL_BONDS.match(s):
        return ParamPath(s, "coupling", None, _ALPHA[m.group(1)])
    if m := _ONE_BOND.match(s):
        return ParamPath(s, "coupling", int(m.group(1)), _ALPHA[m.group(2)])
    if _FIELD.match(s):
        return ParamPath(s, "field")
    raise ModelError(f"unknown parameter path {s!r}; expected one of {PATH_FORMS}")


@dataclass(frozen=True, eq=False)
class PointParams:
    """All model parameters of P points of a sweep (leading axis = point).

    Attributes
    ----------
    gain, damping, omega
        Arrays (P, N): Γᵍ_j, Γᵈ_j, ω_j of every point.
    couplings
        Array (P, N_bonds, 3): Uˣ, Uʸ, Uᶻ of every bond.
    field
        Array (P,): the uniform field B.
    bond_sites
        Array (N_bonds, 2) of the bonds' qubits (j < k), shared by all points.
    """

    gain: NDArray[np.float64]
    damping: NDArray[np.float64]
    omega: NDArray[np.float64]
    couplings: NDArray[np.float64]
    field: NDArray[np.float64]
    bond_sites: NDArray[np.int64]

    @classmethod
    def repeat(cls, network: Network, count: int) -> "PointParams":
        """``count`` copies of ``network``'s parameters."""
        def tile(a: NDArray) -> NDArray:
            return np.repeat(np.asarray(a, dtype=float)[None, ...], count, axis=0)

        couplings = network.bond_couplings if network.bond_sites.size else np.zeros((0, 3))
        return cls(
            gain=tile(network.gain), damping=tile(network.damping), omega=tile(network.omega),
            couplings=tile(couplings), field=np.full(count, float(network.field)),
            bond_sites=np.asarray(network.bond_sites, dtype=np.int64).reshape(-1, 2),
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

    def take(self, index: slice | NDArray[np.int64]) -> "PointParams":
        """The points selected by ``index``."""
        return replace(
            self, gain=self.gain[index], damping=self.damping[index], omega=self.omega[index],
            couplings=self.couplings[index], field=self.field[index],
        )

    # ------------------------------------------------------------------ access
    def check_path(self, path: ParamPath) -> None:
        """Raise :class:`ModelError` if ``path`` points outside this model."""
        if path.kind in ("gain", "damping", "omega", "magnetization"):
            if not 0 <= int(path.index) < self.n:  # type: ignore[arg-type]
                raise ModelError(
                    f"parameter path {path.text!r}: qubit index {path.index} out of range "
                    f"[0, {self.n - 1}] (the base model has {self.n} qubits)"
                )
        elif path.kind == "coupling":
            if self.num_bonds == 0:
                raise ModelError(f"parameter path {path.text!r}: the base model has no bonds")
            if path.index is not None and not 0 <= path.index < self.num_bonds:
                raise ModelError(
                    f"parameter path {path.text!r}: bond index {path.index} out of range "
                    f"[0, {self.num_bonds - 1}]"
                )

    def get(self, path: ParamPath) -> NDArray[np.float64]:
        """Values (P,) of ``path`` at every point (for all-bond couplings: bond 0's)."""
        self.check_path(path)
        j = path.index
        if path.kind == "gain":
            return self.gain[:, j].copy()
        if path.kind == "damping":
            return self.damping[:, j].copy()
        if path.kind == "omega":
            return self.omega[:, j].copy()
        if path.kind == "magnetization":
            g, d = self.gain[:, j], self.damping[:, j]
            return (g - d) / (g + d)
        if path.kind == "coupling":
            return self.couplings[:, 0 if j is None else j, path.alpha].copy()
        return self.field.copy()

    def set(self, path: ParamPath, values: NDArray[np.float64]) -> None:
        """Write ``values`` (P,) into ``path`` in place (arrays are owned by this table)."""
        self.check_path(path)
        v = np.asarray(values, dtype=float)
        j = path.index
        if path.kind == "gain":
            self.gain[:, j] = v
        elif path.kind == "damping":
            self.damping[:, j] = v
        elif path.kind == "omega":
            self.omega[:, j] = v
        elif path.kind == "magnetization":
            bad = ~np.isfinite(v) | (np.abs(v) >= 1)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ModelError(f"{path.text} = {v[i]!r}: must be finite with |m| < 1")
            # Caption rule, keeping the larger rate of the qubit at its current value.
            scale = np.maximum(self.gain[:, j], self.damping[:, j])
            up = v >= 0
            self.gain[:, j] = np.where(up, scale, scale * (1 + v) / (1 - v))
            self.damping[:, j] = np.where(up, scale * (1 - v) / (1 + v), scale)
        elif path.kind == "coupling":
            if j is None:
                self.couplings[:, :, path.alpha] = v[:, None]
            else:
                self.couplings[:, j, path.alpha] = v
        else:
            self.field[:] = v

    def validate(self) -> None:
        """Check every point as :class:`~spinsync.model.Network` would, vectorized.

        Raises :class:`ModelError` naming the first offending point and parameter.
        """
        for name, arr in (("gain", self.gain), ("damping", self.damping), ("omega", self.omega),
                          ("couplings", self.couplings), ("field", self.field)):
            bad = ~np.isfinite(arr)
            if bad.any():
                p = int(np.argwhere(bad)[0][0])
                raise ModelError(f"point {p}: {name} is not finite")
        for name, arr in (("gain", self.gain), ("damping", self.damping)):
            neg = arr < 0
            if neg.any():
                p, j = (int(x) for x in np.argwhere(neg)[0])
                raise ModelError(f"point {p}: qubits.{name}[{j}] = {arr[p, j]!r}: rates must be ≥ 0")
        nodiss = (self.gain + self.damping) <= 0
        if nodiss.any():
            p, j = (int(x) for x in np.argwhere(nodiss)[0])
            raise ModelError(f"point {p}: qubit {j} has gain + damping = 0 (needs Γᵍ + Γᵈ > 0)")

    def network(self, i: int) -> Network:
        """The :class:`Network` of point ``i``."""
        bonds = [
            (int(j), int(k), *map(float, self.couplings[i, b]))
            for b, (j, k) in enumerate(self.bond_sites)
        ]
        return Network(self.gain[i], self.damping[i], self.omega[i], bonds, float(self.field[i]))

    def magnetization(self) -> NDArray[np.float64]:
        """Limit-cycle magnetizations m_j (P, N)."""
        return (self.gain - self.damping) / (self.gain + self.damping)

    def is_xxz(self) -> bool:
        """True when Uˣ = Uʸ on every bond at every point (magnetization sector usable)."""
        c = self.couplings
        return bool(np.all(c[..., 0] == c[..., 1])) if c.size else True

    def theta(self) -> NDArray[np.float64]:
        """Parameter vectors (P, 3N + 1 + 3·N_bonds) in the order of :func:`theta_names`."""
        return np.concatenate(
            [self.gain, self.damping, self.omega, self.field[:, None],
             self.couplings.reshape(self.count, -1)], axis=1,
        )


def theta_names(n: int, num_bonds: int) -> list[str]:
    """Names of the entries of :meth:`PointParams.theta` (the Liouvillian is linear in them)."""
    names = [f"qubits.gain[{j}]" for j in range(n)]
    names += [f"qubits.damping[{j}]" for j in range(n)]
    names += [f"qubits.omega[{j}]" for j in range(n)]
    names += ["couplings.field"]
    names += [f"couplings.bond[{b}].{a}" for b in range(num_bonds) for a in ("ux", "uy", "uz")]
    return names
