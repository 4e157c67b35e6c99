"""Moment equations of a qubit network: mean field and second-order cumulants.

Unknowns: the Bloch vectors m_j^α = ⟨σᵅ_j⟩ (α = x, y, z) and, at second order, the connected
pair correlations C_jk^{αβ} = ⟨σᵅ_jσᵝ_k⟩ − m_j^α m_k^β (j ≠ k). The exact equations
d⟨O⟩/dt = ⟨L†(O)⟩ of one- and two-site O involve up to three-site moments; the *cumulant
closure* sets the third-order cumulants to zero,

    ⟨ABC⟩ ≈ ⟨AB⟩⟨C⟩ + ⟨AC⟩⟨B⟩ + ⟨BC⟩⟨A⟩ − 2⟨A⟩⟨B⟩⟨C⟩,

and mean field (order 1) sets C = 0. Nothing else is approximated: for two qubits the pair
equations are exact (no third site), and for any state whose third cumulants vanish the
closed equations equal the exact derivatives (the tests check this identity term by term).

Every coefficient comes from the compiled terms (:class:`~spinsync.operators.terms.Terms`)
through the Pauli basis σ^μ (μ = 0 … 3, σ⁰ = 1) and its structure constants — products
σ^μσ^ν = Σ_κ f^{μνκ} σ^κ and commutators i[σ^ρ, σ^μ] = Σ_λ K^{ρμλ} σ^λ:

* local terms (fields, drives, gain, damping, dephasing, and the one-site part of every
  collective channel) give a real 4×4 map per site, L_j†(σ^μ) = Σ_λ G_j^{λμ} σ^λ;
* bonds give couplings W^{ρτ}_jl (H ⊃ W^{ρτ}_jl σ^ρ_jσ^τ_l for each ordered pair; the
  model's XYZ bonds have W^{αα} = Uᵅ);
* a collective channel c = Σ_{j∈S} A_j adds, besides its one-site part,
  ½Σ_{l≠j}([A_j†, O]A_l + A_l†[O, A_j]) to L†(O_j) and [A_j†, O_j][O′_k, A_k] to L†(O_jO′_k)
  (D†(XY) = D†(X)Y + XD†(Y) + [c†, X][Y, c]).

Costs for N sites (real arrays, C stored as four-index (3, 3, N, N) with C_kj^{βα} = C_jk^{αβ}):
memory ≈ 10 arrays of 9N² doubles during one evaluation (N = 1000: 0.7 GB), O(N²) work per
evaluation except the products W^{ρτ}C (9 matrix products for XYZ bonds), which are O(N²)
too when W is uniform all-to-all or sparse (:class:`Coupling`). Terms whose factors vanish
identically are skipped — a U(1)-symmetric state (m^x = m^y = 0, C^{xz} = C^{yz} = 0) keeps
about half of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.local import PAULI
from ..operators.terms import Terms

__all__ = ["MomentEquations", "Coupling", "PAULI_BASIS", "pauli_coefficients", "closure_moment"]

#: σ⁰ = 1, σ¹ = σˣ, σ² = σʸ, σ³ = σᶻ (the basis (|↑⟩, |↓⟩) of operators/local.py).
PAULI_BASIS = np.stack([PAULI["i"], PAULI["x"], PAULI["y"], PAULI["z"]])


def pauli_coefficients(matrix: NDArray) -> NDArray[np.complex128]:
    """c with matrix = Σ_μ c_μ σ^μ (c_μ = Tr(σ^μ M)/2); stacks on leading axes."""
    return np.einsum("mab,...ba->...m", PAULI_BASIS, np.asarray(matrix, dtype=complex)) / 2


#: σ^μ σ^ν = Σ_κ PRODUCT[μ, ν, κ] σ^κ (complex).
PRODUCT = pauli_coefficients(np.einsum("mab,nbc->mnac", PAULI_BASIS, PAULI_BASIS))
#: i[σ^ρ, σ^μ] = Σ_λ COMMUTATOR[ρ, μ, λ] σ^λ (real: −2ε_{ρμλ}).
COMMUTATOR = np.real(1j * (PRODUCT - PRODUCT.transpose(1, 0, 2)))


def closure_moment(c_ab, c_ac, c_bc, a, b, c):
    """⟨ABC⟩ with vanishing third cumulant, from connected pairs and means (broadcasts)."""
    return c_ab * c + c_ac * b + c_bc * a + a * b * c


class Coupling:
    """An N×N coupling W with zero diagonal, as used by the flows (the flows' l-sums).

    Kinds: ``uniform`` (every off-diagonal entry w: all-to-all bonds), ``weights``
    (W_jl = w_l for l ≠ j: a collective channel's sum over its sites), ``sparse`` (≤ 10%
    non-zeros: chains, stars, rings) and ``dense``. Products W·X then cost O(N²) except for
    ``dense`` (a BLAS product, O(N³)).
    """

    def __init__(self, kind: str, n: int, value: complex = 0.0, weights: NDArray | None = None,
                 matrix: NDArray | sp.csr_matrix | None = None) -> None:
        self.kind, self.n, self.value, self.weights, self.matrix = kind, n, value, weights, matrix

    @classmethod
    def from_dense(cls, dense: NDArray[np.float64]) -> "Coupling":
        n = dense.shape[0]
        off = dense[~np.eye(n, dtype=bool)]
        if n > 1 and np.all(off == off[0]):
            return cls("uniform", n, value=float(off[0]))
        if np.count_nonzero(dense) <= 0.1 * n * n:
            return cls("sparse", n, matrix=sp.csr_matrix(dense))
        return cls("dense", n, matrix=np.asarray(dense, dtype=float))

    @classmethod
    def from_weights(cls, w: NDArray) -> "Coupling":
        return cls("weights", w.size, weights=np.asarray(w))

    def matmul(self, x: NDArray) -> NDArray:
        """(W x) for x of shape (N,) or (N, M)."""
        if self.kind == "uniform":
            return self.value * (x.sum(axis=0, keepdims=x.ndim > 1) - x)
        if self.kind == "weights":
            w = self.weights
            head = w @ x
            return (head[None, :] if x.ndim > 1 else head) - (w[:, None] * x if x.ndim > 1 else w * x)
        return np.asarray(self.matrix @ x)

    def hadamard(self, x: NDArray, transpose: bool = False) -> NDArray:
        """W ∘ x (or Wᵀ ∘ x) for an N×N x."""
        if self.kind == "uniform":
            out = self.value * x
        elif self.kind == "weights":
            out = x * (self.weights[:, None] if transpose else self.weights[None, :])
        elif self.kind == "sparse":
            mat = self.matrix.T if transpose else self.matrix
            return np.asarray(mat.multiply(x).toarray())
        else:
            out = (self.matrix.T if transpose else self.matrix) * x
        out = np.array(out, copy=True) if out is x else out
        np.fill_diagonal(out, 0.0)
        return out

    def hadamard_columns(self, v: NDArray, transpose: bool = False) -> NDArray:
        """[j, k] ↦ W_jk v_k (or W_kj v_k)."""
        if self.kind == "uniform":
            out = np.broadcast_to(self.value * v[None, :], (self.n, self.n)).copy()
        elif self.kind == "weights":
            wts = self.weights[:, None] if transpose else self.weights[None, :]
            out = np.broadcast_to(wts * v[None, :], (self.n, self.n)).copy()
        else:
            return self.hadamard(np.broadcast_to(v[None, :], (self.n, self.n)), transpose)
        np.fill_diagonal(out, 0.0)
        return out

    def rowsum_hadamard(self, x: NDArray) -> NDArray:
        """Σ_{l≠j} W_jl x_jl."""
        if self.kind == "uniform":
            return self.value * (x.sum(axis=1) - np.diag(x))
        if self.kind == "weights":
            return x @ self.weights - np.diag(x) * self.weights
        if self.kind == "sparse":
            return np.asarray(self.matrix.multiply(x).sum(axis=1)).ravel()
        return np.einsum("jl,jl->j", self.matrix, x)


#: Component index 3α + β ↦ 3β + α.
_SWAP = np.array([0, 3, 6, 1, 4, 7, 2, 5, 8])


class _Padded:
    """C^{μν} for μ, ν = 0 … 3 over a (3, 3, N, N) array (index 0 = identity: no entries)."""

    __slots__ = ("array",)

    def __init__(self, array: NDArray | None) -> None:
        self.array = array

    def __getitem__(self, key: tuple[int, int]) -> NDArray:
        a, b = key
        return self.array[a - 1, b - 1]

    def __setitem__(self, key: tuple[int, int], value: NDArray) -> None:
        a, b = key
        self.array[a - 1, b - 1] = value



@dataclass(frozen=True, eq=False)
class _Flow:
    """A term of L†(σ^μ_j): coef_j σ^λ_j Σ_{l≠j} W_jl σ^τ_l (bond parts and channel cross parts)."""

    coef: NDArray[np.complex128]  # (N,), per site j
    mu: int
    lam: int
    tau: int
    coupling: Coupling


class MomentEquations:
    """The closed moment equations of a compiled qubit model (module docstring).

    Parameters
    ----------
    terms
        Compiled qubit terms (``network.terms``).
    order
        1: mean field (C = 0); 2: pair cumulants.

    Every bond term and every cross term of a collective channel is a *flow*:
    L†(σ^μ_j) ⊃ coef_j σ^λ_j Σ_{l≠j} W_jl σ^τ_l — for a bond W^{ρτ}, coef = K^{ρμλ};
    for a channel, coef_j = ½[A_j†, σ^μ]_λ with W_jl = a_l^τ, and ½[σ^μ, A_j]_λ with
    W_jl = conj(a_l^τ) (A = Σ_τ a^τ σ^τ). A flow adds to

    * ṁ_j^μ: coef_j Σ_l W_jl S_jl^{λτ};
    * Ṡ_jk^{μν} (its "j side"): coef_j [Σ_{l≠j,k} W_jl T_{jlk}^{λτν} + W_jk ⟨σ^λ_j (σ^τσ^ν)_k⟩];
    * Ṡ_jk^{αμ} (its "k side"): coef_k [Σ_{l≠j,k} W_kl T_{jkl}^{αλτ} + W_kj ⟨(σ^ασ^τ)_j σ^λ_k⟩];

    with T the closed three-site moments (:func:`closure_moment`). Then
    Ċ = (local maps on C) + Ṡ_flows − ṁ_flows m − m ṁ_flows.
    """

    def __init__(self, terms: Terms, order: int = 2) -> None:
        if terms.convention != "qubits":
            raise ModelError("the cumulant expansion is for qubit networks (Pauli conventions); "
                             f"this model is {terms.convention!r}")
        if order not in (1, 2):
            raise ModelError(f"order = {order!r}: the cumulant expansion has order 1 (mean field) or 2")
        self.n = n = terms.n
        self.order = order
        # local maps G_j[λ, μ] (one-site parts of the channels included, terms.site_jumps)
        h = np.stack(terms.local_hamiltonian) if n else np.zeros((0, 2, 2))
        per_site = [terms.site_jumps(j) for j in range(n)]
        width = max((len(x) for x in per_site), default=0)
        jumps = np.zeros((n, width, 2, 2), dtype=complex)
        for j, mats in enumerate(per_site):
            if mats:
                jumps[j, : len(mats)] = np.stack(mats)
        jd = np.conj(np.swapaxes(jumps, 2, 3))
        jdj = np.einsum("nwab,nwbc->nac", jd, jumps)  # Σ c†c per site
        g = np.zeros((n, 4, 4))
        for mu in range(4):
            s_ = PAULI_BASIS[mu]
            out = 1j * (h @ s_ - s_ @ h)
            out = out + np.einsum("nwab,bc,nwcd->nad", jd, s_, jumps) - 0.5 * (jdj @ s_ + s_ @ jdj)
            g[:, :, mu] = np.real(pauli_coefficients(out))
        self.local = g
        flows: list[_Flow] = []
        # bonds → W^{ρτ}_jl (ρ on j, τ on l; both orders of every bond)
        w = np.zeros((4, 4, n, n))
        for group in terms.bonds:
            cl = pauli_coefficients(group.left)  # (P, 4)
            cr = pauli_coefficients(group.right)
            wb = np.einsum("bp,pr,pt->brt", group.coefficients, cl, cr)
            if np.max(np.abs(wb.imag), initial=0) > 1e-12 * max(1.0, np.max(np.abs(wb), initial=0)):
                raise ModelError("cumulant: a bond Hamiltonian is not Hermitian")
            wb = wb.real
            if np.any(wb[:, 0, :]) or np.any(wb[:, :, 0]):
                raise ModelError("cumulant: bond terms with a one-site part are not supported")
            j, k = group.sites[:, 0], group.sites[:, 1]
            w[:, :, j, k] += wb.transpose(1, 2, 0)
            w[:, :, k, j] += wb.transpose(2, 1, 0)
        self.n_couplings = 0
        for rho in range(1, 4):
            for tau in range(1, 4):
                if not np.any(w[rho, tau]):
                    continue
                coupling = Coupling.from_dense(w[rho, tau])
                self.n_couplings += 1
                for mu in range(1, 4):
                    for lam in range(1, 4):
                        if COMMUTATOR[rho, mu, lam] != 0:
                            flows.append(_Flow(np.full(n, COMMUTATOR[rho, mu, lam], dtype=complex),
                                               mu, lam, tau, coupling))
        # collective channels: the cross parts (their one-site parts are in G)
        crosses = []
        for ch in terms.channels:
            a = np.zeros((n, 4), dtype=complex)
            a[list(ch.sites)] = pauli_coefficients(np.stack(ch.matrices))
            mats = np.einsum("jr,rab->jab", a, PAULI_BASIS)
            adj = np.conj(np.swapaxes(mats, 1, 2))
            for mu in range(1, 4):
                s_ = PAULI_BASIS[mu]
                p = pauli_coefficients(adj @ s_ - s_ @ adj)  # (N, 4): [A_j†, σ^μ]
                q = pauli_coefficients(s_ @ mats - mats @ s_)  # [σ^μ, A_j]
                for tau in range(4):
                    for coef, weights in ((p, a[:, tau]), (q, np.conj(a[:, tau]))):
                        if not np.any(weights):
                            continue
                        for lam in range(4):
                            if np.any(coef[:, lam]):
                                flows.append(_Flow(0.5 * coef[:, lam], mu, lam, tau,
                                                   Coupling.from_weights(weights)))
            # D†(XY) ⊃ [c†, X][Y, c]: pairs of sites of the channel
            crosses.append((adj, mats))
        self.flows = tuple(flows)
        self.crosses = tuple(crosses)

    # ------------------------------------------------------------------ sizes and packing
    @property
    def n_pairs(self) -> int:
        return self.n * (self.n - 1) // 2

    @property
    def n_unknowns(self) -> int:
        """3N (+ 9 N(N − 1)/2 at second order)."""
        return 3 * self.n + (9 * self.n_pairs if self.order == 2 else 0)

    def memory_estimate(self) -> float:
        """Peak bytes of one evaluation: ~14 arrays of 16N² doubles at order 2 (the moments, the
        flows' accumulators and temporaries) plus the dense couplings; O(N) at order 1."""
        dense = len({id(f.coupling) for f in self.flows if f.coupling.kind == "dense"})
        base = 8.0 * self.n * self.n * dense
        if self.order == 1:
            return base + 8.0 * 64 * self.n
        return base + 8.0 * 16 * self.n * self.n * 14

    @cached_property
    def _upper(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Flat indices j·N + k of the pairs j < k, and of their mirrors k·N + j."""
        iu, ju = np.triu_indices(self.n, 1)
        return iu * self.n + ju, ju * self.n + iu

    def pack(self, m: NDArray, c: NDArray | None) -> NDArray:
        """Unknown vector: m (N×3) then C_jk^{αβ} for j < k (component-major)."""
        if self.order == 1:
            return np.asarray(m, dtype=float).ravel().copy()
        flat, _ = self._upper
        n2 = self.n * self.n
        return np.concatenate([np.asarray(m).ravel(), c.reshape(9, n2)[:, flat].ravel()])

    def unpack(self, x: NDArray, out: NDArray | None = None) -> tuple[NDArray, NDArray | None]:
        """(m, C) from a packed vector; ``out`` (9, N²) is an optional buffer for C (its
        diagonal must be zero — it is never written)."""
        n = self.n
        m = x[: 3 * n].reshape(n, 3)
        if self.order == 1:
            return m, None
        flat, mirror = self._upper
        c = np.zeros((9, n * n), dtype=x.dtype) if out is None else out
        up = x[3 * n:].reshape(9, -1)
        c[:, flat] = up
        c[:, mirror] = up[_SWAP]  # C_kj^{βα} = C_jk^{αβ}
        return m, c.reshape(3, 3, n, n)

    def rhs_vector(self, x: NDArray) -> NDArray:
        """d/dt of the packed unknowns (the unpacked pairs live in a reused buffer)."""
        buf = None
        if self.order == 2:
            buf = self.__dict__.get("_buffer")
            if buf is None or buf.dtype != x.dtype:
                buf = self.__dict__["_buffer"] = np.zeros((9, self.n * self.n), dtype=x.dtype)
        m, c = self.unpack(x, buf)
        dm, dc = self.rhs(m, c)
        return self.pack(dm, dc)

    @cached_property
    def _local_pattern(self) -> tuple[tuple[int, int], ...]:
        """(λ, μ) with G_j^{λμ} ≠ 0 at some site (λ, μ = x, y, z → 0, 1, 2)."""
        nz = np.any(self.local[:, 1:, 1:] != 0, axis=0)
        return tuple((int(a), int(b)) for a, b in zip(*np.nonzero(nz)))

    def site_jacobian(self, m: NDArray) -> NDArray[np.float64]:
        """∂ṁ_j/∂m_j (N, 3, 3) at C = 0: the local map and the mean-field precession.

        The pair equations' pair-local part is, to O(W_jk), A_j ⊗ 1 + 1 ⊗ A_k with these
        A_j — the preconditioner of :mod:`spinsync.steady.cumulant`.
        """
        n = self.n
        m4 = np.concatenate([np.ones((n, 1)), np.asarray(m, dtype=float)], axis=1)
        jac = np.transpose(self.local[:, 1:, 1:], (0, 2, 1)).astype(complex)  # [j, μ, λ]
        for f in self.flows:
            if f.lam == 0:
                continue
            jac[:, f.mu - 1, f.lam - 1] += f.coef * f.coupling.matmul(m4[:, f.tau])
        return np.real(jac)

    # ------------------------------------------------------------------ the equations
    def rhs(self, m: NDArray, c: NDArray | None) -> tuple[NDArray, NDArray | None]:
        """(dm/dt, dC/dt) at Bloch vectors m (N×3) and connected pairs c (3, 3, N, N)."""
        n = self.n
        m = np.asarray(m, dtype=float)
        m4 = np.concatenate([np.ones((n, 1)), m], axis=1)
        pairs = self.order == 2 and c is not None
        nz_c = np.zeros((4, 4), dtype=bool)
        if pairs:
            nz_c[1:, 1:] = np.any(c != 0, axis=(2, 3))
        c4 = _Padded(c)  # C^{μν} with μ, ν = 0 … 3 (zero when either is the identity)
        nz_m = np.any(m4 != 0, axis=0)
        dm_x = np.zeros((n, 4))
        ds = _Padded(np.zeros((3, 3, n, n))) if pairs else None
        for flow in self.flows:
            self._flow(flow, m4, c4, nz_m, nz_c, dm_x, ds)
        if pairs:
            for adj, mats in self.crosses:
                self._cross_term(adj, mats, m4, c4, nz_c, ds)
        dm = np.einsum("jlm,jl->jm", self.local, m4)[:, 1:] + dm_x[:, 1:]
        if not pairs:
            return dm, None
        dc = ds.array
        # local maps act on C directly (their affine parts cancel): G_j on the first index,
        # G_k on the second, skipping the entries of G that vanish at every site
        g = self.local[:, 1:, 1:]  # [j, λ, μ]
        for lam, mu in self._local_pattern:
            if nz_c[lam + 1].any():
                dc[mu] += g[:, lam, mu][None, :, None] * c[lam]
            if nz_c[:, lam + 1].any():
                dc[:, mu] += c[:, lam] * g[:, lam, mu][None, None, :]
        # Ċ = Ṡ − ṁ m − m ṁ (flow parts)
        a, b = dm_x[:, 1:].T, m.T
        dc -= a[:, None, :, None] * b[None, :, None, :] + b[:, None, :, None] * a[None, :, None, :]
        idx = np.arange(n)
        dc[:, :, idx, idx] = 0.0
        return dm, np.ascontiguousarray(dc)

    def _flow(self, f: _Flow, m4, c4, nz_m, nz_c, dm_x, ds) -> None:
        lam, tau, w = f.lam, f.tau, f.coupling
        real = not np.any(f.coef.imag) and not np.iscomplexobj(w.weights)
        coef = f.coef.real if real else f.coef
        h = w.matmul(m4[:, tau])  # Σ_l W_jl m_l^τ
        # ṁ_j^μ += coef_j Σ_l W_jl S_jl^{λτ}
        row = m4[:, lam] * h
        if nz_c[lam, tau]:
            row = row + w.rowsum_hadamard(c4[lam, tau])
        dm_x[:, f.mu] += np.real(coef * row)
        if ds is None:
            return
        # Σ_{l≠j,k} W_jl T_{jlk}^{λτν} for every ν, as N×N matrices [j, k]
        field = h[:, None] - w.hadamard_columns(m4[:, tau])  # Σ_{l≠j,k} W_jl m_l^τ
        edge = None  # Σ_{l≠j,k} W_jl C_jl^{λτ}
        if nz_c[lam, tau]:
            edge = w.rowsum_hadamard(c4[lam, tau])[:, None] - w.hadamard(c4[lam, tau])
        for nu in range(1, 4):
            term = field * (np.outer(m4[:, lam], m4[:, nu]) + c4[lam, nu]) if nz_c[lam, nu] else \
                field * np.outer(m4[:, lam], m4[:, nu])
            if edge is not None and nz_m[nu]:
                term += edge * m4[:, nu][None, :]
            if nz_c[tau, nu] and nz_m[lam]:
                term += m4[:, lam][:, None] * w.matmul(c4[tau, nu])
            right = self._self_term(w, tau, nu, lam, m4, c4, nz_m, nz_c, left=False, real=real)
            left = self._self_term(w, tau, nu, lam, m4, c4, nz_m, nz_c, left=True, real=real)
            if real:
                # j side: Ṡ_jk^{μν}; k side: Ṡ_jk^{νμ} (the closure part is the mirror image)
                ds[f.mu, nu] += coef[:, None] * (term + right) if not np.isscalar(right) else coef[:, None] * term
                side = term.T + left if not np.isscalar(left) else term.T
                ds[nu, f.mu] += coef[None, :] * side
            else:
                ds[f.mu, nu] += np.real(coef[:, None] * (term + right))
                ds[nu, f.mu] += np.real(coef[None, :] * (term.T + left))

    @staticmethod
    def _self_term(w: Coupling, tau: int, nu: int, lam: int, m4, c4, nz_m, nz_c, left: bool,
                   real: bool):
        """W_jk ⟨σ^λ_j (σ^τσ^ν)_k⟩ (right side) or W_kj ⟨(σ^νσ^τ)_j σ^λ_k⟩ (left side).

        With a real flow coefficient only the real part contributes (the imaginary parts of
        the two sides cancel), and Re(σ^τσ^ν) = δ_τν: the self term is W_jk m_j^λ δ_τν.
        """
        if real:
            if tau != nu or not nz_m[lam]:
                return 0.0
            if left:  # W_kj ⟨σ⁰_j σ^λ_k⟩ = W_kj m_k^λ
                return w.hadamard_columns(m4[:, lam], transpose=True)
            return w.hadamard(np.broadcast_to(m4[:, lam][:, None], (m4.shape[0],) * 2))
        out = 0.0
        for kap in range(4):
            fk = PRODUCT[nu, tau, kap] if left else PRODUCT[tau, nu, kap]
            if fk == 0:
                continue
            if left:  # S_jk^{κλ}
                s_ = np.outer(m4[:, kap], m4[:, lam]) if nz_m[kap] and nz_m[lam] else 0.0
                if nz_c[kap, lam]:
                    s_ = s_ + c4[kap, lam]
            else:  # S_jk^{λκ}
                s_ = np.outer(m4[:, lam], m4[:, kap]) if nz_m[lam] and nz_m[kap] else 0.0
                if nz_c[lam, kap]:
                    s_ = s_ + c4[lam, kap]
            if isinstance(s_, float):
                continue
            out = out + fk * s_
        if isinstance(out, float):
            return 0.0
        return w.hadamard(out, transpose=left)

    def _cross_term(self, adj, mats, m4, c4, nz_c, ds) -> None:
        """[c†, σ^μ_j][σ^ν_k, c] = [A_j†, σ^μ]_j [σ^ν, A_k]_k for the sites of a channel."""
        for mu in range(1, 4):
            s_ = PAULI_BASIS[mu]
            p = pauli_coefficients(adj @ s_ - s_ @ adj)  # (N, 4)
            for nu in range(1, 4):
                t_ = PAULI_BASIS[nu]
                q = pauli_coefficients(t_ @ mats - mats @ t_)
                for lam in range(4):
                    if not np.any(p[:, lam]):
                        continue
                    for kap in range(4):
                        if not np.any(q[:, kap]):
                            continue
                        s_lk = np.outer(m4[:, lam], m4[:, kap])
                        if nz_c[lam, kap]:
                            s_lk = s_lk + c4[lam, kap]
                        val = np.real(np.outer(p[:, lam], q[:, kap]) * s_lk)
                        np.fill_diagonal(val, 0.0)
                        ds[mu, nu] += val
