"""The Liouvillian as a sparse matrix on an operator sector.

For each block pair (b, c) of the sector, with H_eff = H − (i/2)Γ and Γ = Σ_k c_k†c_k,

    L[X]_bc  = −i(H_b X − X H_c) − ½(Γ_b X + X Γ_c)
    L[X]_tt′ += C_k,b X C_k,cᴴ       for every jump c_k (b → t on the ket, c → t′ on the bra)

in the row-major vectorization of :mod:`spinsync.liouvillian.sector`
(vec(A X B) = (A ⊗ Bᵀ) vec X). Monomial jumps (σ±_j, J±_j, σᶻ_j, …) are placed by index
arithmetic, general ones (collective channels) by Kronecker products.

Memory: of order 16 bytes × nnz; nnz ≈ dim × (1 + 2·(flip terms of H per row) + jumps).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..operators.blocks import BlockOperators, JumpBlock, block_basis, block_operators
from ..operators.terms import Terms
from .sector import OperatorSector

__all__ = ["sector_liouvillian", "full_liouvillian", "terms_of", "sector_jumps"]


def terms_of(model: Any) -> Terms:
    """The :class:`Terms` of a network (its ``.terms``) or of a Terms object itself."""
    return model if isinstance(model, Terms) else model.terms


def sector_jumps(
    ops: BlockOperators, sector: OperatorSector
) -> list[list[tuple[int, JumpBlock, JumpBlock]]]:
    """Per pair p = (b, c): ``(target pair index, ket jump block, bra jump block)`` of each jump.

    Raises ValueError when a jump leaves the sector (it is then not invariant).
    """
    pair_index = {pair: p for p, pair in enumerate(sector.pairs)}
    table = []
    for b, c in sector.pairs:
        kets = ops.jumps_from(b)
        bras = {jb.label: jb for jb in ops.jumps_from(c)}
        row = []
        for ket in kets:
            bra = bras.get(ket.label)
            if bra is None:
                continue
            target = pair_index.get((ket.target, bra.target))
            if target is None:
                raise ValueError(f"sector is not invariant: a jump leaves pair {(b, c)}")
            row.append((target, ket, bra))
        table.append(row)
    return table


def sector_liouvillian(model: Any, sector: OperatorSector) -> sp.csr_matrix:
    """Sparse matrix of the Liouvillian restricted to ``sector`` (which it must leave invariant).

    Parameters
    ----------
    model
        A :class:`~spinsync.model.Network` or its compiled :class:`Terms`.
    sector
        Block pairs over a basis whose symmetry the model keeps.
    """
    ops = block_operators(terms_of(model), sector.basis)
    basis = sector.basis
    sizes = basis.sizes
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
        hb, hc = ops.hamiltonian(b), ops.hamiltonian(c)
        gen = -1j * (sp.kron(hb, eye_c) - sp.kron(eye_b, hc.T))
        db, dc = ops.decay(b), ops.decay(c)
        if db.is_diagonal and dc.is_diagonal:
            gen = gen + sp.diags(-0.5 * (db.diagonal[:, None] + dc.diagonal[None, :]).ravel())
        else:
            gb = db.matrix if db.matrix is not None else sp.diags(db.diagonal)
            gc = dc.matrix if dc.matrix is not None else sp.diags(dc.diagonal)
            gen = gen - 0.5 * (sp.kron(gb, eye_c) + sp.kron(eye_b, sp.csr_matrix(gc).T))
        place(gen, p, p)
    for p, jumps in enumerate(sector_jumps(ops, sector)):
        b, c = sector.pairs[p]
        for target, ket, bra in jumps:
            tb, tc = sector.pairs[target]
            if ket.is_monomial and bra.is_monomial:
                # c X c† moves entry (a, a′) to (A a, A′ a′) with weight w_a w̄_a′.
                dst = sector.offsets[target] + ket.dst[:, None] * sizes[tc] + bra.dst[None, :]
                src = sector.offsets[p] + ket.src[:, None] * sizes[c] + bra.src[None, :]
                rows.append(dst.ravel())
                cols.append(src.ravel())
                vals.append((ket.weights[:, None] * np.conj(bra.weights)[None, :]).ravel())
            else:
                cb = ket.as_matrix(sizes[tb], sizes[b])
                cc = bra.as_matrix(sizes[tc], sizes[c])
                place(sp.kron(cb, cc.conj()), target, p)
    if not rows:
        return sp.csr_matrix((sector.dim, sector.dim), dtype=complex)
    total = sp.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(sector.dim, sector.dim),
    )
    return total.tocsr()


def full_liouvillian(model: Any) -> sp.csr_matrix:
    """The Liouvillian on all operators (row-major vec of ρ). For tests and small systems."""
    terms = terms_of(model)
    basis = block_basis(terms, "full")
    return sector_liouvillian(terms, OperatorSector.steady(basis))
