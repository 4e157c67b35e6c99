"""numba kernels of :class:`~spinsync.liouvillian.tensor.TensorLiouvillian` (imported on first use).

Both kernels run over rows in parallel (``prange``); each writes only its own rows
(``rows_pass``) or its own columns (``add_transposed_commutator``), so there are no races.
Floating-point reassociation is allowed inside a row (sums of ≲ N + 2 terms), nothing else.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import numba as nb
import numpy as np

__all__ = ["rows_pass", "add_transposed_commutator", "hermitian_from_real", "set_threads"]

_FLAGS = {"reassoc", "contract"}

#: Below this stride the column loop of a jump runs over blocks (strided) instead of runs.
_SHORT_RUN = 8


@contextlib.contextmanager
def set_threads(threads: int | None) -> Iterator[None]:
    """Run the kernels with ``threads`` threads (None: numba's default), then restore."""
    if threads is None:
        yield
        return
    previous = nb.get_num_threads()
    nb.set_num_threads(max(1, min(int(threads), nb.config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        nb.set_num_threads(previous)


@nb.njit(parallel=True, fastmath=_FLAGS, cache=True)
def rows_pass(y, out, g, diagonal, kp, ki, kv, stride, dim, delta, weight,
              pairs):  # pragma: no cover
    """out = −½(g_r + g_c)Y + Σ_k (v_k v_kᵀ)⊙Y + K_I,off Y + Y K_I,offᵀ + local jumps."""
    d = y.shape[0]
    has_ki = kp[d] > 0
    for r in nb.prange(d):
        gr = g[r]
        orow = out[r]
        yrow = y[r]
        for c in range(d):
            orow[c] = -0.5 * (gr + g[c]) * yrow[c]
        for k in range(diagonal.shape[0]):
            vr = diagonal[k, r]
            if vr != 0.0:
                vk = diagonal[k]
                for c in range(d):
                    orow[c] += vr * vk[c] * yrow[c]
        if has_ki:
            for q in range(kp[r], kp[r + 1]):
                v = kv[q]
                ylrow = y[ki[q]]
                for c in range(d):
                    orow[c] += v * ylrow[c]
            for c in range(d):
                acc = 0.0
                for q in range(kp[c], kp[c + 1]):
                    acc += kv[q] * yrow[ki[q]]
                orow[c] += acc
        for p in range(pairs.shape[0]):
            k1 = pairs[p, 0]
            k2 = pairs[p, 1]
            s1 = stride[k1]
            w1 = weight[k1, (r // s1) % dim[k1]]
            if w1 == 0.0:
                continue
            src = y[r - delta[k1] * s1]
            s2 = stride[k2]
            d2 = dim[k2]
            off = delta[k2] * s2
            span = s2 * d2
            nblocks = d // span
            for b in range(d2):
                w = w1 * weight[k2, b]
                if w == 0.0:
                    continue
                if s2 >= _SHORT_RUN:
                    for blk in range(nblocks):
                        c0 = blk * span + b * s2
                        for t in range(s2):
                            orow[c0 + t] += w * src[c0 + t - off]
                else:
                    for t in range(s2):
                        c0 = b * s2 + t
                        for blk in range(nblocks):
                            c = c0 + blk * span
                            orow[c] += w * src[c - off]
    return out


@nb.njit(parallel=True, fastmath=_FLAGS, cache=True)
def add_transposed_commutator(y, out, kp, ki, kv, block):  # pragma: no cover
    """out += Qᵀ with Q = K Y − Y Kᵀ, ``block`` rows of Q at a time (no D×D transpose).

    For rows r0 … r0 + b − 1: K Y by streamed rows of Y into ``buf`` (b × D); Y Kᵀ from the
    rows' transpose ``yb`` (D × b), so that each entry of K is read once per block and
    feeds a b-wide contiguous update of ``bt`` (D × b), which is already in the layout of
    the transposed write into ``out``.
    """
    d = y.shape[0]
    nblk = (d + block - 1) // block
    for ib in nb.prange(nblk):
        r0 = ib * block
        nr = min(d, r0 + block) - r0
        buf = np.zeros((nr, d))
        yb = np.empty((d, nr))
        acc = np.empty(nr)
        for rr in range(nr):
            r = r0 + rr
            row = buf[rr]
            yrow = y[r]
            for c in range(d):
                yb[c, rr] = yrow[c]
            for q in range(kp[r], kp[r + 1]):
                v = kv[q]
                ylrow = y[ki[q]]
                for c in range(d):
                    row[c] += v * ylrow[c]
        for c in range(d):
            ocol = out[c]
            acc[:] = 0.0
            for q in range(kp[c], kp[c + 1]):
                v = kv[q]
                ybl = yb[ki[q]]
                for rr in range(nr):
                    acc[rr] += v * ybl[rr]
            for rr in range(nr):
                ocol[r0 + rr] += buf[rr, c] - acc[rr]
    return out


@nb.njit(parallel=True, cache=True)
def hermitian_from_real(y, out, block):  # pragma: no cover
    """out = (Y + Yᵀ)/2 + i(Y − Yᵀ)/2 (complex D×D) by square tiles (no strided sweeps)."""
    d = y.shape[0]
    nblk = (d + block - 1) // block
    for ib in nb.prange(nblk):
        r0 = ib * block
        r1 = min(d, r0 + block)
        for c0 in range(0, d, block):
            c1 = min(d, c0 + block)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    a = y[r, c]
                    b = y[c, r]
                    out[r, c] = complex(0.5 * (a + b), 0.5 * (a - b))
    return out
