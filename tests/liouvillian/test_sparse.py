"""The Liouvillian of paper Eq. 2 against QuTiP and a dense numpy transcription.

QuTiP vectorizes ρ column-stacked (vec(ρ)[i + j·d] = ρ[i, j]); spinsync row-major
(vec(ρ)[i·d + j] = ρ[i, j]). The two matrices are related by the permutation P that
maps one ordering onto the other: L_ours = P L_qutip Pᵀ.
"""

from __future__ import annotations

from math import comb

import numpy as np
import pytest
import qutip as qt

from spinsync import Network
from spinsync.operators.basis import BlockBasis
from spinsync.liouvillian import OperatorSector, full_liouvillian, sector_liouvillian
from spinsync.operators import block_basis, block_kind


def choose_blocks(net):
    """The block basis of the symmetry the network's terms keep."""
    return block_basis(net.terms, block_kind(net.terms.symmetry))

from tests.oracles import dense_lindblad_rhs, qutip_model, random_density_matrix, random_rates

# Matrix entries are sums of O(N·U + Γ) numbers of order ≤ 10: anything above a few ulps
# times that (~1e-13) is a real difference, not rounding.
ENTRY_ATOL = 1e-12


def _row_major_from_column_stacked(d: int) -> np.ndarray:
    perm = np.empty(d * d, dtype=np.int64)
    i, j = np.divmod(np.arange(d * d), d)  # row-major index i·d + j ...
    perm[:] = i + j * d  # ... holds the column-stacked entry i + j·d
    return perm


def _random_network(seed: int, n: int, xyz: bool, field: float = 0.0) -> Network:
    rng = np.random.default_rng(seed)
    g, d = random_rates(rng, n)
    bonds = []
    for j in range(n):
        for k in range(j + 1, n):
            if rng.random() < 0.7:
                ux = rng.normal()
                uy = rng.normal() if xyz else ux
                bonds.append((j, k, ux, uy, rng.normal()))
    return Network(g, d, rng.normal(size=n), bonds, field=field)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("xyz", [False, True])
def test_full_liouvillian_matches_qutip(n: int, xyz: bool) -> None:
    net = _random_network(100 * n + xyz, n, xyz, field=0.37)
    ours = full_liouvillian(net).toarray()
    h, c_ops = qutip_model(net)
    theirs = qt.liouvillian(h, c_ops).full()
    perm = _row_major_from_column_stacked(2**n)
    theirs_row_major = theirs[np.ix_(perm, perm)]
    assert np.max(np.abs(ours - theirs_row_major)) < ENTRY_ATOL


@pytest.mark.parametrize("seed", range(3))
def test_full_liouvillian_acts_like_dense_master_equation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 3
    net = _random_network(seed, n, xyz=True, field=rng.normal())
    rho = random_density_matrix(rng, 2**n)
    got = (full_liouvillian(net) @ rho.ravel()).reshape(2**n, 2**n)
    assert np.max(np.abs(got - dense_lindblad_rhs(net, rho))) < ENTRY_ATOL


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("xyz", [False, True])
def test_sector_liouvillian_is_the_restriction_of_the_full_one(n: int, xyz: bool) -> None:
    """For X in the steady sector, L_sector X equals the dense L[X] block by block, and
    the dense L[X] has nothing outside the sector (the sector is invariant)."""
    rng = np.random.default_rng(7 * n + xyz)
    net = _random_network(3 * n + xyz, n, xyz)
    sector = OperatorSector.steady(choose_blocks(net))
    x_blocks = {
        (b, c): rng.normal(size=(len(sector.basis.states[b]), len(sector.basis.states[c])))
        + 1j * rng.normal(size=(len(sector.basis.states[b]), len(sector.basis.states[c])))
        for b, c in sector.pairs
    }
    dense_x = np.zeros((2**n, 2**n), complex)
    for (b, c), m in x_blocks.items():
        dense_x[np.ix_(sector.basis.states[b], sector.basis.states[c])] = m
    expected = dense_lindblad_rhs(net, dense_x)
    got = sector.split(sector_liouvillian(net, sector) @ sector.join(x_blocks))
    inside = np.zeros((2**n, 2**n), bool)
    for (b, c), m in got.items():
        idx = np.ix_(sector.basis.states[b], sector.basis.states[c])
        assert np.max(np.abs(m - expected[idx])) < ENTRY_ATOL
        inside[idx] = True
    assert np.max(np.abs(expected[~inside]), initial=0.0) < ENTRY_ATOL


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
def test_sector_dimensions(n: int) -> None:
    """Issue 2: C(2N, N) for XXZ (equal ket/bra magnetization), 4ᴺ/2 (parity) for XYZ."""
    xxz = Network.with_topology(np.ones(n), np.full(n, 2.0), "chain", 1, 1, 0.5)
    xyz = Network.with_topology(np.ones(n), np.full(n, 2.0), "chain", 1, 0.3, 0.5)
    assert OperatorSector.steady(choose_blocks(xxz)).dim == comb(2 * n, n)
    if n > 1:
        assert OperatorSector.steady(choose_blocks(xyz)).dim == 4**n // 2


@pytest.mark.parametrize("kind", ["magnetization", "parity", "full"])
def test_liouvillian_preserves_trace(kind: str) -> None:
    """tᵀL = 0: d/dt Tr ρ = 0 (checked on the sector matrix, columns sum to zero on the trace)."""
    net = _random_network(11, 4, xyz=(kind != "magnetization"))
    sector = OperatorSector.steady(BlockBasis.build(4, kind))
    lv = sector_liouvillian(net, sector)
    assert np.max(np.abs(sector.trace_vector() @ lv)) < ENTRY_ATOL
