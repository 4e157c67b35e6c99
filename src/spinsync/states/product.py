"""Product states ⊗_j ρ_j, kept factorized (the no-go state ρ₀ at any N).

Factors may have different dimensions (sites of different spin). Nothing of size D = Π d_j
is formed unless asked for (:meth:`ProductState.to_dense`, memory checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from ..operators.basis import BlockBasis
from ..resources import check_memory
from .block import BlockState, check_sites

__all__ = ["ProductState", "product_of_bloch"]


@dataclass(eq=False, init=False)
class ProductState:
    """ρ = ρ_0 ⊗ ρ_1 ⊗ … from its local factors.

    Parameters
    ----------
    factors
        An array (N, d, d) or a sequence of square matrices (one per site, any sizes).
    """

    factors: NDArray[np.complex128] | tuple[NDArray[np.complex128], ...]

    def __init__(self, factors: ArrayLike | Sequence[ArrayLike]) -> None:
        if isinstance(factors, np.ndarray) and factors.ndim == 3:
            mats = tuple(np.asarray(f, dtype=complex) for f in factors)
        else:
            mats = tuple(np.asarray(f, dtype=complex) for f in factors)
        for j, f in enumerate(mats):
            if f.ndim != 2 or f.shape[0] != f.shape[1] or f.shape[0] < 1:
                raise ModelError(f"product state: factor {j} has shape {f.shape}, expected square")
        if not mats:
            raise ModelError("product state: no factors")
        shapes = {f.shape for f in mats}
        self.factors = np.stack(mats) if len(shapes) == 1 else mats

    @property
    def local(self) -> tuple[NDArray[np.complex128], ...]:
        """The factors as a tuple of matrices."""
        return tuple(self.factors)

    @property
    def n(self) -> int:
        return len(self.factors)

    @property
    def dims(self) -> tuple[int, ...]:
        return tuple(int(f.shape[0]) for f in self.factors)

    @property
    def dim(self) -> int:
        out = 1
        for d in self.dims:
            out *= d
        return out

    @property
    def is_diagonal(self) -> bool:
        return all(not np.any(f - np.diag(np.diag(f))) for f in self.factors)

    def trace(self) -> complex:
        return complex(np.prod([np.trace(f) for f in self.factors]))

    def frobenius_norm(self) -> float:
        # Sum of logs: the product of N local purities underflows for large N otherwise.
        return float(np.exp(0.5 * np.sum([np.log(np.sum(np.abs(f) ** 2)) for f in self.factors])))

    def hermiticity_error(self) -> float:
        return float(max(np.max(np.abs(f - f.conj().T)) for f in self.factors))

    def min_eigenvalue(self) -> float:
        """Smallest eigenvalue of ⊗ρ_j without forming it (product of local spectra)."""
        local = [np.linalg.eigvalsh((f + f.conj().T) / 2) for f in self.factors]
        lows = np.array([v[0] for v in local])
        if np.all(lows >= 0):
            return float(np.prod(lows))
        # Some factor is indefinite: its negative eigenvalue times the others' largest.
        j = int(np.argmin(lows))
        others = [np.max(np.abs(v)) for i, v in enumerate(local) if i != j]
        return float(lows[j] * np.prod(others))

    def reduced(self, sites: Sequence[int]) -> NDArray[np.complex128]:
        qs = check_sites(sites, self.n, "qubit" if all(d == 2 for d in self.dims) else "site")
        if not qs:
            return np.ones((1, 1), dtype=complex)
        return reduce(np.kron, [self.factors[q] for q in qs])

    def to_dense(self) -> NDArray[np.complex128]:
        dim = self.dim
        check_memory(16 * dim * dim, what=f"a dense {dim}×{dim} density matrix")
        return self.reduced(range(self.n))

    def respects(self, kind: str) -> bool:
        """Whether ⊗ρ_j is block diagonal in the blocks of ``kind``.

        ``magnetization`` needs diagonal factors, ``parity`` factors whose entries change
        the local down count by even amounts; ``full`` holds anything.
        """
        if kind == "full":
            return True
        for f in self.factors:
            rows, cols = np.nonzero(f)
            shifts = rows - cols
            if kind == "magnetization" and np.any(shifts != 0):
                return False
            if kind == "parity" and np.any(shifts % 2 != 0):
                return False
        return True

    def to_blocks(self, basis: BlockBasis) -> BlockState:
        """Block form over ``basis`` (diagonal blocks only; the factors must respect it).

        Diagonal factors cost O(N·D); others O(N·Σ n_b²) with the blocks' memory checked.
        """
        if basis.dims != self.dims:
            raise ModelError(f"product state of dims {self.dims} for a basis of dims {basis.dims}")
        if not self.respects(basis.kind):
            raise ValueError(f"the product state is not block diagonal in {basis.kind} blocks")
        space = basis.space
        blocks = {}
        if self.is_diagonal:
            diags = [np.real(np.diag(f)) for f in self.factors]
            for b, states in enumerate(basis.states):
                weights = np.ones(states.size)
                for j in range(self.n):
                    weights *= diags[j][space.digit(states, j)]
                blocks[(b, b)] = np.diag(weights).astype(complex)
            return BlockState(basis, blocks)
        check_memory(16.0 * 2 * sum(s * s for s in basis.sizes),
                     what="the blocks of a product state")
        for b, states in enumerate(basis.states):
            block = np.ones((states.size, states.size), dtype=complex)
            for j in range(self.n):
                a = space.digit(states, j)
                block *= self.factors[j][a[:, None], a[None, :]]
            blocks[(b, b)] = block
        return BlockState(basis, blocks)


def product_of_bloch(vectors: ArrayLike) -> ProductState:
    """⊗_j (I + r_j·σ)/2 from Bloch vectors of shape (N, 3), |r_j| ≤ 1."""
    r = np.asarray(vectors, dtype=float)
    if r.ndim != 2 or r.shape[1] != 3:
        raise ModelError(f"Bloch vectors: expected shape (N, 3), got {r.shape}")
    norms = np.linalg.norm(r, axis=1)
    if np.any(~np.isfinite(norms)) or np.any(norms > 1 + 1e-12):
        i = int(np.flatnonzero(~(norms <= 1 + 1e-12))[0])
        raise ModelError(f"Bloch vector {i} = {r[i].tolist()}: length must be ≤ 1")
    x, y, z = r.T
    factors = 0.5 * np.stack(
        [np.stack([1 + z, x - 1j * y], -1), np.stack([x + 1j * y, 1 - z], -1)], -2
    )
    return ProductState(factors.astype(complex))
