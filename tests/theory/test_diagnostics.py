"""Per-bond split of L[ρ₀] (Eq. 5) against the full Liouvillian."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, product_state
from spinsync.liouvillian import full_liouvillian
from spinsync.theory.diagnostics import bond_operators, diagnose, residual_operator


def _full_residual(network: Network) -> np.ndarray:
    rho0 = product_state(network).to_dense()
    return (full_liouvillian(network) @ rho0.ravel()).reshape(rho0.shape), rho0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [2, 3, 4])
def test_split_sums_in_quadrature_to_full_residual(seed: int, n: int, random_network) -> None:
    net = random_network(np.random.default_rng(100 * n + seed), n, xxz=seed % 2 == 0, density=0.8)
    res, rho0 = _full_residual(net)
    diag = diagnose(net)
    full = np.linalg.norm(res) / np.linalg.norm(rho0)
    # Both sides are O(1) sums of a few terms in double precision.
    assert diag.residual == pytest.approx(full, rel=1e-12, abs=1e-13)
    quad = np.sqrt(sum(b.m_norm**2 + b.u_norm**2 for b in diag.bonds))
    assert quad == pytest.approx(full, rel=1e-12, abs=1e-13)


@pytest.mark.parametrize("seed", range(4))
def test_explicit_operators_reproduce_residual_entry_by_entry(seed: int, random_network) -> None:
    net = random_network(np.random.default_rng(seed), 4, xxz=False)
    res, rho0 = _full_residual(net)
    # L[ρ₀] = −i[U, ρ₀] = (i/2) Σ (M + U) ⊗ ρ_rest, entry by entry.
    from tests.oracles import dense_hamiltonian

    h = dense_hamiltonian(None, net.omega, net.bonds, net.field, net.n)
    assert np.max(np.abs(res - (-1j) * (h @ rho0 - rho0 @ h))) < 1e-13
    assert np.max(np.abs(residual_operator(net) - res)) < 1e-13
    # Each bond's M and U parts are orthogonal to every other part (Hilbert–Schmidt).
    parts = [op for j, k in net.bond_sites for op in bond_operators(net, int(j), int(k))]
    gram = np.array([[np.vdot(a, b) for b in parts] for a in parts])
    off = gram - np.diag(np.diag(gram))
    assert np.max(np.abs(off)) < 1e-13
    # And their norms are the diagnosis' per-term norms (½‖·‖ / ‖ρ₀‖).
    diag = diagnose(net)
    norms = np.array([[b.m_norm, b.u_norm] for b in diag.bonds]).ravel()
    assert np.allclose(0.5 * np.sqrt(np.real(np.diag(gram))) / np.linalg.norm(rho0), norms, atol=1e-13)


def test_reasons_name_the_breaking_term() -> None:
    m = [0.5, 0.5, -0.2]
    bonds = [(0, 1, 1.0, 0.3, 0.0),   # equal m, anisotropic → U term only
             (1, 2, 1.0, 1.0, 0.5),   # unequal m, XXZ → M term only
             (0, 2, 1.0, -1.0, 0.0)]  # unequal m but Uˣ + Uʸ = 0 → U term only
    diag = diagnose(Network.from_magnetization(m, bonds=bonds))
    by_bond = {(b.j, b.k): b for b in diag.bonds}
    assert by_bond[(0, 1)].causes == ("Ux != Uy",)
    assert by_bond[(1, 2)].causes == ("unequal m",)
    assert by_bond[(0, 2)].causes == ("Ux != Uy",)
    assert by_bond[(0, 1)].m_norm == 0 and by_bond[(1, 2)].u_norm == 0
    assert not diag.conditions_hold and not diag.product_is_steady


def test_all_m_zero_with_xyz_is_the_special_case() -> None:
    net = Network([1, 2, 0.5], [1, 2, 0.5], bonds=[(0, 1, 2.0, -0.7, 1.0), (1, 2, 0.3, 1.1, 0.0)])
    diag = diagnose(net)
    assert diag.all_m_zero_xyz and diag.conditions_hold and diag.product_is_steady
    assert diag.residual == 0.0 and diag.breaking_bonds == []
    res, _ = _full_residual(net)
    assert np.max(np.abs(res)) < 1e-14


def test_conditions_hold_gives_zero_residual_even_when_strongly_coupled() -> None:
    net = Network.from_magnetization([0.3] * 4, rate_scale=[1, 3, 0.2, 7],
                                     bonds=[(j, k, 80, 80, 1) for j in range(4) for k in range(j + 1, 4)])
    diag = diagnose(net)
    assert diag.conditions_hold and diag.residual == 0.0
    res, _ = _full_residual(net)
    assert np.max(np.abs(res)) < 1e-12
