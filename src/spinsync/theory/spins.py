"""Networks of spins of any size s with the two dissipation schemes of the supplement (S.M. IV).

Model (supplement Eq. S29, generalized from two sites to n, ħ = 1)::

    dρ/dt = −i[Σ_j (ω_j/2) Jᶻ_j + Σ_bonds Σ_α Uᵅ_jk Jᵅ_j Jᵅ_k, ρ]
            + ½ Σ_j ( γᵍ_j D[A⁺_j] + γᵈ_j D[A⁻_j] ) ρ,     D[A]ρ = AρA† − ½{A†A, ρ}

with spin operators J (dimension 2s+1, [Jˣ, Jʸ] = iJᶻ, no factor 2: for s = ½, J = σ/2)
in the basis |s, s⟩, |s, s−1⟩, …, |s, −s⟩ (for s = 1: |1,1⟩, |1,0⟩, |1,−1⟩; for s = ½ this is
the qubit basis (|↑⟩, |↓⟩) of CONVENTIONS.md). Note S29's ω_j/2·Jᶻ: for s = ½ it is ω σᶻ/4,
half the qubit H₀ of Eq. 2, and Uᵅ JᵅJᵅ = (Uᵅ/4) σᵅσᵅ — the tests use this exact map.

Two jump-operator schemes:

* ``"gain-damping"`` (i): A± = J± exactly as printed in Eq. S29. A single site relaxes
  to ρ ∝ (γᵍ/γᵈ)^{Jᶻ} (detailed balance between neighbouring m), diagonal, and for s = ½
  the qubit limit cycle.
* ``"roulet-bruder"`` (ii): A⁺ = J⁺Jᶻ (rate γᵍ) and A⁻ = J⁻Jᶻ (rate γᵈ), the scheme of
  Roulet & Bruder (PRL 121, 053601 and 063601, 2018). For s = 1 both jumps pump
  |1, ±1⟩ → |1, 0⟩ and annihilate |1, 0⟩, so the limit cycle is the pure state |1, 0⟩ of
  Eq. S27 for any positive rates.

This is a small dense solver (dimension (2s+1)ⁿ, Liouvillian (2s+1)⁴ⁿ entries); qubit
networks keep their sparse, symmetry-blocked path in :mod:`spinsync.steadystate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from typing import Iterable, Literal, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from ..measures import fidelity
from ..states import BlockState
from ..model import site_vector as _site_vector, validate_bonds as _validate_bonds


def _as_vector(name, values, n):
    return _site_vector(name, values, n)
from .lindblad import apply_lindbladian, lindbladian, steady_state_dense

__all__ = [
    "Scheme",
    "SCHEMES",
    "SpinOperators",
    "spin_operators",
    "SpinNetwork",
    "partial_trace",
    "von_neumann_entropy",
    "mutual_information",
]

Scheme = Literal["gain-damping", "roulet-bruder"]
SCHEMES: tuple[str, ...] = ("gain-damping", "roulet-bruder")
Matrix = NDArray[np.complex128]

#: Largest Hilbert-space dimension of a spin network (the dense Liouvillian has d⁴
#: complex entries: 16 MB at d = 32, e.g. three spin-1 sites (d = 27) or five qubits).
MAX_SPIN_DIM = 32


@dataclass(frozen=True)
class SpinOperators:
    """Spin-s matrices in the basis m = s, s−1, …, −s (ħ = 1)."""

    s: float
    x: Matrix
    y: Matrix
    z: Matrix
    plus: Matrix
    minus: Matrix

    @property
    def dim(self) -> int:
        return int(self.z.shape[0])

    def __getitem__(self, name: str) -> Matrix:
        return {"x": self.x, "y": self.y, "z": self.z, "+": self.plus, "-": self.minus}[name]


def _check_spin(s: float) -> float:
    try:
        two_s = Fraction(s).limit_denominator(4) * 2
    except (TypeError, ValueError) as exc:
        raise ModelError(f"spin s = {s!r}: must be a number") from exc
    if two_s.denominator != 1 or two_s < 1 or abs(float(two_s) / 2 - float(s)) > 1e-12:
        raise ModelError(f"spin s = {s!r}: must be a positive integer or half-integer")
    return float(two_s) / 2


def spin_operators(s: float) -> SpinOperators:
    """Jˣ, Jʸ, Jᶻ, J⁺, J⁻ for spin ``s`` (½, 1, 3/2, …)."""
    s = _check_spin(s)
    m = s - np.arange(int(round(2 * s)) + 1)
    # J⁺|s, m⟩ = √(s(s+1) − m(m+1)) |s, m+1⟩; |m+1⟩ sits one row above |m⟩.
    plus = np.diag(np.sqrt(s * (s + 1) - m[1:] * (m[1:] + 1)), k=1).astype(complex)
    minus = plus.conj().T
    return SpinOperators(
        s=s, x=(plus + minus) / 2, y=(plus - minus) / 2j, z=np.diag(m).astype(complex),
        plus=plus, minus=minus,
    )


@dataclass(frozen=True, eq=False)
class SpinNetwork:
    """n spins of size s with gain/damping jumps of one scheme and XYZ couplings (Eq. S29).

    Parameters
    ----------
    s
        Spin size (½, 1, 3/2, …); every site has the same s.
    gain, damping
        γᵍ_j, γᵈ_j ≥ 0 (rate unit; they enter with the factor ½ of Eq. S29, so the
        collapse operators are √(γ/2)·A).
    scheme
        ``"gain-damping"`` (A± = J±) or ``"roulet-bruder"`` (A± = J±Jᶻ).
    omega
        ω_j; the Hamiltonian holds (ω_j/2) Jᶻ_j as printed in S29. Default 0.
    bonds
        ``(j, k, ux, uy, uz)``: Σ_α Uᵅ Jᵅ_j Jᵅ_k, each pair once.
    """

    s: float
    gain: NDArray[np.float64]
    damping: NDArray[np.float64]
    scheme: str
    omega: NDArray[np.float64]
    bond_sites: NDArray[np.int64]
    bond_couplings: NDArray[np.float64]

    def __init__(
        self,
        s: float,
        gain: ArrayLike,
        damping: ArrayLike,
        scheme: str = "gain-damping",
        omega: ArrayLike | None = None,
        bonds: Iterable[Sequence[float]] = (),
    ) -> None:
        s = _check_spin(s)
        g = _as_vector("gain", gain, None)
        n = g.size
        d = _as_vector("damping", damping, n)
        w = np.zeros(n) if omega is None else _as_vector("omega", omega, n)
        if np.any(g < 0) or np.any(d < 0):
            raise ModelError("gain and damping rates must be ≥ 0")
        if np.any(g + d <= 0):
            raise ModelError(f"site {int(np.flatnonzero(g + d <= 0)[0])}: needs γᵍ + γᵈ > 0")
        if scheme not in SCHEMES:
            raise ModelError(f"scheme = {scheme!r}: expected one of {', '.join(SCHEMES)}")
        dim = int(round(2 * s + 1)) ** n
        if dim > MAX_SPIN_DIM:
            raise ModelError(
                f"{n} spins of s = {s}: Hilbert dimension {dim} > {MAX_SPIN_DIM} "
                "(dense solver for small spin systems only)"
            )
        sites, couplings = _validate_bonds(list(bonds), n)
        for name, val in (("s", s), ("gain", g), ("damping", d), ("scheme", scheme),
                          ("omega", w), ("bond_sites", sites), ("bond_couplings", couplings)):
            object.__setattr__(self, name, val)

    # ------------------------------------------------------------------ structure
    @property
    def n(self) -> int:
        return int(self.gain.size)

    @property
    def local_dim(self) -> int:
        return int(round(2 * self.s + 1))

    @property
    def dim(self) -> int:
        return self.local_dim**self.n

    @property
    def ops(self) -> SpinOperators:
        return spin_operators(self.s)

    @property
    def is_xxz(self) -> bool:
        c = self.bond_couplings
        return bool(np.all(c[:, 0] == c[:, 1])) if c.size else True

    def replace(self, **changes: object) -> "SpinNetwork":
        """A copy with some of ``s, gain, damping, scheme, omega, bonds`` replaced."""
        kw: dict[str, object] = dict(
            s=self.s, gain=self.gain, damping=self.damping, scheme=self.scheme,
            omega=self.omega,
            bonds=[(int(j), int(k), *map(float, c)) for (j, k), c in zip(self.bond_sites, self.bond_couplings)],
        )
        kw.update(changes)
        return SpinNetwork(**kw)  # type: ignore[arg-type]

    def site_operator(self, j: int, op: Matrix | str) -> Matrix:
        """``op`` (a local matrix or one of x, y, z, +, −) on site j, identity elsewhere."""
        local = self.ops[op] if isinstance(op, str) else np.asarray(op, dtype=complex)
        eye = np.eye(self.local_dim, dtype=complex)
        return reduce(np.kron, [local if l == j else eye for l in range(self.n)])

    def jump_operators(self) -> tuple[Matrix, Matrix]:
        """Local (A⁺, A⁻) of the scheme: (J⁺, J⁻) or (J⁺Jᶻ, J⁻Jᶻ)."""
        o = self.ops
        if self.scheme == "gain-damping":
            return o.plus, o.minus
        return o.plus @ o.z, o.minus @ o.z

    def hamiltonian(self) -> Matrix:
        """Σ_j (ω_j/2) Jᶻ_j + Σ_bonds Σ_α Uᵅ Jᵅ_j Jᵅ_k (Eq. S29)."""
        h = np.zeros((self.dim, self.dim), dtype=complex)
        for j in range(self.n):
            if self.omega[j]:
                h += self.omega[j] / 2 * self.site_operator(j, "z")
        h += self.interaction()
        return h

    def interaction(self) -> Matrix:
        """U = Σ_bonds Σ_α Uᵅ Jᵅ_j Jᵅ_k (Eq. S28)."""
        u = np.zeros((self.dim, self.dim), dtype=complex)
        for (j, k), coup in zip(self.bond_sites, self.bond_couplings):
            for a, name in enumerate("xyz"):
                if coup[a]:
                    u += coup[a] * self.site_operator(j, name) @ self.site_operator(k, name)
        return u

    def collapse_operators(self) -> list[Matrix]:
        """√(γᵍ_j/2) A⁺_j and √(γᵈ_j/2) A⁻_j (the ½ of Eq. S29), zero rates omitted."""
        up, down = self.jump_operators()
        out = []
        for j in range(self.n):
            if self.gain[j] > 0:
                out.append(np.sqrt(self.gain[j] / 2) * self.site_operator(j, up))
            if self.damping[j] > 0:
                out.append(np.sqrt(self.damping[j] / 2) * self.site_operator(j, down))
        return out

    def liouvillian(self) -> Matrix:
        """Dense Lindbladian (row-major vec, as in :mod:`spinsync.liouvillian`)."""
        return lindbladian(self.hamiltonian(), self.collapse_operators())

    def apply(self, rho: Matrix) -> Matrix:
        """L[ρ] from the master equation directly."""
        return apply_lindbladian(self.hamiltonian(), self.collapse_operators(), rho)

    # ------------------------------------------------------------------ states
    def site_steady_state(self, j: int) -> Matrix:
        """The limit cycle of site j alone (no bonds): its (2s+1)×(2s+1) steady state."""
        single = SpinNetwork(self.s, [self.gain[j]], [self.damping[j]], self.scheme, [self.omega[j]])
        return single.steady_state()

    def product_state(self) -> Matrix:
        """ρ₀ = ⊗_j ρ_{j,LC}: the non-interacting steady state (S.M. IV)."""
        return reduce(np.kron, [self.site_steady_state(j) for j in range(self.n)])

    def steady_state(self) -> Matrix:
        """The steady state (dense); raises NumericalError if it is not unique."""
        return steady_state_dense(self.liouvillian())

    def product_residual(self) -> float:
        """‖L[ρ₀]‖_F / ‖ρ₀‖_F = ‖[U, ρ₀]‖_F / ‖ρ₀‖_F (the dissipators and H₀ annihilate ρ₀)."""
        rho0 = self.product_state()
        return float(np.linalg.norm(self.apply(rho0)) / np.linalg.norm(rho0))

    # ------------------------------------------------------------------ measures
    def expectation(self, rho: Matrix, op: Matrix) -> complex:
        return complex(np.trace(rho @ op))

    def connected_correlations(self, rho: Matrix, j: int, k: int) -> NDArray[np.float64]:
        """3×3 real matrix ⟨Jᵅ_j Jᵝ_k⟩ − ⟨Jᵅ_j⟩⟨Jᵝ_k⟩, α, β ∈ {x, y, z}."""
        out = np.zeros((3, 3))
        for a, na in enumerate("xyz"):
            oa = self.site_operator(j, na)
            ea = self.expectation(rho, oa)
            for b, nb in enumerate("xyz"):
                ob = self.site_operator(k, nb)
                out[a, b] = (self.expectation(rho, oa @ ob) - ea * self.expectation(rho, ob)).real
        return out

    def max_connected_correlation(self, rho: Matrix) -> float:
        """max over pairs and α, β of |⟨Jᵅ_jJᵝ_k⟩ − ⟨Jᵅ_j⟩⟨Jᵝ_k⟩| (0 for one site)."""
        vals = [np.abs(self.connected_correlations(rho, j, k)).max()
                for j in range(self.n) for k in range(j + 1, self.n)]
        return float(max(vals, default=0.0))

    def flipflop(self, rho: Matrix, j: int, k: int) -> complex:
        """⟨J⁺_j J⁻_k⟩ (the spin analogue of the qubits' ⟨σ⁺_jσ⁻_k⟩)."""
        return self.expectation(rho, self.site_operator(j, "+") @ self.site_operator(k, "-"))

    def fidelity_to_product(self, rho: Matrix) -> float:
        """Uhlmann fidelity F(ρ, ρ₀) ∈ [0, 1] (not squared)."""
        # Dense matrices of spins: their local dimensions are given, not inferred from 2ᴺ.
        dims = (int(round(2 * self.s + 1)),) * self.n
        return float(fidelity(BlockState.from_dense(np.asarray(rho), dims=dims),
                              BlockState.from_dense(self.product_state(), dims=dims)))


# ------------------------------------------------------------------ information measures
def partial_trace(rho: Matrix, dims: Sequence[int], keep: Sequence[int]) -> Matrix:
    """Reduced density matrix on the subsystems ``keep`` (in increasing order)."""
    dims = list(dims)
    n = len(dims)
    t = np.asarray(rho).reshape(dims + dims)
    keep = sorted(keep)
    # Contract each traced subsystem's ket index with its bra index.
    letters = "abcdefghijklmnopqrstuvwxyz"
    ket = [letters[i] for i in range(n)]
    bra = [letters[n + i] if i in keep else letters[i] for i in range(n)]
    out = "".join(ket[i] for i in keep) + "".join(bra[i] for i in keep)
    dk = int(np.prod([dims[i] for i in keep])) if keep else 1
    res = np.einsum("".join(ket) + "".join(bra) + "->" + out, t)
    return res.reshape(dk, dk)


def von_neumann_entropy(rho: Matrix) -> float:
    """S(ρ) = −Tr ρ ln ρ in nats (eigenvalues below 1e-14 contribute 0)."""
    vals = np.linalg.eigvalsh((rho + np.conj(rho).T) / 2)
    vals = vals[vals > 1e-14]
    return float(-np.sum(vals * np.log(vals)))


def mutual_information(rho: Matrix, dims: Sequence[int], j: int, k: int) -> float:
    """I(j:k) = S(ρ_j) + S(ρ_k) − S(ρ_jk) in nats: zero iff ρ_jk = ρ_j ⊗ ρ_k."""
    rj = partial_trace(rho, dims, [j])
    rk = partial_trace(rho, dims, [k])
    rjk = partial_trace(rho, dims, [j, k])
    return von_neumann_entropy(rj) + von_neumann_entropy(rk) - von_neumann_entropy(rjk)
