"""A state split into independently evolving operator sectors, and observables read from it.

Sectors (see :mod:`spinsync.liouvillian.sector`): with magnetization blocks the block pair
(ket block b, bra block c) has q = K_c − K_b, the bra's down count minus the ket's; the
Liouvillian maps each q to itself. With parity blocks q = K_b XOR K_c ∈ {0, 1}; with no
symmetry (full blocks) there is one sector, q = 0, holding everything.

A Hermitian ρ has ρ_cb = ρ_bcᴴ, so the sector −q is the conjugate transpose of sector q.
:class:`SectorSet` therefore stores and evolves only q ≥ 0 under magnetization blocks and
rebuilds q < 0 on demand ("mirrored"); parity sectors are each their own mirror.

Observables are read straight from the flat sector vectors through precomputed gather
indices (no loop over basis states, no reduced density matrices):

* :class:`ZExpectations` — Tr ρ and ⟨Z_j⟩ (σᶻ for qubits, Jᶻ for spins: any diagonal local
  operator) from the diagonal of the q = 0 sector;
* :class:`ProductExpectations` — Tr[ρ A] for homogeneous products A of local operators
  (⟨σ⁺_jσ⁻_k⟩, ⟨J⁺_jJ⁻_k⟩, ⟨σ⁺_j⟩ …, all pairs at once). A maps each ket x to one state
  A(x) with a weight w(x), so Tr[ρA] = Σ_x w(x) ρ[x, A(x)] over the kets it does not
  annihilate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
from numpy.typing import NDArray

from ..liouvillian.sector import OperatorSector
from ..operators.basis import BlockBasis
from ..operators.blocks import product_map
from ..operators.terms import Product
from ..states import BlockState

__all__ = ["SectorSet", "ZExpectations", "ProductExpectations", "local_product"]

Pair = tuple[int, int]
Vectors = Mapping[int, NDArray[np.complex128]]


@dataclass(frozen=True, eq=False)
class SectorSet:
    """The operator sectors a state occupies.

    Attributes
    ----------
    basis
        Magnetization or parity blocks.
    sectors
        q → :class:`OperatorSector` for the stored (evolved) sectors.
    mirrored
        True for magnetization blocks: sector −q is stored as the conjugate of sector q.
    """

    basis: BlockBasis
    sectors: dict[int, OperatorSector]
    mirrored: bool

    @staticmethod
    def q_of(basis: BlockBasis, pair: Pair) -> int:
        return basis.pair_q(pair)

    @classmethod
    def for_state(cls, state: BlockState) -> "SectorSet":
        """The sectors holding the nonzero blocks of a Hermitian ``state``.

        q = 0 is always included (it carries the trace).
        """
        basis = state.basis
        mirrored = basis.kind == "magnetization"
        qs = {0}
        for pair, m in state.blocks.items():
            if np.any(m):
                q = cls.q_of(basis, pair)
                qs.add(abs(q) if mirrored else q)
        sectors = {q: OperatorSector.coherence(basis, q) for q in sorted(qs)}
        return cls(basis, sectors, mirrored)

    @property
    def dims(self) -> dict[int, int]:
        """Stored dimension (complex entries) of each sector."""
        return {q: s.dim for q, s in self.sectors.items()}

    def pairs(self) -> list[Pair]:
        """Every block pair of the full state, mirrors included."""
        out = [p for s in self.sectors.values() for p in s.pairs]
        if self.mirrored:
            out += [(c, b) for q, s in self.sectors.items() if q != 0 for b, c in s.pairs]
        return out

    def join(self, state: BlockState) -> dict[int, NDArray[np.complex128]]:
        """Flat vectors of the stored sectors (the mirrored half of ``state`` is dropped)."""
        return {q: s.join(state.blocks) for q, s in self.sectors.items()}

    def blocks(self, vectors: Vectors) -> dict[Pair, NDArray[np.complex128]]:
        """Block matrices of the full state: views into ``vectors`` plus conjugate mirrors."""
        out: dict[Pair, NDArray[np.complex128]] = {}
        for q, s in self.sectors.items():
            split = s.split(vectors[q])
            out.update(split)
            if self.mirrored and q != 0:
                out.update({(c, b): m.conj().T for (b, c), m in split.items()})
        return out

    def to_state(self, vectors: Vectors, copy: bool = True) -> BlockState:
        """A :class:`BlockState` of the full state (copies the blocks unless ``copy=False``)."""
        blocks = self.blocks(vectors)
        if copy:
            blocks = {p: np.array(m) for p, m in blocks.items()}
        return BlockState(self.basis, blocks)


class ZExpectations:
    """Tr ρ and ⟨Z_j⟩ = Σ_x ρ_xx z(a_j(x)) from the q = 0 sector.

    ``z_values[d]`` is the diagonal of the local operator for a site of dimension d
    (σᶻ: (1, −1); Jᶻ: (s, …, −s)).
    """

    def __init__(self, sset: SectorSet, z_values: Mapping[int, NDArray[np.float64]]) -> None:
        sector = sset.sectors[0]
        basis = sset.basis
        sizes = basis.sizes
        idx, states = [], []
        for p, (b, c) in enumerate(sector.pairs):
            if b == c:
                d = sizes[b]
                idx.append(sector.offsets[p] + np.arange(d) * (d + 1))
                states.append(basis.states[b])
        self._idx = np.concatenate(idx)
        digits = basis.space.digits(np.concatenate(states))
        self._z = np.stack([np.asarray(z_values[d])[digits[:, j]]
                            for j, d in enumerate(basis.dims)], axis=1).astype(float)

    def __call__(self, vectors: Vectors) -> tuple[complex, NDArray[np.float64]]:
        diag = vectors[0][self._idx]
        return complex(diag.sum()), diag.real @ self._z


def local_product(sites: list[int], matrices: list[NDArray[np.complex128]]) -> Product:
    """A homogeneous product ⊗_j A_j (each A_j with one shift: σ±, J±, diagonal…)."""
    from ..operators.local import homogeneous_shift

    shifts = []
    for m in matrices:
        delta = homogeneous_shift(m)
        if delta is None:
            raise ValueError("local_product needs homogeneous local operators")
        shifts.append(delta)
    order = np.argsort(sites)
    return Product(1.0, tuple(int(sites[i]) for i in order),
                   tuple(np.asarray(matrices[i], dtype=complex) for i in order),
                   tuple(shifts[i] for i in order))


class ProductExpectations:
    """Tr[ρ A_i] for a list of homogeneous products A_i, read from the sector vectors.

    The entries ρ[x, A(x)] of operator i lie in block pairs of label q_i (its shift, mod 2
    for parity blocks). If only −q_i is stored (mirrored sectors) the entry is read as
    conj ρ[A(x), x] there; if neither is stored, the value is 0.
    """

    def __init__(self, sset: SectorSet, operators: list[Product]) -> None:
        basis = sset.basis
        sizes = basis.sizes
        self.size = len(operators)
        # Per stored sector q: (flat indices, weights, operator labels, conjugate?).
        parts: dict[tuple[int, bool], list[tuple[NDArray, NDArray, NDArray]]] = {}
        offsets = {q: {pair: (int(s.offsets[p])) for p, pair in enumerate(s.pairs)}
                   for q, s in sset.sectors.items()}
        for i, op in enumerate(operators):
            for b in range(basis.num_blocks):
                m = product_map(basis, op, b)
                if m is None:
                    continue
                t, src, dst, w = m
                q = basis.pair_q((b, t))
                if q in sset.sectors and (b, t) in offsets[q]:
                    idx = offsets[q][(b, t)] + src * sizes[t] + dst
                    parts.setdefault((q, False), []).append((idx, w, np.full(src.size, i)))
                elif sset.mirrored and -q in sset.sectors and (t, b) in offsets[-q]:
                    # ρ[x, A(x)] = conj ρ[A(x), x] in the stored pair (t, b).
                    idx = offsets[-q][(t, b)] + dst * sizes[b] + src
                    parts.setdefault((-q, True), []).append((idx, w, np.full(src.size, i)))
        self._plans = [
            (q, conj, np.concatenate([x[0] for x in lst]), np.concatenate([x[1] for x in lst]),
             np.concatenate([x[2] for x in lst]))
            for (q, conj), lst in parts.items()
        ]

    def __call__(self, vectors: Vectors) -> NDArray[np.complex128]:
        out = np.zeros(self.size, dtype=complex)
        for q, conj, idx, w, label in self._plans:
            vals = vectors[q][idx]
            if conj:
                vals = np.conj(vals)
            vals = vals * w
            out += np.bincount(label, vals.real, self.size) + 1j * np.bincount(label, vals.imag, self.size)
        return out
