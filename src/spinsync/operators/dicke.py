"""One group of M identical qubits in the Dicke basis: its permutation-invariant operators.

Schur–Weyl duality splits the group's space as (C²)^⊗M = ⊕_j V_j ⊗ K_j, j = M/2, M/2 − 1, …,
(0 or ½), dim V_j = 2j + 1, with multiplicity

    d_j = dim K_j = (2j + 1) M! / ((M/2 + j + 1)! (M/2 − j)!).

An operator that commutes with every permutation of the M qubits (a permutation-invariant
density matrix, a collective operator) is ⊕_j X_j ⊗ 1_{K_j}/d_j. The matrices X_j are its
*representative blocks* — the representation of Shammah et al., PRA 98, 063815 (2018),
behind ``qutip.piqs``, which calls them the representative density matrix: Tr ρ = Σ_j Tr X_j,
⟨A⟩ = Σ_j Tr(X_j A_j) for a collective A acting on V_j as A_j, and ρ ≥ 0 iff every X_j ≥ 0
(the eigenvalues of ρ are those of X_j/d_j, each d_j times). There are Σ_j (2j + 1)² = O(M³)
of them instead of 4ᴹ.

Numbering (the local basis of :mod:`spinsync.operators.local`, |j, j⟩ first):

* blocks ``b = 0, 1, …`` for j = M/2, M/2 − 1, …;
* states (b, a) with local index a = j − m, numbered s = ``state_offsets[b]`` + a;
* representative entries (b, a, c) ↔ |j, j − a⟩⟨j, j − c|, numbered
  e = ``entry_offsets[b]`` + a(2j + 1) + c.

A *homogeneous* collective operator (one shift δ of the local index, like J⁺: −1, J⁻: +1,
Jᶻ: 0) is a :class:`Ladder`: O|j, a⟩ = coef[s] |j, a + δ⟩. Super-operators on the entries are
:class:`SuperMap` objects: each entry goes to at most ``width`` entries.

Every term of the qubit model acts on a group through collective operators (ρ ↦ AρB with
A, B products of J⁺, J⁻, Jᶻ) except the sandwich Σ_i A_i ρ B_i† of the local dissipators,
:meth:`DickeSpace.sandwich`, which couples j to j ± 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import comb, lgamma

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..resources import check_memory
from .local import PAULI, shift_components, spin_matrices

__all__ = ["DickeSpace", "Ladder", "SuperMap", "clebsch_half", "SCHUR_MAX_QUBITS"]

#: Largest group whose Schur basis (a dense 2ᴹ × 2ᴹ unitary) :meth:`DickeSpace.schur_basis`
#: builds — for ``to_dense`` and the tests, not for solving.
SCHUR_MAX_QUBITS = 12


@dataclass(frozen=True, eq=False)
class Ladder:
    """A homogeneous collective operator of one group: O|j, a⟩ = coef[s] |j, a + shift⟩.

    ``coef`` is zero wherever a + shift leaves the block of j. Build them with
    :meth:`DickeSpace.jz`, :meth:`DickeSpace.jplus`, … and combine with ``@`` (product),
    ``*`` (scalar) and :meth:`adjoint`.
    """

    space: "DickeSpace"
    shift: int
    coef: NDArray[np.complex128]

    def __matmul__(self, other: "Ladder") -> "Ladder":
        """The product self · other (other acts first)."""
        sp_ = self.space
        valid, target = sp_.targets(other.shift)
        coef = np.where(valid, other.coef * self.coef[np.where(valid, target, 0)], 0)
        return Ladder(sp_, self.shift + other.shift, coef)

    def __mul__(self, scalar: complex) -> "Ladder":
        return Ladder(self.space, self.shift, self.coef * scalar)

    __rmul__ = __mul__

    def adjoint(self) -> "Ladder":
        """O†: O†|j, a + δ⟩ = conj(coef[s]) |j, a⟩."""
        sp_ = self.space
        valid, target = sp_.targets(self.shift)
        coef = np.zeros_like(self.coef)
        coef[target[valid]] = np.conj(self.coef[valid])
        return Ladder(sp_, -self.shift, coef)

    @property
    def is_zero(self) -> bool:
        return not np.any(self.coef)


@dataclass(frozen=True, eq=False)
class SuperMap:
    """A linear map of representative entries: entry e → ``out[e, r]`` with ``coef[e, r]``.

    ``out`` is −1 (and ``coef`` 0) where an image does not exist; ``width`` = out.shape[1].
    """

    out: NDArray[np.int64]
    coef: NDArray[np.complex128]

    @property
    def width(self) -> int:
        return int(self.out.shape[1])

    def to_sparse(self):
        """The map as a SciPy CSR matrix (rows: images, columns: entries)."""
        import scipy.sparse as sp

        n = self.out.shape[0]
        keep = (self.out >= 0) & (self.coef != 0)
        cols = np.broadcast_to(np.arange(n)[:, None], self.out.shape)[keep]
        return sp.csr_matrix((self.coef[keep], (self.out[keep], cols)), shape=(n, n))


def clebsch_half(j1: NDArray[np.float64], m1: NDArray[np.float64], s: NDArray[np.float64],
                 big_j: NDArray[np.float64]) -> NDArray[np.float64]:
    """Clebsch–Gordan coefficients ⟨j1, m1; ½, s | J, m1 + s⟩ for J = j1 ± ½ (Condon–Shortley).

    ⟨j1, M − ½; ½, +½ | j1 + ½, M⟩ = √((j1 + M + ½)/(2j1 + 1)),
    ⟨j1, M + ½; ½, −½ | j1 + ½, M⟩ = √((j1 − M + ½)/(2j1 + 1)),
    ⟨j1, M − ½; ½, +½ | j1 − ½, M⟩ = −√((j1 − M + ½)/(2j1 + 1)),
    ⟨j1, M + ½; ½, −½ | j1 − ½, M⟩ = √((j1 + M + ½)/(2j1 + 1)).
    Zero where |m1| > j1, |M| > J, j1 < 0 or J ∉ {j1 ± ½}. Arrays broadcast.
    """
    j1, m1, s, big_j = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (j1, m1, s, big_j)))
    m = m1 + s
    up = np.isclose(big_j, j1 + 0.5)
    down = np.isclose(big_j, j1 - 0.5)
    valid = (j1 >= 0) & (np.abs(m1) <= j1 + 1e-9) & (np.abs(m) <= big_j + 1e-9) & (up | down)
    denom = np.where(valid, 2 * j1 + 1, 1.0)
    plus = np.sqrt(np.clip((j1 + m + 0.5) / denom, 0, None))
    minus = np.sqrt(np.clip((j1 - m + 0.5) / denom, 0, None))
    spin_up = s > 0
    val = np.where(up, np.where(spin_up, plus, minus), np.where(spin_up, -minus, plus))
    return np.where(valid, val, 0.0)


class DickeSpace:
    """The Dicke-basis blocks of a group of ``m`` identical qubits (module docstring).

    Parameters
    ----------
    m
        Number of qubits M ≥ 1 (a single site is the group M = 1: j = ½ only, d = 1).
    """

    def __init__(self, m: int) -> None:
        m = int(m)
        if m < 1:
            raise ModelError(f"a Dicke group needs at least one qubit, got {m}")
        self.m = m
        count = m // 2 + 1  # j = M/2 … (0 or ½)
        self.j = m / 2 - np.arange(count, dtype=float)
        self.sizes = (2 * self.j + 1).round().astype(np.int64)
        self.state_offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        self.entry_offsets = np.concatenate([[0], np.cumsum(self.sizes**2)]).astype(np.int64)
        b = np.repeat(np.arange(count), self.sizes)
        #: block and local index of every state
        self.state_block = b
        self.state_a = np.arange(self.n_states) - self.state_offsets[b]
        eb = np.repeat(np.arange(count), self.sizes**2)
        local = np.arange(self.n_entries) - self.entry_offsets[eb]
        n_of = self.sizes[eb]
        #: block, ket index a and bra index c of every representative entry
        self.entry_block = eb
        self.entry_a = local // n_of
        self.entry_c = local % n_of

    # ------------------------------------------------------------------ sizes
    @property
    def n_blocks(self) -> int:
        return int(self.j.size)

    @property
    def n_states(self) -> int:
        """Σ_j (2j + 1)."""
        return int(self.state_offsets[-1])

    @property
    def n_entries(self) -> int:
        """Σ_j (2j + 1)²: the representative entries (O(M³))."""
        return int(self.entry_offsets[-1])

    def multiplicity(self, b: int) -> int:
        """d_j of block b (exact integer)."""
        k = int(round(self.m / 2 - self.j[b]))
        return comb(self.m, k) - (comb(self.m, k - 1) if k > 0 else 0)

    @cached_property
    def log_multiplicity(self) -> NDArray[np.float64]:
        """ln d_j per block (for weights beyond float range)."""
        j, m = self.j, self.m
        return np.array([np.log(2 * jj + 1) + lgamma(m + 1) - lgamma(m / 2 + jj + 2)
                         - lgamma(m / 2 - jj + 1) for jj in j])

    def entry(self, b: NDArray[np.int64], a: NDArray[np.int64], c: NDArray[np.int64]) -> NDArray[np.int64]:
        """Entry numbers of (b, a, c) (no range check)."""
        return self.entry_offsets[b] + a * self.sizes[b] + c

    def entry_down_shift(self) -> NDArray[np.int64]:
        """c − a per entry: the bra's down count minus the ket's (the U(1) charge)."""
        return self.entry_c - self.entry_a

    def entry_ket_down(self) -> NDArray[np.int64]:
        """The ket's down count M/2 − m of each entry (number of qubits down)."""
        return (np.round(self.m / 2 - self.j[self.entry_block]).astype(np.int64) + self.entry_a)

    def targets(self, shift: int) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
        """For every state: whether a + shift stays in its block, and that state's number."""
        a = self.state_a + shift
        valid = (a >= 0) & (a < self.sizes[self.state_block])
        return valid, np.arange(self.n_states) + shift

    # ------------------------------------------------------------------ collective operators
    @cached_property
    def _ladders(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(Jᶻ diagonal, ⟨j, a − 1|J⁺|j, a⟩) per state, read from :func:`spin_matrices`."""
        jz = np.zeros(self.n_states)
        jp = np.zeros(self.n_states)
        for b, j in enumerate(self.j):
            lo, hi = self.state_offsets[b], self.state_offsets[b + 1]
            if j == 0:
                continue  # the singlet block: Jᶻ = J± = 0
            mats = spin_matrices(float(j))
            jz[lo:hi] = np.real(np.diag(mats.z))
            jp[lo + 1:hi] = np.real(np.diag(mats.plus, k=1))
        return jz, jp

    def identity(self) -> Ladder:
        return Ladder(self, 0, np.ones(self.n_states, dtype=complex))

    def jz(self) -> Ladder:
        """Jᶻ = Σ_i σᶻ_i / 2."""
        return Ladder(self, 0, self._ladders[0].astype(complex))

    def jplus(self) -> Ladder:
        """J⁺ = Σ_i σ⁺_i (shift −1)."""
        return Ladder(self, -1, self._ladders[1].astype(complex))

    def jminus(self) -> Ladder:
        """J⁻ = Σ_i σ⁻_i (shift +1)."""
        return self.jplus().adjoint()

    def collective(self, matrix: NDArray[np.complex128]) -> list[Ladder]:
        """Σ_i u_i for a single-qubit 2×2 ``u``, as homogeneous parts (one per shift).

        diag(u₀₀, u₁₁) → ((u₀₀ + u₁₁)/2)·M + (u₀₀ − u₁₁) Jᶻ; u₀₁ σ⁺ → u₀₁ J⁺; u₁₀ σ⁻ → u₁₀ J⁻.
        """
        u = np.asarray(matrix, dtype=complex)
        out = []
        for shift, part in sorted(shift_components(u).items()):
            if shift == 0:
                c0, cz = (part[0, 0] + part[1, 1]) / 2, (part[0, 0] - part[1, 1])
                out.append(Ladder(self, 0, c0 * self.m + cz * self._ladders[0]))
            elif shift == -1:
                out.append(self.jplus() * part[0, 1])
            else:
                out.append(self.jminus() * part[1, 0])
        return out

    # ------------------------------------------------------------------ super-operators
    def both(self, left: Ladder, right: Ladder) -> SuperMap:
        """X ↦ left · X · right on the representative entries (collective operators).

        |a⟩⟨c| ↦ left.coef[a] right.coef[c − δ_R] |a + δ_L⟩⟨c − δ_R|.
        """
        b, a, c = self.entry_block, self.entry_a, self.entry_c
        n_b = self.sizes[b]
        a2 = a + left.shift
        u = c - right.shift  # right|u⟩ = coef|c⟩
        valid = (a2 >= 0) & (a2 < n_b) & (u >= 0) & (u < n_b)
        s_a = self.state_offsets[b] + a
        s_u = self.state_offsets[b] + np.where(valid, u, 0)
        coef = np.where(valid, left.coef[s_a] * right.coef[s_u], 0)
        keep = valid & (coef != 0)
        out = np.where(keep, self.entry(b, np.where(valid, a2, 0), np.where(valid, u, 0)), -1)
        return SuperMap(out[:, None], np.where(keep, coef, 0)[:, None])

    def sandwich(self, a_op: NDArray[np.complex128], b_op: NDArray[np.complex128]) -> SuperMap:
        """ρ ↦ Σ_i A_i ρ B_i† on the representative entries, A and B single-qubit homogeneous.

        Derivation. For ρ permutation invariant, Σ_i A_i ρ B_i† = M·Sym(A_M ρ B_M†), Sym the
        average over permutations (the orthogonal projection onto the commutant). The
        representative entry (j′, μ, μ′) of the image is Tr[T(ρ) Σ_k |j′μ′k⟩⟨j′μk|].
        Coupling the last qubit to the other M − 1, whose spin j₁ = j ± ½ labels part of the
        multiplicity, every term is a product of the coupled matrix elements

            f_A(j₁; j′μ ← jm) = Σ_s ⟨j₁, m − s; ½, s′|j′, μ⟩ ⟨j₁, m − s; ½, s|j, m⟩ ⟨s′|A|s⟩,

        (s′ − s = μ − m), and the sum over the rest of the multiplicity gives d^{(M−1)}_{j₁}.
        In representative coordinates (entries of X_j = d_j × the block of ρ):

            X′_{j′}[μ, μ′] = Σ_{j,m,m′} X_j[m, m′] Σ_{j₁} M (d^{(M−1)}_{j₁}/d^{(M)}_j) f_A conj(f_B),

        with M d^{(M−1)}_{j+½}/d_j = (2j + 2)(M/2 − j)/(2j + 1) and
        M d^{(M−1)}_{j−½}/d_j = 2j(M/2 + j + 1)/(2j + 1). j′ ∈ {j − 1, j, j + 1}.
        """
        ops = []
        for op, name in ((a_op, "A"), (b_op, "B")):
            parts = shift_components(np.asarray(op, dtype=complex))
            if len(parts) > 1:
                raise ModelError(f"sandwich: {name} must be homogeneous (one shift), got {op!r}")
            rows, cols = np.nonzero(op)
            # local index 0 = |↑⟩ (s = +½), 1 = |↓⟩ (s = −½)
            ops.append([(0.5 - c, 0.5 - r, complex(op[r, c])) for r, c in zip(rows, cols)])
        m_tot = self.m
        b = self.entry_block
        j = self.j[b]
        mk = j - self.entry_a  # ket m
        mb = j - self.entry_c  # bra m
        dm_a = ops[0][0][1] - ops[0][0][0] if ops[0] else 0.0
        dm_b = ops[1][0][1] - ops[1][0][0] if ops[1] else 0.0
        mu, mu_b = mk + dm_a, mb + dm_b
        w_up = (2 * j + 2) * (m_tot / 2 - j) / (2 * j + 1)
        w_dn = 2 * j * (m_tot / 2 + j + 1) / (2 * j + 1)
        outs, coefs = [], []
        for dj in (1, 0, -1):
            jp = j + dj
            coef = np.zeros(self.n_entries, dtype=complex)
            for dj1, weight in ((0.5, w_up), (-0.5, w_dn)):
                j1 = j + dj1
                if not np.isclose(abs(dj - dj1), 0.5):
                    continue  # j₁ must be adjacent to j′ as well
                fa = sum(val * clebsch_half(j1, mk - s, s, j) * clebsch_half(j1, mk - s, s2, jp)
                         for s, s2, val in ops[0])
                fb = sum(val * clebsch_half(j1, mb - s, s, j) * clebsch_half(j1, mb - s, s2, jp)
                         for s, s2, val in ops[1])
                coef = coef + weight * fa * np.conj(fb)
            b2 = b - dj  # blocks are numbered by decreasing j
            valid = ((b2 >= 0) & (b2 < self.n_blocks) & (np.abs(mu) <= jp + 1e-9)
                     & (np.abs(mu_b) <= jp + 1e-9) & (coef != 0))
            b2s = np.where(valid, b2, 0)
            out = self.entry(b2s, np.round(jp - mu).astype(np.int64) * valid,
                             np.round(jp - mu_b).astype(np.int64) * valid)
            outs.append(np.where(valid, out, -1))
            coefs.append(np.where(valid, coef, 0))
        return SuperMap(np.stack(outs, axis=1), np.stack(coefs, axis=1))

    # ------------------------------------------------------------------ dense embedding
    def schur_basis(self) -> NDArray[np.complex128]:
        """Unitary U (2ᴹ × 2ᴹ) whose columns are |j, j − a, k⟩, ordered (block, a, k).

        Highest-weight vectors |j, j, k⟩ span the kernel of J⁺ among the states with M/2 − j
        qubits down; the others follow by J⁻|j, m⟩ = √((j + m)(j − m + 1)) |j, m − 1⟩. Dense;
        M ≤ :data:`SCHUR_MAX_QUBITS` (tests and ``to_dense``).
        """
        if self.m > SCHUR_MAX_QUBITS:
            raise ModelError(f"the Schur basis of {self.m} qubits is a dense 2^{self.m} matrix; "
                             f"built only for M ≤ {SCHUR_MAX_QUBITS}")
        dim = 2**self.m
        check_memory(16.0 * 4 * dim * dim, what=f"the Schur basis of {self.m} qubits")
        eye = np.eye(2, dtype=complex)
        jp = np.zeros((dim, dim), dtype=complex)
        for i in range(self.m):
            op = np.ones((1, 1), dtype=complex)
            for q in range(self.m):
                op = np.kron(op, PAULI["+"] if q == i else eye)
            jp += op
        jm = jp.conj().T
        downs = np.array([bin(x).count("1") for x in range(dim)])
        cols = []
        for b, j in enumerate(self.j):
            k = int(round(self.m / 2 - j))
            idx = np.flatnonzero(downs == k)
            sub = jp[:, idx]
            # kernel of J⁺ restricted to the states with k downs
            _, sv, vh = np.linalg.svd(sub, full_matrices=True)
            rank = int(np.sum(sv > 1e-9))
            kern = vh[rank:].conj().T
            top = np.zeros((dim, kern.shape[1]), dtype=complex)
            top[idx] = kern
            vecs = [top]
            m_val = j
            for _ in range(int(self.sizes[b]) - 1):
                nxt = jm @ vecs[-1] / np.sqrt((j + m_val) * (j - m_val + 1))
                vecs.append(nxt)
                m_val -= 1
            cols.append(np.stack(vecs, axis=1).reshape(dim, -1))  # (a, k) order
        return np.concatenate(cols, axis=1)
