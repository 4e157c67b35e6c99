"""Entropic measures: von Neumann entropy, partial traces of dense matrices, mutual information,
and the relative entropy of synchronization (Jaseem et al., PRR 2, 043287 (2020)).

Entropies are in nats (natural logarithm). Every measure of a state works from the reduced
density matrix of the sites it names (block by block for block states: no 4ᴺ matrix).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from .coerce import as_state

__all__ = ["von_neumann_entropy", "partial_trace", "mutual_information", "relative_entropy_of_sync",
           "shannon_entropy"]

#: Eigenvalues below this contribute nothing to −Tr ρ ln ρ (x ln x → 0; rounding leaves
#: ~1e-16 noise around zero eigenvalues).
_EIG_FLOOR = 1e-14


def von_neumann_entropy(rho: NDArray[np.complex128]) -> float:
    """S(ρ) = −Tr ρ ln ρ in nats of a dense density matrix."""
    rho = np.asarray(rho)
    vals = np.linalg.eigvalsh((rho + np.conj(rho).T) / 2)
    return shannon_entropy(vals)


def shannon_entropy(probabilities: ArrayLike) -> float:
    """H(p) = −Σ p ln p in nats; entries ≤ 1e-14 (zero to rounding) contribute nothing."""
    p = np.asarray(probabilities, dtype=float).ravel()
    p = p[p > _EIG_FLOOR]
    return float(-np.sum(p * np.log(p)))


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


def _sites(sites: int | Sequence[int], what: str) -> list[int]:
    out = [int(sites)] if np.ndim(sites) == 0 else [int(s) for s in sites]  # type: ignore[arg-type]
    if not out:
        raise ModelError(f"{what}: give one site or more")
    return out


def relative_entropy_of_sync(state: object, sites: int | Sequence[int]) -> float:
    """Relative entropy of synchronization Ω = S(ρ_diag) − S(ρ) of the reduced state of ``sites``.

    Jaseem et al., PRR 2, 043287 (2020): the relative entropy between ρ and the nearest state
    without phase preference, ρ_diag (ρ dephased in the product basis of Jᶻ eigenstates,
    |s, s⟩ … |s, −s⟩ on each site; σᶻ for qubits) — the relative entropy of coherence in that
    basis. In nats; Ω ≥ 0, with Ω = 0 exactly when ρ of these sites is diagonal (no phase
    information at all, e.g. every state with U(1) symmetry restricted to one site).

    Parameters
    ----------
    state
        Any state the measures take (block states are reduced block by block).
    sites
        One site (an int) or a list of them: a pair gives the Ω of the pair's reduced state,
        which counts its joint coherences (⟨σ⁺_jσ⁻_k⟩ too), not only local ones. The cost is
        that of a (Π d)² matrix.
    """
    st = as_state(state, "relative_entropy_of_sync")
    rho = st.reduced(_sites(sites, "relative_entropy_of_sync"))
    return max(0.0, shannon_entropy(np.diag(rho).real) - von_neumann_entropy(rho))
