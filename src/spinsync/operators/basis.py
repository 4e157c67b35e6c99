"""Symmetry blocks of the basis states.

Block kinds (the symmetry each one exploits, :mod:`spinsync.operators.symmetry`):

* ``magnetization`` (symmetry ``"u1"``): one block per down count K = 0 … Σ_j (d_j − 1)
  (total Jᶻ fixed). Every term conserves K or shifts it by a fixed amount.
* ``parity`` (symmetry ``"parity"``): K even and K odd. Any XYZ Hamiltonian keeps it.
* ``full`` (symmetry ``"none"``): one block with every state.

States inside a block are sorted, so for qubits the blocks and their order are those of
the bit encoding of :mod:`spinsync.operators.space`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
from numpy.typing import NDArray

from ..resources import check_memory
from .space import Space

__all__ = ["BlockBasis", "BlockKind", "BLOCK_KINDS", "bit_of", "down_bits"]

BlockKind = Literal["magnetization", "parity", "full"]
BLOCK_KINDS: tuple[str, ...] = ("magnetization", "parity", "full")

#: Bytes per basis state held by a :class:`BlockBasis` (state list, block label, position).
BYTES_PER_STATE = 24


def bit_of(states: NDArray[np.int64], qubit: int, n: int) -> NDArray[np.int64]:
    """1 where ``qubit`` is down in each basis state of n qubits, else 0."""
    return (states >> (n - 1 - qubit)) & 1


def down_bits(states: NDArray[np.int64], n: int) -> NDArray[np.int8]:
    """Array of shape (len(states), n) for n qubits: 1 where qubit j is down."""
    shifts = np.arange(n - 1, -1, -1, dtype=np.int64)
    return ((states[:, None] >> shifts[None, :]) & 1).astype(np.int8)


@dataclass(frozen=True, eq=False)
class BlockBasis:
    """A partition of the basis states into symmetry blocks.

    Attributes
    ----------
    space
        The sites' local dimensions.
    kind
        ``"magnetization"``, ``"parity"`` or ``"full"``.
    states
        ``states[b]`` is the sorted array of basis states in block b.
    block_of, position
        For every basis state s: its block and its index inside that block.
    labels
        The down count K (``magnetization``) or K mod 2 (``parity``) of each block; 0 for
        ``full``.
    """

    space: Space
    kind: str
    states: tuple[NDArray[np.int64], ...]
    block_of: NDArray[np.int64]
    position: NDArray[np.int64]
    labels: tuple[int, ...]

    @classmethod
    def build(cls, space: Space | int | Sequence[int], kind: str) -> "BlockBasis":
        """Blocks of ``kind`` for a space (or a number of qubits); memory 24·D bytes, checked."""
        space = Space.of(space)
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        space.require_enumerable("a symmetry-block basis")
        dim = space.dim
        check_memory(3 * BYTES_PER_STATE * dim,
                     what=f"the block basis of {space.n} sites (dimension {dim})")
        all_states = np.arange(dim, dtype=np.int64)
        if kind == "full":
            label = np.zeros(dim, dtype=np.int64)
        else:
            label = space.down_counts(all_states)
            if kind == "parity":
                label %= 2
        present = np.unique(label)
        # Relabel to 0 … B−1 (parity of a one-state space has only K = 0).
        compact = np.searchsorted(present, label)
        nblocks = present.size
        order = np.argsort(compact, kind="stable")  # stable: states increase in each block
        counts = np.bincount(compact, minlength=nblocks)
        starts = np.concatenate([[0], np.cumsum(counts)])
        states = tuple(order[starts[b] : starts[b + 1]] for b in range(nblocks))
        position = np.empty(dim, dtype=np.int64)
        position[order] = np.arange(dim) - starts[compact[order]]
        for arr in (compact, position, *states):
            arr.setflags(write=False)
        return cls(space=space, kind=kind, states=states, block_of=compact, position=position,
                   labels=tuple(int(x) for x in present))

    @property
    def n(self) -> int:
        """Number of sites."""
        return self.space.n

    @property
    def dims(self) -> tuple[int, ...]:
        return self.space.dims

    @property
    def dim(self) -> int:
        return self.space.dim

    @property
    def sizes(self) -> list[int]:
        """Block dimensions."""
        return [int(s.size) for s in self.states]

    @property
    def num_blocks(self) -> int:
        return len(self.states)

    def down_counts(self, block: int) -> NDArray[np.int64]:
        """Down count K of each state in ``block``."""
        return self.space.down_counts(self.states[block])

    def target_block(self, block: int, shift: int) -> int | None:
        """The block a homogeneous operator of down-count ``shift`` maps ``block`` to.

        ``None`` when the target is empty (the operator annihilates the block).
        """
        if self.kind == "full":
            return 0
        label = self.labels[block] + shift
        if self.kind == "parity":
            label %= 2
        try:
            return self.labels.index(label)
        except ValueError:
            return None

    def pair_q(self, pair: tuple[int, int]) -> int:
        """Sector label of a block pair: bra K minus ket K (magnetization), their XOR (parity)."""
        b, c = pair
        if self.kind == "parity":
            return self.labels[b] ^ self.labels[c]
        if self.kind == "full":
            return 0
        return self.labels[c] - self.labels[b]
