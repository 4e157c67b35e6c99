"""Single-site operators: Pauli and spin-s matrices, and their shift decomposition.

Local basis (docs/conventions.md): |s, s⟩, |s, s−1⟩, …, |s, −s⟩, i.e. local index a = s − m
counts "down" steps; for a qubit (|↑⟩, |↓⟩). Pauli matrices σᶻ = diag(1, −1),
σ± = (σˣ ± iσʸ)/2, so σ⁺|↓⟩ = |↑⟩. Spin matrices satisfy [Jˣ, Jʸ] = iJᶻ (no factor 2);
for s = ½, J = σ/2.

The *shift* of a matrix entry (a, a′) is a − a′: the change of the down count a local
operator makes (σ⁻ and J⁻: +1, σ⁺ and J⁺: −1, diagonal operators: 0). An operator whose
entries all share one shift is *homogeneous*; it maps each basis state to at most one
basis state, which is what lets every solver apply it by index arithmetic and detect the
symmetry it keeps (:mod:`spinsync.operators.symmetry`).

This module is the one place where σ±, σᶻ and J matrices are written down.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from ..model.network import check_spin

__all__ = [
    "PAULI",
    "pauli",
    "SpinMatrices",
    "spin_matrices",
    "shift_components",
    "homogeneous_shift",
]

Matrix = NDArray[np.complex128]


def _pauli() -> dict[str, Matrix]:
    ops = {
        "i": np.eye(2, dtype=complex),
        "x": np.array([[0, 1], [1, 0]], dtype=complex),
        "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
        "z": np.array([[1, 0], [0, -1]], dtype=complex),
        "+": np.array([[0, 1], [0, 0]], dtype=complex),
        "-": np.array([[0, 0], [1, 0]], dtype=complex),
    }
    ops["p"], ops["m"] = ops["+"], ops["-"]
    for m in ops.values():
        m.setflags(write=False)
    return ops


#: Single-qubit operators by name: x, y, z, +, − (also "p"/"m" for ±) and the identity "i".
PAULI: dict[str, Matrix] = _pauli()


def pauli(name: str) -> Matrix:
    """The Pauli operator called ``name`` (x, y, z, +, −, p, m, i)."""
    from ..errors import ModelError

    try:
        return PAULI[name.lower()]
    except (KeyError, AttributeError):
        raise ModelError(f"operator {name!r}: expected one of x, y, z, +, -") from None


@dataclass(frozen=True)
class SpinMatrices:
    """Spin-s matrices in the basis m = s, s−1, …, −s (ħ = 1)."""

    s: float
    x: Matrix
    y: Matrix
    z: Matrix
    plus: Matrix
    minus: Matrix

    @property
    def dim(self) -> int:
        return int(self.z.shape[0])

    def __getitem__(self, name: str) -> Matrix:
        return {"x": self.x, "y": self.y, "z": self.z, "+": self.plus, "-": self.minus,
                "i": np.eye(self.dim, dtype=complex)}[name]


@lru_cache(maxsize=64)
def spin_matrices(s: float) -> SpinMatrices:
    """Jˣ, Jʸ, Jᶻ, J⁺, J⁻ for spin ``s`` (½, 1, 3/2, …)."""
    s = check_spin(s)
    m = s - np.arange(int(round(2 * s)) + 1)
    # J⁺|s, m⟩ = √(s(s+1) − m(m+1)) |s, m+1⟩; |m+1⟩ sits one row above |m⟩.
    plus = np.diag(np.sqrt(s * (s + 1) - m[1:] * (m[1:] + 1)), k=1).astype(complex)
    minus = plus.conj().T.copy()
    out = SpinMatrices(s=s, x=(plus + minus) / 2, y=(plus - minus) / 2j,
                       z=np.diag(m).astype(complex), plus=plus, minus=minus)
    for mat in (out.x, out.y, out.z, out.plus, out.minus):
        mat.setflags(write=False)
    return out


def shift_components(matrix: Matrix) -> dict[int, Matrix]:
    """Split a local matrix into homogeneous parts, keyed by shift δ = row − column.

    Parts that are exactly zero are left out; the parts sum to ``matrix``.
    """
    a = np.asarray(matrix, dtype=complex)
    d = a.shape[0]
    rows, cols = np.indices((d, d))
    out = {}
    for delta in range(-(d - 1), d):
        part = np.where(rows - cols == delta, a, 0)
        if np.any(part != 0):
            out[delta] = part
    return out


def homogeneous_shift(matrix: Matrix) -> int | None:
    """The shift of a homogeneous matrix, ``None`` if it mixes shifts (0 for the zero matrix)."""
    parts = shift_components(matrix)
    if len(parts) > 1:
        return None
    return next(iter(parts), 0)
