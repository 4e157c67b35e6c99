"""A state split into independently evolving operator sectors, and observables read from it.

Sectors (see :mod:`spinsync.liouvillian`): with magnetization blocks the block pair
(ket block b, bra block c) has q = c − b, the bra's down-spin count minus the ket's; the
Liouvillian maps each q to itself. With parity blocks q = b XOR c ∈ {0, 1}.

A Hermitian ρ has ρ_cb = ρ_bcᴴ, so the sector −q is the conjugate transpose of sector q.
:class:`SectorSet` therefore stores and evolves only q ≥ 0 under magnetization blocks and
rebuilds q < 0 on demand ("mirrored"); parity sectors are each their own mirror.

Observables are read straight from the flat sector vectors through precomputed gather
indices (no loop over basis states, no reduced density matrices):

* :class:`ZExpectations` — Tr ρ and ⟨σᶻ_j⟩ from the diagonal of the q = 0 sector;
* :class:`FlipExpectations` — Tr[ρ A] for products A of σ± on distinct qubits, e.g.
  ⟨σ⁺_j σ⁻_k⟩ for all j ≠ k at once. For such A, Tr[ρA] = Σ_x ρ[x, x ⊕ mask] over the
  kets x on which A does not vanish.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
from numpy.typing import NDArray

from .basis import BlockBasis, down_bits
from .liouvillian import OperatorSector
from .states import BlockState

__all__ = ["SectorSet", "ZExpectations", "FlipExpectations", "pair_flip_operators"]

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
        b, c = pair
        return (b ^ c) if basis.kind == "parity" else c - b

    @classmethod
    def for_state(cls, state: BlockState) -> "SectorSet":
        """The sectors holding the nonzero blocks of a Hermitian ``state``.

        q = 0 is always included (it carries the trace).
        """
        basis = state.basis
        if basis.kind not in ("magnetization", "parity"):
            raise ValueError(f"sector evolution needs magnetization or parity blocks, not {basis.kind}")
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
    """Tr ρ and ⟨σᶻ_j⟩ = Σ_x ρ_xx (1 − 2·down_j(x)) from the q = 0 sector."""

    def __init__(self, sset: SectorSet) -> None:
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
        self._sz = (1 - 2 * down_bits(np.concatenate(states), basis.n)).astype(float)

    def __call__(self, vectors: Vectors) -> tuple[complex, NDArray[np.float64]]:
        diag = vectors[0][self._idx]
        return complex(diag.sum()), diag.real @ self._sz


def pair_flip_operators(n: int, kind: str) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Masks for σᵅ_j σᵝ_k on ordered pairs j ≠ k.

    ``kind`` is ``"+-"``, ``"-+"``, ``"++"`` or ``"--"`` (α then β). Returns
    ``(pairs, mask, required)``: ``pairs`` of shape (P, 2); ``mask`` has the bits of j and
    k; ``required`` is the value ``x & mask`` must have for the operator not to annihilate
    the ket x (σ⁺ needs the qubit down, bit 1; σ⁻ needs it up, bit 0).
    """
    if kind not in ("+-", "-+", "++", "--"):
        raise ValueError(f"kind = {kind!r}")
    j, k = np.nonzero(~np.eye(n, dtype=bool))
    bit_j = np.left_shift(1, n - 1 - j).astype(np.int64)
    bit_k = np.left_shift(1, n - 1 - k).astype(np.int64)
    required = np.zeros_like(bit_j)
    if kind[0] == "+":
        required |= bit_j
    if kind[1] == "+":
        required |= bit_k
    return np.stack([j, k], axis=1), bit_j | bit_k, required


class FlipExpectations:
    """Tr[ρ A_i] for a list of operators A_i = products of σ± on distinct qubits.

    Operator i flips the bits ``mask[i]`` and does not annihilate a ket x iff
    ``x & mask[i] == required[i]``. Its entries ρ[x, x ⊕ mask] lie in sector
    q_i = #σ⁻ − #σ⁺ (mod 2 for parity blocks). If only −q_i is stored (mirrored
    sectors), Tr[ρA] = conj Tr[ρA†] is read there instead; if neither is, the value is 0.
    """

    def __init__(self, sset: SectorSet, mask: NDArray[np.int64], required: NDArray[np.int64]) -> None:
        mask = np.asarray(mask, dtype=np.int64)
        required = np.asarray(required, dtype=np.int64)
        self.size = int(mask.size)
        n_plus = np.bitwise_count(required).astype(np.int64)
        n_minus = np.bitwise_count(mask).astype(np.int64) - n_plus
        q_op = n_minus - n_plus
        if sset.basis.kind == "parity":
            q_op = q_op % 2
        self._plans: list[tuple[int, NDArray[np.int64], NDArray[np.int64], bool]] = []
        for q in np.unique(q_op):
            ops = np.flatnonzero(q_op == q)
            if int(q) in sset.sectors:
                target, req, conj = int(q), required[ops], False
            elif sset.mirrored and -int(q) in sset.sectors:
                # A† flips the same bits and needs the opposite values.
                target, req, conj = -int(q), mask[ops] ^ required[ops], True
            else:
                continue
            idx, label = _gather(sset.sectors[target], mask[ops], req)
            self._plans.append((target, idx, ops[label], conj))

    def __call__(self, vectors: Vectors) -> NDArray[np.complex128]:
        out = np.zeros(self.size, dtype=complex)
        for q, idx, label, conj in self._plans:
            vals = vectors[q][idx]
            sums = np.bincount(label, vals.real, self.size) + 1j * np.bincount(label, vals.imag, self.size)
            out += sums.conj() if conj else sums
        return out


def _gather(
    sector: OperatorSector, mask: NDArray[np.int64], required: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Flat indices of ρ[x, x ⊕ mask_i] in ``sector``, with the operator label i of each."""
    basis = sector.basis
    sizes = basis.sizes
    idx, labels = [], []
    for p, (b, c) in enumerate(sector.pairs):
        kets = basis.states[b]
        xi, oi = np.nonzero((kets[:, None] & mask[None, :]) == required[None, :])
        bras = kets[xi] ^ mask[oi]
        inside = basis.block_of[bras] == c
        xi, oi, bras = xi[inside], oi[inside], bras[inside]
        # kets are block b's states in order, so a ket's position in the block is xi.
        idx.append(sector.offsets[p] + xi * sizes[c] + basis.position[bras])
        labels.append(oi)
    if not idx:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(idx).astype(np.int64), np.concatenate(labels).astype(np.int64)
