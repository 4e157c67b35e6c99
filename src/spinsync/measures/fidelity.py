"""Uhlmann fidelity F(ρ, σ) = Tr √(√ρ σ √ρ) (not squared), one implementation for every state type.

Block-sparse states: √σ ρ √σ is a direct sum over the connected groups of blocks of the
union of both states' block pairs (:class:`~spinsync.states.layout.BlockLayout`), so F is a
sum of per-group traces of matrix square roots; a diagonal σ group (the no-go ρ₀) costs
only an elementwise scaling. Products of products: the product of local fidelities.
F is symmetric, F(ρ, σ) = F(σ, ρ).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np
from numpy.typing import NDArray

from ..blas_threads import map_blocks
from ..errors import ModelError
from ..operators.basis import BlockBasis
from ..states import BlockLayout, BlockState, ProductState
from ..states.moments import MomentState
from ..states.permutation import DENSE_MAX_SITES, PermutationState
from .coerce import as_state

__all__ = ["fidelity", "UhlmannFidelity", "psd_sqrt", "sqrt_trace"]

Pair = tuple[int, int]

#: Groups of at least this many states are diagonalized in parallel threads (below it the
#: eigenvalue problems take milliseconds and a pool only costs).
PARALLEL_MIN_SIZE = 256


def psd_sqrt(matrix: NDArray[np.complex128]) -> NDArray[np.complex128]:
    """√A of a Hermitian positive semidefinite A (eigenvalues below 0 clipped to 0)."""
    vals, vecs = np.linalg.eigh((matrix + np.conj(np.swapaxes(matrix, -1, -2))) / 2)
    return (vecs * np.sqrt(np.clip(vals, 0.0, None))[..., None, :]) @ np.conj(np.swapaxes(vecs, -1, -2))


def sqrt_trace(matrix: NDArray[np.complex128]) -> NDArray[np.float64]:
    """Tr √M of Hermitian PSD matrices M (stacked on leading axes allowed).

    Rounding leaves eigenvalues slightly below 0; they are clipped. √ is not Lipschitz at
    0, so near rank-deficient M (a pure state) an error ε moves F by up to ~√ε — inherent
    to F, not to this method.
    """
    herm = (matrix + np.conj(np.swapaxes(matrix, -1, -2))) / 2
    lam = np.linalg.eigvalsh(herm)
    return np.sum(np.sqrt(np.clip(lam, 0.0, None)), axis=-1)


class UhlmannFidelity:
    """F(ρ, σ) to a fixed reference σ, for many ρ (√σ is computed once).

    Parameters
    ----------
    reference
        Blocks of σ over ``basis`` (Hermitian, positive semidefinite).
    basis
        The block basis of both states.
    state_pairs
        Every block pair the states ρ passed later may hold.
    """

    def __init__(self, reference: Mapping[Pair, NDArray[np.complex128]], basis: BlockBasis,
                 state_pairs: Iterable[Pair]) -> None:
        pairs = set(state_pairs) | set(reference)
        self.layout = BlockLayout.from_pairs(basis, pairs)
        # Per component: a vector (diagonal √σ) or a dense matrix.
        self._roots: list[NDArray[np.complex128] | NDArray[np.float64]] = []
        for comp in self.layout.components:
            sigma = self.layout.assemble(comp, reference)
            if not np.any(sigma - np.diag(np.diag(sigma))):
                self._roots.append(np.sqrt(np.clip(np.diag(sigma).real, 0.0, None)))
            else:
                self._roots.append(psd_sqrt(sigma))

    def memory_estimate(self) -> float:
        """Peak bytes of one call: ≈ 4 d² complex per group being diagonalized — the largest,
        or the largest few when groups run in parallel threads."""
        from ..resources import usable_cpus

        dims = sorted((self.layout.dimension(c) for c in self.layout.components), reverse=True)
        at_once = usable_cpus() if dims and dims[0] >= PARALLEL_MIN_SIZE else 1
        return 4 * 16.0 * sum(d * d for d in dims[:at_once])

    def __call__(self, blocks: Mapping[Pair, NDArray[np.complex128]]) -> float:
        """F(ρ, σ) for ρ given by its blocks (missing pairs are zero).

        One eigenvalue problem per group; groups of ≥ :data:`PARALLEL_MIN_SIZE` states run
        one per core (at N = 12 the 13 magnetization groups took 0.5 s per call on one
        thread, the largest 924 states).
        """
        def one(i: int) -> float:
            comp, root = self.layout.components[i], self._roots[i]
            rho = self.layout.assemble(comp, blocks)
            m = root[:, None] * rho * root[None, :] if root.ndim == 1 else root @ rho @ root
            return float(sqrt_trace(m))

        index = list(range(len(self._roots)))
        sizes = [len(root) for root in self._roots]
        return float(sum(map_blocks(one, index, sizes, PARALLEL_MIN_SIZE)))


def _dense(rho: NDArray[np.complex128], sigma: NDArray[np.complex128]) -> float:
    root = psd_sqrt(rho)
    return float(sqrt_trace(root @ sigma @ root))


def _permutation_fidelity(a: PermutationState, b: Any) -> float:
    """A permutation state against a product state equal within its parts (in the Dicke
    representation, any N), or against anything as dense matrices for N ≤ 12."""
    if isinstance(b, ProductState):
        try:
            return a.fidelity_to_product(b.local)
        except ModelError:
            if a.n > DENSE_MAX_SITES:
                raise
    if a.n > DENSE_MAX_SITES:
        raise ModelError(
            f"fidelity of a permutation state of {a.n} qubits is computed only against a "
            f"product state equal within its parts, or as dense matrices for N ≤ {DENSE_MAX_SITES}"
        )
    return _dense(a.to_dense(), b.to_dense())


def fidelity(rho: Any, sigma: Any) -> float:
    """Uhlmann fidelity F(ρ, σ) = Tr √(√ρ σ √ρ) ∈ [0, 1] (not squared).

    Accepts block states, product states, permutation states, steady-state results and
    dense or sparse density matrices, in any combination. Product ⊗ product is the product of local
    fidelities (any N); block-sparse states are handled group by group (module docstring);
    a dense array is compared as a dense matrix.
    """
    a, b = as_state(rho, "rho"), as_state(sigma, "sigma")
    for s in (a, b):
        if isinstance(s, MomentState):
            raise ModelError("fidelity needs full density matrices; a cumulant result keeps only "
                             "⟨σ⟩ and pair correlations (use the pair measures, or an exact method)")
    if isinstance(b, PermutationState) and not isinstance(a, PermutationState):
        a, b = b, a
    if a.dims != b.dims:
        if all(d == 2 for d in a.dims + b.dims):
            raise ModelError(f"fidelity: states of {a.n} and {b.n} qubits (their shapes differ)")
        raise ModelError(f"fidelity: the states' local dimensions {a.dims} and {b.dims} differ")
    if isinstance(a, PermutationState):
        return _permutation_fidelity(a, b)
    if isinstance(a, ProductState) and isinstance(b, ProductState):
        return float(np.prod([_dense(x, y) for x, y in zip(a.factors, b.factors)]))
    if isinstance(a, ProductState):
        a, b = b, a
    assert isinstance(a, BlockState)
    if isinstance(b, ProductState):
        if not b.respects(a.basis.kind):
            return _dense(a.to_dense(), b.to_dense())
        b = b.to_blocks(a.basis)
    if b.basis.kind != a.basis.kind or b.basis.space != a.basis.space:
        from ..states import as_block_state

        b = as_block_state(b, a.basis)
    fid = UhlmannFidelity(b.blocks, a.basis, a.blocks.keys())
    from ..resources import check_memory

    check_memory(fid.memory_estimate(), what="the fidelity of the largest group of blocks")
    return fid(a.blocks)
