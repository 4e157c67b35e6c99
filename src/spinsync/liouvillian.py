"""The Liouvillian of Eq. (2) as a sparse matrix on an operator sector.

An *operator sector* is a list of block pairs (ket block b, bra block b′); the
operators it holds are the matrices X_bb′ = P_b X P_b′. The Liouvillian maps

* X_bb′ to itself through −i(H_eff X − X H_effᴴ), H_eff = H − (i/2) Σ c†c, and
* X_bb′ to X_tt′ through each jump c X c†, where c maps block b to t and b′ to t′.

With magnetization blocks the sectors of fixed q = b′ − b (difference of down-spin
counts of bra and ket) are invariant; the steady state lives in q = 0. With parity
blocks, q = 0 (equal parity of ket and bra) holds the steady state.

Vectorization is row-major inside each block pair: X_bb′[a, a′] sits at
``offset[p] + a·dim(b′) + a′``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .basis import BlockBasis
from .model import Network
from .operators import collapse_rates, decay_diagonal, hamiltonian_blocks, jump_map

__all__ = ["OperatorSector", "sector_liouvillian", "full_liouvillian", "choose_blocks"]


def choose_blocks(network: Network) -> BlockBasis:
    """Magnetization blocks when Uˣ = Uʸ on every bond, parity blocks otherwise."""
    return BlockBasis.build(network.n, "magnetization" if network.is_xxz else "parity")


@dataclass(frozen=True, eq=False)
class OperatorSector:
    """Block pairs spanned by an operator sector, with their offsets in a flat vector."""

    basis: BlockBasis
    pairs: tuple[tuple[int, int], ...]
    offsets: NDArray[np.int64]

    @classmethod
    def from_pairs(cls, basis: BlockBasis, pairs: list[tuple[int, int]]) -> "OperatorSector":
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
        """Block pairs (b, b + q) (magnetization blocks) or (b, b XOR q) (parity)."""
        nb = basis.num_blocks
        if basis.kind == "parity":
            pairs = [(b, b ^ (q % 2)) for b in range(nb)]
        else:
            pairs = [(b, b + q) for b in range(nb) if 0 <= b + q < nb]
        return cls.from_pairs(basis, pairs)

    @property
    def dim(self) -> int:
        """Number of complex entries in the sector."""
        return int(self.offsets[-1])

    def index_of(self, pair: tuple[int, int]) -> int:
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

    def split(self, vec: NDArray[np.complex128]) -> dict[tuple[int, int], NDArray[np.complex128]]:
        """Flat vector → dict of block matrices."""
        sizes = self.basis.sizes
        return {
            (b, c): vec[self.offsets[p] : self.offsets[p + 1]].reshape(sizes[b], sizes[c])
            for p, (b, c) in enumerate(self.pairs)
        }

    def join(self, blocks: dict[tuple[int, int], NDArray[np.complex128]]) -> NDArray[np.complex128]:
        """Dict of block matrices → flat vector (missing pairs are zero)."""
        out = np.zeros(self.dim, dtype=complex)
        for p, pair in enumerate(self.pairs):
            if pair in blocks:
                out[self.offsets[p] : self.offsets[p + 1]] = np.asarray(blocks[pair]).ravel()
        return out


def sector_liouvillian(network: Network, sector: OperatorSector) -> sp.csr_matrix:
    """Sparse matrix of the Liouvillian restricted to ``sector`` (which it must leave invariant).

    Memory is of order 16 bytes × (N_bonds + 2N + 1) × sector.dim.
    """
    basis = sector.basis
    sizes = basis.sizes
    h_blocks = hamiltonian_blocks(network, basis)
    decay = [decay_diagonal(network, s) for s in basis.states]
    gain_rate, damp_rate = collapse_rates(network)
    pair_index = {pair: p for p, pair in enumerate(sector.pairs)}
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.complex128]] = []

    def place(block: sp.spmatrix, row_pair: int, col_pair: int) -> None:
        coo = sp.coo_matrix(block)
        rows.append(coo.row.astype(np.int64) + sector.offsets[row_pair])
        cols.append(coo.col.astype(np.int64) + sector.offsets[col_pair])
        vals.append(coo.data.astype(complex))

    for p, (b, c) in enumerate(sector.pairs):
        eye_b = sp.identity(sizes[b], format="csr")
        eye_c = sp.identity(sizes[c], format="csr")
        # Row-major vec: vec(A X B) = (A ⊗ Bᵀ) vec(X).
        coherent = -1j * (sp.kron(h_blocks[b], eye_c) - sp.kron(eye_b, h_blocks[c].T))
        no_jump = sp.diags(-0.5 * (decay[b][:, None] + decay[c][None, :]).ravel())
        place(coherent + no_jump, p, p)
        for j in range(network.n):
            for lowering, rate in ((True, damp_rate[j]), (False, gain_rate[j])):
                if rate == 0.0:
                    continue
                ket = jump_map(basis, j, lowering, b)
                bra = jump_map(basis, j, lowering, c)
                if ket is None or bra is None:
                    continue
                target = pair_index.get((ket[0], bra[0]))
                if target is None:
                    raise ValueError(f"sector is not invariant: jump leaves pair {(b, c)}")
                # c X c† moves entry (a, a′) of pair p to (A a, A′ a′) of the target pair
                # with weight `rate` (the 0/1 maps A, A′ of σ±): index arithmetic, no kron.
                target_cols = sizes[bra[0]]
                dst = sector.offsets[target] + ket[2][:, None] * target_cols + bra[2][None, :]
                src = sector.offsets[p] + ket[1][:, None] * sizes[c] + bra[1][None, :]
                rows.append(dst.ravel())
                cols.append(src.ravel())
                vals.append(np.full(ket[1].size * bra[1].size, rate, dtype=complex))
    if not rows:
        return sp.csr_matrix((sector.dim, sector.dim), dtype=complex)
    total = sp.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(sector.dim, sector.dim),
    )
    return total.tocsr()


def full_liouvillian(network: Network) -> sp.csr_matrix:
    """The Liouvillian on all 4ᴺ operators (row-major vec of ρ). For tests and small N."""
    basis = BlockBasis.build(network.n, "full")
    return sector_liouvillian(network, OperatorSector.steady(basis))
