"""States invariant under permutations inside each part, kept in the Dicke representation.

:class:`PermutationState` holds the representative entries x of a state on the sector of a
:class:`~spinsync.operators.permutation.PartSpace`: ρ = ⊕ X_b ⊗ (⊗_p 1_{K_{j_p}}/d_{j_p}), with
one representative matrix X_b per spin tuple (j_p)_p (and, under U(1), per down count).
Tr ρ = Σ_b Tr X_b; the eigenvalues of ρ are those of X_b divided by D_b = Π_p d_{j_p}, each
D_b times.

Everything the measures need comes from expectation values of collective operators:

* one site i of part p (M qubits): ρ_i[s, s′] = ⟨Σ_{i∈p} (|s′⟩⟨s|)_i⟩ / M;
* sites i ∈ p, k ∈ q, p ≠ q: ⟨C_p(u) C_q(v)⟩ / (M_p M_q) for the matrix units u, v;
* two sites of one group: Σ_{i≠k} u_i v_k = C(u) C(v) − C(uv), divided by M(M − 1);

so :meth:`PermutationState.reduced` is exact for one and two sites at any N, and every pair
measure (Sᵐᵃˣ, S_t, C_αβ, connected correlations) works unchanged. The full matrix
(:meth:`~PermutationState.to_dense`) is built only for N ≤ :data:`DENSE_MAX_SITES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.dicke import Ladder
from ..operators.permutation import PartSpace
from ..resources import check_memory
from .block import check_sites

__all__ = ["PermutationState", "DENSE_MAX_SITES"]

#: Largest N for which :meth:`PermutationState.to_dense` builds the 2ᴺ × 2ᴺ matrix.
DENSE_MAX_SITES = 12


def _unit(r: int, c: int) -> NDArray[np.complex128]:
    u = np.zeros((2, 2), dtype=complex)
    u[r, c] = 1.0
    return u


@dataclass(eq=False)
class PermutationState:
    """A state on the permutation sector of ``space`` with representative entries ``values``.

    Attributes
    ----------
    space
        The parts, their Dicke spaces and the sector.
    values
        Complex representative entries, one per sector row.
    """

    space: PartSpace
    values: NDArray[np.complex128]
    _cache: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ shape
    @property
    def n(self) -> int:
        return self.space.n_sites

    @property
    def dims(self) -> tuple[int, ...]:
        return (2,) * self.n

    @property
    def dim(self) -> int:
        """2ᴺ (an exact integer)."""
        return 2**self.n

    @property
    def parts(self) -> tuple[tuple[int, ...], ...]:
        return self.space.parts

    def part_of(self, site: int) -> int:
        for p, sites in enumerate(self.space.parts):
            if site in sites:
                return p
        raise ModelError(f"site {site} out of range [0, {self.n - 1}]")

    # ------------------------------------------------------------------ checks
    def trace(self) -> complex:
        return complex(np.sum(self.values[self.space.diagonal]))

    def hermiticity_error(self) -> float:
        """max |X − X†| over the representative entries."""
        return float(np.max(np.abs(self.values - np.conj(self.values[self.space.partner]))))

    def hermitized(self) -> "PermutationState":
        return PermutationState(self.space, (self.values + np.conj(self.values[self.space.partner])) / 2)

    def block_eigenvalues(self) -> NDArray[np.float64]:
        """Eigenvalues of the Hermitian parts of all representative blocks X_b, sorted.

        An eigenvalue λ of X_b is the eigenvalue λ/D_b of ρ, D_b times: its weight in the
        trace. The blocks are grouped by size and diagonalized in stacks.
        """
        vals = [np.linalg.eigvalsh(m).ravel() for m in _block_stacks(self.values, self.space.blocks)]
        return np.sort(np.concatenate(vals))

    def min_eigenvalue(self) -> float:
        """Smallest eigenvalue of the representative blocks X_b (see :meth:`block_eigenvalues`).

        Its sign is that of ρ's smallest eigenvalue, and its size is that eigenvalue's
        weight in the trace (λ·D_b), so the positivity check holds a negative eigenvalue to
        the same tolerance as a population — not to its 1/D_b-diluted value.
        """
        return float(self.block_eigenvalues()[0])

    def frobenius_norm(self) -> float:
        """‖ρ‖_F = (Σ_b ‖X_b‖²/D_b)^½."""
        weights = np.exp(-self.space.block_weights())
        return float(np.sqrt(np.sum(np.abs(self.values) ** 2 * weights)))

    # ------------------------------------------------------------------ expectations
    def expectation(self, ops: dict[int, Ladder]) -> complex:
        """⟨Π_p O_p⟩ for homogeneous collective operators O_p of some parts (others: 1)."""
        sp_ = self.space
        weight = self.values.copy()
        for p, space in enumerate(sp_.spaces):
            e = sp_.entries[:, p]
            a, c = space.entry_a[e], space.entry_c[e]
            op = ops.get(p)
            if op is None:
                weight = np.where(a == c, weight, 0)
                continue
            # Tr(X O) = Σ X[a, c] O[c, a], O[c, a] ≠ 0 iff c = a + shift.
            s = space.state_offsets[space.entry_block[e]] + a
            weight = np.where(c == a + op.shift, weight * op.coef[s], 0)
        return complex(np.sum(weight))

    def _collective_expectation(self, terms: Sequence[tuple[int, NDArray[np.complex128]]]) -> complex:
        """⟨Π C_p(u_p)⟩ for single-qubit matrices u_p on distinct parts p."""
        lists = [[(p, lad) for lad in self.space.spaces[p].collective(u)] for p, u in terms]
        total = 0j
        for combo in _product(lists):
            total += self.expectation(dict(combo))
        return total

    def _pair_same_part(self, p: int, u: NDArray, v: NDArray) -> complex:
        """⟨Σ_{i≠k ∈ p} u_i v_k⟩ = ⟨C(u) C(v)⟩ − ⟨C(uv)⟩."""
        sp_ = self.space.spaces[p]
        total = 0j
        for a in sp_.collective(u):
            for b in sp_.collective(v):
                total += self.expectation({p: a @ b})
        for lad in sp_.collective(u @ v):
            total -= self.expectation({p: lad})
        return total

    def reduced(self, sites: Sequence[int]) -> NDArray[np.complex128]:
        """Reduced density matrix of one or two sites (exact; module docstring)."""
        qs = check_sites(sites, self.n, "qubit")
        if not qs:
            return np.array([[self.trace()]])
        if len(qs) > 2:
            if self.n <= DENSE_MAX_SITES:
                from ..measures.entropy import partial_trace

                dense = self.to_dense()
                order = sorted(qs)
                rho = partial_trace(dense, self.dims, order)
                perm = [order.index(q) for q in qs]
                k = len(qs)
                t = rho.reshape((2,) * (2 * k)).transpose(perm + [k + x for x in perm])
                return t.reshape(2**k, 2**k)
            raise ModelError(f"reduced density matrices of {len(qs)} sites are not kept by the "
                             "permutation representation beyond N = "
                             f"{DENSE_MAX_SITES} (one or two sites are)")
        parts = [self.part_of(q) for q in qs]
        key = (tuple(parts), len(qs) == 2 and parts[0] == parts[1])
        if key in self._cache:
            return self._cache[key].copy()
        if len(qs) == 1:
            p = parts[0]
            m = len(self.space.parts[p])
            rho = np.array([[self._collective_expectation([(p, _unit(s2, s1))]) / m
                             for s2 in range(2)] for s1 in range(2)])
        else:
            p, q = parts
            rho = np.zeros((4, 4), dtype=complex)
            mp, mq = len(self.space.parts[p]), len(self.space.parts[q])
            for s1 in range(2):
                for s2 in range(2):
                    for t1 in range(2):
                        for t2 in range(2):
                            u, v = _unit(t1, s1), _unit(t2, s2)  # Tr ρ |t⟩⟨s| = ρ[s, t]
                            if p == q:
                                val = self._pair_same_part(p, u, v) / (mp * (mp - 1))
                            else:
                                val = self._collective_expectation([(p, u), (q, v)]) / (mp * mq)
                            rho[2 * s1 + s2, 2 * t1 + t2] = val
        self._cache[key] = rho
        return rho.copy()

    # ------------------------------------------------------------------ fidelity
    def fidelity_to_product(self, factors: Sequence[NDArray[np.complex128]]) -> float:
        """F(ρ, ⊗_j σ_j) for diagonal σ_j equal within each part (Uhlmann, not squared).

        σ's representative blocks are diagonal, Y_b[a] = D_b Π_p u_p^{n↑} v_p^{n↓}
        (σ_p = diag(u_p, v_p), n↑/n↓ the up/down counts of the multi-state), so
        F = Σ_b Tr √(√Y_b X_b √Y_b), block by block (weights cancel).
        """
        sp_ = self.space
        facs = [np.asarray(f, dtype=complex) for f in factors]
        if len(facs) != self.n:
            raise ModelError(f"fidelity: a product state of {len(facs)} sites for {self.n} qubits")
        logs = np.zeros(sp_.dim)
        for p, (sites, space) in enumerate(zip(sp_.parts, sp_.spaces)):
            f0 = facs[sites[0]]
            if any(not np.allclose(facs[s], f0, rtol=0, atol=0) for s in sites):
                raise ModelError("fidelity of a permutation state with a product state needs equal "
                                 f"factors within each part (part {p}: sites {sites[0]}…{sites[-1]})")
            if np.any(f0 - np.diag(np.diag(f0))):
                raise ModelError("fidelity of a permutation state with a product state with "
                                 "coherences (a drive) is not implemented beyond "
                                 f"N = {DENSE_MAX_SITES}; use a smaller network")
            up, dn = np.real(f0[0, 0]), np.real(f0[1, 1])
            e = sp_.entries[:, p]
            b = space.entry_block[e]
            n_dn = np.round(space.m / 2 - space.j[b]).astype(np.int64) + space.entry_a[e]
            with np.errstate(divide="ignore"):
                logs = logs + (space.m - n_dn) * np.log(up) + n_dn * np.log(dn)
            logs = np.where(np.isnan(logs), -np.inf, logs)
        y = np.exp(logs + sp_.block_weights()) * sp_.diagonal
        gid, ket, bra = sp_.blocks
        # √Y X √Y entry by entry: y_ket^½ X y_bra^½ (y lives on the diagonal rows).
        diag_val = np.zeros((gid.max() + 1, int(max(ket.max(), bra.max())) + 1))
        dsel = sp_.diagonal
        diag_val[gid[dsel], ket[dsel]] = y[dsel]
        scaled = np.sqrt(diag_val[gid, ket] * diag_val[gid, bra]) * self.values
        return _sqrt_trace_blocks(scaled, sp_.blocks)

    # ------------------------------------------------------------------ dense form
    def to_dense(self) -> NDArray[np.complex128]:
        """ρ as a dense 2ᴺ × 2ᴺ matrix, site 0 the leftmost factor (N ≤ :data:`DENSE_MAX_SITES`)."""
        n = self.n
        if n > DENSE_MAX_SITES:
            raise ModelError(
                f"to_dense: the permutation state of {n} qubits would be a dense 2^{n} × 2^{n} "
                f"matrix; it is built only for N ≤ {DENSE_MAX_SITES} — use reduced() and the "
                "pair measures, which work at any N"
            )
        dim = 2**n
        check_memory(16.0 * 4 * dim * dim, what=f"a dense {dim}×{dim} density matrix")
        sp_ = self.space
        rows = np.arange(sp_.dim)
        ket = np.zeros(sp_.dim, dtype=np.int64)
        bra = np.zeros(sp_.dim, dtype=np.int64)
        weight = self.values.copy()
        for p, space in enumerate(sp_.spaces):
            e = sp_.entries[rows, p]
            b = space.entry_block[e]
            d = np.array([space.multiplicity(x) for x in range(space.n_blocks)], dtype=np.int64)
            col0 = np.concatenate([[0], np.cumsum(space.sizes * d)])
            reps = d[b]
            idx = np.repeat(np.arange(rows.size), reps)
            k = np.arange(idx.size) - np.repeat(np.cumsum(reps) - reps, reps)
            bb = b[idx]
            size = 2 ** space.m
            ket = ket[idx] * size + col0[bb] + space.entry_a[e[idx]] * d[bb] + k
            bra = bra[idx] * size + col0[bb] + space.entry_c[e[idx]] * d[bb] + k
            weight = weight[idx] / d[bb]
            rows = rows[idx]
        rho_s = np.zeros((dim, dim), dtype=complex)
        np.add.at(rho_s, (ket, bra), weight)
        u = reduce(np.kron, [space.schur_basis() for space in sp_.spaces])
        rho = u @ rho_s @ u.conj().T
        order = [s for part in sp_.parts for s in part]  # tensor factor f holds site order[f]
        perm = [order.index(s) for s in range(n)]
        t = rho.reshape((2,) * (2 * n)).transpose(perm + [n + x for x in perm])
        return t.reshape(dim, dim)


def _product(lists):
    if not lists:
        yield ()
        return
    for item in lists[0]:
        for rest in _product(lists[1:]):
            yield (item,) + rest


def _block_stacks(values, blocks):
    """The Hermitian parts of the blocks given entry by entry, stacked by block size."""
    gid, ket, bra = blocks
    size = np.zeros(gid.max() + 1, dtype=np.int64)
    np.maximum.at(size, gid, np.maximum(ket, bra) + 1)
    for s in np.unique(size):
        ids = np.flatnonzero(size == s)
        local = -np.ones(size.size, dtype=np.int64)
        local[ids] = np.arange(ids.size)
        sel = local[gid] >= 0
        mats = np.zeros((ids.size, s, s), dtype=complex)
        mats[local[gid[sel]], ket[sel], bra[sel]] = values[sel]
        yield (mats + np.conj(np.swapaxes(mats, 1, 2))) / 2


def _sqrt_trace_blocks(values, blocks) -> float:
    """Σ_b Tr √(X_b) of Hermitian PSD blocks given entry by entry (eigenvalues < 0 clipped)."""
    return float(sum(np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(m), 0, None)))
                     for m in _block_stacks(values, blocks)))
