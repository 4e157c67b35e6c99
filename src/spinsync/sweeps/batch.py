"""Vectorized steady states of many small networks that share one structure.

Thousands of sweep points must not pay a per-point Python overhead. Three facts make a
stacked dense solve possible:

1. **Linearity.** The Liouvillian is linear in every parameter θ_p of
   :class:`Parametrization`: L(θ) = Σ_p θ_p L_p, with θ = the rates Γᵍ_j, Γᵈ_j, Γᵠ_j (the
   dissipators ½Γ D[A] are linear in Γ), ω_j, the field B, the drive's quadratures
   Ω_j cos φ_j and Ω_j sin φ_j (the drive is linear in those two, not in φ), per bond
   (Uˣ + Uʸ)/2, (Uˣ − Uʸ)/2 and Uᶻ, and the collective rates γ_c — for qubit and spin
   networks alike. Each L_p is the sector Liouvillian
   (:func:`~spinsync.liouvillian.sector_liouvillian`) of the network whose only non-zero
   parameter is θ_p, divided by that value (2 for rates, so the collapse operator
   √(2/2)·A is exact; 1 otherwise). These are built once per structure (sites, spins,
   scheme, bonds, channels) and sector; each point's matrix is then one small GEMM.
2. **Symmetry sectors.** The steady state lives in the diagonal block pairs of the
   symmetry the terms keep (:mod:`spinsync.operators.symmetry`). The sector must fit every
   point, so it is the *weakest* symmetry over the points, read from their compiled terms
   (:meth:`~spinsync.sweeps.axes.PointParams.weakest_symmetry`): U(1) blocks (dimension
   C(2N, N) for N qubits) when every point keeps total Jᶻ, parity (4ᴺ/2) when some point
   has Uˣ ≠ Uʸ, the full space (4ᴺ) when some point is driven. A parameter whose own term
   breaks the sector's symmetry gets no L_p, and is checked to be zero at every point.
3. **Real Hermitian form.** L maps Hermitian matrices to Hermitian matrices, so on the
   real coordinates Y = Re X + Im X (:mod:`spinsync.liouvillian.hermitian`, the one
   implementation) it is a real D×D matrix with D the complex sector dimension, and
   ‖Y‖_F = ‖X‖_F: real LU is ~4× cheaper than complex LU of the same size.

One row of L is replaced by the trace, Tr ρ = 1
(:func:`~spinsync.steady.direct.with_trace_row`, the one trace-row helper), which makes
the system non-singular when the steady state is unique; ``numpy.linalg.solve`` factors
the whole stack. Where uniqueness is not certified
(:func:`~spinsync.steady.certified_unique`: e.g. a damping-only or dephasing-only site),
the same factorization solves for a fixed random right-hand side too:
‖A‖_F‖A⁻¹r‖/‖r‖ estimates the condition number, and a point above
:data:`~spinsync.steady.direct.DEGENERACY_COND` (a second zero mode) is refused, as the
per-point direct solve refuses it.

Observables are linear functionals of the solution (flip-flop correlations ⟨σ⁺_jσ⁻_k⟩ or
⟨J⁺_jJ⁻_k⟩, magnetizations ⟨σᶻ_j⟩ or ⟨Jᶻ_j⟩, coherences ⟨σ⁺_j⟩ or ⟨J⁺_j⟩) or small
stacked eigenproblems per block: positivity, and the Uhlmann fidelity to the product state
ρ₀ = ⊗_j ρ_j (the measures' :func:`~spinsync.measures.fidelity.psd_sqrt` and
:func:`~spinsync.measures.fidelity.sqrt_trace` on stacks). ρ_j is the steady state of
site j's local Liouvillian (its own terms and the single-site part of its collective
channels, as in :func:`~spinsync.steady.product_state`), solved as a stack too; it may
have coherences (a driven site), which then lie in the full-space sector the drive
forces. Where some ρ_j is not unique, ρ₀ is undefined and the fidelity is NaN.
"""

from __future__ import annotations

