"""Entropic measures: von Neumann entropy, partial traces of dense matrices, mutual information."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from .coerce import as_state

__all__ = ["von_neumann_entropy", "partial_trace", "mutual_information"]

#: Eigenvalues below this contribute nothing to −Tr ρ ln ρ (x ln x → 0; rounding leaves
#: ~1e-16 noise around zero eigenvalues).
_EIG_FLOOR = 1e-14


def von_neumann_entropy(rho: NDArray[np.complex128]) -> float:
    """S(ρ) = −Tr ρ ln ρ in nats of a dense density matrix."""
    rho = np.asarray(rho)
    vals = np.linalg.eigvalsh((rho + np.conj(rho).T) / 2)
    vals = vals[vals > _EIG_FLOOR]
    return float(-np.sum(vals * np.log(vals)))


def partial_trace(rho: NDArray[np.complex128], dims: Sequence[int], keep: Sequence[int]) -> NDArray[np.complex128]:
    """Reduced density matrix of a dense ρ on the subsystems ``keep`` (in increasing order)."""
    dims = list(dims)
    n = len(dims)
    t = np.asarray(rho).reshape(dims + dims)
    keep = sorted(keep)
    letters = "abcdefghijklmnopqrstuvwxyz"
    ket = [letters[i] for i in range(n)]
    bra = [letters[n + i] if i in keep else letters[i] for i in range(n)]
    out = "".join(ket[i] for i in keep) + "".join(bra[i] for i in keep)
    dk = int(np.prod([dims[i] for i in keep])) if keep else 1
    res = np.einsum("".join(ket) + "".join(bra) + "->" + out, t)
    return res.reshape(dk, dk)


def mutual_information(state: object, j: int, k: int) -> float:
    """I(j:k) = S(ρ_j) + S(ρ_k) − S(ρ_jk) in nats: zero iff ρ_jk = ρ_j ⊗ ρ_k.

    ``state`` is any state the measures take (its reduced matrices are gathered block by
    block).
    """
    st = as_state(state)
    return (von_neumann_entropy(st.reduced([j])) + von_neumann_entropy(st.reduced([k]))
            - von_neumann_entropy(st.reduced([j, k])))
