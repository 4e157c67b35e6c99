"""Exact inverse of the no-jump Liouvillian, block pair by block pair (the preconditioner).

    L_nj[X]_bc = −i(H_eff,b X − X H_eff,cᴴ),      H_eff = H − (i/2) Σ_k c_k†c_k

is block diagonal over pairs, so L_nj⁻¹ is a Sylvester solve per pair. Each H_eff block
is factored once:

* **eigendecomposition** H_eff = V Λ V⁻¹ (default): then
  L_nj⁻¹[R] = V [(V⁻¹ R V⁻ᴴ) ⊘ (−i(λ_i − λ̄′_j))] V′ᴴ — four dense products per pair.
  H_eff is not normal, and V can be ill-conditioned (near-degenerate decaying modes):
  rounding in V⁻¹ is amplified by κ(V). Blocks with κ₁(V) > :data:`COND_LIMIT` use
* **complex Schur** H_eff = Q T Qᴴ and LAPACK ``trsyl`` (Bartels–Stewart), backward
  stable whatever the conditioning, but a level-2 triangular solve per application.

**Real Hermitian coordinates** (what GMRES uses on the steady sector): for Y real with
X = ((1+i)/2) Y + ((1−i)/2) Yᵀ, the input side V⁻¹ X V⁻ᴴ = ((1+i)/2) Z + ((1−i)/2) Zᴴ with
Z = V⁻¹ Y V⁻ᴴ, and the output Re + Im of V G Vᴴ = F_r (V_r − V_i)ᵀ + F_i (V_r + V_i)ᵀ with
F = V G. Using that Y is real and the third-product (3M) form of complex products, one
application costs 10 real n×n products instead of the 16 real-product equivalents of four
complex ones. Blocks with κ₁(V) ≤ :data:`SINGLE_COND_LIMIT` run them in single precision
(BLAS is ~2× faster; the error ~κ·6e-8 is irrelevant to a preconditioner, since the solver
checks the true residual in double), others in double.

Spectrum: Im λ ≤ 0 (D ≥ 0), so the denominators have real part −(|Im λ_i| + |Im λ′_j|)
and vanish only for dark states (a state no jump leaves, e.g. all spins down without gain).
There L_nj is singular; we replace such denominators by −:data:`DARK_FLOOR` × (the
smallest nonzero rate) — a preconditioner need only be a fixed invertible map, and the
solver verifies the true residual with L itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from ..backend import Backend, BackendName, get_backend
from ..blas_threads import map_blocks
from ..operators.blocks import block_operators
from .sector import OperatorSector
from .sparse import terms_of

__all__ = ["NoJumpInverse", "COND_LIMIT"]

#: Largest accepted 1-norm condition number of an eigenvector matrix. Rounding errors in
#: the eigen-route are ~κ·1e-16; at 1e7 the preconditioner is still exact to ~1e-9, far
#: below what changes GMRES's iteration count.
COND_LIMIT = 1e7

#: Denominators smaller than this fraction of the rate scale count as dark (singular).
DARK_FLOOR = 1e-8

#: Blocks whose eigenvector matrix has κ₁ ≤ this apply the real route in single precision
#: (relative error ≲ κ·6e-8 ≤ 6e-3: a preconditioner that good changes no iteration count).
#: κ₁ doubles with each qubit of the benchmark network (1.1e3 at N = 11, 2.1e3 at N = 12);
#: with single precision on every block N = 12 takes the same 50 iterations as with the
#: largest blocks in double, and 29 s instead of 38 s (measured).
SINGLE_COND_LIMIT = 1e5

#: Blocks are factored in parallel threads once the largest has this many states (below
#: it the whole setup takes milliseconds).
PARALLEL_FACTOR_MIN_SIZE = 256


class _Eig:
    """H_eff = V Λ V⁻¹ of one block, stored for the routes that will be used.

    ``complex_route``: V, V⁻¹ and their adjoints in complex128 (any sector). ``real_route``:
    the real and imaginary parts of V and V⁻¹ in float32 or float64 (diagonal sectors).
    """

    def __init__(self, heff: NDArray[np.complex128], backend: Backend, complex_route: bool,
                 real_route: bool, precision: str) -> None:
        lam, v = np.linalg.eig(heff)
        vinv = np.linalg.inv(v)
        self.cond = float(np.linalg.norm(v, 1) * np.linalg.norm(vinv, 1))
        self.lam = lam
        xp = backend.asarray
        if complex_route:
            self.v, self.vinv = xp(v), xp(vinv)
            self.vh, self.vinvh = xp(v.conj().T), xp(vinv.conj().T)
        if real_route:
            single = precision == "single" or (precision == "auto" and self.cond <= SINGLE_COND_LIMIT)
            self.dtype = np.float32 if single else np.float64
            f = lambda a: xp(np.ascontiguousarray(a, dtype=self.dtype))  # noqa: E731
            self.p, self.q = f(vinv.real), f(vinv.imag)
            self.vr, self.vi = f(v.real), f(v.imag)


class _Schur:
    def __init__(self, heff: NDArray[np.complex128]) -> None:
        self.t, self.q = sla.schur(heff, output="complex")
        self.qh = self.q.conj().T


class NoJumpInverse:
    """R ↦ L_nj⁻¹[R] on a sector (complex vectors) or, for diagonal sectors, in the real
    Hermitian coordinates of :class:`~spinsync.liouvillian.matrixfree.HermitianBlockLiouvillian`.

    Parameters
    ----------
    model, sector, backend
        As for :class:`~spinsync.liouvillian.matrixfree.BlockLiouvillian`.
    cond_limit
        Eigenvector matrices with a larger 1-norm condition number switch that block to
        the Schur route.
    precision
        Of the real route: ``"auto"`` (single precision for blocks with κ₁(V) ≤
        :data:`SINGLE_COND_LIMIT`, double otherwise), ``"single"`` or ``"double"``.
    routes
        ``("complex", "real")`` by default; GMRES on the steady sector passes ``("real",)``
        and the complex factors are not kept (a quarter of the memory).

    Attributes
    ----------
    info
        ``{"kind": "no-jump", "eig_blocks", "schur_blocks", "max_cond"}`` — how each block
        was factored.

    Notes
    -----
    Setup: one dense n×n ``eig`` + ``inv`` per block (O(n³)). Memory per block: 4·16·n²
    bytes for the complex route, 4·4·n² (single) or 4·8·n² (double) for the real route.
    Apply: four complex n×n products per pair (complex route), ten real ones (real route).
    """

    def __init__(
        self,
        model: Any,
        sector: OperatorSector,
        backend: BackendName | Backend | None = "numpy",
        cond_limit: float = COND_LIMIT,
        precision: str = "auto",
        routes: tuple[str, ...] = ("complex", "real"),
    ) -> None:
        if precision not in ("auto", "single", "double"):
            raise ValueError(f"precision = {precision!r}: expected auto, single or double")
        self.sector = sector
        self.backend = get_backend(backend)
        self._complex_route = "complex" in routes
        self._real_route = "real" in routes and sector.is_diagonal
        terms = terms_of(model)
        ops = block_operators(terms, sector.basis)
        used = sorted({b for pair in sector.pairs for b in pair})
        # Floor relative to the smallest jump rate; a model without jumps has no scale
        # but the Hamiltonian's, and then every denominator may be dark.
        rate = terms.min_jump_rate() or max(terms.rate_scale(), 1.0)
        self._floor = DARK_FLOOR * rate
        self._heff: dict[int, NDArray[np.complex128]] = {}
        self._eig: dict[int, _Eig] = {}
        self._schur: dict[int, _Schur] = {}
        for b in used:
            self._heff[b] = ops.effective_hamiltonian(b)
        for b, eig in self._factor(used, precision).items():
            if eig.cond <= cond_limit:
                self._eig[b] = eig
        # A pair goes the Schur route if either of its blocks is ill-conditioned.
        self._route = []
        for b, c in sector.pairs:
            if b in self._eig and c in self._eig:
                self._route.append(self._denominator(self._eig[b].lam, self._eig[c].lam))
            else:
                for blk in (b, c):
                    if blk not in self._schur:
                        self._schur[blk] = _Schur(self._heff[blk])
                self._route.append(None)
        self.info = {
            "kind": "no-jump",
            "eig_blocks": len(self._eig),
            "schur_blocks": len(self._schur),
            "max_cond": max((e.cond for e in self._eig.values()), default=float("nan")),
        }
        if self._real_route:
            self.info["single_precision_blocks"] = sum(
                e.dtype == np.float32 for e in self._eig.values())
            # The real route needs the denominators in the blocks' precision.
            self._route_real = []
            for p, (b, _) in enumerate(sector.pairs):
                inv_den = self._route[p]
                if inv_den is None:
                    self._route_real.append(None)
                    continue
                dt = self._eig[b].dtype
                self._route_real.append((inv_den.real.astype(dt), inv_den.imag.astype(dt)))
        self._heff.clear()  # not needed any more; frees n² per block

    def _factor(self, blocks: list[int], precision: str) -> dict[int, _Eig]:
        """Eigendecompose every block; on the CPU, one per core at once, one BLAS thread each
        (:func:`~spinsync.blas_threads.map_blocks`)."""
        def one(b: int) -> _Eig:
            return _Eig(self._heff[b], self.backend, self._complex_route, self._real_route, precision)

        if self.backend.is_gpu:
            return {b: one(b) for b in blocks}
        sizes = [self._heff[b].shape[0] for b in blocks]
        return dict(zip(blocks, map_blocks(one, blocks, sizes, PARALLEL_FACTOR_MIN_SIZE)))

    def _denominator(self, lam_b: NDArray[np.complex128], lam_c: NDArray[np.complex128]) -> Any:
        """1 / (−i(λ_i − λ̄′_j)) with dark-state denominators floored."""
        den = -1j * (lam_b[:, None] - np.conj(lam_c)[None, :])
        dark = np.abs(den) < self._floor
        den[dark] = -self._floor
        return self.backend.asarray(1.0 / den)

    def _solve_pair(self, p: int, r: Any) -> Any:
        b, c = self.sector.pairs[p]
        inv_den = self._route[p]
        if inv_den is not None:
            eb, ec = self._eig[b], self._eig[c]
            w = (eb.vinv @ r) @ ec.vinvh
            w *= inv_den
            return (eb.v @ w) @ ec.vh
        # −i(H_b Y − Y H_cᴴ) = R  ⇔  T_b Z − Z T_cᴴ = Q_bᴴ (iR) Q_c with Y = Q_b Z Q_cᴴ.
        sb, sc = self._schur[b], self._schur[c]
        rhs = sb.qh @ (1j * self.backend.to_host(r)) @ sc.q
        z, scale, info = sla.lapack.ztrsyl(sb.t, sc.t, rhs, trana="N", tranb="C", isgn=-1)
        if info < 0:
            raise ValueError(f"ztrsyl: illegal argument {-info}")
        # info = 1: near-common eigenvalues (dark state); LAPACK perturbed them — fine
        # for a preconditioner.
        return self.backend.asarray((sb.q @ (z / scale)) @ sc.qh)

    def apply(self, r: Any) -> Any:
        """L_nj⁻¹ on a flat complex sector vector."""
        xp = self.backend.xp
        r = xp.asarray(r, dtype=complex).reshape(-1)
        out = xp.empty_like(r)
        sizes = self.sector.basis.sizes
        off = self.sector.offsets
        for p, (b, c) in enumerate(self.sector.pairs):
            o0, o1 = int(off[p]), int(off[p + 1])
            out[o0:o1] = self._solve_pair(p, r[o0:o1].reshape(sizes[b], sizes[c])).reshape(-1)
        return out

    def apply_real(self, y: Any) -> Any:
        """L_nj⁻¹ in real Hermitian coordinates (diagonal sectors; L_nj keeps X = Xᴴ)."""
        if not self.sector.is_diagonal:
            raise ValueError("the Hermitian form needs a sector of diagonal pairs (b, b)")
        xp = self.backend.xp
        y = xp.asarray(y, dtype=float).reshape(-1)
        out = xp.empty_like(y)
        sizes = self.sector.basis.sizes
        off = self.sector.offsets
        for p, (b, _) in enumerate(self.sector.pairs):
            o0, o1 = int(off[p]), int(off[p + 1])
            out[o0:o1] = self.solve_real_block(p, y[o0:o1].reshape(sizes[b], sizes[b])).reshape(-1)
        return out

    def solve_real_block(self, p: int, blk: Any) -> Any:
        """L_nj⁻¹ on pair ``p`` alone, in real Hermitian coordinates (an n_b × n_b real block)."""
        if self._real_route and self._route_real[p] is not None:
            b = self.sector.pairs[p][0]
            return self._solve_real(self._eig[b], self._route_real[p], blk)
        x = (blk + blk.T) * 0.5 + 0.5j * (blk - blk.T)
        sol = self._solve_pair(p, x)
        return sol.real + sol.imag

    @staticmethod
    def _solve_real(e: _Eig, inv_den: tuple[Any, Any], y: Any) -> Any:
        """Real coordinates of V[(V⁻¹XV⁻ᴴ) ⊘ den]Vᴴ for X = ((1+i)Y + (1−i)Yᵀ)/2: ten real
        products (module docstring), in the block's precision."""
        y = y.astype(e.dtype, copy=False)
        # T = V⁻¹ Y (Y real: two products), Z = T V⁻ᴴ = T (Pᵀ − iQᵀ) by 3M (three).
        tr, ti = e.p @ y, e.q @ y
        k1, k2 = tr @ e.p.T, ti @ (-e.q.T)
        k3 = (tr + ti) @ (e.p - e.q).T
        zr, zi = k1 - k2, k3 - k1 - k2
        # W = ((1+i)/2) Z + ((1−i)/2) Zᴴ: W_r = sym(Z_r − Z_i), W_i = antisym(Z_r + Z_i).
        u, w = zr - zi, zr + zi
        wr, wi = (u + u.T) * 0.5, (w - w.T) * 0.5
        a, b = inv_den
        gr, gi = wr * a - wi * b, wr * b + wi * a
        # F = V G by 3M (three), then Re + Im of F Vᴴ = F_r (V_r − V_i)ᵀ + F_i (V_r + V_i)ᵀ (two).
        s = e.vr + e.vi
        k1, k2 = e.vr @ gr, e.vi @ gi
        fr, fi = k1 - k2, s @ (gr + gi) - k1 - k2
        res = fr @ (e.vr - e.vi).T + fi @ s.T
        return res.astype(np.float64, copy=False)