from collections import OrderedDict
from itertools import combinations
from math import comb
from typing import Iterator

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..errors import NumericalError
from ..liouvillian import OperatorSector, real_operator, sector_liouvillian, to_complex
from ..liouvillian.sparse import full_liouvillian
from ..measures.fidelity import psd_sqrt, sqrt_trace
from ..model import Network
from ..operators.basis import BlockBasis
from ..operators.blocks import product_map
from ..operators.local import PAULI, homogeneous_shift, spin_matrices
from ..operators.space import Space
from ..operators.symmetry import SYMMETRIES, block_kind, weaker_or_equal
from ..operators.terms import Product
from ..resources import check_memory, format_bytes
from ..steady.analytic import LOCAL_KERNEL_RTOL
from ..steady.direct import DEGENERACY_COND, with_trace_row
from ..steady.uniqueness import certified_unique
from .axes import POINT_FIELDS, PointParams

__all__ = [
    "Parametrization",
    "ParametricSteadyState",
    "batch_steady",
    "batch_symmetry",
    "sector_dimension",
    "sector_dim",
    "BATCH_MEMORY_BYTES",
    "RESULT_KEYS",
]

#: Memory allowed for one stack of dense real matrices and its copies (split to fit).
#: Each copy stays at or below 16 MiB, so after the first stack glibc serves them from
#: its heap instead of fresh mmap pages (measured: the trace-row copy of a 32 MiB stack
#: costs 3× more per point, in page faults, than that of a 16 MiB one).
BATCH_MEMORY_BYTES = 32 * 2**20

#: Dense copies of the stack alive at once: L and its trace-row copy
#: (:func:`~spinsync.steady.direct.with_trace_row`), then that copy and LAPACK's.
_STACK_COPIES = 2

#: Keys of the result dict every chunk solver returns (see :func:`batch_steady`).
RESULT_KEYS = ("flipflop", "magnetization", "fidelity", "residual", "min_eigenvalue", "method",
               "coherence")

#: Solver objects kept per process (one per structure and sector).
_CACHE_SIZE = 16


def sector_dim(dims: tuple[int, ...] | int, symmetry: str) -> int:
    """Σ_b n_b² of the steady sector of ``symmetry`` (exact, no enumeration).

    ``dims`` are the local dimensions (or a number of qubits); ``symmetry`` is ``"u1"``,
    ``"parity"`` or ``"none"`` (:meth:`~spinsync.operators.space.Space.steady_sector_dim`).
    """
    return Space.of(dims).steady_sector_dim(block_kind(symmetry))


