"""Density matrices stored as symmetry blocks.

:class:`BlockState` holds ρ as blocks ρ_bc over a :class:`~spinsync.operators.basis.BlockBasis`
(missing blocks are zero). Steady states are block diagonal; dynamics from a GHZ state adds
off-diagonal blocks. Reduced density matrices are gathered block by block, so pair
measures never need the full D×D matrix.

The basis order is that of :mod:`spinsync.operators.space`: site 0 is the leftmost tensor
factor, local basis |s, s⟩ … |s, −s⟩ (qubits |↑⟩, |↓⟩).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.basis import BlockBasis
from ..operators.space import Space
from ..resources import check_memory

__all__ = ["State", "QubitState", "BlockState", "check_sites"]

Pair = tuple[int, int]


@runtime_checkable
class State(Protocol):
    """What the measures need from a state of N sites."""

    @property
    def n(self) -> int: ...

    @property
    def dims(self) -> tuple[int, ...]: ...

    def reduced(self, sites: Sequence[int]) -> NDArray[np.complex128]: ...

    def trace(self) -> complex: ...

    def to_dense(self) -> NDArray[np.complex128]: ...


#: Older name of :class:`State` (the protocol is the same for qubits and spins).
QubitState = State


def check_sites(sites: Sequence[int], n: int, label: str = "site") -> list[int]:
    """Distinct site indices in [0, n − 1], as ints (``label``: "qubit" or "site" in messages)."""
    qs = [int(q) for q in sites]
    if len(set(qs)) != len(qs):
        raise ModelError(f"{label}s = {qs}: repeated index")
    for q in qs:
        if not 0 <= q < n:
            raise ModelError(f"{label} {q} out of range [0, {n - 1}]")
    return qs


def _space_for_dense(dim: int, dims: Sequence[int] | Space | None) -> Space:
    if dims is not None:
        space = Space.of(dims)
        if space.dim != dim:
            raise ModelError(f"density matrix of dimension {dim} for local dimensions "
                             f"{space.dims} (product {space.dim})")
        return space
    n = int(round(np.log2(dim))) if dim > 0 else -1
    if dim < 2 or 2**n != dim:
        raise ModelError(f"density matrix of dimension {dim} is not 2ᴺ: give the local dimensions")
    return Space.qubits(n)


@dataclass(eq=False)
class BlockState:
    """ρ as a dict of blocks ``{(ket_block, bra_block): matrix}`` over ``basis``."""

    basis: BlockBasis
    blocks: dict[Pair, NDArray[np.complex128]]

    @property
    def n(self) -> int:
        return self.basis.n

    @property
    def dims(self) -> tuple[int, ...]:
        return self.basis.dims

    @property
    def dim(self) -> int:
        return self.basis.dim

    @classmethod
    def from_dense(cls, rho: NDArray[np.complex128], basis: BlockBasis | None = None,
                   dims: Sequence[int] | Space | None = None) -> "BlockState":
        """Split a dense D×D matrix into the blocks of ``basis`` (default: one block).

        ``dims`` are the local dimensions when no basis is given (default: qubits).
        """
        rho = np.asarray(rho)
        if basis is None:
            basis = BlockBasis.build(_space_for_dense(rho.shape[0], dims), "full")
        blocks = {}
        for b, sb in enumerate(basis.states):
            for c, sc in enumerate(basis.states):
                block = rho[np.ix_(sb, sc)]
                if np.any(block != 0):
                    blocks[(b, c)] = np.array(block, dtype=complex)
        return cls(basis, blocks)

    @property
    def is_block_diagonal(self) -> bool:
        return all(b == c for b, c in self.blocks)

    def trace(self) -> complex:
        return complex(sum(np.trace(m) for (b, c), m in self.blocks.items() if b == c))

    def frobenius_norm(self) -> float:
        return float(np.sqrt(sum(np.vdot(m, m).real for m in self.blocks.values())))

    def hermiticity_error(self) -> float:
        """max |ρ − ρ†| over all stored entries."""
        err = 0.0
        for (b, c), m in self.blocks.items():
            partner = self.blocks.get((c, b))
            other = np.zeros_like(m) if partner is None else partner.conj().T
            if m.size:
                err = max(err, float(np.max(np.abs(m - other))))
        return err

    def min_eigenvalue(self) -> float:
        """Smallest eigenvalue of the Hermitian part."""
        return float(self.eigenvalues()[0])

    def eigenvalues(self) -> NDArray[np.float64]:
        """Eigenvalues of the Hermitian part (block by block, per connected group of blocks)."""
        from .layout import BlockLayout

        layout = BlockLayout.from_pairs(self.basis, self.blocks.keys())
        vals = layout.eigenvalues(self.blocks)
        missing = self.dim - sum(layout.dimension(c) for c in layout.components)
        return np.sort(np.concatenate([vals, np.zeros(missing)]))

    def to_dense(self) -> NDArray[np.complex128]:
        dim = self.dim
        check_memory(16 * dim * dim, what=f"a dense {dim}×{dim} density matrix")
        out = np.zeros((dim, dim), dtype=complex)
        for (b, c), m in self.blocks.items():
            out[np.ix_(self.basis.states[b], self.basis.states[c])] = m
        return out

    def hermitized(self) -> "BlockState":
        """(ρ + ρ†)/2, filling missing partner blocks."""
        pairs = set(self.blocks) | {(c, b) for b, c in self.blocks}
        out = {}
        for b, c in pairs:
            m = self.blocks.get((b, c))
            partner = self.blocks.get((c, b))
            a = np.zeros((self.basis.sizes[b], self.basis.sizes[c]), complex) if m is None else m
            p = np.zeros_like(a) if partner is None else partner.conj().T
            out[(b, c)] = (a + p) / 2
        return BlockState(self.basis, out)

    def diagonal(self) -> NDArray[np.float64]:
        """Populations ⟨s|ρ|s⟩ for all D basis states."""
        out = np.zeros(self.dim)
        for (b, c), m in self.blocks.items():
            if b == c:
                out[self.basis.states[b]] = np.real(np.diag(m))
        return out

    def reduced(self, sites: Sequence[int]) -> NDArray[np.complex128]:
        """Reduced density matrix of ``sites`` (in the given order), Π d × Π d.

        Works block by block: for each stored block it gathers the entries whose ket and
        bra agree on all other sites. Memory ~ (block rows) × (Π d)².
        """
        space = self.basis.space
        qs = check_sites(sites, self.n, "qubit" if space.is_qubits else "site")
        local_dims = [space.dims[q] for q in qs]
        local_dim = int(np.prod(local_dims)) if qs else 1
        out = np.zeros((local_dim, local_dim), dtype=complex)
        local_strides = np.ones(len(qs), dtype=np.int64)
        for i in range(len(qs) - 2, -1, -1):
            local_strides[i] = local_strides[i + 1] * local_dims[i + 1]

        def split(states: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
            rest = states.copy()
            local = np.zeros(states.size, dtype=np.int64)
            for i, q in enumerate(qs):
                a = space.digit(states, q)
                local += a * local_strides[i]
                rest -= a * space.strides[q]
            return rest, local

        for (b, c), m in self.blocks.items():
            ket_rest, ket_local = split(self.basis.states[b])
            bra_rest, bra_local = split(self.basis.states[c])
            rests, inverse = np.unique(np.concatenate([ket_rest, bra_rest]), return_inverse=True)
            ket_id, bra_id = inverse[: ket_rest.size], inverse[ket_rest.size :]
            ket_table = np.full((rests.size, local_dim), -1, dtype=np.int64)
            bra_table = np.full((rests.size, local_dim), -1, dtype=np.int64)
            ket_table[ket_id, ket_local] = np.arange(ket_rest.size)
            bra_table[bra_id, bra_local] = np.arange(bra_rest.size)
            rows = ket_table[:, :, None]
            cols = bra_table[:, None, :]
            valid = (rows >= 0) & (cols >= 0)
            gathered = m[np.where(rows >= 0, rows, 0), np.where(cols >= 0, cols, 0)]
            out += np.where(valid, gathered, 0).sum(axis=0)
        return out
