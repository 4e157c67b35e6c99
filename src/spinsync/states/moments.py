"""States known only by their one- and two-site moments (cumulant-expansion results).

A :class:`MomentState` keeps the Bloch vectors m_j^α = ⟨σᵅ_j⟩ and the connected pair
correlations C_jk^{αβ} = ⟨σᵅ_jσᵝ_k⟩ − m_j^α m_k^β of N qubits. Its one- and two-site reduced
density matrices follow from the exact identities

    ρ_j = ½ Σ_μ ⟨σ^μ_j⟩ σ^μ,        ρ_jk = ¼ Σ_{μν} ⟨σ^μ_jσ^ν_k⟩ σ^μ ⊗ σ^ν     (σ⁰ = 1),

(:func:`site_density`, :func:`pair_density`), so every measure built on ``reduced`` — Sᵐᵃˣ,
S_t, C_αβ, connected correlations — works on it unchanged. Nothing beyond pairs is kept:
``to_dense``, three-site reduced matrices and the fidelity refuse, saying why.

When the moments come from an approximation they need not belong to any state:
:meth:`MomentState.domain` reports Bloch vectors longer than 1 and reconstructed pair
matrices with negative eigenvalues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.local import PAULI
from .block import check_sites

__all__ = ["MomentState", "site_density", "pair_density", "Domain"]

_BASIS = np.stack([PAULI["i"], PAULI["x"], PAULI["y"], PAULI["z"]])
_PAIR_BASIS = np.einsum("mab,ncd->mnacbd", _BASIS, _BASIS).reshape(4, 4, 4, 4)


def site_density(bloch: NDArray[np.float64]) -> NDArray[np.complex128]:
    """ρ = ½(1 + m·σ) for Bloch vectors of shape (..., 3)."""
    m = np.asarray(bloch, dtype=float)
    m4 = np.concatenate([np.ones(m.shape[:-1] + (1,)), m], axis=-1)
    return 0.5 * np.einsum("...m,mab->...ab", m4, _BASIS)


def pair_density(moments: NDArray[np.float64]) -> NDArray[np.complex128]:
    """ρ_jk = ¼ Σ_{μν} T^{μν} σ^μ⊗σ^ν from T (..., 4, 4) = ⟨σ^μ_jσ^ν_k⟩, σ⁰ = 1 (T^{00} = 1)."""
    return 0.25 * np.einsum("...mn,mnab->...ab", np.asarray(moments, dtype=float), _PAIR_BASIS)


@dataclass(frozen=True)
class Domain:
    """Where moments leave the set of physical states.

    ``max_bloch`` is max_j |m_j|; ``min_pair_eigenvalue`` the smallest eigenvalue of the
    reconstructed pair matrices (over all pairs); ``bad_sites`` and ``bad_pairs`` count the
    violations beyond ``tolerance``.
    """

    max_bloch: float
    min_pair_eigenvalue: float
    bad_sites: int
    bad_pairs: int
    tolerance: float

    @property
    def physical(self) -> bool:
        return self.bad_sites == 0 and self.bad_pairs == 0

    def describe(self) -> str:
        if self.physical:
            return "physical (|⟨σ⟩| ≤ 1, every reconstructed pair matrix positive)"
        bits = []
        if self.bad_sites:
            bits.append(f"{self.bad_sites} site(s) with |⟨σ⟩| > 1 (max {self.max_bloch:.4f})")
        if self.bad_pairs:
            bits.append(f"{self.bad_pairs} pair(s) whose reconstructed ρ_jk has a negative "
                        f"eigenvalue (min {self.min_pair_eigenvalue:.2e})")
        return "unphysical: " + "; ".join(bits)


@dataclass(eq=False)
class MomentState:
    """Bloch vectors ``bloch`` (N, 3) and connected pairs ``connected`` (3, 3, N, N) or None.

    ``connected`` None means mean field (a product of the site states). C_kj^{βα} = C_jk^{αβ};
    the diagonal j = k is ignored.
    """

    bloch: NDArray[np.float64]
    connected: NDArray[np.float64] | None = None
    _pair_min: NDArray[np.float64] | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return int(self.bloch.shape[0])

    @property
    def dims(self) -> tuple[int, ...]:
        return (2,) * self.n

    def trace(self) -> complex:
        return 1.0 + 0j

    def hermiticity_error(self) -> float:
        return 0.0  # Hermitian by construction (real moments of Hermitian operators)

    def pair_moments(self, j: int, k: int) -> NDArray[np.float64]:
        """T (4, 4) = ⟨σ^μ_jσ^ν_k⟩ with σ⁰ = 1."""
        mj = np.concatenate([[1.0], self.bloch[j]])
        mk = np.concatenate([[1.0], self.bloch[k]])
        t = np.outer(mj, mk)
        if self.connected is not None:
            t[1:, 1:] += self.connected[:, :, j, k]
        return t

    def pauli_correlators(self) -> NDArray[np.float64]:
        """(N, N, 3, 3) ⟨σᵅ_jσᵝ_k⟩ = m_j^α m_k^β + C_jk^{αβ} (NaN on the diagonal), at once."""
        out = np.einsum("ja,kb->jkab", self.bloch, self.bloch)
        if self.connected is not None:
            out += np.transpose(self.connected, (2, 3, 0, 1))
        idx = np.arange(self.n)
        out[idx, idx] = np.nan
        return out

    def reduced(self, sites: Sequence[int]) -> NDArray[np.complex128]:
        """ρ_j or ρ_jk reconstructed from the moments (the exact Pauli identities)."""
        qs = check_sites(sites, self.n, "qubit")
        if len(qs) == 0:
            return np.ones((1, 1), dtype=complex)
        if len(qs) == 1:
            return site_density(self.bloch[qs[0]])
        if len(qs) == 2:
            return pair_density(self.pair_moments(*qs))
        raise ModelError(f"reduced density matrices of {len(qs)} sites: a cumulant result keeps "
                         "only ⟨σ⟩ and pair correlations (one or two sites)")

    def to_dense(self) -> NDArray[np.complex128]:
        raise ModelError("to_dense: a cumulant result keeps only ⟨σ⟩ and pair correlations, not "
                         "a density matrix; use reduced() for one or two sites")

    # ------------------------------------------------------------------ physical domain
    def pair_eigenvalues(self, chunk: int = 200_000) -> NDArray[np.float64]:
        """Smallest eigenvalue of every reconstructed ρ_jk (j < k), in chunks of pairs (cached)."""
        if self._pair_min is not None:
            return self._pair_min
        n = self.n
        iu, ju = np.triu_indices(n, 1)
        out = np.empty(iu.size)
        m4 = np.concatenate([np.ones((n, 1)), self.bloch], axis=1)
        for s in range(0, iu.size, chunk):
            a, b = iu[s:s + chunk], ju[s:s + chunk]
            t = m4[a][:, :, None] * m4[b][:, None, :]
            if self.connected is not None:
                t[:, 1:, 1:] += np.moveaxis(self.connected[:, :, a, b], -1, 0)
            out[s:s + chunk] = np.linalg.eigvalsh(pair_density(t))[:, 0]
        self._pair_min = out
        return out

    def min_eigenvalue(self) -> float:
        """Smallest eigenvalue among the reconstructed one- and two-site matrices."""
        site = float(np.min(0.5 * (1 - np.linalg.norm(self.bloch, axis=1))))
        if self.n < 2:
            return site
        return min(site, float(np.min(self.pair_eigenvalues())))

    def domain(self, tolerance: float = 1e-10) -> Domain:
        """Bloch lengths and pair positivity (``tolerance`` on |m| − 1 and on eigenvalues)."""
        length = np.linalg.norm(self.bloch, axis=1)
        pairs = self.pair_eigenvalues() if self.n > 1 else np.zeros(0)
        return Domain(
            max_bloch=float(length.max()),
            min_pair_eigenvalue=float(pairs.min()) if pairs.size else 0.0,
            bad_sites=int(np.sum(length > 1 + tolerance)),
            bad_pairs=int(np.sum(pairs < -tolerance)),
            tolerance=tolerance,
        )
