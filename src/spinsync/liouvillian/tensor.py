"""The Liouvillian on the whole space in real Hermitian coordinates, by compiled kernels.

For a model without symmetry (or one evolved on the full space) the state is one D×D
block, D = Π_j d_j, and the generic block operator of :mod:`.matrixfree` spends most of its
time in transposes and fancy-index gathers. This operator applies the same map, in the same
coordinates Y = Re X + Im X (:mod:`.hermitian`), in two fused passes compiled with numba.

With K = H − (i/2)Γ = K_R + iK_I (Γ = Σ_c c†c) and X Hermitian,

    L[X] = −i(KX − XK†) + Σ_c c X c†,
    L_R[Y] = P + Qᵀ + Σ_c J_c[Y],      P = K_I Y + Y K_Iᵀ,   Q = K_R Y − Y K_Rᵀ

(derived from L[X] = GX + (GX)† with G = −iK). Pass 1 writes the rows of P (its diagonal
part is −½(Γ_rr + Γ_cc)Y_rc elementwise) plus the jumps; pass 2 computes rows of Q — each a
sum of streamed rows of Y minus a sparse product with the (cached) row Y[r, :] — a few rows
at a time, and adds them transposed, so no D×D transpose is ever formed.

Jumps, sorted once from the compiled terms:

* *local* — c = I ⊗ A ⊗ I on one site with A real up to a global phase (σ±, σᶻ, J±, J±Jᶻ,
  Jᶻ, σʸ …, from a network or recognized in a matrix that came from outside:
  :func:`single_factor`): (A⊗I) Y (A⊗I)ᵀ applied by digit arithmetic on contiguous runs of
  columns, Σ_{δ,δ'} nnz-shift components;
* *diagonal* — c = diag(v), v real up to a phase (collective dephasing): (v vᵀ) ⊙ Y;
* *general* — anything else (collective lowering, complex multi-site operators): c X c†
  by two sparse products through the complex form.

Memory: the operator holds K (sparse) and the jump data, O(nnz + D); a call allocates one
D×D output and per thread a few rows of workspace. The kernels are compiled on first use
(a few seconds, then cached on disk by numba).

The result equals :class:`~spinsync.liouvillian.matrixfree.HermitianBlockLiouvillian` on the
full sector to rounding (tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..operators.blocks import block_basis, block_operators
from ..operators.local import shift_components
from ..operators.space import Space
from .hermitian import to_complex, to_real
from .sector import OperatorSector
from .sparse import terms_of

__all__ = ["TensorLiouvillian", "single_factor", "tensor_available", "ROUNDING"]

#: Relative size below which two entries of an operator count as equal when it is
#: recognized as I ⊗ A ⊗ I (rounding of a Kronecker product built elsewhere).
ROUNDING = 1e-13

#: Rows of Q computed together in pass 2 (their transposed add writes whole cache lines).
_ROW_BLOCK = 64


def tensor_available() -> bool:
    """Whether numba imports (the compiled kernels need it)."""
    try:
        import numba  # noqa: F401
    except ImportError:  # pragma: no cover - numba is a dependency
        return False
    return True


# --------------------------------------------------------------------------- structure
def single_factor(matrix: sp.spmatrix, space: Space) -> tuple[int, NDArray[np.complex128]] | None:
    """``(site, A)`` when ``matrix`` = I ⊗ … ⊗ A ⊗ … ⊗ I with A on one site, else None.

    Decided from the entries (no D×D object): every nonzero must change the digit of one
    site only, the same site for all, and the entry must depend only on that site's row
    and column digits — with every configuration of the other sites present. Entries
    equal to :data:`ROUNDING` relative to the largest count as equal. A multiple of the
    identity is reported on site 0.
    """
    coo = sp.coo_matrix(matrix)
    keep = coo.data != 0
    rows, cols = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)
    vals = coo.data[keep]
    if not vals.size:
        return None
    dr, dc = space.digits(rows), space.digits(cols)
    changed = np.flatnonzero(np.any(dr != dc, axis=0))
    if changed.size > 1:
        return None
    candidates = [int(changed[0])] if changed.size else list(range(space.n))
    scale = float(np.abs(vals).max())
    for j in candidates:
        d = space.dims[j]
        key = dr[:, j] * d + dc[:, j]
        counts = np.bincount(key, minlength=d * d)
        present = counts > 0
        if np.any(counts[present] != space.dim // d):
            continue
        local = np.zeros(d * d, dtype=complex)
        np.add.at(local, key, vals)
        local[present] /= counts[present]
        if np.max(np.abs(vals - local[key])) <= ROUNDING * scale:
            return j, local.reshape(d, d)
    return None


def _real_up_to_phase(a: NDArray[np.complex128]) -> NDArray[np.float64] | None:
    """M real with a = e^{iφ}M (c X c† does not see the phase), or None."""
    flat = a.ravel()
    big = flat[np.argmax(np.abs(flat))]
    if big == 0:
        return np.zeros(a.shape)
    m = a * (abs(big) / big)
    if np.max(np.abs(m.imag)) > ROUNDING * abs(big):
        return None
    return np.ascontiguousarray(m.real)


@dataclass(frozen=True)
class _Components:
    """Shift components of the local jumps, flattened for the kernel.

    Component i acts on a site of dimension ``dim[i]`` and stride ``stride[i]`` as
    A_δ[a, a − δ] = ``weight[i, a]``; ``pairs`` lists the (ket, bra) components of each jump.
    """

    stride: NDArray[np.int64]
    dim: NDArray[np.int64]
    delta: NDArray[np.int64]
    weight: NDArray[np.float64]
    pairs: NDArray[np.int64]

    @classmethod
    def build(cls, local: list[tuple[int, NDArray[np.float64]]], space: Space) -> "_Components":
        dmax = max(space.dims)
        stride, dim, delta, weight, pairs = [], [], [], [], []
        for site, mat in local:
            first = len(stride)
            for shift, part in sorted(shift_components(mat.astype(complex)).items()):
                d = mat.shape[0]
                w = np.zeros(dmax)
                a = np.arange(d)
                ok = (a - shift >= 0) & (a - shift < d)
                w[a[ok]] = part.real[a[ok], a[ok] - shift]
                stride.append(int(space.strides[site]))
                dim.append(d)
                delta.append(int(shift))
                weight.append(w)
            ids = range(first, len(stride))
            pairs += [(k1, k2) for k1 in ids for k2 in ids]
        as_int = lambda v: np.asarray(v, dtype=np.int64)  # noqa: E731
        return cls(as_int(stride), as_int(dim), as_int(delta),
                   np.asarray(weight, dtype=float).reshape(-1, dmax),
                   as_int(pairs).reshape(-1, 2))


def _csr(mat: sp.spmatrix) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    m = sp.csr_matrix(mat, dtype=float)
    m.eliminate_zeros()
    m.sort_indices()
    return m.indptr.astype(np.int64), m.indices.astype(np.int64), np.ascontiguousarray(m.data)


# --------------------------------------------------------------------------- operator
class TensorLiouvillian:
    """L on Hermitian operators of the whole space, real coordinates, compiled kernels.

    Parameters
    ----------
    model
        A :class:`~spinsync.model.Network` or compiled :class:`~spinsync.operators.Terms`
        (network or external operators); the space must be enumerable.
    threads
        Threads of the kernels (numba); default: numba's (all cores).

    Notes
    -----
    ``matvec(y)`` equals ``HermitianBlockLiouvillian(model, full sector).matvec(y)``; the
    sector is :attr:`sector` (one block, row-major D×D vectorization).
    """

    def __init__(self, model: Any, threads: int | None = None) -> None:
        terms = terms_of(model)
        self.model = model
        self.threads = threads
        self.sector = OperatorSector.steady(block_basis(terms, "full"))
        space = terms.space
        d = space.dim
        ops = block_operators(terms, "full")
        h = sp.csr_matrix(ops.hamiltonian(0), dtype=complex)
        decay = ops.decay(0)
        gamma = sp.diags(decay.diagonal) if decay.is_diagonal else sp.csr_matrix(decay.matrix)
        k = sp.csr_matrix(h - 0.5j * gamma)
        k_im = sp.csr_matrix(k.imag)
        self._g = np.ascontiguousarray(-2.0 * k_im.diagonal())
        self._kr = _csr(k.real)
        self._ki = _csr(k_im - sp.diags(k_im.diagonal()))
        local: list[tuple[int, NDArray[np.float64]]] = []
        diagonal: list[NDArray[np.float64]] = []
        self._general: list[sp.csr_matrix] = []
        for jb in ops.jumps_from(0):
            mat = sp.csr_matrix(jb.as_matrix(d, d))
            found = single_factor(mat, space)
            real = None if found is None else _real_up_to_phase(found[1])
            if real is not None:
                local.append((found[0], real))
                continue
            if (mat - sp.diags(mat.diagonal())).count_nonzero() == 0:
                v = _real_up_to_phase(mat.diagonal())
                if v is not None:
                    diagonal.append(v)
                    continue
            self._general.append(mat)
        self._components = _Components.build(local, space) if local else _Components.build(
            [], space)
        self._diagonal = (np.ascontiguousarray(np.stack(diagonal)) if diagonal
                          else np.zeros((0, d)))
        self.kinds = {"local": len(local), "diagonal": len(diagonal), "general": len(self._general)}

    @property
    def dim(self) -> int:
        return self.sector.dim

    @property
    def shape(self) -> tuple[int, int]:
        return (self.dim, self.dim)

    def memory_estimate(self) -> float:
        """Bytes of one application beyond its input: the output and per-thread rows."""
        d = self.sector.basis.dim
        return 8.0 * d * d * (1 + 2 * len(self._general)) + 8.0 * _ROW_BLOCK * d * 4

    def matvec(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """L_R applied to the real flat vector ``y`` (length D²)."""
        from ._tensor_kernels import add_transposed_commutator, rows_pass, set_threads

        d = self.sector.basis.dim
        y2 = np.ascontiguousarray(y, dtype=float).reshape(d, d)
        if y2.size != self.dim:
            raise ValueError(f"vector of length {y2.size}, dimension {self.dim}")
        out = np.empty_like(y2)
        c = self._components
        with set_threads(self.threads):
            rows_pass(y2, out, self._g, self._diagonal, *self._ki,
                      c.stride, c.dim, c.delta, c.weight, c.pairs)
            add_transposed_commutator(y2, out, *self._kr, _ROW_BLOCK)
        if self._general:
            x = to_complex(self.sector, y2.ravel()).reshape(d, d)
            for mat in self._general:
                z = mat @ (mat @ x).conj().T  # c X c† = c (c X)† for Hermitian X
                out += z.real + z.imag
        return out.reshape(-1)

    __call__ = matvec

    def to_real(self, x: NDArray[np.complex128]) -> NDArray[np.float64]:
        """Complex Hermitian full-space vector → real coordinates."""
        return to_real(self.sector, x)

    def to_complex(self, y: NDArray[np.float64]) -> NDArray[np.complex128]:
        """Real coordinates → complex Hermitian full-space vector (as
        :func:`~spinsync.liouvillian.hermitian.to_complex`, by tiles)."""
        from ._tensor_kernels import hermitian_from_real, set_threads

        d = self.sector.basis.dim
        out = np.empty((d, d), dtype=complex)
        with set_threads(self.threads):
            hermitian_from_real(np.ascontiguousarray(y, dtype=float).reshape(d, d), out, 32)
        return out.reshape(-1)