def sector_dimension(n: int | tuple[int, ...], xxz: bool | str) -> int:
    """Dimension of the steady-state sector of N qubits (or of ``dims``).

    ``xxz`` True: U(1) blocks, C(2N, N) for qubits; False: parity blocks, 4ᴺ/2. A symmetry
    label (``"u1"``, ``"parity"``, ``"none"``) may be given instead (see :func:`sector_dim`).
    """
    if isinstance(xxz, str):
        return sector_dim(n, xxz)
    if isinstance(n, int):
        return comb(2 * n, n) if xxz else max(4**n // 2, 1)
    return sector_dim(n, "u1" if xxz else "parity")


# --------------------------------------------------------------------------- parameters
class Parametrization:
    """The parameters θ in which the Liouvillian of one structure is linear.

    Order of θ: per site j the six values (Γᵍ_j, Γᵈ_j, Γᵠ_j, ω_j, Ω_j cos φ_j,
    Ω_j sin φ_j); then B; per bond b ((Uˣ + Uʸ)/2, (Uˣ − Uʸ)/2, Uᶻ); per channel c γ_c.
    Spin networks use the same names for γᵍ_j, γᵈ_j, γᵠ_j (``Network.spins``).

    Parameters
    ----------
    structure
        Any :class:`PointParams` of the structure (only its shared fields are used).
    """

    SITE = ("gain", "damping", "dephasing", "omega", "drive_x", "drive_y")
    BOND = ("flip", "double", "uz")

    def __init__(self, structure: PointParams) -> None:
        self.template = structure.take(np.arange(min(1, structure.count)))
        self.n, self.num_bonds, self.num_channels = (
            structure.n, structure.num_bonds, structure.num_channels)
        self.names = [f"{p}[{j}]" for j in range(self.n) for p in self.SITE]
        self.names += ["field"]
        self.names += [f"bond[{b}].{p}" for b in range(self.num_bonds) for p in self.BOND]
        self.names += [f"collective[{c}].rate" for c in range(self.num_channels)]

    @property
    def size(self) -> int:
        return len(self.names)

    @property
    def field_column(self) -> int:
        return len(self.SITE) * self.n

    def site_columns(self, j: int) -> list[int]:
        k = len(self.SITE)
        return list(range(k * j, k * (j + 1)))

    def channel_column(self, c: int) -> int:
        return self.field_column + 1 + len(self.BOND) * self.num_bonds + c

    def theta(self, params: PointParams) -> NDArray[np.float64]:
        """θ (P, :attr:`size`) of every point (vectorized)."""
        count = params.count
        site = np.stack([params.gain, params.damping, params.dephasing, params.omega,
                         params.drive * np.cos(params.drive_phase),
                         params.drive * np.sin(params.drive_phase)], axis=2)
        c = params.couplings
        bonds = np.stack([(c[..., 0] + c[..., 1]) / 2, (c[..., 0] - c[..., 1]) / 2, c[..., 2]], axis=2)
        return np.concatenate([site.reshape(count, -1), params.field[:, None],
                               bonds.reshape(count, -1), params.collective_rate], axis=1)

    def _zero(self) -> PointParams:
        one = self.template.take(np.array([0]))
        for name in POINT_FIELDS:
            getattr(one, name)[...] = 0.0
        return one

    def unit_networks(self) -> Iterator[tuple[int, float, Network, int | None]]:
        """``(column, unit, network, x_column)`` per parameter: the network whose only
        non-zero parameter is θ_column = unit.

        For the quadrature Ω sin φ the network has Ω = 1, φ = π/2; its cos φ (6e-17, not 0)
        leaves ``cos(π/2)·L_x`` to subtract, with L_x the column ``x_column``.
        """
        col = 0
        for j in range(self.n):
            for name in self.SITE:
                one = self._zero()
                x_col = None
                if name in ("gain", "damping", "dephasing"):
                    getattr(one, name)[0, j], unit = 2.0, 2.0
                elif name == "omega":
                    one.omega[0, j], unit = 1.0, 1.0
                elif name == "drive_x":
                    one.drive[0, j], unit = 1.0, 1.0
                else:
                    one.drive[0, j], one.drive_phase[0, j], unit = 1.0, np.pi / 2, 1.0
                    x_col = col - 1
                yield col, unit, one.network(0), x_col
                col += 1
        one = self._zero()
        one.field[0] = 1.0
        yield col, 1.0, one.network(0), None
        col += 1
        for b in range(self.num_bonds):
            for values in ((1.0, 1.0, 0.0), (1.0, -1.0, 0.0), (0.0, 0.0, 1.0)):
                one = self._zero()
                one.couplings[0, b] = values
                yield col, 1.0, one.network(0), None
                col += 1
        for c in range(self.num_channels):
            one = self._zero()
            one.collective_rate[0, c] = 2.0
            yield col, 2.0, one.network(0), None
            col += 1


#: cos φ at φ = π/2 as the compiled terms compute it (Re e^{−iπ/2}).
_COS_HALF_PI = float(np.exp(-1j * (np.pi / 2)).real)


def _parameter_matrices(par: Parametrization, build, symmetry: str | None):
    """Per column: the matrix ``build(network) / unit`` (None for a term breaking ``symmetry``)."""
    mats: dict[int, object] = {}
    for col, unit, net, x_col in par.unit_networks():
        if symmetry is not None and not weaker_or_equal(symmetry, net.terms.symmetry):
            mats[col] = None
            continue
        mat = build(net) / unit
        if x_col is not None:
            mat = mat - _COS_HALF_PI * mats[x_col]
        mats[col] = mat
    return mats


# --------------------------------------------------------------------------- observables
def _local_ops(params: PointParams, j: int) -> dict[str, NDArray[np.complex128]]:
    """σ⁺, σ⁻, σᶻ of a qubit or J⁺, J⁻, Jᶻ of a spin (the operators' one definition)."""
    if params.is_qubits:
        return {"+": PAULI["+"], "-": PAULI["-"], "z": PAULI["z"]}
    mats = spin_matrices(float(params.spin[j]))
    return {"+": mats.plus, "-": mats.minus, "z": mats.z}


def _product(params: PointParams, factors: list[tuple[int, str]]) -> Product:
    mats = tuple(np.asarray(_local_ops(params, j)[name]) for j, name in factors)
    return Product(1.0, tuple(j for j, _ in factors), mats,
                   tuple(int(homogeneous_shift(m)) for m in mats))


def _functionals(sector: OperatorSector, products: list[Product]) -> sp.csr_matrix:
    """F (len(products), sector.dim) with F x = Tr(X O) for X in the sector.

    Tr(XO) = Σ_a X[a, O(a)]·w_a for O|a⟩ = w_a|O(a)⟩; entries outside the sector's
    diagonal block pairs are zero in every state of the sector.
    """
    basis = sector.basis
    sizes = basis.sizes
    rows, cols, vals = [], [], []
    for p, (b, _) in enumerate(sector.pairs):
        off, size = int(sector.offsets[p]), sizes[b]
        for r, product in enumerate(products):
            m = product_map(basis, product, b)
            if m is None or m[0] != b:
                continue
            _, src, dst, w = m
            rows.append(np.full(src.size, r))
            cols.append(off + src * size + dst)
            vals.append(w)
    if not rows:
        return sp.csr_matrix((len(products), sector.dim), dtype=complex)
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(len(products), sector.dim))


