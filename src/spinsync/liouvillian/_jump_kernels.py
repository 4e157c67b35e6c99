"""numba kernel for the monomial jumps of :mod:`spinsync.liouvillian.matrixfree` (imported on use).

A monomial jump c_k maps basis state a of block b to one state of its target block with
weight w_a. On a block pair (b, c) it sends X[a, a′] to X′[dst(a), dst′(a′)] with weight
w_a·w̄′_{a′} — a 2-D gather–scatter described by four 1-D index arrays and two weight
vectors, O(n_b + n_c) numbers per jump instead of the O(n_b·n_c) entries of a sparse matrix
(12 bytes each: 3.8 GB at N = 14, where the Krylov basis needs the room).

Jumps run one after another; the rows of one jump run in parallel (``prange``): a jump's
row map is injective, so no two threads write the same row. Sums over jumps keep their order,
so results do not depend on the number of threads.
"""

from __future__ import annotations

import numba as nb

__all__ = ["apply_jumps"]


@nb.njit(parallel=True, cache=True)
def apply_jumps(y, out, meta, ket_src, ket_dst, ket_w, bra_src, bra_dst, bra_w):  # pragma: no cover
    """out += Σ_jumps (gather–scatter of y), in place.

    ``meta[k]`` = (source offset, source row length, target offset, target row length,
    ket start, ket count, bra start, bra count) of jump k into the flat vectors and the
    concatenated index/weight arrays.
    """
    for k in range(meta.shape[0]):
        src_off, src_len, dst_off, dst_len = meta[k, 0], meta[k, 1], meta[k, 2], meta[k, 3]
        k0, nk, b0, nb_ = meta[k, 4], meta[k, 5], meta[k, 6], meta[k, 7]
        for i in nb.prange(nk):
            a = k0 + i
            w = ket_w[a]
            row_in = src_off + ket_src[a] * src_len
            row_out = dst_off + ket_dst[a] * dst_len
            for j in range(nb_):
                b = b0 + j
                out[row_out + bra_dst[b]] += w * bra_w[b] * y[row_in + bra_src[b]]
