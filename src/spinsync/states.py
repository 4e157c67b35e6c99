"""Density matrices in the representations the solvers produce.

* :class:`BlockState` — ρ stored as blocks ρ_bb′ over a :class:`~spinsync.basis.BlockBasis`
  (missing blocks are zero). Steady states are block diagonal; dynamics from a GHZ
  state adds off-diagonal blocks. Pair measures never need the full 4ᴺ matrix.
* :class:`ProductState` — ⊗_j ρ_j, for the analytic no-go state at any N.

Both offer ``reduced(qubits)``, ``trace()``, ``frobenius_norm()`` and ``to_dense()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Protocol, Sequence, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from .basis import BlockBasis, bit_of
from .errors import ModelError
from .resources import check_memory

__all__ = ["QubitState", "BlockState", "ProductState", "product_of_bloch"]

Pair = tuple[int, int]


@runtime_checkable
class QubitState(Protocol):
    """What the measures need from a state of N qubits."""

    @property
    def n(self) -> int: ...

    def reduced(self, qubits: Sequence[int]) -> NDArray[np.complex128]: ...

    def trace(self) -> complex: ...

    def to_dense(self) -> NDArray[np.complex128]: ...


def _check_subset(qubits: Sequence[int], n: int) -> list[int]:
    qs = [int(q) for q in qubits]
    if len(set(qs)) != len(qs):
        raise ModelError(f"qubits = {qs}: repeated index")
    for q in qs:
        if not 0 <= q < n:
            raise ModelError(f"qubit {q} out of range [0, {n - 1}]")
    return qs


@dataclass(eq=False)
class BlockState:
    """ρ as a dict of blocks ``{(ket_block, bra_block): matrix}`` over ``basis``."""

    basis: BlockBasis
    blocks: dict[Pair, NDArray[np.complex128]]

    @property
    def n(self) -> int:
        return self.basis.n

    @classmethod
    def from_dense(cls, rho: NDArray[np.complex128], basis: BlockBasis | None = None) -> "BlockState":
        """Split a dense 2ᴺ×2ᴺ matrix into the blocks of ``basis`` (default: one block)."""
        dim = rho.shape[0]
        n = int(round(np.log2(dim)))
        if basis is None:
            basis = BlockBasis.build(n, "full")
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
        """Eigenvalues of the Hermitian part (block by block when block diagonal)."""
        if self.is_block_diagonal:
            vals = [np.linalg.eigvalsh((m + m.conj().T) / 2) for m in self.blocks.values()]
            missing = sum(self.basis.sizes) - sum(m.shape[0] for m in self.blocks.values())
            return np.sort(np.concatenate(vals + [np.zeros(missing)]))
        dense = self.to_dense()
        return np.linalg.eigvalsh((dense + dense.conj().T) / 2)

    def to_dense(self) -> NDArray[np.complex128]:
        dim = 2**self.n
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
        """Populations ⟨s|ρ|s⟩ for all 2ᴺ basis states (length 2ᴺ)."""
        out = np.zeros(2**self.n)
        for (b, c), m in self.blocks.items():
            if b == c:
                out[self.basis.states[b]] = np.real(np.diag(m))
        return out

    def reduced(self, qubits: Sequence[int]) -> NDArray[np.complex128]:
        """Reduced density matrix of ``qubits`` (in the given order), 2ᵏ×2ᵏ.

        Works block by block: for each stored block it gathers the entries whose ket
        and bra agree on all other qubits. Memory ~ (block rows) × 4ᵏ.
        """
        qs = _check_subset(qubits, self.n)
        k = len(qs)
        n = self.n
        local_dim = 2**k
        out = np.zeros((local_dim, local_dim), dtype=complex)
        mask = sum(1 << (n - 1 - q) for q in qs)

        def split(states: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
            local = np.zeros(states.size, dtype=np.int64)
            for i, q in enumerate(qs):
                local |= bit_of(states, q, n) << (k - 1 - i)
            return states & ~mask, local

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


@dataclass(eq=False)
class ProductState:
    """ρ = ρ_0 ⊗ ρ_1 ⊗ … with ``factors`` of shape (N, 2, 2)."""

    factors: NDArray[np.complex128]

    @property
    def n(self) -> int:
        return int(self.factors.shape[0])

    def trace(self) -> complex:
        return complex(np.prod(np.trace(self.factors, axis1=1, axis2=2)))

    def frobenius_norm(self) -> float:
        return float(np.exp(0.5 * np.sum(np.log(np.sum(np.abs(self.factors) ** 2, axis=(1, 2))))))

    def hermiticity_error(self) -> float:
        return float(np.max(np.abs(self.factors - self.factors.conj().transpose(0, 2, 1))))

    def min_eigenvalue(self) -> float:
        """Smallest eigenvalue of ⊗ρ_j without forming it (product of local spectra)."""
        local = np.linalg.eigvalsh((self.factors + self.factors.conj().transpose(0, 2, 1)) / 2)
        if np.all(local >= 0):
            return float(np.prod(local[:, 0]))
        # Some factor is indefinite: its negative eigenvalue times the others' largest.
        j = int(np.argmin(local[:, 0]))
        others = np.delete(np.max(np.abs(local), axis=1), j)
        return float(local[j, 0] * np.prod(others))

    def reduced(self, qubits: Sequence[int]) -> NDArray[np.complex128]:
        qs = _check_subset(qubits, self.n)
        if not qs:
            return np.ones((1, 1), dtype=complex)
        return reduce(np.kron, [self.factors[q] for q in qs])

    def to_dense(self) -> NDArray[np.complex128]:
        dim = 2**self.n
        check_memory(16 * dim * dim, what=f"a dense {dim}×{dim} density matrix")
        return self.reduced(range(self.n))

    def to_blocks(self, basis: BlockBasis) -> BlockState:
        """Block form; needs every factor diagonal (true for the no-go ρ₀)."""
        if np.any(self.factors[:, 0, 1] != 0) or np.any(self.factors[:, 1, 0] != 0):
            raise ValueError("to_blocks needs diagonal factors")
        blocks = {}
        up = self.factors[:, 0, 0].real
        down = self.factors[:, 1, 1].real
        for b, states in enumerate(basis.states):
            weights = np.ones(states.size)
            for j in range(self.n):
                weights *= np.where(bit_of(states, j, self.n) == 1, down[j], up[j])
            blocks[(b, b)] = np.diag(weights).astype(complex)
        return BlockState(basis, blocks)


def product_of_bloch(vectors: NDArray[np.float64]) -> ProductState:
    """⊗_j (I + r_j·σ)/2 from Bloch vectors of shape (N, 3), |r_j| ≤ 1."""
    r = np.asarray(vectors, dtype=float)
    if r.ndim != 2 or r.shape[1] != 3:
        raise ModelError(f"Bloch vectors: expected shape (N, 3), got {r.shape}")
    norms = np.linalg.norm(r, axis=1)
    if np.any(~np.isfinite(norms)) or np.any(norms > 1 + 1e-12):
        i = int(np.flatnonzero(~(norms <= 1 + 1e-12))[0])
        raise ModelError(f"Bloch vector {i} = {r[i].tolist()}: length must be ≤ 1")
    x, y, z = r.T
    factors = 0.5 * np.stack(
        [np.stack([1 + z, x - 1j * y], -1), np.stack([x + 1j * y, 1 - z], -1)], -2
    )
    return ProductState(factors.astype(complex))
