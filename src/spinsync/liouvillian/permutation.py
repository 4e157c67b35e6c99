"""The Liouvillian of a qubit network on the product of its parts' Dicke representations.

The compiled terms (:class:`~spinsync.operators.terms.Terms`) are read at one representative
site of every part — interchangeable sites have equal terms, :mod:`spinsync.model.groups` —
and turned into collective operators of the parts (:mod:`spinsync.operators.dicke`):

* local Hamiltonians: Σ_{i∈p} h_i = collective_p(h);
* a bond product coefficient·L_i R_k between parts p ≠ q: coefficient·collective_p(L)
  collective_q(R) (all sites of p couple equally to all of q); inside a group,
  Σ_{i<k} = ½ Σ_{i≠k} = ½ coefficient·(collective(L) collective(R) − collective(L R)) (the
  bond terms are symmetric under i ↔ k);
* a local jump c = √(γ/2)A on every site of p: the sandwich Σ_i c_i ρ c_i† (the one
  non-collective map) and Σ_i c_i†c_i = collective_p(c†c) in H_eff;
* a collective channel c = Σ_{p∈S} collective_p(A): c ρ c† = Σ_{p,q} C_p ρ C_q† and
  c†c = Σ_{p,q} C_p† C_q (S is a union of parts).

With H_eff = H − (i/2) Σ c†c, L[ρ] = −i(H_eff ρ − ρ H_eff†) + Σ (sandwiches). Nothing is
dropped: constants (e.g. the M of Σ_i σᶻ_iσᶻ_i) enter H_eff and cancel in the commutator or
make the anticommutator of the dephasing exact.

Every term acts on at most two parts; on the sector it maps each entry to at most 3 entries
(the sandwich couples j to j, j ± 1), so nnz ≈ sector dimension × (terms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..errors import ModelError, NumericalError
from ..operators.dicke import DickeSpace, Ladder, SuperMap
from ..operators.permutation import PartSpace
from ..operators.terms import Terms

__all__ = ["PartTerm", "part_terms", "part_liouvillian", "part_nnz_estimate"]


@dataclass(frozen=True, eq=False)
class PartTerm:
    """coefficient · ⊗_{(p, map) ∈ factors} map_p (identity on the other parts)."""

    coefficient: complex
    factors: tuple[tuple[int, SuperMap], ...]


def _bond_products(terms: Terms, j: int, k: int) -> list[tuple[complex, NDArray, NDArray]]:
    """(coefficient, left matrix on min(j,k), right matrix on max(j,k)) of the bond j–k."""
    lo, hi = min(j, k), max(j, k)
    out = []
    for group in terms.bonds:
        hit = np.flatnonzero((group.sites[:, 0] == lo) & (group.sites[:, 1] == hi))
        for b in hit:
            for p, c in enumerate(group.coefficients[b]):
                if c != 0:
                    out.append((complex(c), group.left[p], group.right[p]))
    return out


def part_terms(terms: Terms, parts: Sequence[Sequence[int]],
               spaces: Sequence[DickeSpace]) -> list[PartTerm]:
    """The Liouvillian of ``terms`` as :class:`PartTerm` objects (module docstring).

    ``parts`` must be classes of interchangeable qubits (not checked here beyond the
    collective channels covering whole parts).
    """
    if terms.convention != "qubits":
        raise ModelError("the permutation method is for qubit networks")
    part_of = np.empty(terms.n, dtype=np.int64)
    for p, sites in enumerate(parts):
        part_of[list(sites)] = p
    heff: list[tuple[complex, tuple[tuple[int, Ladder], ...]]] = []
    sandwiches: list[PartTerm] = []

    def coll(p: int, matrix: NDArray) -> list[Ladder]:
        return [lad for lad in spaces[p].collective(matrix) if not lad.is_zero]

    for p, sites in enumerate(parts):
        rep = sites[0]
        for lad in coll(p, terms.local_hamiltonian[rep]):
            heff.append((1.0, ((p, lad),)))
        for _, _, c in terms.local_jumps[rep]:
            sandwiches.append(PartTerm(1.0, ((p, spaces[p].sandwich(c, c)),)))
            for lad in coll(p, c.conj().T @ c):
                heff.append((-0.5j, ((p, lad),)))
    # bonds: one representative pair per (part, part)
    n_parts = len(parts)
    for p in range(n_parts):
        for q in range(p, n_parts):
            if p == q:
                if len(parts[p]) < 2:
                    continue
                j, k = parts[p][0], parts[p][1]
            else:
                j, k = parts[p][0], parts[q][0]
            for coef, left, right in _bond_products(terms, j, k):
                pl, pr = part_of[min(j, k)], part_of[max(j, k)]
                if p == q:
                    for a in coll(p, left):
                        for b in coll(p, right):
                            heff.append((coef / 2, ((p, a @ b),)))
                    for lad in coll(p, left @ right):
                        heff.append((-coef / 2, ((p, lad),)))
                else:
                    for a in coll(pl, left):
                        for b in coll(pr, right):
                            heff.append((coef, ((pl, a), (pr, b))))
    # collective channels
    for ch in terms.channels:
        covered = sorted({int(part_of[s]) for s in ch.sites})
        if sum(len(parts[p]) for p in covered) != len(ch.sites):
            raise ModelError(f"{ch.label} covers part of a group: its sites are not interchangeable")
        ops = {p: coll(p, ch.matrices[ch.sites.index(parts[p][0])]) for p in covered}
        for p in covered:
            for q in covered:
                for a in ops[p]:
                    for b in ops[q]:
                        if p == q:
                            sandwiches.append(PartTerm(1.0, ((p, spaces[p].both(a, b.adjoint())),)))
                            heff.append((-0.5j, ((p, a.adjoint() @ b),)))
                        else:
                            ident_p, ident_q = spaces[p].identity(), spaces[q].identity()
                            sandwiches.append(PartTerm(1.0, ((p, spaces[p].both(a, ident_p)),
                                                             (q, spaces[q].both(ident_q, b.adjoint())))))
                            heff.append((-0.5j, ((p, a.adjoint()), (q, b))))
    out: list[PartTerm] = []
    for coef, ops in heff:
        if coef == 0 or any(lad.is_zero for _, lad in ops):
            continue
        out.append(PartTerm(-1j * coef, tuple((p, spaces[p].both(lad, spaces[p].identity()))
                                              for p, lad in ops)))
        out.append(PartTerm(1j * np.conj(coef), tuple((p, spaces[p].both(spaces[p].identity(), lad.adjoint()))
                                                      for p, lad in ops)))
    return out + sandwiches


def part_nnz_estimate(part_terms_: Sequence[PartTerm], sector_dim: int) -> int:
    """Upper bound of the stored entries while assembling (before duplicates are summed)."""
    per_row = sum(int(np.prod([m.width for _, m in t.factors])) for t in part_terms_)
    return int(sector_dim) * per_row


def part_liouvillian(part_terms_: Sequence[PartTerm], space: PartSpace) -> sp.csr_matrix:
    """L on the sector of ``space`` as a CSR matrix (columns: entries, rows: images).

    Raises
    ------
    NumericalError
        If a term maps an entry outside the sector (the sector's symmetry is not one the
        terms keep — an internal error).
    """
    n = space.dim
    rows_all, cols_all, vals_all = [], [], []
    base_cols = np.arange(n, dtype=np.int64)
    strides = space.strides
    for term in part_terms_:
        key = space.keys
        col = base_cols
        val = np.full(n, term.coefficient, dtype=complex)
        for p, smap in term.factors:
            e = space.entries[col, p]
            out = smap.out[e]
            coef = smap.coef[e]
            hit_i, hit_r = np.nonzero(out >= 0)
            key = key[hit_i] + (out[hit_i, hit_r] - e[hit_i]) * strides[p]
            col = col[hit_i]
            val = val[hit_i] * coef[hit_i, hit_r]
        rows = space.locate(key)
        if np.any(rows < 0):
            raise NumericalError("internal: a Liouvillian term leaves the permutation sector "
                                 f"({space.symmetry}); the sector symmetry is not kept")
        rows_all.append(rows)
        cols_all.append(col)
        vals_all.append(val)
    rows = np.concatenate(rows_all) if rows_all else np.zeros(0, np.int64)
    cols = np.concatenate(cols_all) if cols_all else np.zeros(0, np.int64)
    vals = np.concatenate(vals_all) if vals_all else np.zeros(0, complex)
    mat = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    mat.sum_duplicates()
    mat.eliminate_zeros()
    return mat
