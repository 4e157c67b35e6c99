"""Vectorized steady states of many small networks that share one structure.

Thousands of sweep points must not pay a per-point Python overhead. Three facts make a
stacked dense solve possible:

1. **Linearity.** The Liouvillian of Eq. (2) is linear in every model parameter:
   L(θ) = Σ_p θ_p L_p with θ = (Γᵍ_j, Γᵈ_j, ω_j, B, Uᵅ_b). The matrices L_p are built
   once per structure (number of qubits, bonds, sector) from the core
   :func:`~spinsync.liouvillian.sector_liouvillian` (as differences of two networks, which
   is exact because every entry is a small multiple of ½), then each point's matrix is a
   sparse–dense product.
2. **Symmetry sectors.** The steady state lives in the block-diagonal sector of the
   magnetization blocks when Uˣ = Uʸ on every bond (dimension C(2N, N): 6 for two qubits,
   252 for five), of the parity blocks otherwise (4ᴺ/2: 512 for five qubits).
3. **Real Hermitian form.** L maps Hermitian matrices to Hermitian matrices, so on the
   real coordinates of a Hermitian block matrix (diagonal entries, real and imaginary
   parts of the upper triangle) it is a real D×D matrix with D equal to the complex
   sector dimension: real LU is ~4× cheaper than complex LU of the same size.

One row of L (a diagonal entry's) is replaced by the trace, Tr ρ = 1, which makes the
system non-singular because the steady state is unique (paper, S.M. I); then
``numpy.linalg.solve`` factors the whole stack. Observables are linear functionals of
the solution (flip-flop correlations, magnetizations) or small block eigenproblems
(fidelity to ρ₀, positivity).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import comb
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..operators.basis import BlockBasis, down_bits
from ..liouvillian import OperatorSector, sector_liouvillian
from ..model import Network
from .axes import PointParams

__all__ = [
    "HermitianForm",
    "ParametricSteadyState",
    "batch_steady",
    "sector_dimension",
    "BATCH_MEMORY_BYTES",
    "RESULT_KEYS",
]

#: Memory allowed for one stack of dense real matrices (the stack is split to fit).
BATCH_MEMORY_BYTES = 64 * 2**20

#: Keys of the result dict every chunk solver returns (see :func:`batch_steady`).
RESULT_KEYS = ("flipflop", "magnetization", "fidelity", "residual", "min_eigenvalue", "method")


def sector_dimension(n: int, xxz: bool) -> int:
    """Dimension of the steady-state sector: C(2N, N) for XXZ, 4ᴺ/2 otherwise (N ≥ 1)."""
    return comb(2 * n, n) if xxz else max(4**n // 2, 1)


@dataclass(frozen=True, eq=False)
class HermitianForm:
    """Real coordinates of Hermitian matrices in a block-diagonal operator sector.

    For each block of size d the coordinates are, in row-major order over a ≤ c,
    X_aa (one real) and Re X_ac, Im X_ac (two reals) for a < c; D = Σ d² in total.

    Attributes
    ----------
    sector
        The complex sector (diagonal block pairs of ``basis``).
    lift
        Sparse complex (D_complex × D): real coordinates → complex sector vector.
    project
        Sparse complex (D × D_complex); ``Re(project @ v)`` gives the real coordinates
        of a Hermitian sector vector ``v``.
    weights
        Frobenius weights: ‖X‖_F² = Σ weights · x² (1 on diagonals, 2 off-diagonal).
    trace
        t with t·x = Tr X.
    """

    sector: OperatorSector
    lift: sp.csr_matrix
    project: sp.csr_matrix
    weights: NDArray[np.float64]
    trace: NDArray[np.float64]

    @classmethod
    def build(cls, basis: BlockBasis) -> "HermitianForm":
        sector = OperatorSector.steady(basis)
        sizes = basis.sizes
        l_rows, l_cols, l_vals = [], [], []
        p_rows, p_cols, p_vals = [], [], []
        weights, trace = [], []
        r = 0
        for p, (b, _) in enumerate(sector.pairs):
            d, off = sizes[b], int(sector.offsets[p])
            a_idx, c_idx = np.triu_indices(d)
            for a, c in zip(a_idx.tolist(), c_idx.tolist()):
                ac, ca = off + a * d + c, off + c * d + a
                if a == c:
                    l_rows.append(ac), l_cols.append(r), l_vals.append(1.0)
                    p_rows.append(r), p_cols.append(ac), p_vals.append(1.0)
                    weights.append(1.0), trace.append(1.0)
                    r += 1
                else:
                    l_rows += [ac, ac, ca, ca]
                    l_cols += [r, r + 1, r, r + 1]
                    l_vals += [1.0, 1j, 1.0, -1j]
                    p_rows += [r, r + 1]
                    p_cols += [ac, ac]
                    p_vals += [1.0, -1j]  # Re(−i v) = Im v
                    weights += [2.0, 2.0]
                    trace += [0.0, 0.0]
                    r += 2
        dim = sector.dim
        lift = sp.csr_matrix((np.asarray(l_vals, complex), (l_rows, l_cols)), shape=(dim, r))
        project = sp.csr_matrix((np.asarray(p_vals, complex), (p_rows, p_cols)), shape=(r, dim))
        return cls(sector, lift, project, np.asarray(weights), np.asarray(trace))

    @property
    def dim(self) -> int:
        return int(self.weights.size)

    def real_matrix(self, liouvillian: sp.spmatrix) -> sp.csr_matrix:
        """The real D×D matrix of a Hermiticity-preserving sector map."""
        return sp.csr_matrix((self.project @ liouvillian @ self.lift).real)

    def blocks(self, x: NDArray[np.float64]) -> list[NDArray[np.complex128]]:
        """Complex blocks (B, d, d) of each diagonal block pair from coordinates (B, D)."""
        v = (self.lift @ x.T).T  # (B, D_complex)
        sizes = self.sector.basis.sizes
        out = []
        for p, (b, _) in enumerate(self.sector.pairs):
            off, d = int(self.sector.offsets[p]), sizes[b]
            out.append(np.ascontiguousarray(v[:, off : off + d * d]).reshape(-1, d, d))
        return out


def _reference(n: int, bond_sites: NDArray[np.int64]) -> dict[str, Any]:
    return dict(
        gain=np.ones(n), damping=np.ones(n), omega=np.zeros(n),
        bonds=[(int(j), int(k), 0.0, 0.0, 0.0) for j, k in bond_sites], field=0.0,
    )


class ParametricSteadyState:
    """Steady-state solver for one network structure, vectorized over parameters.

    Parameters
    ----------
    n, bond_sites
        Number of qubits and the bonds (j, k) shared by every point.
    xxz
        Whether every point has Uˣ = Uʸ on every bond; selects the magnetization sector
        (and then one parameter per bond for Uˣ = Uʸ) instead of the parity sector.
    """

    def __init__(self, n: int, bond_sites: NDArray[np.int64], xxz: bool) -> None:
        self.n = int(n)
        self.bond_sites = np.asarray(bond_sites, dtype=np.int64).reshape(-1, 2)
        self.xxz = bool(xxz)
        kind = "magnetization" if xxz else "parity"
        basis = BlockBasis.build(self.n, kind)
        self.form = HermitianForm.build(basis)
        dim = self.form.dim
        ref_kwargs = _reference(self.n, self.bond_sites)
        sector = self.form.sector
        ref = sector_liouvillian(Network(**ref_kwargs), sector)

        def delta(change) -> sp.csr_matrix:
            kwargs = {k: (v.copy() if isinstance(v, np.ndarray) else list(v) if isinstance(v, list) else v)
                      for k, v in ref_kwargs.items()}
            change(kwargs)
            return self.form.real_matrix(sector_liouvillian(Network(**kwargs), sector) - ref)

        mats: list[sp.csr_matrix] = []
        for name in ("gain", "damping", "omega"):
            for j in range(self.n):
                def change(kw, name=name, j=j):
                    kw[name][j] += 1.0
                mats.append(delta(change))
        mats.append(delta(lambda kw: kw.__setitem__("field", 1.0)))
        alphas = ((0, 1), (2,)) if xxz else ((0,), (1,), (2,))
        for b in range(len(self.bond_sites)):
            for group in alphas:
                def change(kw, b=b, group=group):
                    bond = list(kw["bonds"][b])
                    for a in group:
                        bond[2 + a] = 1.0
                    kw["bonds"][b] = tuple(bond)
                mats.append(delta(change))
        # Stack as a sparse (D², P) matrix: column p is vec(L_p) (row-major).
        rows, cols, vals = [], [], []
        for p, mat in enumerate(mats):
            coo = mat.tocoo()
            rows.append(coo.row.astype(np.int64) * dim + coo.col)
            cols.append(np.full(coo.nnz, p))
            vals.append(coo.data)
        stack = sp.coo_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(dim * dim, len(mats)),
        ).tocsr()
        # Matrices are assembled by scattering Σ_p θ_p L_p onto the union of their
        # nonzeros: a dense GEMM (P × nnz) followed by one fancy-index write, which is
        # ~5× faster than a sparse product into (D², B) and its transpose.
        self.positions = np.flatnonzero(np.diff(stack.indptr))
        self.coefficients = np.ascontiguousarray(stack[self.positions].toarray().T)
        self.alphas = alphas
        self.pivot = int(np.flatnonzero(self.form.trace)[0])
        self.pairs = list(combinations(range(self.n), 2))
        self._build_functionals(basis)

    def _build_functionals(self, basis: BlockBasis) -> None:
        sector = self.form.sector
        sizes = basis.sizes
        n = self.n
        ff = np.zeros((len(self.pairs), sector.dim), dtype=complex)
        mag = np.zeros((n, sector.dim), dtype=complex)
        for p, (b, _) in enumerate(sector.pairs):
            states, d, off = basis.states[b], sizes[b], int(sector.offsets[p])
            bits = down_bits(states, n)
            lookup = {int(s): i for i, s in enumerate(states)}
            diag = off + np.arange(d) * (d + 1)
            mag[:, diag] = (1 - 2 * bits).T
            for q, (j, k) in enumerate(self.pairs):
                # ⟨σ⁺_jσ⁻_k⟩ = Σ_s ρ_{s, s'} over s with j down, k up; s' = s with both flipped.
                src = np.flatnonzero((bits[:, j] == 1) & (bits[:, k] == 0))
                flip = (1 << (n - 1 - j)) | (1 << (n - 1 - k))
                partner = np.array([lookup[int(s) ^ flip] for s in states[src]], dtype=np.int64)
                ff[q, off + src * d + partner] = 1.0
        lift = self.form.lift
        self.ff_functional = np.asarray((sp.csr_matrix(ff) @ lift).todense())
        self.mag_functional = np.asarray((sp.csr_matrix(mag) @ lift).todense()).real
        all_states = np.arange(2**n, dtype=np.int64)
        self._state_bits = down_bits(all_states, n).astype(bool)
        self._block_states = [basis.states[b] for b, _ in sector.pairs]

    # ---------------------------------------------------------------- parameters
    def theta(self, params: PointParams) -> NDArray[np.float64]:
        """Coefficients (P, num_params) of the parameter matrices L_p."""
        cols = [params.gain, params.damping, params.omega, params.field[:, None]]
        if params.num_bonds:
            # XXZ: one coefficient for Uˣ = Uʸ (taken from Uˣ), one for Uᶻ.
            idx = [group[0] for group in self.alphas]
            cols.append(params.couplings[:, :, idx].reshape(params.count, -1))
        return np.concatenate(cols, axis=1)

    def batch_size(self) -> int:
        return max(1, int(BATCH_MEMORY_BYTES // (8 * self.form.dim**2)))

    # ---------------------------------------------------------------- solve
    def solve(self, params: PointParams) -> dict[str, NDArray]:
        """Steady states of every point; see :func:`batch_steady` for the result keys."""
        if params.n != self.n or not np.array_equal(params.bond_sites, self.bond_sites):
            raise ValueError("parameters do not match this structure")
        if self.xxz and not params.is_xxz():
            raise ValueError("magnetization sector needs Uˣ = Uʸ on every bond at every point")
        out: dict[str, list] = {k: [] for k in RESULT_KEYS}
        step = self.batch_size()
        for start in range(0, params.count, step):
            part = self._solve(params.take(slice(start, start + step)))
            for k in RESULT_KEYS:
                out[k].append(part[k])
        return {k: np.concatenate(v) for k, v in out.items()}

    def _solve(self, params: PointParams) -> dict[str, NDArray]:
        dim, count = self.form.dim, params.count
        theta = self.theta(params)
        mats = np.zeros((count, dim * dim))
        mats[:, self.positions] = theta @ self.coefficients
        mats = mats.reshape(count, dim, dim)
        pivot_row = mats[:, self.pivot, :].copy()
        mats[:, self.pivot, :] = self.form.trace
        rhs = np.zeros((count, dim, 1))
        rhs[:, self.pivot, 0] = 1.0
        x = np.linalg.solve(mats, rhs)[..., 0]
        # ‖L x‖_F / ‖x‖_F with the trace row swapped back for L's own row.
        r = np.matmul(mats, x[..., None])[..., 0] - rhs[..., 0]
        r[:, self.pivot] = np.einsum("bi,bi->b", pivot_row, x)
        w = self.form.weights
        residual = np.sqrt(np.einsum("bi,i->b", r * r, w) / np.einsum("bi,i->b", x * x, w))
        blocks = self.form.blocks(x)
        # Fidelity to ρ₀ = ⊗(I + m_j σᶻ_j)/2, diagonal: block by block (docs/conventions.md).
        m = params.magnetization()
        probs = np.prod(np.where(self._state_bits[None], (1 - m[:, None, :]) / 2,
                                 (1 + m[:, None, :]) / 2), axis=2)
        fid = np.zeros(count)
        min_eig = np.full(count, np.inf)
        for states, block in zip(self._block_states, blocks):
            herm = (block + block.conj().transpose(0, 2, 1)) / 2
            min_eig = np.minimum(min_eig, np.linalg.eigvalsh(herm)[:, 0])
            root = np.sqrt(np.clip(probs[:, states], 0, None))
            inner = root[:, :, None] * herm * root[:, None, :]
            vals = np.linalg.eigvalsh(inner)
            fid += np.sum(np.sqrt(np.clip(vals, 0, None)), axis=1)
        return {
            "flipflop": x @ self.ff_functional.T,
            "magnetization": x @ self.mag_functional.T,
            "fidelity": fid,
            "residual": residual,
            "min_eigenvalue": min_eig,
            "method": np.full(count, "batch"),
        }


_CACHE: dict[tuple, ParametricSteadyState] = {}


def batch_steady(params: PointParams, xxz: bool | None = None) -> dict[str, NDArray]:
    """Steady-state observables of every point of ``params`` by stacked dense solves.

    Parameters
    ----------
    params
        The points (one network structure).
    xxz
        Use the magnetization sector (needs Uˣ = Uʸ everywhere); default: detect.

    Returns
    -------
    dict
        ``flipflop`` (P, N_pairs) complex ⟨σ⁺_jσ⁻_k⟩ for pairs j < k in
        ``itertools.combinations`` order; ``magnetization`` (P, N) ⟨σᶻ_j⟩;
        ``fidelity`` (P,) Uhlmann F(ρ_ss, ρ₀); ``residual`` (P,) ‖L[ρ]‖_F/‖ρ‖_F;
        ``min_eigenvalue`` (P,) of ρ_ss; ``method`` (P,) the string ``"batch"``.
    """
    if xxz is None:
        xxz = params.is_xxz()
    key = (params.n, params.bond_sites.tobytes(), bool(xxz))
    solver = _CACHE.get(key)
    if solver is None:
        solver = _CACHE[key] = ParametricSteadyState(params.n, params.bond_sites, bool(xxz))
    return solver.solve(params)