# --------------------------------------------------------------------------- local states
class _LocalStates:
    """ρ_j of one site's local Liouvillian, for every point at once.

    The local Liouvillian is linear in the site's own parameters, the field and the rates
    of the channels containing the site; its unit matrices are the full Liouvillians of
    one-site networks (channel restricted to the site: the single-site part of ½γ D[Σ A]).
    Uniqueness as in :func:`~spinsync.steady.local_steady_states`: the second-smallest
    singular value above ``LOCAL_KERNEL_RTOL`` times the largest.
    """

    def __init__(self, params: PointParams, par: Parametrization, j: int) -> None:
        chans = [c for c, sites in enumerate(params.collective_sites) if j in sites]
        one = PointParams(
            gain=np.zeros((1, 1)), damping=np.zeros((1, 1)), omega=np.zeros((1, 1)),
            couplings=np.zeros((1, 0, 3)), field=np.zeros(1), bond_sites=np.zeros((0, 2), np.int64),
            kind=params.kind, spin=params.spin[[j]].copy(), scheme=params.scheme,
            collective_sites=tuple((0,) for _ in chans),
            collective_operators=tuple(params.collective_operators[c] for c in chans),
        )
        local = Parametrization(one)
        mats = _parameter_matrices(local, lambda net: full_liouvillian(net).toarray(), None)
        self.columns = par.site_columns(j) + [par.field_column] + [par.channel_column(c) for c in chans]
        self.d = params.dims[j]
        self.coefficients = np.stack([np.asarray(mats[c]).ravel() for c in range(local.size)])
        basis = BlockBasis.build(Space((self.d,)), "full")
        self.trace = OperatorSector.steady(basis).trace_vector()

    def roots(self, theta: NDArray[np.float64]) -> NDArray[np.complex128]:
        """(P, d, d) square roots √ρ_j (:func:`~spinsync.measures.fidelity.psd_sqrt`);
        NaN where the local state is not unique.

        Solved once per distinct set of local parameters (a grid usually repeats them).
        """
        local, inverse = np.unique(theta[:, self.columns], axis=0, return_inverse=True)
        count, d2 = local.shape[0], self.d * self.d
        liouv = (local @ self.coefficients).reshape(count, d2, d2)
        s = np.linalg.svd(liouv, compute_uv=False)
        ok = s[:, -2] > LOCAL_KERNEL_RTOL * np.maximum(s[:, 0], 1e-300)
        out = np.full((count, self.d, self.d), np.nan, dtype=complex)
        if ok.any():
            system, rhs, _ = with_trace_row(liouv[ok], self.trace)
            rho = np.linalg.solve(system, rhs[..., None])[..., 0].reshape(-1, self.d, self.d)
            out[ok] = psd_sqrt(rho)  # psd_sqrt takes the Hermitian part first
        return out[inverse.reshape(-1)]


