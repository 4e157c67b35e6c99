"""Connected groups of symmetry blocks, for spectra and fidelities of block-sparse states.

A :class:`~spinsync.states.BlockState` stores the nonzero block pairs (b, c) of ρ. Seen as
edges of a graph on the blocks, its connected components split ρ into a direct sum:
ρ = ⊕_C ρ_C. The spectrum of ρ is the union of the spectra of the ρ_C, so eigenvalues,
positivity and Tr f(ρ) need only the dense matrices of the components — e.g. for a GHZ
state under magnetization blocks the components are {0, N} (2×2) and single blocks.

Memory: assembling a component of dimension d needs 16·d² bytes (plus LAPACK workspace of
the same order); callers check it with :meth:`BlockLayout.memory_estimate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
from numpy.typing import NDArray

from ..operators.basis import BlockBasis
from ..resources import check_memory

__all__ = ["BlockLayout"]

Pair = tuple[int, int]


@dataclass(frozen=True, eq=False)
class BlockLayout:
    """Connected components of the blocks linked by a set of block pairs.

    Attributes
    ----------
    basis
        The block basis.
    components
        Each component as a sorted tuple of block indices; blocks touched by no pair are
        left out (ρ is zero there).
    """

    basis: BlockBasis
    components: tuple[tuple[int, ...], ...]

    @classmethod
    def from_pairs(cls, basis: BlockBasis, pairs: Iterable[Pair]) -> "BlockLayout":
        parent = list(range(basis.num_blocks))
        touched: set[int] = set()

        def root(b: int) -> int:
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            return b

        for b, c in pairs:
            touched.update((b, c))
            rb, rc = root(b), root(c)
            if rb != rc:
                parent[max(rb, rc)] = min(rb, rc)
        groups: dict[int, list[int]] = {}
        for b in sorted(touched):
            groups.setdefault(root(b), []).append(b)
        return cls(basis, tuple(tuple(g) for g in groups.values()))

    def dimension(self, component: tuple[int, ...]) -> int:
        sizes = self.basis.sizes
        return int(sum(sizes[b] for b in component))

    def memory_estimate(self) -> float:
        """Peak bytes to hold and diagonalize the largest component (≈ 4 d² complex)."""
        largest = max((self.dimension(c) for c in self.components), default=0)
        return 4 * 16.0 * largest**2

    def assemble(
        self, component: tuple[int, ...], blocks: Mapping[Pair, NDArray[np.complex128]]
    ) -> NDArray[np.complex128]:
        """Dense matrix of ρ restricted to ``component`` (blocks in increasing order)."""
        sizes = self.basis.sizes
        starts = np.concatenate([[0], np.cumsum([sizes[b] for b in component])])
        where = {b: (int(starts[i]), int(starts[i + 1])) for i, b in enumerate(component)}
        out = np.zeros((int(starts[-1]),) * 2, dtype=complex)
        for b in component:
            for c in component:
                m = blocks.get((b, c))
                if m is not None:
                    (r0, r1), (c0, c1) = where[b], where[c]
                    out[r0:r1, c0:c1] = m
        return out

    def eigenvalues(self, blocks: Mapping[Pair, NDArray[np.complex128]]) -> NDArray[np.float64]:
        """Eigenvalues of the Hermitian part of ρ (zeros of untouched blocks omitted)."""
        check_memory(self.memory_estimate(), what="the eigenvalues of the largest group of blocks")
        vals = []
        for comp in self.components:
            m = self.assemble(comp, blocks)
            vals.append(np.linalg.eigvalsh((m + m.conj().T) / 2))
        return np.sort(np.concatenate(vals)) if vals else np.zeros(0)

    def min_eigenvalue(self, blocks: Mapping[Pair, NDArray[np.complex128]]) -> float:
        """Smallest eigenvalue, counting the zeros of blocks no pair touches."""
        vals = self.eigenvalues(blocks)
        covered = sum(self.dimension(c) for c in self.components)
        lowest = float(vals[0]) if vals.size else 0.0
        return min(lowest, 0.0) if covered < self.basis.dim else lowest
