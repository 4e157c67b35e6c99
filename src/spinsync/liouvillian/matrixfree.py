"""The Liouvillian applied block pair by block pair, without storing a matrix.

For every block pair (b, c) of an :class:`~spinsync.liouvillian.sector.OperatorSector`
the operator acts on X = X_bc as

    L[X]_bc   = −i(H_b X − X H_c) − ½(Γ_b X + X Γ_c)         (no-jump part)
    L[X]_tt′ += C_k,b X C_k,cᴴ                                (each jump c_k)

with H_b the Hamiltonian block, Γ_b = Σ_k c_k†c_k (H_eff = H − (i/2)Γ; diagonal for local
jumps, sparse for collective ones) and C_k the jump's block map
(:mod:`spinsync.operators.blocks`). A monomial jump is an index gather from X, a scaling by
its weights, and a scatter into the target pair — each map is injective, so a scatter never
hits an entry twice. On the CPU, sectors of ≥ :data:`KERNEL_MIN_DIM` entries run all
monomial jumps in one compiled gather–scatter (:mod:`._jump_kernels`, 1-D index arrays only:
no storage of order dim, 15 ms against 29 ms for the sparse jump matrix at N = 12); smaller
sectors and GPUs use one sparse matrix. A general jump
is two sparse products. In real coordinates such sectors also apply each sparse real
Hamiltonian block with its diagonal decay in one compiled, threaded pass
(:mod:`._block_kernels`) instead of SciPy's two single-threaded products and their
temporaries.

Vectorization matches :func:`~spinsync.liouvillian.sparse.sector_liouvillian`, so
``BlockLiouvillian(net, s).matvec(x)`` equals ``sector_liouvillian(net, s) @ x``.

Two operators:

* :class:`BlockLiouvillian` — complex vectors on any sector (steady or coherence sectors).
* :class:`HermitianBlockLiouvillian` — a diagonal sector restricted to Hermitian X, in the
  real coordinates Y = Re X + Im X of :mod:`spinsync.liouvillian.hermitian`. With
  H = H_R + iH_I (H_R symmetric, H_I antisymmetric) and Γ = Γ_R + iΓ_I,

      L_R[Y] = Yᵀ H_R − H_R Yᵀ + H_I Y − Y H_I − ½(Γ_R Y + Y Γ_R) − ½(Γ_I Yᵀ + Yᵀ Γ_I) + jumps,

  real arithmetic only; H_I and Γ_I vanish without drive phases or complex inputs, and
  then the products are those of real symmetric matrices. Real jump maps act on Y as
  on X; complex ones go through the complex form.

Memory: the Hamiltonian blocks (sparse, or dense when that is faster) plus a few
sector-sized vectors; no object of size dim² or 4ᴺ is formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from ..backend import Backend, BackendName, get_backend
from ..operators.blocks import JumpBlock, block_operators
from .hermitian import to_complex, to_real
from .sector import OperatorSector
from .sparse import sector_jumps, terms_of

__all__ = ["BlockLiouvillian", "HermitianBlockLiouvillian", "DENSE_FILL", "DENSE_MIN_SIZE",
           "KERNEL_MIN_DIM", "uses_kernels"]

#: A Hamiltonian block is stored dense when its fill nnz/n² is at least this. Measured at
#: N = 11–12 all-to-all (fill ≈ 7%): sparse products (O(nnz·n), one thread) took 0.09 s
#: per L application against 0.47 s for dense BLAS (O(n³), two threads), so sparse wins
#: well beyond the all-to-all fill; dense only pays for nearly full blocks.
DENSE_FILL = 0.25

#: Blocks this small are always dense (sparse call overhead dominates).
DENSE_MIN_SIZE = 64


@dataclass(frozen=True)
class _Jump:
    """One jump from a source pair to a target pair, ready to apply."""

    target: int  # index of the target pair in the sector
    monomial: bool
    scalar: complex | None  # w_ket · w̄_bra when both weight vectors are constant
    ket_w: Any  # weights (column) or None
    bra_w: Any  # conj weights (row) or None
    ket_src: Any
    bra_src: Any
    ket_dst: Any
    bra_dst: Any
    ket_mat: Any  # sparse C_b (general jumps)
    bra_mat_h: Any  # sparse C_cᴴ
    real: bool


#: Sectors from this dimension on apply their monomial jumps with the compiled kernel
#: (CPU). Below it the sparse matrix is small (≲ 50 MB at N = 11) and as fast, and a process
#: then never pays numba's import and kernel load (~0.2 s, measured: N = 7 took 0.27 s in a
#: fresh process with the kernel, 0.05 s without) nor its per-jump parallel launches.
KERNEL_MIN_DIM = 2**20


def uses_kernels(backend: Backend, dim: int) -> bool:
    """Whether a sector of ``dim`` entries runs the compiled kernels (CPU with numba, large
    sectors): monomial jumps as one gather–scatter (:mod:`._jump_kernels`) rather than one
    sparse matrix, which needs no storage of order dim, and, in real coordinates, each sparse
    real Hamiltonian block's commutator with its decay in one threaded pass
    (:mod:`._block_kernels`)."""
    if backend.is_gpu or dim < KERNEL_MIN_DIM:
        return False
    from .tensor import tensor_available

    return tensor_available()


def _as_backend_sparse(backend: Backend, mat: sp.spmatrix) -> Any:
    if not backend.is_gpu:
        return sp.csr_matrix(mat)
    import cupyx.scipy.sparse as csp  # type: ignore[import-not-found]

    return csp.csr_matrix(mat)


def _jump(backend: Backend, target: int, ket: JumpBlock, bra: JumpBlock, n_tk: int, n_tb: int,
          n_k: int, n_b: int) -> _Jump:
    xp = backend.asarray
    real = ket.is_real and bra.is_real
    if ket.is_monomial and bra.is_monomial:
        sk, sb = ket.scalar, bra.scalar
        scalar = None if sk is None or sb is None else sk * np.conj(sb)
        wk = None if scalar is not None else ket.weights[:, None]
        wb = None if scalar is not None else np.conj(bra.weights)[None, :]
        if real:
            wk = None if wk is None else wk.real.copy()
            wb = None if wb is None else wb.real.copy()
            scalar = None if scalar is None else scalar.real
        return _Jump(
            target=target, monomial=True, scalar=scalar,
            ket_w=None if wk is None else xp(wk), bra_w=None if wb is None else xp(wb),
            ket_src=xp(ket.src[:, None]), bra_src=xp(bra.src[None, :]),
            ket_dst=xp(ket.dst[:, None]), bra_dst=xp(bra.dst[None, :]),
            ket_mat=None, bra_mat_h=None, real=real,
        )
    cb = ket.as_matrix(n_tk, n_k)
    cc = bra.as_matrix(n_tb, n_b)
    if real:
        cb, cc = sp.csr_matrix(cb.real), sp.csr_matrix(cc.real)
    return _Jump(
        target=target, monomial=False, scalar=None, ket_w=None, bra_w=None, ket_src=None,
        bra_src=None, ket_dst=None, bra_dst=None, ket_mat=_as_backend_sparse(backend, cb),
        bra_mat_h=_as_backend_sparse(backend, sp.csr_matrix(cc.conj().T)), real=real,
    )


class _BlockData:
    """Hamiltonian blocks, decay blocks and jump maps shared by both operators."""

    def __init__(self, model: Any, sector: OperatorSector, backend: Backend,
                 dense: bool | None) -> None:
        ops = block_operators(terms_of(model), sector.basis)
        self.sizes = sector.basis.sizes
        self.real_h = ops.hamiltonian_is_real
        used = sorted({b for pair in sector.pairs for b in pair})
        self.h: dict[int, Any] = {}  # H (complex) or H_R (real)
        self.h_t: dict[int, Any] = {}  # Hᵀ for sparse right products (complex H only)
        self.h_im: dict[int, Any] = {}  # H_I when H is complex (real form)
        self.dense: dict[int, bool] = {}
        self.decay: dict[int, Any] = {}  # diagonal vector …
        self.gamma: dict[int, Any] = {}  # … or sparse Γ_b (complex)
        for b in used:
            h = ops.hamiltonian(b)
            n = self.sizes[b]
            use_dense = (
                dense if dense is not None
                else (backend.is_gpu or n <= DENSE_MIN_SIZE or h.nnz >= DENSE_FILL * n * n)
            )
            self.dense[b] = bool(use_dense)
            mat = sp.csr_matrix(h.real) if self.real_h else h
            if use_dense:
                self.h[b] = backend.asarray(mat.toarray())
            else:
                self.h[b] = mat
                if not self.real_h:
                    self.h_t[b] = sp.csr_matrix(mat.T)
            if not self.real_h:
                him = sp.csr_matrix(h.imag)
                self.h_im[b] = backend.asarray(him.toarray()) if use_dense else him
            dec = ops.decay(b)
            if dec.is_diagonal:
                self.decay[b] = backend.asarray(dec.diagonal)
            else:
                self.gamma[b] = _as_backend_sparse(backend, dec.matrix)
        self.h_re = {b: (backend.asarray(sp.csr_matrix(ops.hamiltonian(b).real).toarray())
                         if self.dense[b] else sp.csr_matrix(ops.hamiltonian(b).real))
                     for b in used} if not self.real_h else self.h
        self.gamma_real = all(not np.any(ops.decay(b).matrix.data.imag)
                              for b in self.gamma) if self.gamma else True
        sizes = self.sizes
        self.jumps: list[list[_Jump]] = []
        for p, row in enumerate(sector_jumps(ops, sector)):
            b, c = sector.pairs[p]
            out = []
            for target, ket, bra in row:
                tb, tc = sector.pairs[target]
                out.append(_jump(backend, target, ket, bra, sizes[tb], sizes[tc], sizes[b], sizes[c]))
            self.jumps.append(out)
        self.jumps_real = all(j.real for row in self.jumps for j in row)
        self.offsets = [int(o) for o in sector.offsets]
        self.pairs = list(sector.pairs)
        self.jump_matrix = None
        self.jump_kernel = None
        self.kernels = uses_kernels(backend, sector.dim)
        # Monomial jumps from an earlier pair into pair p (source index < p), for the block
        # Gauss–Seidel sweep (:mod:`.gauss_seidel`): kept apart from the rest, so that
        # L applies each entry once (rest + forward parts) and the sweep applies the
        # forward part into one target pair at a time.
        self.forward_matrix: dict[int, Any] = {}
        self.forward_kernel: dict[int, Any] = {}
        if self.kernels:
            self.jump_kernel = self._jump_kernel_data(sector)
        else:
            self.jump_matrix = self._jump_matrix(backend, sector)

    def _jump_kernel_data(self, sector: OperatorSector) -> tuple[Any, ...] | None:
        """The monomial jumps as index and weight arrays for :func:`._jump_kernels.apply_jumps`.

        O(Σ (n_b + n_c)) numbers in all, against ~12·(jumps/4)·dim bytes for the sparse
        matrix; removes the monomial jumps from the per-pair loop.
        """
        monomial = [(p, jp) for p, row in enumerate(self.jumps) for jp in row if jp.monomial]
        if not monomial:
            return None
        sizes = self.sizes
        offsets = [int(o) for o in sector.offsets]
        real = all(jp.real for _, jp in monomial)
        wtype = float if real else complex
        meta = np.zeros((len(monomial), 8), dtype=np.int64)
        ket_src, ket_dst, ket_w, bra_src, bra_dst, bra_w = [], [], [], [], [], []
        k_at = b_at = 0
        forward: dict[int, list[int]] = {}
        for row, (p, jp) in enumerate(monomial):
            if jp.target > p:
                forward.setdefault(jp.target, []).append(row)
            _, c = sector.pairs[p]
            _, tc = sector.pairs[jp.target]
            ks, kd = np.ravel(jp.ket_src), np.ravel(jp.ket_dst)
            bs, bd = np.ravel(jp.bra_src), np.ravel(jp.bra_dst)
            if jp.scalar is not None:
                kw, bw = np.full(ks.size, jp.scalar, dtype=wtype), np.ones(bs.size, dtype=wtype)
            else:
                kw, bw = np.ravel(jp.ket_w).astype(wtype), np.ravel(jp.bra_w).astype(wtype)
            meta[row] = (offsets[p], sizes[c], offsets[jp.target], sizes[tc], k_at, ks.size, b_at, bs.size)
            k_at += ks.size
            b_at += bs.size
            ket_src.append(ks); ket_dst.append(kd); ket_w.append(kw)
            bra_src.append(bs); bra_dst.append(bd); bra_w.append(bw)
        self.jumps = [[jp for jp in row if not jp.monomial] for row in self.jumps]
        # The forward rows, per target, as their own meta tables (the index arrays are shared).
        self.forward_kernel = {p: np.ascontiguousarray(meta[rows]) for p, rows in forward.items()}
        cat = lambda parts, dt: np.ascontiguousarray(np.concatenate(parts), dtype=dt)  # noqa: E731
        return (meta, cat(ket_src, np.int64), cat(ket_dst, np.int64), cat(ket_w, wtype),
                cat(bra_src, np.int64), cat(bra_dst, np.int64), cat(bra_w, wtype))

    def _jump_matrix(self, backend: Backend, sector: OperatorSector) -> Any:
        """The monomial jumps as sparse matrices on the flat sector vector, or None.

        Every monomial jump moves each entry it keeps to one place (injective maps), so the
        sum over jumps is a sparse matrix with ~(jumps/4)·dim entries. One CSR product then
        replaces per-jump 2-D gathers and scatters: measured 5.9 ms against 32.6 ms at
        N = 11 (all-to-all, 22 local jumps, one thread). Memory ≈ 12 bytes per entry (int32
        indices), ~28 while it is built; without room for that the gathers are kept. Used
        where the compiled kernel is not (:func:`uses_kernels`: small sectors, GPUs).

        Returns the matrix of the jumps that stay in their pair or go to an earlier one; the
        forward jumps (into a later pair) go to :attr:`forward_matrix`, one block of rows per
        target pair, so that each entry is stored once.
        """
        from ..resources import MEMORY_FRACTION, available_memory

        monomial = [(p, jp) for p, row in enumerate(self.jumps) for jp in row if jp.monomial]
        if not monomial or sector.dim >= 2**31:
            return None
        nnz = sum(int(np.size(jp.ket_src) * np.size(jp.bra_src)) for _, jp in monomial)
        if 28.0 * nnz > 0.5 * MEMORY_FRACTION * available_memory():
            return None
        real = all(jp.real for _, jp in monomial)
        rest = [(p, jp) for p, jp in monomial if jp.target <= p]
        mat = self._csr_of(backend, rest, sector.dim, 0, real)
        by_target: dict[int, list[tuple[int, _Jump]]] = {}
        for p, jp in monomial:
            if jp.target > p:
                by_target.setdefault(jp.target, []).append((p, jp))
        for target, group in by_target.items():
            self.forward_matrix[target] = self._csr_of(
                backend, group, self.offsets[target + 1] - self.offsets[target],
                self.offsets[target], real)
        # Only the general (non-monomial) jumps remain for the per-pair loop.
        self.jumps = [[jp for jp in row if not jp.monomial] for row in self.jumps]
        return mat

    def _csr_of(self, backend: Backend, group: list[tuple[int, "_Jump"]], rows_count: int,
                row_offset: int, real: bool) -> Any:
        """The monomial jumps of ``group`` as one CSR matrix (rows_count × dim) whose row i
        is the flat index ``row_offset + i``."""
        sizes, offsets = self.sizes, self.offsets
        host = backend.to_host
        counts = [int(np.size(jp.ket_src) * np.size(jp.bra_src)) for _, jp in group]
        nnz = sum(counts)
        rows = np.empty(nnz, dtype=np.int32)
        cols = np.empty(nnz, dtype=np.int32)
        vals = np.empty(nnz, dtype=float if real else complex)
        at = 0
        for (p, jp), count in zip(group, counts):
            _, c = self.pairs[p]
            _, tc = self.pairs[jp.target]
            src = offsets[p] + host(jp.ket_src) * sizes[c] + host(jp.bra_src)
            dst = offsets[jp.target] - row_offset + host(jp.ket_dst) * sizes[tc] + host(jp.bra_dst)
            rows[at:at + count] = dst.ravel()
            cols[at:at + count] = src.ravel()
            if jp.scalar is not None:
                vals[at:at + count] = jp.scalar
            else:
                vals[at:at + count] = (host(jp.ket_w) * host(jp.bra_w)).ravel()
            at += count
        mat = sp.csr_matrix((vals, (rows, cols)), shape=(rows_count, offsets[-1]))
        return _as_backend_sparse(backend, mat)

    # ------------------------------------------------------------------ products
    def h_left(self, b: int, x: Any) -> Any:
        """H_b @ x."""
        return self.h[b] @ x

    def h_right(self, c: int, x: Any) -> Any:
        """x @ H_c (sparse × dense is the fast direction: (H_cᵀ xᵀ)ᵀ)."""
        if self.dense[c]:
            return x @ self.h[c]
        h_t = self.h[c] if self.real_h else self.h_t[c]  # real H is symmetric
        return (h_t @ x.T).T

    def gamma_left(self, b: int, x: Any) -> Any:
        return self.gamma[b] @ x

    def gamma_right(self, c: int, x: Any) -> Any:
        # Γ is Hermitian: x Γ = (Γᵀ xᵀ)ᵀ = (conj(Γ) xᵀ)ᵀ.
        return (self.gamma[c].conj() @ x.T).T

    def add_jumps(self, blocks: list[Any], outs: list[Any], flat: Any = None,
                  flat_out: Any = None) -> None:
        """outs += Σ_k C_k X C_kᴴ (complex blocks, or real Y with real maps).

        ``flat``/``flat_out`` are the flat vectors the block views belong to; the monomial
        jumps are applied to them as sparse products (:meth:`_jump_matrix`) or the kernel.
        """
        if self.jump_matrix is not None:
            flat_out += self.jump_matrix @ flat
            for target, mat in self.forward_matrix.items():
                flat_out[self.offsets[target]:self.offsets[target + 1]] += mat @ flat
        elif self.jump_kernel is not None:
            from ._jump_kernels import apply_jumps

            apply_jumps(flat, flat_out, *self.jump_kernel)
        for p, jumps in enumerate(self.jumps):
            for jp in jumps:
                _apply_pair_jump(jp, blocks[p], outs[jp.target])

    def add_forward_jumps(self, target: int, flat: Any, flat_out: Any) -> None:
        """flat_out[pair target] += Σ over jumps from the pairs before it (source < target).

        Reads only the earlier pairs of ``flat`` and writes only pair ``target`` of
        ``flat_out``, so both may be the same vector (a Gauss–Seidel sweep).
        """
        o0, o1 = self.offsets[target], self.offsets[target + 1]
        mat = self.forward_matrix.get(target)
        if mat is not None:
            flat_out[o0:o1] += mat @ flat
        meta = self.forward_kernel.get(target)
        if meta is not None:
            from ._jump_kernels import apply_jumps

            apply_jumps(flat, flat_out, meta, *self.jump_kernel[1:])
        sizes = self.sizes
        for p in range(target):
            for jp in self.jumps[p]:
                if jp.target == target:
                    b, c = self.pairs[p]
                    src = flat[self.offsets[p]:self.offsets[p + 1]].reshape(sizes[b], sizes[c])
                    tb, tc = self.pairs[target]
                    _apply_pair_jump(jp, src, flat_out[o0:o1].reshape(sizes[tb], sizes[tc]))

    @property
    def has_forward_jumps(self) -> bool:
        """Whether any jump leads from a pair to a later one."""
        return bool(self.forward_matrix or self.forward_kernel or any(
            jp.target > p for p, row in enumerate(self.jumps) for jp in row))


def _apply_pair_jump(jp: _Jump, blk: Any, out: Any) -> None:
    """out += C X Cᴴ for one jump between block pairs (the per-pair route)."""
    if jp.monomial:
        g = blk[jp.ket_src, jp.bra_src]
        if jp.scalar is not None:
            g = jp.scalar * g
        else:
            g = (jp.ket_w * g) * jp.bra_w
        out[jp.ket_dst, jp.bra_dst] += g
    else:
        out += jp.bra_mat_h.T.dot((jp.ket_mat @ blk).T).T


class BlockLiouvillian:
    """The Liouvillian on an operator sector, applied matrix-free to complex vectors.

    Parameters
    ----------
    model
        A :class:`~spinsync.model.Network` (docs/conventions.md) or its compiled terms.
    sector
        Any sector the Liouvillian leaves invariant: the steady sector (pairs (b, b)) or a
        coherence sector; magnetization, parity or full blocks.
    backend
        ``"numpy"`` (default), ``"cupy"`` or ``"auto"`` (see :mod:`spinsync.backend`).
    dense
        Force dense (True) or sparse (False) Hamiltonian blocks; default chooses per
        block by fill (:data:`DENSE_FILL`).

    Notes
    -----
    ``matvec(x)`` equals ``sector_liouvillian(model, sector) @ x`` and costs
    O(Σ_pairs (nnz(H_b)·n_c + n_b·nnz(H_c))) for sparse blocks or O(Σ n_b n_c (n_b + n_c))
    for dense ones, plus O(jumps·dim).
    """

    def __init__(
        self,
        model: Any,
        sector: OperatorSector,
        backend: BackendName | Backend | None = "numpy",
        dense: bool | None = None,
    ) -> None:
        self.model = model
        self.sector = sector
        self.backend = get_backend(backend)
        self._data = _BlockData(model, sector, self.backend, dense)
        self._offsets = [int(o) for o in sector.offsets]

    @property
    def network(self) -> Any:
        return self.model

    @property
    def storage(self) -> dict[str, int]:
        """How many Hamiltonian blocks are stored dense and how many sparse."""
        dense = sum(self._data.dense.values())
        return {"dense": dense, "sparse": len(self._data.dense) - dense}

    @property
    def dim(self) -> int:
        return self.sector.dim

    @property
    def shape(self) -> tuple[int, int]:
        return (self.dim, self.dim)

    def _views(self, vec: Any) -> list[Any]:
        sizes = self._data.sizes
        o = self._offsets
        return [vec[o[p] : o[p + 1]].reshape(sizes[b], sizes[c])
                for p, (b, c) in enumerate(self.sector.pairs)]

    def matvec(self, x: Any) -> Any:
        """L applied to the flat complex sector vector ``x`` (backend array or NumPy)."""
        xp = self.backend.xp
        x = xp.asarray(x, dtype=complex).reshape(-1)
        if x.size != self.dim:
            raise ValueError(f"vector of length {x.size}, sector dimension {self.dim}")
        out = xp.empty_like(x)
        xs, outs = self._views(x), self._views(out)
        d = self._data
        for p, (b, c) in enumerate(self.sector.pairs):
            blk = xs[p]
            res = -1j * (d.h_left(b, blk) - d.h_right(c, blk))
            if b in d.decay and c in d.decay:
                res -= 0.5 * (d.decay[b][:, None] + d.decay[c][None, :]) * blk
            else:
                res -= 0.5 * (d.decay[b][:, None] * blk if b in d.decay else d.gamma_left(b, blk))
                res -= 0.5 * (blk * d.decay[c][None, :] if c in d.decay else d.gamma_right(c, blk))
            outs[p][...] = res
        d.add_jumps(xs, outs, x, out)
        return out

    __call__ = matvec

    def as_linear_operator(self) -> spla.LinearOperator:
        """A SciPy LinearOperator (NumPy in and out, whatever the backend)."""

        def mv(v: NDArray[np.complex128]) -> NDArray[np.complex128]:
            return self.backend.to_host(self.matvec(v))

        return spla.LinearOperator(self.shape, matvec=mv, dtype=complex)


class HermitianBlockLiouvillian(BlockLiouvillian):
    """L on Hermitian block-diagonal X, in the real coordinates Y = Re X + Im X.

    See the module docstring for the formula; half the memory of the complex vector and
    real products only.

    Parameters
    ----------
    model, backend, dense
        As for :class:`BlockLiouvillian`.
    sector
        A sector of diagonal pairs (default: the steady sector of the symmetry the model's
        terms keep).
    """

    def __init__(
        self,
        model: Any,
        sector: OperatorSector | None = None,
        backend: BackendName | Backend | None = "numpy",
        dense: bool | None = None,
    ) -> None:
        if sector is None:
            from ..operators.blocks import block_basis
            from ..operators.symmetry import block_kind

            terms = terms_of(model)
            sector = OperatorSector.steady(block_basis(terms, block_kind(terms.symmetry)))
        if not sector.is_diagonal:
            raise ValueError("the Hermitian form needs a sector of diagonal pairs (b, b)")
        super().__init__(model, sector, backend, dense)
        d = self._data
        # General jumps with complex maps, or a complex Γ, need the complex detour.
        self._complex_jumps = not d.jumps_real
        self._complex_gamma = not d.gamma_real
        # Blocks the compiled kernel applies: sparse, real H (then symmetric), diagonal Γ.
        self._compiled_blocks = {
            b: (d.h[b].indptr, d.h[b].indices, np.ascontiguousarray(d.h[b].data, dtype=float),
                np.ascontiguousarray(d.decay[b], dtype=float))
            for b, _ in sector.pairs
            if d.kernels and d.real_h and not d.dense[b] and b in d.decay}
        # The kernel's transposed copy of a block (reused: one block at a time).
        self._kernel_work = np.empty(max((d.sizes[b] ** 2 for b in self._compiled_blocks), default=0))

    def _hermitian_blocks(self, y: Any) -> list[Any]:
        return [(blk + blk.T) * 0.5 + 0.5j * (blk - blk.T) for blk in self._views(y)]

    def matvec(self, y: Any) -> Any:
        """L in real coordinates, applied to the real flat vector ``y``."""
        xp = self.backend.xp
        y = xp.ascontiguousarray(xp.asarray(y, dtype=float).reshape(-1))
        if y.size != self.dim:
            raise ValueError(f"vector of length {y.size}, sector dimension {self.dim}")
        out = xp.empty_like(y)
        ys, outs = self._views(y), self._views(out)
        d = self._data
        compiled = self._compiled_blocks
        if compiled:
            from ._block_kernels import commutator_decay
        for p, (b, _) in enumerate(self.sector.pairs):
            blk = ys[p]
            if b in compiled:
                commutator_decay(*compiled[b], blk, outs[p], self._kernel_work)
                continue
            # Yᵀ H_R − H_R Yᵀ = (H_R Y)ᵀ − H_R Yᵀ since H_R is symmetric.
            res = d.h_re[b] @ blk
            res = res.T - d.h_re[b] @ blk.T
            if not d.real_h:
                him = d.h_im[b]
                # H_I Y − Y H_I = H_I Y + (H_I Yᵀ)ᵀ since H_Iᵀ = −H_I.
                res += him @ blk + (him @ blk.T).T
            if b in d.decay:
                res -= 0.5 * (d.decay[b][:, None] + d.decay[b][None, :]) * blk
            elif not self._complex_gamma:
                g = d.gamma[b]
                gr = g.real if hasattr(g, "real") else g
                res -= 0.5 * (gr @ blk + (gr @ blk.T).T)
            outs[p][...] = res
        if self._complex_gamma:
            self._complex_gamma_terms(ys, outs)
        if self._complex_jumps:
            xs = self._hermitian_blocks(y)
            x = xp.concatenate([blk.reshape(-1) for blk in xs]) if xs else xp.zeros(0, complex)
            z = xp.zeros_like(x)
            d.add_jumps(self._views(x), self._views(z), x, z)
            out += z.real + z.imag
        else:
            d.add_jumps(ys, outs, y, out)
        return out

    __call__ = matvec

    @property
    def jumps_real(self) -> bool:
        """Whether every jump map is real, so that jumps act on Y as on X (complex ones go
        through the complex form, which :meth:`add_forward_jumps` does not take)."""
        return not self._complex_jumps

    @property
    def has_forward_jumps(self) -> bool:
        """Whether some jump leads from a pair to a later one (else a Gauss–Seidel sweep is
        the no-jump inverse)."""
        return self._data.has_forward_jumps

    def add_forward_jumps(self, target: int, y: Any, out: Any) -> None:
        """out[pair target] += the jumps from the pairs before it, applied to ``y`` (real
        coordinates; ``y`` and ``out`` may be one vector — see
        :class:`~spinsync.liouvillian.gauss_seidel.BlockGaussSeidel`)."""
        if self._complex_jumps:
            raise ValueError("complex jump maps: the forward jumps need the complex form")
        self._data.add_forward_jumps(target, y, out)

    def _complex_gamma_terms(self, ys: list[Any], outs: list[Any]) -> None:
        """−½{Γ, X} for complex sparse Γ blocks, through the complex form."""
        d = self._data
        for p, (b, _) in enumerate(self.sector.pairs):
            if b in d.decay:
                continue
            blk = ys[p]
            x = (blk + blk.T) * 0.5 + 0.5j * (blk - blk.T)
            z = -0.5 * (d.gamma_left(b, x) + d.gamma_right(b, x))
            outs[p] += z.real + z.imag

    def as_linear_operator(self) -> spla.LinearOperator:
        def mv(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return self.backend.to_host(self.matvec(v))

        return spla.LinearOperator(self.shape, matvec=mv, dtype=float)

    def to_real(self, x: NDArray[np.complex128]) -> Any:
        """Complex Hermitian sector vector → real coordinates."""
        return to_real(self.sector, x, self.backend.xp)

    def to_complex(self, y: Any) -> Any:
        """Real coordinates → complex Hermitian sector vector."""
        return to_complex(self.sector, y, self.backend.xp)
