"""The compiled model: its Hamiltonian and jump operators as data (the operator layer).

A :class:`~spinsync.model.Network` compiles once (:func:`compile_network`, cached as
``network.terms``) into a :class:`Terms` object. Every solver — analytic, direct, GMRES,
dynamics, sweeps, theory — reads this description; none re-derives operators from the
model's fields.

Two views of the same terms:

* **global operators** — :attr:`Terms.hamiltonian` and :attr:`Terms.jumps` are
  :class:`Operator` objects: sums of :class:`Product` terms c·⊗_{j∈S} A_j whose local factors
  are *homogeneous* (one shift each, :mod:`spinsync.operators.local`), so every product maps a
  basis state to at most one basis state and knows the down-count shift it makes. An
  operator may instead carry a sparse matrix on the whole space (operators that come from
  outside, e.g. QuTiP: :meth:`Terms.from_operators`).
* **local structure** — per-site Hamiltonians and dissipators, two-site bond Hamiltonians
  and collective channels, for what is computed site by site without any 4ᴺ object: the
  product state ρ₀ and its exact residual (:mod:`spinsync.steady.analytic`).

Jump operators carry their rates: a dissipator ½γ D[A] (the conventions' factor ½) is the
collapse operator c = √(γ/2)·A, and L[ρ] = −i[H, ρ] + Σ_c (cρc† − ½{c†c, ρ}).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .local import PAULI, shift_components, spin_matrices
from .space import Space

__all__ = ["Product", "Operator", "Jump", "BondGroup", "Channel", "Terms", "compile_network"]

Matrix = NDArray[np.complex128]


@dataclass(frozen=True, eq=False)
class Product:
    """coefficient · ⊗_{j ∈ sites} matrices[j] (identity elsewhere); every factor homogeneous.

    Attributes
    ----------
    sites
        Distinct sites, increasing.
    matrices
        One local matrix per site, each with a single shift (row − column index).
    shifts
        The shift of each factor; :attr:`shift` is their sum (the down-count change).
    """

    coefficient: complex
    sites: tuple[int, ...]
    matrices: tuple[Matrix, ...]
    shifts: tuple[int, ...]

    @property
    def shift(self) -> int:
        return int(sum(self.shifts))

    @property
    def is_real(self) -> bool:
        return complex(self.coefficient).imag == 0 and all(not np.any(m.imag) for m in self.matrices)

    def factor_weights(self, k: int) -> tuple[NDArray[np.complex128], NDArray[np.bool_]]:
        """For factor k: w[a] = A[a + δ, a] and whether a + δ is a valid local index."""
        mat, delta = self.matrices[k], self.shifts[k]
        d = mat.shape[0]
        a = np.arange(d)
        valid = (a + delta >= 0) & (a + delta < d)
        w = np.zeros(d, dtype=complex)
        w[valid] = mat[a[valid] + delta, a[valid]]
        return w, valid & (w != 0)


def _homogeneous_products(coefficient: complex, sites: Sequence[int],
                          matrices: Sequence[Matrix]) -> list[Product]:
    """Expand c·⊗A_j into homogeneous products (one per combination of factor shifts)."""
    if coefficient == 0:
        return []
    order = np.argsort(sites)
    sites = [int(sites[i]) for i in order]
    matrices = [np.asarray(matrices[i], dtype=complex) for i in order]
    parts = [sorted(shift_components(m).items()) for m in matrices]
    out: list[Product] = [Product(complex(coefficient), (), (), ())]
    for site, choices in zip(sites, parts):
        out = [Product(p.coefficient, p.sites + (site,), p.matrices + (mat,), p.shifts + (delta,))
               for p in out for delta, mat in choices]
    return out


@dataclass(frozen=True, eq=False)
class Operator:
    """A sum of :class:`Product` terms, or a sparse matrix on the whole space (external).

    Attributes
    ----------
    products
        The terms (empty for an external operator).
    matrix
        CSR matrix on the whole space in the basis order of :mod:`~spinsync.operators.space`,
        or None.
    """

    products: tuple[Product, ...] = ()
    matrix: sp.csr_matrix | None = None

    @property
    def is_zero(self) -> bool:
        if self.matrix is not None:
            return self.matrix.count_nonzero() == 0
        return not self.products

    def shifts(self, space: Space) -> frozenset[int]:
        """The down-count shifts this operator makes (its entries' K(row) − K(column))."""
        if self.matrix is None:
            return frozenset(p.shift for p in self.products)
        coo = self.matrix.tocoo()
        keep = coo.data != 0
        rows = coo.row[keep].astype(np.int64)
        cols = coo.col[keep].astype(np.int64)
        return frozenset(np.unique(space.down_counts(rows) - space.down_counts(cols)).tolist())

    @property
    def is_real(self) -> bool:
        if self.matrix is not None:
            return not np.any(self.matrix.data.imag)
        return all(p.is_real for p in self.products)

    @property
    def is_monomial(self) -> bool:
        """A single product: it maps each basis state to at most one basis state."""
        return self.matrix is None and len(self.products) == 1


@dataclass(frozen=True, eq=False)
class Jump:
    """One collapse operator c (rate included: c = √(γ/2)·A), with where it came from.

    Attributes
    ----------
    operator
        c as an :class:`Operator`.
    label
        ``"damping[3]"``, ``"gain[0]"``, ``"dephasing[2]"``, ``"collective[0]"``, ``"c_ops[1]"``.
    rate
        γ of the dissipator ½γ D[A] (for external operators: ‖c‖² scale, informational).
    """

    operator: Operator
    label: str
    rate: float


@dataclass(frozen=True, eq=False)
class BondGroup:
    """Two-site Hamiltonian terms U_b = Σ_p coefficients[b, p] · left[p] ⊗ right[p] on bonds b.

    Bonds of one group share the local dimensions (d_left, d_right).
    """

    sites: NDArray[np.int64]  # (B, 2), j < k
    left: NDArray[np.complex128]  # (P, d_left, d_left)
    right: NDArray[np.complex128]  # (P, d_right, d_right)
    coefficients: NDArray[np.complex128]  # (B, P)

    def matrices(self) -> NDArray[np.complex128]:
        """U_b as dense (B, d_l d_r, d_l d_r) matrices (memory B·(d_l d_r)²·16 bytes)."""
        kron = np.einsum("pab,pcd->pacbd", self.left, self.right)
        dl, dr = self.left.shape[1], self.right.shape[1]
        return np.einsum("bp,pxy->bxy", self.coefficients,
                         kron.reshape(len(self.left), dl * dr, dl * dr))


@dataclass(frozen=True, eq=False)
class Channel:
    """A collective collapse operator c = Σ_{j ∈ sites} A_j (rates included)."""

    label: str
    rate: float
    sites: tuple[int, ...]
    matrices: tuple[Matrix, ...]  # A_j·√(γ/2), one per site of ``sites``


@dataclass(frozen=True, eq=False)
class Terms:
    """The compiled description of a model (see the module docstring).

    Attributes
    ----------
    space
        The sites' local dimensions.
    convention
        ``"qubits"``, ``"spins"`` or ``"external"`` (operators given as matrices).
    local_hamiltonian
        Per site: the d_j×d_j Hamiltonian acting on that site alone (fields, drives).
    local_jumps
        Per site: ``(label, collapse matrix)`` of its own dissipators.
    bonds
        Two-site Hamiltonian terms, grouped by local dimensions.
    channels
        Collective collapse operators.
    external_hamiltonian, external_jumps
        Operators given as sparse matrices on the whole space (``convention="external"``).
    """

    space: Space
    convention: str
    local_hamiltonian: tuple[Matrix, ...] = ()
    local_jumps: tuple[tuple[tuple[str, float, Matrix], ...], ...] = ()
    bonds: tuple[BondGroup, ...] = ()
    channels: tuple[Channel, ...] = ()
    external_hamiltonian: sp.csr_matrix | None = None
    external_jumps: tuple[tuple[str, sp.csr_matrix], ...] = ()

    @property
    def n(self) -> int:
        return self.space.n

    @property
    def is_external(self) -> bool:
        return self.convention == "external"

    # ------------------------------------------------------------------ global view
    @cached_property
    def hamiltonian(self) -> Operator:
        """H as homogeneous products (or the external sparse matrix)."""
        if self.is_external:
            h = self.external_hamiltonian
            return Operator(matrix=h if h is not None else sp.csr_matrix((self.space.dim,) * 2))
        products: list[Product] = []
        for j, h in enumerate(self.local_hamiltonian):
            products += _homogeneous_products(1.0, [j], [h])
        for group in self.bonds:
            for (j, k), coeffs in zip(group.sites, group.coefficients):
                for p, c in enumerate(coeffs):
                    products += _homogeneous_products(c, [j, k], [group.left[p], group.right[p]])
        return Operator(tuple(p for p in products if p.coefficient != 0))

    @cached_property
    def jumps(self) -> tuple[Jump, ...]:
        """Every collapse operator: local dissipators, then collective channels."""
        if self.is_external:
            return tuple(Jump(Operator(matrix=m), label, float(abs(m).power(2).sum()))
                         for label, m in self.external_jumps)
        out: list[Jump] = []
        for j, jumps in enumerate(self.local_jumps):
            for label, rate, mat in jumps:
                out.append(Jump(Operator(tuple(_homogeneous_products(1.0, [j], [mat]))), label, rate))
        for ch in self.channels:
            products: list[Product] = []
            for j, mat in zip(ch.sites, ch.matrices):
                products += _homogeneous_products(1.0, [j], [mat])
            out.append(Jump(Operator(tuple(products)), ch.label, ch.rate))
        return tuple(j for j in out if not j.operator.is_zero)

    @cached_property
    def symmetry(self) -> str:
        """``"u1"``, ``"parity"`` or ``"none"``: see :func:`spinsync.operators.symmetry.detect`."""
        from .symmetry import detect

        return detect(self)

    @property
    def has_local_structure(self) -> bool:
        """True when the product state ρ₀ and its residual can be analysed site by site."""
        return not self.is_external

    def site_jumps(self, j: int) -> list[Matrix]:
        """Every collapse matrix acting on site j alone: its dissipators and the single-site
        (j = k) part of each collective channel containing j (the local Liouvillian's jumps)."""
        mats = [m for _, _, m in self.local_jumps[j]]
        for ch in self.channels:
            if j in ch.sites:
                mats.append(ch.matrices[ch.sites.index(j)])
        return mats

    def rate_scale(self) -> float:
        """Largest entry scale of L (rate unit): max of |H| entries and ‖c‖² of the jumps.

        From the structured terms (no expansion into products), so it is cheap at any N.
        """
        if self.is_external:
            scale = float(abs(self.external_hamiltonian).max()) if (
                self.external_hamiltonian is not None and self.external_hamiltonian.nnz) else 0.0
            for _, m in self.external_jumps:
                if m.nnz:
                    scale = max(scale, float(abs(m).max()) ** 2)
            return scale
        scale = max((float(np.abs(h).max()) for h in self.local_hamiltonian), default=0.0)
        for group in self.bonds:
            if len(group.sites):
                factor = np.abs(group.left).max(axis=(1, 2)) * np.abs(group.right).max(axis=(1, 2))
                scale = max(scale, float((np.abs(group.coefficients) * factor).max()))
        for jumps in self.local_jumps:
            for _, _, m in jumps:
                scale = max(scale, float(np.abs(m).max()) ** 2)
        for ch in self.channels:
            scale = max(scale, (len(ch.sites) * max(float(np.abs(m).max()) for m in ch.matrices)) ** 2)
        return scale

    def min_jump_rate(self) -> float:
        """Smallest non-zero entry scale ‖c‖² among the collapse operators (0 if none)."""
        if self.is_external:
            vals = [float(abs(m).max()) ** 2 for _, m in self.external_jumps if m.nnz]
        else:
            vals = [float(np.abs(m).max()) ** 2 for jumps in self.local_jumps for _, _, m in jumps]
            vals += [max(float(np.abs(m).max()) for m in ch.matrices) ** 2 for ch in self.channels]
        return min((v for v in vals if v > 0), default=0.0)

    # ------------------------------------------------------------------ external input
    @classmethod
    def from_operators(cls, space: Space | Sequence[int], hamiltonian: sp.spmatrix | None,
                       jumps: Sequence[sp.spmatrix]) -> "Terms":
        """Terms of operators given as (sparse or dense) matrices on the whole space.

        ``jumps`` are collapse operators with their rates included (L = −i[H,·] + Σ D[c]).
        """
        space = Space.of(space)
        dim = space.dim
        def as_csr(m: object, name: str) -> sp.csr_matrix:
            mat = sp.csr_matrix(m, dtype=complex)
            if mat.shape != (dim, dim):
                from ..errors import ModelError

                raise ModelError(f"{name}: shape {mat.shape}, expected ({dim}, {dim}) for dims {space.dims}")
            mat.eliminate_zeros()
            return mat
        h = None if hamiltonian is None else as_csr(hamiltonian, "H")
        cs = tuple((f"c_ops[{i}]", as_csr(c, f"c_ops[{i}]")) for i, c in enumerate(jumps))
        return cls(space=space, convention="external", external_hamiltonian=h, external_jumps=cs)


# --------------------------------------------------------------------------- compile
def _ladder(convention: str, d: int) -> dict[str, Matrix]:
    """Local operators of one site: J's for spins, Pauli matrices for qubits."""
    if convention == "qubits":
        return {"z": PAULI["z"], "+": PAULI["+"], "-": PAULI["-"]}
    s = (d - 1) / 2
    j = spin_matrices(s)
    return {"z": j.z, "+": j.plus, "-": j.minus}


def _bond_groups(network, dims: tuple[int, ...]) -> tuple[BondGroup, ...]:
    """Uˣ σˣσˣ + Uʸ σʸσʸ + Uᶻ σᶻσᶻ in ladder form (exact zeros where Uˣ = Uʸ):
    (Uˣ+Uʸ)(σ⁺σ⁻ + σ⁻σ⁺) + (Uˣ−Uʸ)(σ⁺σ⁺ + σ⁻σ⁻) + Uᶻ σᶻσᶻ; for spins JᵅJᵅ with factors ¼."""
    if not len(network.bond_sites):
        return ()
    sites = np.asarray(network.bond_sites, dtype=np.int64)
    u = np.asarray(network.bond_couplings, dtype=float)
    flip = 1.0 if network.kind == "qubits" else 0.25
    coeff = np.stack([
        flip * (u[:, 0] + u[:, 1]), flip * (u[:, 0] + u[:, 1]),
        flip * (u[:, 0] - u[:, 1]), flip * (u[:, 0] - u[:, 1]), u[:, 2],
    ], axis=1).astype(complex)
    dim_arr = np.asarray(dims, dtype=np.int64)
    keys = np.stack([dim_arr[sites[:, 0]], dim_arr[sites[:, 1]]], axis=1)
    groups = []
    for key in np.unique(keys, axis=0):
        idx = np.flatnonzero(np.all(keys == key, axis=1))
        lo, ro = _ladder(network.kind, int(key[0])), _ladder(network.kind, int(key[1]))
        left = np.stack([lo["+"], lo["-"], lo["+"], lo["-"], lo["z"]])
        right = np.stack([ro["-"], ro["+"], ro["+"], ro["-"], ro["z"]])
        groups.append(BondGroup(sites[idx], left, right, coeff[idx]))
    return tuple(groups)


def compile_network(network) -> Terms:
    """The :class:`Terms` of a :class:`~spinsync.model.Network` (docs/conventions.md).

    Qubits: H_j = (ω_j/2 + B)σᶻ + (Ω_j/2)(e^{−iφ_j}σ⁺ + e^{iφ_j}σ⁻); jumps √(Γᵍ/2)σ⁺,
    √(Γᵈ/2)σ⁻, √(Γᵠ/2)σᶻ. Spins: H_j = (ω_j/2 + B)Jᶻ + (Ω_j/2)(e^{−iφ_j}J⁺ + e^{iφ_j}J⁻)
    (= Ω_j(cos φ_j Jˣ + sin φ_j Jʸ)); jumps √(γᵍ/2)A⁺, √(γᵈ/2)A⁻, √(γᵠ/2)Jᶻ with A± = J± or
    J±Jᶻ. Collective channels: √(γ/2) Σ_{j∈S} A_j with A = lowering, raising or z operator.
    """
    dims = network.dims
    space = Space(dims)
    kind = network.kind
    local_h: list[Matrix] = []
    local_j: list[tuple[tuple[str, float, Matrix], ...]] = []
    for j, d in enumerate(dims):
        ops = _ladder(kind, d)
        phase = np.exp(-1j * network.drive_phase[j])
        h = (network.omega[j] / 2 + network.field) * ops["z"]
        h = h + (network.drive[j] / 2) * (phase * ops["+"] + np.conj(phase) * ops["-"])
        local_h.append(np.asarray(h, dtype=complex))
        if kind == "qubits" or network.scheme == "gain-damping":
            up, down = ops["+"], ops["-"]
        else:  # Roulet–Bruder: J⁺Jᶻ, J⁻Jᶻ
            up, down = ops["+"] @ ops["z"], ops["-"] @ ops["z"]
        jumps = []
        for label, rate, mat in (("gain", network.gain[j], up), ("damping", network.damping[j], down),
                                 ("dephasing", network.dephasing[j], ops["z"])):
            if rate > 0:
                jumps.append((f"{label}[{j}]", float(rate), np.sqrt(rate / 2) * mat))
        local_j.append(tuple(jumps))
    channels = []
    for i, ch in enumerate(network.collective):
        if ch.rate <= 0:
            continue
        name = {"lowering": "-", "raising": "+", "dephasing": "z"}[ch.operator]
        mats = tuple(np.sqrt(ch.rate / 2) * _ladder(kind, dims[j])[name] for j in ch.sites)
        channels.append(Channel(f"collective[{i}]", float(ch.rate), tuple(ch.sites), mats))
    return Terms(
        space=space, convention=kind, local_hamiltonian=tuple(local_h), local_jumps=tuple(local_j),
        bonds=_bond_groups(network, dims), channels=tuple(channels),
    )
