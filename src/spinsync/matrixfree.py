"""The Liouvillian of Eq. (2) applied block by block, without storing a matrix.

For every block pair (b, c) of an :class:`~spinsync.liouvillian.OperatorSector` the
operator acts on X = X_bc as

    L[X]_bc   = −i(H_b X − X H_c) − ½ (D_b ⊕ D_c) ∘ X          (no-jump part)
    L[X]_tt′ += r · A X A′ᵀ                                      (each jump c_k = √r σ±_j)

with H_b the Hamiltonian block (real symmetric in the σᶻ basis: every term of Eq. 2's
Hamiltonian has real matrix elements), D_b the diagonal of Σ c_k†c_k (so
H_eff = H − (i/2) D), and A, A′ the 0/1 maps of σ±_j from the ket block b to t and the
bra block c to t′. A jump is an index gather from X followed by a scatter into the target
pair; each σ±_j is injective on basis states, so a scatter never hits an entry twice.

Vectorization matches :func:`~spinsync.liouvillian.sector_liouvillian` (row-major inside
each block pair, pairs at ``sector.offsets``), so ``BlockLiouvillian(net, s).matvec(x)``
equals ``sector_liouvillian(net, s) @ x``.

Two operators live here:

* :class:`BlockLiouvillian` — complex vectors on any sector, diagonal (q = 0) or not
  (coherence sectors (b, b + q), used by the dynamics of GHZ-like states).
* :class:`HermitianBlockLiouvillian` — the steady-state sector (pairs (b, b)) restricted
  to Hermitian X, written in the real coordinates Y = Re X + Im X (see
  :func:`hermitian_to_real`). L preserves Hermiticity, so this is exact; it halves
  memory and turns every product into a real one.

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

from .backend import Backend, BackendName, get_backend
from .liouvillian import OperatorSector
from .model import Network
from .operators import collapse_rates, decay_diagonal, hamiltonian, jump_map

__all__ = [
    "BlockLiouvillian",
    "HermitianBlockLiouvillian",
    "hermitian_to_real",
    "real_to_hermitian",
    "DENSE_FILL",
]

#: A Hamiltonian block is stored dense when its fill nnz/n² is at least this. Measured at
#: N = 11–12 all-to-all (fill ≈ 7%): sparse products (O(nnz·n), one thread) took 0.09 s
#: per L application against 0.47 s for dense BLAS (O(n³), two threads), so sparse wins
#: well beyond the all-to-all fill; dense only pays for nearly full blocks.
DENSE_FILL = 0.25

#: Blocks this small are always dense (sparse call overhead dominates).
DENSE_MIN_SIZE = 64


@dataclass(frozen=True)
class _Jump:
    """One jump σ±_j from a source pair to a target pair, as index maps."""

    target: int  # index of the target pair in the sector
    rate: float  # Γ/2 of the collapse operator (Eq. 2's factor ½)
    ket_src: Any
    bra_src: Any
    ket_dst: Any
    bra_dst: Any


def _real_hamiltonian(network: Network, states: NDArray[np.int64]) -> sp.csr_matrix:
    h = hamiltonian(network, states)
    # Every term of H has real matrix elements in the σᶻ basis (σʸσʸ included).
    if h.nnz and np.max(np.abs(h.data.imag)) > 0:
        raise AssertionError("Hamiltonian block has complex entries")
    return sp.csr_matrix(h.real)


class _BlockData:
    """Hamiltonian blocks, decay diagonals and jump maps shared by both operators."""

    def __init__(
        self,
        network: Network,
        sector: OperatorSector,
        backend: Backend,
        dense: bool | None,
    ) -> None:
        basis = sector.basis
        self.sizes = basis.sizes
        used = sorted({b for pair in sector.pairs for b in pair})
        self.h: dict[int, Any] = {}
        self.decay: dict[int, Any] = {}
        self.dense: dict[int, bool] = {}
        for b in used:
            h = _real_hamiltonian(network, basis.states[b])
            n = self.sizes[b]
            use_dense = (
                dense
                if dense is not None
                else (backend.is_gpu or n <= DENSE_MIN_SIZE or h.nnz >= DENSE_FILL * n * n)
            )
            self.dense[b] = bool(use_dense)
            if use_dense:
                self.h[b] = backend.asarray(h.toarray())
            else:
                self.h[b] = h  # CPU only: GPU blocks are always dense
            self.decay[b] = backend.asarray(decay_diagonal(network, basis.states[b]))
        self.jumps = self._jump_table(network, sector, backend)

    def add_jumps(self, blocks: list[Any], outs: list[Any]) -> None:
        """outs += Σ_k c_k X c_k† block by block (index gathers/scatters).

        The jump maps are real 0/1 maps, so the same scatter serves complex blocks and the
        real Hermitian coordinates Y = Re X + Im X alike.
        """
        for p, jumps in enumerate(self.jumps):
            blk = blocks[p]
            for jp in jumps:
                outs[jp.target][jp.ket_dst, jp.bra_dst] += jp.rate * blk[jp.ket_src, jp.bra_src]

    @staticmethod
    def _jump_table(
        network: Network, sector: OperatorSector, backend: Backend
    ) -> list[list[_Jump]]:
        basis = sector.basis
        gain_rate, damp_rate = collapse_rates(network)
        pair_index = {pair: p for p, pair in enumerate(sector.pairs)}
        maps: dict[tuple[int, bool, int], Any] = {}

        def jmap(j: int, lowering: bool, b: int) -> Any:
            key = (j, lowering, b)
            if key not in maps:
                maps[key] = jump_map(basis, j, lowering, b)
            return maps[key]

        table: list[list[_Jump]] = []
        for b, c in sector.pairs:
            row: list[_Jump] = []
            for j in range(network.n):
                for lowering, rate in ((True, damp_rate[j]), (False, gain_rate[j])):
                    if rate == 0.0:
                        continue
                    ket, bra = jmap(j, lowering, b), jmap(j, lowering, c)
                    if ket is None or bra is None:
                        continue
                    target = pair_index.get((ket[0], bra[0]))
                    if target is None:
                        raise ValueError(f"sector is not invariant: jump leaves pair {(b, c)}")
                    row.append(
                        _Jump(
                            target=target,
                            rate=float(rate),
                            ket_src=backend.asarray(ket[1][:, None]),
                            bra_src=backend.asarray(bra[1][None, :]),
                            ket_dst=backend.asarray(ket[2][:, None]),
                            bra_dst=backend.asarray(bra[2][None, :]),
                        )
                    )
            table.append(row)
        return table

    def h_left(self, b: int, x: Any) -> Any:
        """H_b @ x."""
        return self.h[b] @ x

    def h_right(self, c: int, x: Any) -> Any:
        """x @ H_c, using H_c = H_cᵀ (sparse × dense is the fast direction)."""
        if self.dense[c]:
            return x @ self.h[c]
        return (self.h[c] @ x.T).T


class BlockLiouvillian:
    """The Liouvillian on an operator sector, applied matrix-free.

    Parameters
    ----------
    network
        The model (Eq. 2; CONVENTIONS.md).
    sector
        Any sector the Liouvillian leaves invariant: the steady sector (pairs (b, b)) or a
        coherence sector (pairs (b, b + q)); magnetization, parity or full blocks.
    backend
        ``"numpy"`` (default), ``"cupy"`` or ``"auto"`` (see :mod:`spinsync.backend`).
    dense
        Force dense (True) or sparse (False) Hamiltonian blocks; default chooses per
        block by fill (:data:`DENSE_FILL`).

    Attributes
    ----------
    dim
        Length of the flat complex sector vector (``sector.dim``).

    Notes
    -----
    ``matvec(x)`` equals ``sector_liouvillian(network, sector) @ x`` (same ordering) and
    costs O(Σ_pairs (nnz(H_b)·n_c + n_b·nnz(H_c))) for sparse blocks or
    O(Σ n_b n_c (n_b + n_c)) for dense ones, plus O(N·dim) for the jumps.
    """

    def __init__(
        self,
        network: Network,
        sector: OperatorSector,
        backend: BackendName | Backend | None = "numpy",
        dense: bool | None = None,
    ) -> None:
        self.network = network
        self.sector = sector
        self.backend = get_backend(backend)
        self._data = _BlockData(network, sector, self.backend, dense)
        self._offsets = [int(o) for o in sector.offsets]

    @property
    def dim(self) -> int:
        return self.sector.dim

    @property
    def shape(self) -> tuple[int, int]:
        return (self.dim, self.dim)

    def _views(self, vec: Any) -> list[Any]:
        sizes = self._data.sizes
        o = self._offsets
        return [
            vec[o[p] : o[p + 1]].reshape(sizes[b], sizes[c])
            for p, (b, c) in enumerate(self.sector.pairs)
        ]

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
            coherent = d.h_left(b, blk) - d.h_right(c, blk)
            outs[p][...] = -1j * coherent - 0.5 * (d.decay[b][:, None] + d.decay[c][None, :]) * blk
        d.add_jumps(xs, outs)
        return out

    __call__ = matvec

    def as_linear_operator(self) -> spla.LinearOperator:
        """A SciPy LinearOperator (NumPy in and out, whatever the backend)."""

        def mv(v: NDArray[np.complex128]) -> NDArray[np.complex128]:
            return self.backend.to_host(self.matvec(v))

        return spla.LinearOperator(self.shape, matvec=mv, dtype=complex)


# --------------------------------------------------------------------------- Hermitian
def hermitian_to_real(sector: OperatorSector, x: NDArray[np.complex128], xp: Any = np) -> Any:
    """Real coordinates Y_b = Re X_b + Im X_b of a block-diagonal Hermitian X.

    For Hermitian X = S + iA (S symmetric, A antisymmetric, real) Y = S + A determines X
    and ‖Y‖_F = ‖X‖_F (S and A are orthogonal), so norms and residuals carry over.
    """
    _check_diagonal(sector)
    x = xp.asarray(x)
    return xp.ascontiguousarray(x.real + x.imag)


def real_to_hermitian(sector: OperatorSector, y: Any, xp: Any = np) -> Any:
    """Inverse of :func:`hermitian_to_real`: X_b = (Y + Yᵀ)/2 + i (Y − Yᵀ)/2."""
    _check_diagonal(sector)
    y = xp.asarray(y, dtype=float)
    out = xp.empty(y.shape, dtype=complex)
    sizes = sector.basis.sizes
    for p, (b, _) in enumerate(sector.pairs):
        o0, o1 = int(sector.offsets[p]), int(sector.offsets[p + 1])
        blk = y[o0:o1].reshape(sizes[b], sizes[b])
        out[o0:o1] = ((blk + blk.T) / 2 + 0.5j * (blk - blk.T)).reshape(-1)
    return out


def _check_diagonal(sector: OperatorSector) -> None:
    if any(b != c for b, c in sector.pairs):
        raise ValueError("the Hermitian form needs a sector of diagonal pairs (b, b)")


class HermitianBlockLiouvillian(BlockLiouvillian):
    """L on Hermitian block-diagonal X, in the real coordinates Y = Re X + Im X.

    With X = S + iA and H real symmetric, −i[H, X] = [H, A] − i[H, S], whose real
    coordinates are [H, A] − [H, S] = Yᵀ H − H Yᵀ. Decay and jumps act on S and A alike.
    So, per block,

        L_R[Y]_b = Yᵀ H_b − H_b Yᵀ − ½ (D_b ⊕ D_b) ∘ Y  (+ jumps, real gathers/scatters)

    — real arithmetic only, and half the memory of the complex vector.

    Parameters
    ----------
    network, backend, dense
        As for :class:`BlockLiouvillian`.
    sector
        A sector of diagonal pairs (default: ``OperatorSector.steady`` of the
        magnetization blocks when Uˣ = Uʸ on every bond, parity blocks otherwise).
    """

    def __init__(
        self,
        network: Network,
        sector: OperatorSector | None = None,
        backend: BackendName | Backend | None = "numpy",
        dense: bool | None = None,
    ) -> None:
        if sector is None:
            from .liouvillian import choose_blocks

            sector = OperatorSector.steady(choose_blocks(network))
        _check_diagonal(sector)
        super().__init__(network, sector, backend, dense)

    def matvec(self, y: Any) -> Any:
        """L in real coordinates, applied to the real flat vector ``y``."""
        xp = self.backend.xp
        y = xp.asarray(y, dtype=float).reshape(-1)
        if y.size != self.dim:
            raise ValueError(f"vector of length {y.size}, sector dimension {self.dim}")
        out = xp.empty_like(y)
        ys, outs = self._views(y), self._views(out)
        d = self._data
        for p, (b, _) in enumerate(self.sector.pairs):
            blk = ys[p]
            # Yᵀ H − H Yᵀ = (H Y)ᵀ − H Yᵀ since H is symmetric.
            coherent = d.h_left(b, blk).T - d.h_left(b, blk.T)
            outs[p][...] = coherent - 0.5 * (d.decay[b][:, None] + d.decay[b][None, :]) * blk
        d.add_jumps(ys, outs)
        return out

    __call__ = matvec

    def as_linear_operator(self) -> spla.LinearOperator:
        def mv(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return self.backend.to_host(self.matvec(v))

        return spla.LinearOperator(self.shape, matvec=mv, dtype=float)

    def to_real(self, x: NDArray[np.complex128]) -> Any:
        """Complex Hermitian sector vector → real coordinates."""
        return hermitian_to_real(self.sector, x, self.backend.xp)

    def to_complex(self, y: Any) -> Any:
        """Real coordinates → complex Hermitian sector vector."""
        return real_to_hermitian(self.sector, y, self.backend.xp)
