"""Real coordinates of Hermitian operators in a sector of diagonal block pairs.

For a Hermitian block X = S + iA (S real symmetric, A real antisymmetric) the real matrix
Y = Re X + Im X = S + A determines X (S = (Y + Yᵀ)/2, A = (Y − Yᵀ)/2), has the same number
of entries, and ‖Y‖_F = ‖X‖_F (S ⊥ A), so norms and residuals carry over and the trace is
the trace of Y. The Liouvillian maps Hermitian operators to Hermitian operators, so in
these coordinates it is a real linear map: half the memory of complex vectors and real
arithmetic only. This module is the one implementation of the coordinates, used by the
matrix-free operator, the dynamics and the batched sweep solver.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .sector import OperatorSector

__all__ = ["to_real", "to_complex", "transpose_index", "embedding", "real_operator"]


def _require_diagonal(sector: OperatorSector) -> None:
    if not sector.is_diagonal:
        raise ValueError("the Hermitian form needs a sector of diagonal pairs (b, b)")


def to_real(sector: OperatorSector, x: Any, xp: Any = np) -> Any:
    """Y = Re X + Im X of a Hermitian block-diagonal sector vector."""
    _require_diagonal(sector)
    x = xp.asarray(x)
    return xp.ascontiguousarray(x.real + x.imag)


def to_complex(sector: OperatorSector, y: Any, xp: Any = np) -> Any:
    """Inverse of :func:`to_real`: X = (Y + Yᵀ)/2 + i (Y − Yᵀ)/2, block by block.

    ``y`` may carry leading batch axes (shape (..., D)).
    """
    _require_diagonal(sector)
    y = xp.asarray(y, dtype=float)
    out = xp.empty(y.shape, dtype=complex)
    sizes = sector.basis.sizes
    for p, (b, _) in enumerate(sector.pairs):
        o0, o1 = int(sector.offsets[p]), int(sector.offsets[p + 1])
        d = sizes[b]
        blk = y[..., o0:o1].reshape(*y.shape[:-1], d, d)
        blk_t = xp.swapaxes(blk, -1, -2)
        out[..., o0:o1] = ((blk + blk_t) / 2 + 0.5j * (blk - blk_t)).reshape(*y.shape[:-1], d * d)
    return out


def transpose_index(sector: OperatorSector) -> NDArray[np.int64]:
    """Index map i ↦ position of the transposed entry inside its block (Yᵀ = Y[index])."""
    _require_diagonal(sector)
    sizes = sector.basis.sizes
    parts = []
    for p, (b, _) in enumerate(sector.pairs):
        d = sizes[b]
        a, a2 = np.divmod(np.arange(d * d), d)
        parts.append(sector.offsets[p] + a2 * d + a)
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def embedding(sector: OperatorSector) -> sp.csr_matrix:
    """Sparse complex P with X = P Y: P = ((1+i) I + (1−i) T)/2, T the in-block transpose."""
    dim = sector.dim
    cols = np.arange(dim)
    trans = transpose_index(sector)
    return sp.coo_matrix(
        (np.concatenate([np.full(dim, 0.5 + 0.5j), np.full(dim, 0.5 - 0.5j)]),
         (np.concatenate([cols, trans]), np.concatenate([cols, cols]))),
        shape=(dim, dim),
    ).tocsr()


def real_operator(liouvillian: sp.spmatrix, sector: OperatorSector) -> sp.csr_matrix:
    """The real matrix L_R = (Re + Im)(L P) of a Hermiticity-preserving sector map L.

    About the nonzeros of L, acting on real vectors; the coherent terms cancel exactly in
    pairs (h/2 − h/2), and the explicit zeros this leaves are removed.
    """
    product = (sp.csr_matrix(liouvillian) @ embedding(sector)).tocsr()
    real = sp.csr_matrix((product.data.real + product.data.imag, product.indices, product.indptr),
                         shape=product.shape)
    real.eliminate_zeros()
    return real
