"""Sparse operators on the qubit Hilbert space, built by bit arithmetic.

No Python loop runs over basis states: every operator is assembled from vectorized
integer operations on the array of basis states, one bond or qubit at a time.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .basis import BlockBasis, bit_of
from .model import Network

__all__ = [
    "hamiltonian",
    "hamiltonian_blocks",
    "decay_diagonal",
    "jump_map",
    "collapse_rates",
]


def _diagonal_energies(network: Network, states: NDArray[np.int64]) -> NDArray[np.float64]:
    """⟨s|H|s⟩ from ω_j σᶻ_j/2, B σᶻ_j and Uᶻ σᶻ_j σᶻ_k."""
    n = network.n
    energy = np.zeros(states.size)
    for j in range(n):
        sz = 1.0 - 2.0 * bit_of(states, j, n)
        energy += (network.omega[j] / 2.0 + network.field) * sz
    for (j, k), (_, _, uz) in zip(network.bond_sites, network.bond_couplings):
        if uz != 0.0:
            energy += uz * (1.0 - 2.0 * bit_of(states, j, n)) * (1.0 - 2.0 * bit_of(states, k, n))
    return energy


def hamiltonian(network: Network, states: NDArray[np.int64] | None = None) -> sp.csr_matrix:
    """H = Σ ω_j σᶻ_j/2 + B Σ σᶻ_j + Σ_bonds Σ_α Uᵅ σᵅ_j σᵅ_k as a sparse matrix.

    Parameters
    ----------
    states
        Restrict to these basis states (sorted, closed under H); default all 2ᴺ states.
        Rows and columns follow the order of ``states``.
    """
    n = network.n
    if states is None:
        states = np.arange(2**n, dtype=np.int64)
    dim = states.size
    lookup = _lookup(states, n)
    rows = [np.arange(dim)]
    cols = [np.arange(dim)]
    vals: list[NDArray[np.complex128]] = [_diagonal_energies(network, states).astype(complex)]
    for (j, k), (ux, uy, _) in zip(network.bond_sites, network.bond_couplings):
        if ux == 0.0 and uy == 0.0:
            continue
        same = bit_of(states, j, n) == bit_of(states, k, n)
        # σˣσˣ and σʸσʸ both flip j and k: amplitude ux − uy if the spins are
        # parallel (σʸσʸ|↑↑⟩ = −|↓↓⟩), ux + uy if antiparallel.
        amp = np.where(same, ux - uy, ux + uy)
        flipped = states ^ ((1 << (n - 1 - j)) | (1 << (n - 1 - k)))
        target = lookup[flipped]
        keep = (amp != 0.0) & (target >= 0)
        rows.append(target[keep])
        cols.append(np.arange(dim)[keep])
        vals.append(amp[keep].astype(complex))
    mat = sp.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(dim, dim)
    )
    return mat.tocsr()


def _lookup(states: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Array over all 2ᴺ states: position in ``states`` or −1."""
    table = np.full(2**n, -1, dtype=np.int64)
    table[states] = np.arange(states.size)
    return table


def hamiltonian_blocks(network: Network, basis: BlockBasis) -> list[sp.csr_matrix]:
    """The Hamiltonian restricted to each block of ``basis`` (it must conserve them)."""
    if basis.kind == "magnetization" and not network.is_xxz:
        raise ValueError("magnetization blocks need Uˣ = Uʸ on every bond")
    return [hamiltonian(network, s) for s in basis.states]


def collapse_rates(network: Network) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Rates of the collapse operators σ⁺_j and σ⁻_j: Γᵍ_j/2 and Γᵈ_j/2 (Eq. 2's factor ½)."""
    return network.gain / 2.0, network.damping / 2.0


def decay_diagonal(network: Network, states: NDArray[np.int64]) -> NDArray[np.float64]:
    """D(s) = Σ_k ⟨s|c_k†c_k|s⟩ for the collapse operators c_k.

    σ⁻_j (rate Γᵈ_j/2) acts on up spins, σ⁺_j (rate Γᵍ_j/2) on down spins. The
    effective Hamiltonian is H_eff = H − (i/2) D.
    """
    n = network.n
    up_rate, down_rate = network.damping / 2.0, network.gain / 2.0
    total = np.zeros(states.size)
    for j in range(n):
        down = bit_of(states, j, n)
        total += np.where(down == 1, down_rate[j], up_rate[j])
    return total


def jump_map(
    basis: BlockBasis, qubit: int, lowering: bool, source_block: int
) -> tuple[int, NDArray[np.int64], NDArray[np.int64]] | None:
    """Action of σ⁻ (``lowering``) or σ⁺ on ``qubit`` from one block.

    Returns ``(target_block, source_positions, target_positions)`` for the states the
    operator does not annihilate (all matrix elements are 1), or None if it annihilates
    the whole block.
    """
    n = basis.n
    states = basis.states[source_block]
    bit = bit_of(states, qubit, n)
    # σ⁻ turns an up spin (bit 0) down; σ⁺ a down spin up.
    active = bit == (0 if lowering else 1)
    if not active.any():
        return None
    src = np.flatnonzero(active)
    targets = states[src] ^ (1 << (n - 1 - qubit))
    target_block = int(basis.block_of[targets[0]])
    return target_block, src, basis.position[targets]
