"""The tensor-product Hilbert space of a network: mixed-radix basis states and their counts.

A basis state is an integer s ∈ [0, D), D = Π_j d_j, with the local index a_j of site j
(a = s − m, 0 for the top state |s, s⟩, 1 for a qubit's |↓⟩) as digit j of a mixed-radix
number whose most significant digit is site 0:

    s = Σ_j a_j · stride_j,      stride_j = Π_{l > j} d_l.

So site 0 is the leftmost tensor factor (the order of ``np.kron`` and ``qutip.tensor``), and
for qubits bit (N−1−j) of s is 1 when qubit j is down.

The *down count* K(s) = Σ_j a_j = Σ_j (s_j − m_j) labels the U(1) symmetry blocks (total Jᶻ
= Σ_j s_j − K). :meth:`Space.block_sizes` counts the states of each block from the local
dimensions alone — exact integers, no enumeration — so memory can be checked from N and
the symmetry before anything of size D is allocated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import comb
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import MemoryLimitError

__all__ = ["Space", "MAX_ENUMERABLE_DIM"]

#: Largest dimension whose basis states are enumerated as int64 arrays (indices stay exact
#: and far from overflow; memory is checked separately before any enumeration).
MAX_ENUMERABLE_DIM = 2**40


@dataclass(frozen=True)
class Space:
    """Local dimensions of the sites, in order (site 0 first)."""

    dims: tuple[int, ...]

    @classmethod
    def qubits(cls, n: int) -> "Space":
        return cls((2,) * int(n))

    @classmethod
    def of(cls, dims: "Space | int | Sequence[int]") -> "Space":
        """A space from a Space, a number of qubits, or a sequence of local dimensions."""
        if isinstance(dims, Space):
            return dims
        if isinstance(dims, (int, np.integer)):
            return cls.qubits(int(dims))
        return cls(tuple(int(d) for d in dims))

    @property
    def n(self) -> int:
        return len(self.dims)

    @cached_property
    def dim(self) -> int:
        """D = Π_j d_j as an exact integer."""
        out = 1
        for d in self.dims:
            out *= d
        return out

    @property
    def is_qubits(self) -> bool:
        return all(d == 2 for d in self.dims)

    @property
    def max_down(self) -> int:
        """Largest down count Σ_j (d_j − 1)."""
        return sum(d - 1 for d in self.dims)

    @cached_property
    def strides(self) -> NDArray[np.int64]:
        """stride_j = Π_{l > j} d_l (int64; needs D ≤ :data:`MAX_ENUMERABLE_DIM`)."""
        self.require_enumerable()
        out = np.ones(self.n, dtype=np.int64)
        for j in range(self.n - 2, -1, -1):
            out[j] = out[j + 1] * self.dims[j + 1]
        return out

    def require_enumerable(self, what: str = "this computation") -> None:
        if self.dim > MAX_ENUMERABLE_DIM:
            raise MemoryLimitError(
                f"{what}: the Hilbert space of {self.n} sites has dimension "
                f"{_short(self.dim)}, too large to enumerate its basis states"
            )

    # ------------------------------------------------------------------ digits
    def digit(self, states: NDArray[np.int64], site: int) -> NDArray[np.int64]:
        """Local index a_site of each basis state."""
        if self.is_qubits:
            return (states >> (self.n - 1 - site)) & 1
        return (states // self.strides[site]) % self.dims[site]

    def digits(self, states: NDArray[np.int64]) -> NDArray[np.int64]:
        """Array (len(states), N) of all local indices."""
        if self.is_qubits:
            shifts = np.arange(self.n - 1, -1, -1, dtype=np.int64)
            return (states[:, None] >> shifts[None, :]) & 1
        return (states[:, None] // self.strides[None, :]) % np.asarray(self.dims)[None, :]

    def down_counts(self, states: NDArray[np.int64]) -> NDArray[np.int64]:
        """K(s) = Σ_j a_j for each state."""
        if self.is_qubits:
            return np.bitwise_count(states).astype(np.int64)
        total = np.zeros(states.shape, dtype=np.int64)
        for j in range(self.n):
            total += self.digit(states, j)
        return total

    # ------------------------------------------------------------------ counting
    def block_sizes(self, kind: str) -> list[int]:
        """Number of basis states in each symmetry block, from the dimensions alone.

        ``kind`` is ``"magnetization"`` (one block per down count K = 0 … max_down),
        ``"parity"`` (K even, K odd; one block if no state has odd K) or ``"full"``.
        Exact Python integers: the coefficients of Π_j (1 + x + … + x^{d_j − 1}).
        """
        if kind == "full":
            return [self.dim]
        if self.is_qubits:
            counts = [comb(self.n, k) for k in range(self.n + 1)]
        else:
            # Object arrays keep the counts exact (they exceed int64 beyond ~60 qubits).
            poly = np.ones(1, dtype=object)
            for d in self.dims:
                poly = np.convolve(poly, np.ones(d, dtype=object))
            counts = [int(c) for c in poly]
        if kind == "magnetization":
            return counts
        if kind == "parity":
            even, odd = sum(counts[0::2]), sum(counts[1::2])
            return [even, odd] if odd else [even]
        raise ValueError(f"unknown block kind {kind!r}")

    def steady_sector_dim(self, kind: str) -> int:
        """Σ_b (block size)²: complex entries of a block-diagonal operator (exact)."""
        return sum(c * c for c in self.block_sizes(kind))


def _short(value: int) -> str:
    return f"{float(value):.3g}" if value > 10**9 else str(value)
