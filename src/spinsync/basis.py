"""Computational basis and its symmetry blocks.

Basis convention (CONVENTIONS.md): single-qubit basis (|↑⟩, |↓⟩), qubit 0 is the
leftmost tensor factor. A basis state is an integer s in [0, 2ᴺ); bit (N−1−j) of s is 1
when qubit j is down. Hence σᶻ_j |s⟩ = (1 − 2·bit_j(s)) |s⟩.

Symmetry blocks partition the 2ᴺ states:

* ``magnetization``: blocks k = number of down spins (N+1 blocks of size C(N, k)).
  With Uˣ = Uʸ on every bond the Hamiltonian conserves k; σ⁻_j moves k → k+1.
* ``parity``: blocks k mod 2 (two blocks of 2ᴺ⁻¹). Any XYZ Hamiltonian conserves it.
* ``full``: one block with every state (no symmetry used).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["BlockBasis", "down_bits", "bit_of"]

BlockKind = Literal["magnetization", "parity", "full"]


def bit_of(states: NDArray[np.int64], qubit: int, n: int) -> NDArray[np.int64]:
    """1 where ``qubit`` is down in each basis state, else 0."""
    return (states >> (n - 1 - qubit)) & 1


def down_bits(states: NDArray[np.int64], n: int) -> NDArray[np.int8]:
    """Array of shape (len(states), n): 1 where qubit j is down."""
    shifts = np.arange(n - 1, -1, -1, dtype=np.int64)
    return ((states[:, None] >> shifts[None, :]) & 1).astype(np.int8)


@dataclass(frozen=True, eq=False)
class BlockBasis:
    """A partition of the 2ᴺ basis states into symmetry blocks.

    Attributes
    ----------
    n
        Number of qubits.
    kind
        ``"magnetization"``, ``"parity"`` or ``"full"``.
    states
        ``states[b]`` is the sorted array of basis states in block b.
    block_of, position
        For every basis state s: its block and its index inside that block.
    """

    n: int
    kind: BlockKind
    states: tuple[NDArray[np.int64], ...]
    block_of: NDArray[np.int64]
    position: NDArray[np.int64]

    @classmethod
    def build(cls, n: int, kind: BlockKind) -> "BlockBasis":
        """Blocks of the given kind for ``n`` qubits (memory ~ 24·2ᴺ bytes)."""
        all_states = np.arange(2**n, dtype=np.int64)
        if kind == "full":
            label = np.zeros(2**n, dtype=np.int64)
            nblocks = 1
        else:
            downs = np.bitwise_count(all_states).astype(np.int64)
            if kind == "magnetization":
                label, nblocks = downs, n + 1
            elif kind == "parity":
                label, nblocks = downs % 2, min(2, 2**n)
            else:
                raise ValueError(f"unknown block kind {kind!r}")
        # Stable sort keeps states increasing within each block.
        order = np.argsort(label, kind="stable")
        counts = np.bincount(label, minlength=nblocks)
        starts = np.concatenate([[0], np.cumsum(counts)])
        states = tuple(order[starts[b] : starts[b + 1]] for b in range(nblocks))
        position = np.empty(2**n, dtype=np.int64)
        position[order] = np.arange(2**n) - starts[label[order]]
        for arr in (label, position, *states):
            arr.setflags(write=False)
        return cls(n=n, kind=kind, states=states, block_of=label, position=position)

    @property
    def sizes(self) -> list[int]:
        """Block dimensions."""
        return [int(s.size) for s in self.states]

    @property
    def num_blocks(self) -> int:
        return len(self.states)

    def down_counts(self, block: int) -> NDArray[np.int64]:
        """Number of down spins of each state in ``block``."""
        return np.bitwise_count(self.states[block]).astype(np.int64)
