"""Operator sectors: sets of block pairs (ket block b, bra block c) the Liouvillian keeps.

An operator X is split into blocks X_bc = P_b X P_c. With a symmetry (U(1) or parity) the
Liouvillian maps X_bc to itself (Hamiltonian and Γ) and to X_tt′ (a jump taking b to t
and c to t′), and the label q of a pair — bra down count minus ket down count
(magnetization blocks), their parity difference (parity blocks) — is conserved. The
steady state lives in q = 0; coherences such as a GHZ state's occupy q ≠ 0.

Vectorization is row-major inside each block pair: X_bc[a, a′] sits at
``offset[p] + a·dim(c) + a′``; pairs follow each other in ``pairs`` order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..operators.basis import BlockBasis

__all__ = ["OperatorSector"]

Pair = tuple[int, int]


@dataclass(frozen=True, eq=False)
class OperatorSector:
    """Block pairs spanned by an operator sector, with their offsets in a flat vector."""

    basis: BlockBasis
    pairs: tuple[Pair, ...]
    offsets: NDArray[np.int64]

    @classmethod
    def from_pairs(cls, basis: BlockBasis, pairs: list[Pair]) -> "OperatorSector":
        sizes = basis.sizes
        dims = [sizes[b] * sizes[c] for b, c in pairs]
        offsets = np.concatenate([[0], np.cumsum(dims)]).astype(np.int64)
        return cls(basis=basis, pairs=tuple(pairs), offsets=offsets)

    @classmethod
    def steady(cls, basis: BlockBasis) -> "OperatorSector":
        """Diagonal block pairs (b, b): where the steady state lives."""
        return cls.from_pairs(basis, [(b, b) for b in range(basis.num_blocks)])

    @classmethod
    def coherence(cls, basis: BlockBasis, q: int) -> "OperatorSector":
        """Every block pair of label q (:meth:`BlockBasis.pair_q`)."""
        nb = basis.num_blocks
        if basis.kind == "parity":
            q %= 2
        pairs = [(b, c) for b in range(nb) for c in range(nb) if basis.pair_q((b, c)) == q]
        return cls.from_pairs(basis, pairs)

    @property
    def dim(self) -> int:
        """Number of complex entries in the sector."""
        return int(self.offsets[-1])

    @property
    def is_diagonal(self) -> bool:
        """Only pairs (b, b): Hermitian vectors of this sector have a real form."""
        return all(b == c for b, c in self.pairs)

    def index_of(self, pair: Pair) -> int:
        return self.pairs.index(pair)

    def trace_vector(self) -> NDArray[np.float64]:
        """t with t·x = Tr X for x in this sector (zero unless pairs are diagonal)."""
        t = np.zeros(self.dim)
        sizes = self.basis.sizes
        for p, (b, c) in enumerate(self.pairs):
            if b == c:
                d = sizes[b]
                t[self.offsets[p] + np.arange(d) * (d + 1)] = 1.0
        return t

    def split(self, vec: NDArray[np.complex128]) -> dict[Pair, NDArray[np.complex128]]:
        """Flat vector → dict of block matrices (views)."""
        sizes = self.basis.sizes
        return {
            (b, c): vec[self.offsets[p] : self.offsets[p + 1]].reshape(sizes[b], sizes[c])
            for p, (b, c) in enumerate(self.pairs)
        }

    def join(self, blocks: dict[Pair, NDArray[np.complex128]]) -> NDArray[np.complex128]:
        """Dict of block matrices → flat vector (missing pairs are zero)."""
        out = np.zeros(self.dim, dtype=complex)
        for p, pair in enumerate(self.pairs):
            if pair in blocks:
                out[self.offsets[p] : self.offsets[p + 1]] = np.asarray(blocks[pair]).ravel()
        return out
