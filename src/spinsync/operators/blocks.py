"""The compiled terms restricted to symmetry blocks: H_b, Γ_b = Σ_c c†c, and the jump maps.

Built by index arithmetic on the block's basis states (no Python loop over states): a
homogeneous :class:`~spinsync.operators.terms.Product` maps state s to the single state
s + Σ_j δ_j·stride_j with weight c·Π_j A_j[a_j + δ_j, a_j], or annihilates it.

A jump restricted to block b maps it to one block t (the symmetry guarantees a single
target). It is stored as a :class:`JumpBlock`:

* *monomial* (each state of b to at most one state of t, e.g. σ±_j, J±Jᶻ, σᶻ): index
  arrays ``src``, ``dst`` and ``weights``, applied by gathers and scatters;
* otherwise (a collective Σ_j σ⁻_j): a sparse matrix C_tb, applied by sparse products.

Everything is computed on first use and cached per block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .basis import BlockBasis
from .terms import Operator, Product, Terms

__all__ = ["JumpBlock", "DecayBlock", "BlockOperators", "block_basis", "block_operators", "product_map"]


@dataclass(frozen=True, eq=False)
class JumpBlock:
    """One collapse operator from block ``source`` to block ``target``.

    Exactly one of (``src``, ``dst``, ``weights``) or ``matrix`` is set.
    ``scalar`` is the common weight when every weight is equal (then ``weights`` may be
    replaced by it), else None.
    """

    label: str
    source: int
    target: int
    src: NDArray[np.int64] | None = None
    dst: NDArray[np.int64] | None = None
    weights: NDArray[np.complex128] | None = None
    matrix: sp.csr_matrix | None = None

    @property
    def is_monomial(self) -> bool:
        return self.matrix is None

    @property
    def scalar(self) -> complex | None:
        w = self.weights
        if w is None or not w.size:
            return None
        return complex(w[0]) if np.all(w == w[0]) else None

    @property
    def is_real(self) -> bool:
        if self.matrix is not None:
            return not np.any(self.matrix.data.imag)
        return not np.any(self.weights.imag)

    def as_matrix(self, n_target: int, n_source: int) -> sp.csr_matrix:
        if self.matrix is not None:
            return self.matrix
        return sp.csr_matrix((self.weights, (self.dst, self.src)), shape=(n_target, n_source))


@dataclass(frozen=True, eq=False)
class DecayBlock:
    """Γ_b = Σ_c c†c restricted to block b: a diagonal vector, or a sparse matrix."""

    diagonal: NDArray[np.float64] | None
    matrix: sp.csr_matrix | None

    @property
    def is_diagonal(self) -> bool:
        return self.matrix is None

    def dense(self, n: int) -> NDArray[np.complex128]:
        if self.matrix is not None:
            return self.matrix.toarray().astype(complex)
        return np.diag(self.diagonal).astype(complex)


def product_map(
    basis: BlockBasis, product: Product, block: int
) -> tuple[int, NDArray[np.int64], NDArray[np.int64], NDArray[np.complex128]] | None:
    """``(target_block, src, dst, weights)`` of a homogeneous product on ``block``.

    ``src``/``dst`` are positions inside the source and target blocks; None when the
    product annihilates the whole block.
    """
    space = basis.space
    states = basis.states[block]
    valid = np.ones(states.size, dtype=bool)
    weight = np.full(states.size, complex(product.coefficient))
    target = states.copy()
    strides = space.strides
    for k, site in enumerate(product.sites):
        a = space.digit(states, site)
        w, ok = product.factor_weights(k)
        valid &= ok[a]
        weight *= w[a]
        target += product.shifts[k] * strides[site]
    src = np.flatnonzero(valid)
    if not src.size:
        return None
    tgt_states = target[src]
    tb = basis.target_block(block, product.shift)
    if tb is None:  # pragma: no cover - a valid target state lies in an existing block
        raise AssertionError("product maps into an empty block")
    return tb, src, basis.position[tgt_states], weight[src]


def _combine(maps: list[tuple[NDArray, NDArray, NDArray]], n_t: int, n_b: int,
             single_is_monomial: bool = True) -> tuple[Any, ...]:
    """Monomial (src, dst, weights) if the summed maps stay monomial, else a CSR matrix.

    One map of a homogeneous product is monomial by construction; one map of an operator
    given as a matrix (``single_is_monomial=False``) is checked like a sum.
    """
    if len(maps) == 1 and single_is_monomial:
        return maps[0]
    src = np.concatenate([m[0] for m in maps])
    dst = np.concatenate([m[1] for m in maps])
    w = np.concatenate([m[2] for m in maps])
    mat = sp.coo_matrix((w, (dst, src)), shape=(n_t, n_b)).tocsr()
    mat.sum_duplicates()
    mat.eliminate_zeros()
    coo = mat.tocoo()
    if np.all(np.bincount(coo.col, minlength=n_b) <= 1) and np.all(np.bincount(coo.row, minlength=n_t) <= 1):
        return coo.col.astype(np.int64), coo.row.astype(np.int64), coo.data.astype(complex)
    return (mat,)


class BlockOperators:
    """H_b, Γ_b and jump maps of ``terms`` on the blocks of ``basis`` (cached per block).

    Parameters
    ----------
    terms
        The compiled model.
    basis
        Blocks of a symmetry the terms keep (the caller checks it; a violation raises).
    """

    def __init__(self, terms: Terms, basis: BlockBasis) -> None:
        if basis.space != terms.space:
            raise ValueError(f"basis of dims {basis.dims} for terms of dims {terms.space.dims}")
        self.terms = terms
        self.basis = basis
        self._h: dict[int, sp.csr_matrix] = {}
        self._jumps: dict[int, tuple[JumpBlock, ...]] = {}
        self._decay: dict[int, DecayBlock] = {}

    # ------------------------------------------------------------------ properties
    @property
    def hamiltonian_is_real(self) -> bool:
        """All Hamiltonian entries are real (the real-coordinate solvers then skip Im H)."""
        return self.terms.hamiltonian.is_real

    @property
    def jumps_are_real(self) -> bool:
        return all(j.operator.is_real for j in self.terms.jumps)

    # ------------------------------------------------------------------ per block
    def _maps(self, op: Operator, block: int) -> tuple[int | None, list[tuple[NDArray, NDArray, NDArray]]]:
        """The target block and the (src, dst, weights) maps of an operator's terms on ``block``."""
        basis = self.basis
        if op.matrix is not None:
            sub = op.matrix[:, basis.states[block]].tocoo()
            keep = sub.data != 0
            if not keep.any():
                return None, []
            rows, cols, vals = sub.row[keep].astype(np.int64), sub.col[keep].astype(np.int64), sub.data[keep]
            targets = np.unique(basis.block_of[rows])
            if targets.size != 1:
                raise ValueError("an operator maps a block to several blocks "
                                 "(the requested symmetry is not kept)")
            return int(targets[0]), [(cols, basis.position[rows], vals.astype(complex))]
        target = None
        maps = []
        for product in op.products:
            m = product_map(basis, product, block)
            if m is None:
                continue
            if target is not None and m[0] != target:
                raise ValueError("an operator maps a block to several blocks "
                                 "(the requested symmetry is not kept)")
            target = m[0]
            maps.append(m[1:])
        return target, maps

    def hamiltonian(self, block: int) -> sp.csr_matrix:
        """H restricted to ``block`` (complex CSR, n_b × n_b)."""
        h = self._h.get(block)
        if h is None:
            n = self.basis.sizes[block]
            target, maps = self._maps(self.terms.hamiltonian, block)
            if target is not None and target != block:
                raise ValueError("the Hamiltonian does not conserve the blocks "
                                 "(the requested symmetry is not kept)")
            if maps:
                src = np.concatenate([m[0] for m in maps])
                dst = np.concatenate([m[1] for m in maps])
                w = np.concatenate([m[2] for m in maps])
                h = sp.coo_matrix((w, (dst, src)), shape=(n, n)).tocsr()
                h.sum_duplicates()
                h.eliminate_zeros()
            else:
                h = sp.csr_matrix((n, n), dtype=complex)
            self._h[block] = h
        return h

    def jumps_from(self, block: int) -> tuple[JumpBlock, ...]:
        """Every collapse operator on ``block``, with its target block."""
        out = self._jumps.get(block)
        if out is None:
            sizes = self.basis.sizes
            items = []
            for jump in self.terms.jumps:
                target, maps = self._maps(jump.operator, block)
                if target is None:
                    continue
                m = _combine(maps, sizes[target], sizes[block], jump.operator.matrix is None)
                if len(m) == 1:
                    items.append(JumpBlock(jump.label, block, target, matrix=m[0]))
                else:
                    items.append(JumpBlock(jump.label, block, target, src=m[0], dst=m[1],
                                           weights=np.asarray(m[2], dtype=complex)))
            out = self._jumps[block] = tuple(items)
        return out

    def decay(self, block: int) -> DecayBlock:
        """Γ_b = Σ_c c†c on ``block`` (so H_eff = H − (i/2)Γ)."""
        dec = self._decay.get(block)
        if dec is None:
            n = self.basis.sizes[block]
            diag = np.zeros(n)
            mat = None
            for jb in self.jumps_from(block):
                if jb.is_monomial:
                    np.add.at(diag, jb.src, np.abs(jb.weights) ** 2)
                else:
                    cc = (jb.matrix.conj().T @ jb.matrix).tocsr()
                    mat = cc if mat is None else mat + cc
            if mat is not None:
                mat = sp.csr_matrix(mat + sp.diags(diag))
                mat.sum_duplicates()
                mat.eliminate_zeros()
                if (mat - sp.diags(mat.diagonal())).count_nonzero() == 0:
                    diag, mat = mat.diagonal().real.copy(), None
            dec = self._decay[block] = DecayBlock(diag if mat is None else None, mat)
        return dec

    def effective_hamiltonian(self, block: int) -> NDArray[np.complex128]:
        """Dense H_eff,b = H_b − (i/2) Γ_b (memory 16·n_b² bytes)."""
        n = self.basis.sizes[block]
        heff = self.hamiltonian(block).toarray().astype(complex)
        dec = self.decay(block)
        if dec.is_diagonal:
            heff[np.diag_indices(n)] -= 0.5j * dec.diagonal
        else:
            heff -= 0.5j * dec.matrix.toarray()
        return heff


def block_basis(terms: Terms, kind: str) -> BlockBasis:
    """The (cached) block basis of ``kind`` for the terms' space."""
    cache = terms.__dict__.setdefault("_block_bases", {})
    basis = cache.get(kind)
    if basis is None:
        basis = cache[kind] = BlockBasis.build(terms.space, kind)
    return basis


def block_operators(terms: Terms, basis: BlockBasis | str) -> BlockOperators:
    """The (cached) :class:`BlockOperators` of ``terms`` on a basis (or a block kind).

    Held by the terms object, one per block kind, so every solver of one network shares
    its block matrices. Bases of one kind and space are identical, so any such basis
    object shares the cache.
    """
    kind = basis if isinstance(basis, str) else basis.kind
    cache = terms.__dict__.setdefault("_block_operators", {})
    ops = cache.get(kind)
    if ops is None:
        if isinstance(basis, str):
            basis = block_basis(terms, kind)
        ops = cache[kind] = BlockOperators(terms, basis)
    return ops
