"""The block Gauss–Seidel sweep inverts L_nj + J_→, checked against the sparse sector
Liouvillian (the reference, itself checked against QuTiP).

In real Hermitian coordinates the reference L_R = real_operator(sector_liouvillian) splits
into blocks (p, q) of the sector's pairs. Jumps into a later pair are exactly its strictly
block-lower part (q < p); the diagonal blocks are L_nj plus the jumps that stay in their pair
(dephasing). So with no jump staying in its pair, M⁻¹ = the block-lower part of L_R
(diagonal blocks included), built here from the reference alone.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import spinsync as ss
from spinsync.liouvillian import BlockGaussSeidel, NoJumpInverse, OperatorSector, sector_liouvillian
from spinsync.liouvillian.hermitian import real_operator
from spinsync.liouvillian.matrixfree import HermitianBlockLiouvillian
from spinsync.model import Network, all_to_all_bonds
from spinsync.operators.basis import BlockBasis

#: M r is a sequence of Sylvester solves (eigen-route in double, κ(V) ≲ 1e2 here) and
#: sparse products of size ~‖L‖·‖z‖; the residual of the triangular system is then a few
#: hundred ulps of ‖L_R‖·‖z‖ — 1e-11 relative to ‖r‖ leaves a wide margin.
RTOL = 1e-11


def _network(n: int, seed: int, ux: float = 1.3, uy: float = 1.3, **extra) -> Network:
    rng = np.random.default_rng(seed)
    return Network(gain=rng.uniform(0.2, 2, n), damping=rng.uniform(0.2, 2, n),
                   omega=rng.uniform(-1, 1, n),
                   bonds=[(j, k, ux, uy, 0.7) for j, k in all_to_all_bonds(n)], **extra)


def _block_of(sector: OperatorSector) -> np.ndarray:
    sizes = sector.basis.sizes
    return np.repeat(np.arange(len(sector.pairs)), [sizes[b] * sizes[c] for b, c in sector.pairs])


def _lower(mat: sp.spmatrix, sector: OperatorSector, strict: bool) -> sp.csr_matrix:
    coo = sp.coo_matrix(mat)
    blk = _block_of(sector)
    keep = blk[coo.row] > blk[coo.col] if strict else blk[coo.row] >= blk[coo.col]
    return sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=mat.shape)


def _sweep(net, kind: str):
    sector = OperatorSector.steady(BlockBasis.build(net.terms.space, kind))
    liouv = HermitianBlockLiouvillian(net, sector)
    gs = BlockGaussSeidel(liouv, NoJumpInverse(net, sector, precision="double", routes=("real",)))
    return sector, liouv, gs


@pytest.mark.parametrize("route", ["matrix", "kernel"])
@pytest.mark.parametrize("model", ["u1", "parity", "spin1"])
def test_sweep_inverts_the_block_lower_part(monkeypatch: pytest.MonkeyPatch, route: str,
                                            model: str) -> None:
    """(block-lower part of L_R) · M r = r, for both monomial-jump routes."""
    from spinsync.liouvillian import matrixfree

    monkeypatch.setattr(matrixfree, "KERNEL_MIN_DIM", 0 if route == "kernel" else 2**62)
    if model == "spin1":
        rng = np.random.default_rng(3)
        net = Network.spins(1, rng.uniform(0.5, 2, 3), rng.uniform(0.5, 2, 3),
                            scheme="roulet-bruder", omega=rng.uniform(-1, 1, 3),
                            bonds=[(0, 1, 1.0, 1.0, 0.5), (1, 2, 0.8, 0.8, 0.3)])
    else:
        net = _network(5, seed=2, uy=1.3 if model == "u1" else 0.4)
    sector, liouv, gs = _sweep(net, "parity" if model == "parity" else "magnetization")
    assert (liouv._data.jump_kernel is not None) == (route == "kernel")
    assert liouv.has_forward_jumps and gs.info["kind"] == "gauss-seidel"
    lower = _lower(real_operator(sector_liouvillian(net, sector), sector), sector, strict=False)
    r = np.random.default_rng(0).normal(size=sector.dim)
    z = gs.apply_real(r)
    assert np.linalg.norm(lower @ z - r) <= RTOL * np.linalg.norm(r)
    # It is not the block-Jacobi inverse: the forward jumps changed the later pairs.
    jacobi = gs.no_jump.apply_real(r)
    assert np.linalg.norm(z - jacobi) > 1e-3 * np.linalg.norm(jacobi)


def test_jumps_within_a_pair_stay_out_of_the_sweep() -> None:
    """With dephasing (σᶻρσᶻ keeps every pair) and collective decay (a general, non-monomial
    jump map): block p of M r is L_nj,p⁻¹ (r_p − Σ_{q<p} (L_R)_pq z_q) — only the strictly
    lower blocks of the reference enter, whatever stays in the pair."""
    net = _network(4, seed=5, dephasing=[0.3, 0.0, 0.5, 0.2],
                   collective=[ss.Collective(sites="all", operator="lowering", rate=0.4)])
    sector, liouv, gs = _sweep(net, "magnetization")
    strict = _lower(real_operator(sector_liouvillian(net, sector), sector), sector, strict=True)
    r = np.random.default_rng(1).normal(size=sector.dim)
    z = gs.apply_real(r)
    expected = gs.no_jump.apply_real(r - strict @ z)  # block-diagonal L_nj⁻¹ of the rhs
    assert np.linalg.norm(z - expected) <= RTOL * np.linalg.norm(z)


def test_liouvillian_unchanged_by_the_split() -> None:
    """L keeps every jump once after the forward ones are stored apart (both routes are
    compared with the reference in test_matrixfree; here the split itself: a model whose
    jumps are all forward or all backward)."""
    for gain, damping in (([0.5, 0.7, 0.9], [0.0] * 3), ([0.0] * 3, [0.5, 0.7, 0.9])):
        net = Network(gain=gain, damping=damping, omega=[0.1, -0.2, 0.3],
                      bonds=[(0, 1, 1.0, 1.0, 0.5), (1, 2, 1.0, 1.0, 0.5)])
        sector = OperatorSector.steady(BlockBasis.build(3, "magnetization"))
        liouv = HermitianBlockLiouvillian(net, sector)
        ref = real_operator(sector_liouvillian(net, sector), sector)
        y = np.random.default_rng(2).normal(size=sector.dim)
        assert np.linalg.norm(liouv.matvec(y) - ref @ y) <= 1e-12 * np.linalg.norm(ref @ y)


def test_refuses_complex_jump_maps_and_other_sectors() -> None:
    from spinsync.operators.blocks import block_operators
    from spinsync.operators.terms import Terms

    net = _network(3, seed=7)
    h = block_operators(net.terms, "full").hamiltonian(0)
    sm = sp.csr_matrix(([1.0], ([1], [0])), shape=(2, 2))
    eye = sp.identity(2, format="csr")
    c0 = np.exp(0.7j) * sp.kron(sp.kron(sm, sp.diags([1.0, 2.0j])), eye)
    terms = Terms.from_operators([2] * 3, h, [sp.csr_matrix(c0)])
    sector = OperatorSector.steady(BlockBasis.build(terms.space, "magnetization"))
    liouv = HermitianBlockLiouvillian(terms, sector)
    assert not liouv.jumps_real
    with pytest.raises(ValueError, match="real jump maps"):
        BlockGaussSeidel(liouv, NoJumpInverse(terms, sector, routes=("real",)))
    other = OperatorSector.steady(BlockBasis.build(3, "parity"))
    with pytest.raises(ValueError, match="different sectors"):
        BlockGaussSeidel(HermitianBlockLiouvillian(net, sector),
                         NoJumpInverse(net, other, routes=("real",)))
