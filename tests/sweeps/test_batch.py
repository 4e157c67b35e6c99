"""The batched solver against the core direct solver and the closed form Eq. (7)."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, fidelity, flipflop_matrix, magnetizations, product_state, steady_state
from spinsync.sweeps import PointParams, batch_steady, sector_dimension
from spinsync.sweeps.spec import sweep_from_dict
from spinsync.measures.sync import two_qubit_flipflop


def _random_network(rng: np.random.Generator, n: int, xxz: bool) -> Network:
    bonds = []
    for j in range(n):
        for k in range(j + 1, n):
            ux = rng.normal()
            uy = ux if xxz else rng.normal()
            bonds.append((j, k, ux, uy, rng.normal()))
    return Network(rng.uniform(0.05, 2, n), rng.uniform(0.05, 2, n), rng.normal(size=n),
                   bonds, field=rng.normal())


def _stack(networks: list[Network]) -> PointParams:
    params = PointParams.repeat(networks[0], len(networks))
    for i, net in enumerate(networks):
        params.gain[i], params.damping[i], params.omega[i] = net.gain, net.damping, net.omega
        params.couplings[i], params.field[i] = net.bond_couplings, net.field
    return params


@pytest.mark.parametrize("n, xxz", [(2, True), (2, False), (3, True), (3, False), (4, True)])
def test_batch_matches_direct_solver(n: int, xxz: bool) -> None:
    rng = np.random.default_rng(100 * n + xxz)
    networks = [_random_network(rng, n, xxz) for _ in range(4)]
    res = batch_steady(_stack(networks))
    iu = np.triu_indices(n, 1)
    for i, net in enumerate(networks):
        ref = steady_state(net, method="direct")
        # Both are float64 LU solutions of well-conditioned systems: agree to ~1e-14.
        np.testing.assert_allclose(res["flipflop"][i], flipflop_matrix(ref.state)[iu], atol=1e-12)
        np.testing.assert_allclose(res["magnetization"][i], magnetizations(ref.state), atol=1e-12)
        assert res["fidelity"][i] == pytest.approx(fidelity(ref.state, product_state(net)), abs=1e-10)
        assert res["min_eigenvalue"][i] == pytest.approx(ref.checks.min_eigenvalue, abs=1e-12)
        assert res["residual"][i] < 1e-12
    assert set(res["method"]) == {"batch"}


def test_sector_dimension() -> None:
    assert sector_dimension(2, True) == 6
    assert sector_dimension(5, True) == 252
    assert sector_dimension(5, False) == 512


def test_no_go_points_give_the_product_state() -> None:
    """Equal magnetizations with XXZ couplings: ρ_ss = ρ₀ (F = 1, no flip-flop)."""
    net = Network.from_magnetization([0.3, 0.3, 0.3], bonds=[(0, 1, 2, 2, 1), (1, 2, 2, 2, 1)])
    res = batch_steady(_stack([net]))
    assert res["fidelity"][0] == pytest.approx(1.0, abs=1e-12)
    assert np.max(np.abs(res["flipflop"][0])) < 1e-13


def test_eq7_on_a_two_qubit_grid() -> None:
    """⟨σ⁺₁σ⁻₂⟩ of every grid point equals the closed form Eq. (7) (any Uᶻ, Δ ≠ 0)."""
    spec = sweep_from_dict({
        "model": {"qubits": {"magnetization": [0, 0], "omega": [0.4, 0.0]},
                  "couplings": {"topology": "all-to-all", "ux": 1.3, "uy": 1.3, "uz": 0.2}},
        "axis": [{"name": "m1", "set": ["qubits.magnetization[0]"], "start": -0.95, "stop": 0.95, "num": 9},
                 {"name": "m2", "set": ["qubits.magnetization[1]"], "start": -0.95, "stop": 0.95, "num": 8}],
    })
    params = spec.points()
    res = batch_steady(params)
    closed = np.array([two_qubit_flipflop(params.network(i)) for i in range(params.count)])
    np.testing.assert_allclose(res["flipflop"][:, 0], closed, rtol=1e-10, atol=1e-14)
