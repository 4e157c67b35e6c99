"""numba kernel for the coherent and decay part of one Hermitian block (imported on use).

For a real symmetric sparse Hamiltonian block H (CSR), a diagonal decay Γ = diag(d) and the
real coordinates Y of a Hermitian block (:mod:`spinsync.liouvillian.hermitian`),

    L_R[Y] = Yᵀ H − H Yᵀ − ½(Γ Y + Y Γ) = (H Y − Y H)ᵀ − ½(d_i + d_j) Y_ij

(Hᵀ = H), with both products in the fast direction of a sparse H times a dense matrix —
rows of the result as axpys of contiguous rows — since (H Y − Y H)ᵀ = (H Y)ᵀ − H Yᵀ:

1. per chunk of rows i (parallel): row i of Yᵀ into a work array (a tiled transpose), and
   rows i of H Y into a small buffer, written transposed with the decay into the output;
2. per row j (parallel): out_j −= Σ_k H_jk (Yᵀ)_k.

SciPy does the same products on one thread, through two n×n temporaries, a transposed copy
and three more passes for the decay. Each output entry is summed by one thread in a fixed
order, so results do not depend on the number of threads.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["commutator_decay"]

#: Rows per chunk of step 1: the transposed writes then store this many contiguous entries
#: of each row (16 doubles: two cache lines), and the buffer stays in L2 (16·n·8 bytes).
_ROWS = 16


@nb.njit(parallel=True, cache=True)
def commutator_decay(indptr, indices, data, decay, y, out, work):  # pragma: no cover
    """out = (H y − y H)ᵀ − ½(d_i + d_j) y for n×n C-contiguous ``y`` and ``out``;
    ``work`` (at least n·n entries) receives yᵀ."""
    n = y.shape[0]
    yt = work[: n * n].reshape((n, n))
    chunks = (n + _ROWS - 1) // _ROWS
    for c in nb.prange(chunks):
        i0 = c * _ROWS
        i1 = min(n, i0 + _ROWS)
        for j in range(n):
            for i in range(i0, i1):
                yt[i, j] = y[j, i]
        buf = np.zeros((i1 - i0, n))
        for i in range(i0, i1):
            row = buf[i - i0]
            for p in range(indptr[i], indptr[i + 1]):
                k = indices[p]
                h = data[p]
                for j in range(n):
                    row[j] += h * y[k, j]
        for j in range(n):
            dj = decay[j]
            for i in range(i0, i1):
                out[j, i] = buf[i - i0, j] - 0.5 * (dj + decay[i]) * y[j, i]
    for j in nb.prange(n):
        for p in range(indptr[j], indptr[j + 1]):
            k = indices[p]
            h = data[p]
            for i in range(n):
                out[j, i] -= h * yt[k, i]