# --------------------------------------------------------------------------- solver
class ParametricSteadyState:
    """Steady-state solver for one network structure and sector, vectorized over points.

    Parameters
    ----------
    structure
        Any :class:`PointParams` of the structure (sites, spins, scheme, bonds, channels).
    symmetry
        The sector: ``"u1"``, ``"parity"`` or ``"none"``; it must fit every point solved
        (:func:`batch_symmetry`).

    Raises
    ------
    MemoryLimitError
        When one point's dense system (or the parameter matrices) would not fit.
    """

    def __init__(self, structure: PointParams, symmetry: str) -> None:
        if symmetry not in SYMMETRIES:
            raise ValueError(f"symmetry = {symmetry!r}: expected one of {', '.join(SYMMETRIES)}")
        self.key = structure.structure_key()
        self.symmetry = symmetry
        self.is_qubits = structure.is_qubits
        self.n = structure.n
        space = Space(structure.dims)
        kind = block_kind(symmetry)
        dim = space.steady_sector_dim(kind)
        check_memory(_STACK_COPIES * 8.0 * dim * dim,
                     what=f"the batched dense solve (sector dimension {dim}, one point)",
                     alternatives="use solver = \"auto\" or \"gmres\" (per point)")
        basis = BlockBasis.build(space, kind)
        self.sector = sector = OperatorSector.steady(basis)
        self.dim = dim
        self.par = par = Parametrization(structure)
        real = _parameter_matrices(
            par, lambda net: real_operator(sector_liouvillian(net, sector), sector), symmetry)
        self.active = np.array([c for c in range(par.size) if real[c] is not None], dtype=np.int64)
        self.excluded = np.array([c for c in range(par.size) if real[c] is None], dtype=np.int64)
        # Stack as a sparse (D², K) matrix: column k is vec(L_k) (row-major).
        rows, cols, vals = [], [], []
        for k, c in enumerate(self.active):
            coo = sp.coo_matrix(real[int(c)])
            rows.append(coo.row.astype(np.int64) * dim + coo.col)
            cols.append(np.full(coo.nnz, k))
            vals.append(coo.data)
        stack = sp.coo_matrix(
            (np.concatenate(vals) if vals else np.zeros(0),
             (np.concatenate(rows) if rows else np.zeros(0, np.int64),
              np.concatenate(cols) if cols else np.zeros(0, np.int64))),
            shape=(dim * dim, max(len(self.active), 1)),
        ).tocsr()
        # Matrices are assembled by scattering Σ_k θ_k L_k onto the union of their
        # nonzeros: a dense GEMM (K × nnz) followed by one fancy-index write, ~5× faster
        # than a sparse product into (D², B) and its transpose.
        self.positions = np.flatnonzero(np.diff(stack.indptr))
        need = 8.0 * len(self.active) * self.positions.size
        check_memory(need, what=f"the parameter matrices of the batched solve ({format_bytes(need)})")
        self.coefficients = np.ascontiguousarray(stack[self.positions].toarray()[:, :len(self.active)].T)
        self.trace = sector.trace_vector()
        self.probe = np.random.default_rng(0).standard_normal(dim)
        self.pairs = list(combinations(range(self.n), 2))
        products = [_product(structure, [(j, "+"), (k, "-")]) for j, k in self.pairs]
        products += [_product(structure, [(j, "z")]) for j in range(self.n)]
        products += [_product(structure, [(j, "+")]) for j in range(self.n)]
        self.functionals = _functionals(sector, products)
        self.block_digits = [space.digits(basis.states[b]) for b, _ in sector.pairs]
        self.local: list[_LocalStates] = [_LocalStates(structure, par, j) for j in range(self.n)]

    # ---------------------------------------------------------------- parameters
    def theta(self, params: PointParams) -> NDArray[np.float64]:
        """Coefficients (P, K) of the parameter matrices L_k in use (the active columns)."""
        return self.par.theta(params)[:, self.active]

    def batch_size(self) -> int:
        return max(1, int(BATCH_MEMORY_BYTES // (_STACK_COPIES * 8 * self.dim**2)))

    def _check(self, params: PointParams, theta: NDArray[np.float64]) -> None:
        if params.structure_key() != self.key:
            raise ValueError("parameters do not match this structure")
        if self.excluded.size:
            off = theta[:, self.excluded] != 0
            if off.any():
                p, k = (int(x) for x in np.argwhere(off)[0])
                name = self.par.names[int(self.excluded[k])]
                raise ValueError(
                    f"the {self.symmetry!r} sector does not fit point {p}: its term {name} "
                    "breaks that symmetry (solve with the weakest symmetry of the points)")

    # ---------------------------------------------------------------- solve
    def solve(self, params: PointParams) -> dict[str, NDArray]:
        """Steady states of every point; see :func:`batch_steady` for the result keys."""
        if not params.count:
            n, npairs = self.n, len(self.pairs)
            return {"flipflop": np.zeros((0, npairs), complex), "magnetization": np.zeros((0, n)),
                    "fidelity": np.zeros(0), "residual": np.zeros(0), "min_eigenvalue": np.zeros(0),
                    "method": np.zeros(0, dtype="<U5"), "coherence": np.zeros((0, n), complex)}
        theta = self.par.theta(params)
        self._check(params, theta)
        probe = not _certified(params)
        roots = [loc.roots(theta) for loc in self.local]
        out: dict[str, list] = {k: [] for k in RESULT_KEYS}
        step = self.batch_size()
        for start in range(0, params.count, step):
            part = self._solve(theta[start:start + step], [r[start:start + step] for r in roots],
                               start, probe)
            for k in RESULT_KEYS:
                out[k].append(part[k])
        return {k: np.concatenate(v) for k, v in out.items()}

    def _solve(self, theta_all: NDArray[np.float64], roots: list[NDArray[np.complex128]],
               first: int, probe: bool) -> dict[str, NDArray]:
        dim, count = self.dim, theta_all.shape[0]
        mats = np.zeros((count, dim * dim))
        mats[:, self.positions] = theta_all[:, self.active] @ self.coefficients
        mats = mats.reshape(count, dim, dim)
        pivot = int(np.flatnonzero(self.trace)[0])
        pivot_row = mats[:, pivot, :].copy()  # the residual needs L's replaced row
        system, rhs, pivot = with_trace_row(mats, self.trace, in_place=True)  # no stack copy
        columns = [rhs.real] + ([np.broadcast_to(self.probe, (count, dim))] if probe else [])
        try:
            sol = np.linalg.solve(system, np.stack(columns, axis=-1))
        except np.linalg.LinAlgError:
            sign, _ = np.linalg.slogdet(system)
            bad = int(np.flatnonzero(sign == 0)[0]) if np.any(sign == 0) else 0
            raise NumericalError(_degenerate(first + bad, "exactly singular")) from None
        y = sol[..., 0]
        if probe:
            cond = (np.sqrt(np.einsum("bij,bij->b", system, system))
                    * np.linalg.norm(sol[..., 1], axis=1) / np.linalg.norm(self.probe))
            bad = ~(cond < DEGENERACY_COND)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise NumericalError(_degenerate(
                    first + i, f"ill-conditioned (condition number ≈ {cond[i]:.1e})"))
        # ‖L[X]‖_F / ‖X‖_F, both in real coordinates (‖Y‖_F = ‖X‖_F): the system's rows are
        # L's except the trace row, whose L row was kept.
        r = np.matmul(system, y[..., None])[..., 0]
        r[:, pivot] = np.einsum("bi,bi->b", pivot_row, y)
        residual = np.linalg.norm(r, axis=1) / np.linalg.norm(y, axis=1)
        x = to_complex(self.sector, y)
        values = (self.functionals @ x.T).T
        npairs, n = len(self.pairs), self.n
        sizes = self.sector.basis.sizes
        blocks = [x[:, int(o):int(o) + sizes[b] ** 2].reshape(count, sizes[b], sizes[b])
                  for (b, _), o in zip(self.sector.pairs, self.sector.offsets[:-1])]
        min_eig = np.min([np.linalg.eigvalsh(blk)[:, 0] for blk in blocks], axis=0)
        return {
            "flipflop": values[:, :npairs],
            "magnetization": values[:, npairs:npairs + n].real.copy(),
            "fidelity": self._fidelity(roots, blocks),
            "residual": residual,
            "min_eigenvalue": min_eig,
            "method": np.full(count, "batch"),
            "coherence": values[:, npairs + n:].copy(),
        }

    def _fidelity(self, roots: list[NDArray[np.complex128]], blocks: list[NDArray]) -> NDArray[np.float64]:
        """F(ρ_ss, ρ₀) = Σ_b Tr √(√σ_b ρ_b √σ_b) block by block, √ρ₀ = ⊗_j √ρ_j.

        √ρ₀ is assembled on each block from the local roots (d×d each), not taken of the
        assembled block: a pure local factor then gives exact zeros, where the root of a
        rank-deficient block would carry √(rounding) ≈ 1e-8 errors. ρ₀ and its root lie in
        the sector: without drives every ρ_j is diagonal (its local terms keep the local
        down count), and a drive forces the full space.
        """
        count = blocks[0].shape[0]
        valid = np.all([np.all(np.isfinite(r), axis=(1, 2)) for r in roots], axis=0)
        fid = np.full(count, np.nan)
        if not valid.any():
            return fid
        roots = [r[valid] for r in roots]
        total = np.zeros(int(valid.sum()))
        for digits, block in zip(self.block_digits, blocks):
            size = digits.shape[0]
            root = np.ones((total.size, size, size), dtype=complex)
            for j, local_root in enumerate(roots):
                a = digits[:, j]
                root *= local_root[:, a[:, None], a[None, :]]
            total += sqrt_trace(root @ block[valid] @ root)
        fid[valid] = total
        return fid


def _certified(params: PointParams) -> bool:
    """Whether every point's steady state is certified unique (Nigro's criterion on the
    local jumps, :func:`~spinsync.steady.certified_unique`; it depends on which jumps are
    present only, so one point per support pattern decides)."""
    return all(certified_unique(params.network(int(i)).terms) for i in params.patterns())


def _degenerate(point: int, how: str) -> str:
    return (f"point {point} of the batch: the steady state is not unique: the trace-row "
            f"system is {how} (the Liouvillian has a second zero mode); the model conserves "
            "something its dissipation does not fix")


_CACHE: OrderedDict[tuple, ParametricSteadyState] = OrderedDict()


def batch_symmetry(params: PointParams, xxz: bool | None = None, symmetry: str | None = None) -> str:
    """The sector a batched solve of ``params`` uses.

    ``symmetry`` if given, else ``params.symmetry`` (a sweep sets the weakest symmetry of
    all its points), else the weakest symmetry of these points' terms. ``xxz`` (legacy):
    True demands the U(1) sector, False excludes it (parity or weaker).
    """
    sym = symmetry or params.symmetry or params.weakest_symmetry()
    if sym not in SYMMETRIES:
        raise ValueError(f"symmetry = {sym!r}: expected one of {', '.join(SYMMETRIES)}")
    if xxz is True and sym != "u1":
        raise ValueError("magnetization sector needs every point to keep U(1) "
                         f"(Uˣ = Uʸ on every bond, no drive); these keep only {sym!r}")
    if xxz is False and sym == "u1":
        sym = "parity"
    return sym


def batch_steady(params: PointParams, xxz: bool | None = None, *,
                 symmetry: str | None = None) -> dict[str, NDArray]:
    """Steady-state observables of every point of ``params`` by stacked dense solves.

    Parameters
    ----------
    params
        The points (one network structure: qubits or spins, with bonds and channels).
    xxz
        Legacy switch: True demands the U(1) (magnetization) sector, False the parity
        sector or a weaker one; default: see ``symmetry``.
    symmetry
        The sector (``"u1"``, ``"parity"``, ``"none"``); default ``params.symmetry``, else
        the weakest symmetry of the points' terms (:func:`batch_symmetry`).

    Returns
    -------
    dict
        ``flipflop`` (P, N_pairs) complex ⟨σ⁺_jσ⁻_k⟩ (spins: ⟨J⁺_jJ⁻_k⟩) for pairs j < k in
        ``itertools.combinations`` order; ``magnetization`` (P, N) ⟨σᶻ_j⟩ (spins: ⟨Jᶻ_j⟩);
        ``coherence`` (P, N) complex ⟨σ⁺_j⟩ (spins: ⟨J⁺_j⟩); ``fidelity`` (P,) Uhlmann
        F(ρ_ss, ρ₀), NaN where ρ₀ is undefined; ``residual`` (P,) ‖L[ρ]‖_F/‖ρ‖_F;
        ``min_eigenvalue`` (P,) of ρ_ss; ``method`` (P,) the string ``"batch"``.

    Raises
    ------
    ValueError
        A requested sector that some point's terms do not keep.
    NumericalError
        A point whose steady state is not unique (second zero mode).
    MemoryLimitError
        A sector too large for dense stacks.
    """
    sym = batch_symmetry(params, xxz, symmetry)
    key = (params.structure_key(), sym)
    solver = _CACHE.get(key)
    if solver is None:
        solver = ParametricSteadyState(params, sym)
        _CACHE[key] = solver
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return solver.solve(params)
