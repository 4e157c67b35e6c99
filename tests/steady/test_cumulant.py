"""method="cumulant": exact for two qubits (Eq. 7), approximate and labelled so beyond."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Collective, ModelError, Network, flipflop_matrix, steady_state, sync_total
from spinsync.measures import connected_correlators, fidelity, magnetizations
from spinsync.measures.sync import two_qubit_flipflop
from spinsync.model.topology import topology_bonds
from spinsync.steady.summary import steady_summary

# Two qubits: the pair equations are exact, and the fixed point is solved to
# max|dx/dt| ≤ 1e-10 × rate scale with a condition number of O(10) → ~1e-11 in the moments;
# Eq. 7 and the direct solve are exact to ~1e-15.
EXACT_TWO = 1e-10


@pytest.mark.parametrize("u, delta, uz", [(0.3, 0.0, 0.4), (2.0, 0.7, -1.0), (10.0, -1.0, 0.0)])
def test_two_qubits_equal_eq7(u: float, delta: float, uz: float) -> None:
    net = Network.from_magnetization([0.6, -0.3], bonds=[(0, 1, u, u, uz)], omega=[delta, 0])
    res = steady_state(net, method="cumulant")
    assert abs(flipflop_matrix(res)[0, 1] - two_qubit_flipflop(net)) < EXACT_TWO
    assert res.approximate and res.info["approximate"] and res.method == "cumulant"
    assert res.residual <= 1e-10 and res.info["physical"]


def test_two_qubits_general_model_equals_exact() -> None:
    net = Network([0.5, 1.0], [1.0, 0.2], bonds=[(0, 1, 1.0, 0.6, 0.3)], omega=[0.3, -0.2],
                  drive=[0.4, 0.0], dephasing=[0.1, 0.2], collective=[Collective("all", "lowering", 0.5)])
    cum, ref = steady_state(net, method="cumulant"), steady_state(net, method="direct")
    assert np.max(np.abs(cum.state.reduced([0, 1]) - ref.state.reduced([0, 1]))) < EXACT_TWO
    assert np.nanmax(np.abs(connected_correlators(cum) - connected_correlators(ref))) < EXACT_TWO


def test_mean_field_has_no_correlations() -> None:
    net = Network.with_topology([1.0, 0.3, 0.6], [0.2, 1.0, 0.4], "all-to-all", 1.0, 1.0, 0.5)
    res = steady_state(net, method="cumulant", order=1)
    assert res.state.connected is None and res.info["order"] == 1
    assert sync_total(res) == 0.0  # ⟨σ⁺_j⟩ = 0 without drives
    assert np.allclose(magnetizations(res), net.magnetization)  # ρ₀ is the mean-field point


def test_larger_network_converges_like_a_second_order_closure() -> None:
    """All-to-all N = 6: the S_t error falls like (U/Γ)² and the ⟨σᶻ⟩ error like (U/Γ)⁴
    (measured 13 % and 0.027 at U = 0.1, 0.8 % and 1.0e-4 at U = 0.02); the bounds leave a
    factor ~2 and would fail for a first-order error."""
    rng = np.random.default_rng(1)
    g, d = rng.uniform(0.2, 2, 6), rng.uniform(0.2, 2, 6)
    errors = []
    for u in (0.1, 0.02):
        net = Network(g, d, bonds=topology_bonds("all-to-all", 6, u, u, u / 2))
        cum, ref = steady_state(net, method="cumulant"), steady_state(net)
        errors.append((abs(sync_total(cum) / sync_total(ref) - 1),
                       np.max(np.abs(magnetizations(cum) - magnetizations(ref)))))
    (st_strong, z_strong), (st_weak, z_weak) = errors
    assert st_weak < 0.02 and z_weak < 3e-4
    assert st_strong / st_weak > 0.5 * 5**2 and z_strong / z_weak > 0.2 * 5**4


def test_leaving_the_physical_domain_is_reported_not_hidden() -> None:
    """Strong coupling with collective decay (found by a random search): the pair cumulants
    reconstruct a ρ_jk with eigenvalue −4e-3; the exact steady state is positive."""
    net = Network([0.0001, 0.2465, 0.0298, 0.1666, 0.0167], [0.339, 0.012, 0.1441, 0.4693, 0.7203],
                  bonds=topology_bonds("all-to-all", 5, 3.103, 2.8121, -2.2438),
                  collective=[Collective("all", "lowering", 6.6535)])
    res = steady_state(net, method="cumulant")
    assert not res.info["physical"] and "negative eigenvalue" in res.info["domain"]
    assert res.info["min_pair_eigenvalue"] < -1e-3 and not res.checks.passed
    summary = steady_summary(res)
    assert summary["approximate"] and summary["physical"] is False
    assert summary["fidelity_product"] is None


def test_what_moments_cannot_give() -> None:
    net = Network.with_topology([1.0, 0.3], [0.2, 1.0], "all-to-all", 1.0, 1.0, 0.5)
    res = steady_state(net, method="cumulant")
    with pytest.raises(ModelError, match="full density matrices"):
        fidelity(res, res)
    with pytest.raises(ModelError, match="to_dense"):
        res.state.to_dense()
    three = Network.with_topology([1.0, 0.3, 0.5], [0.2, 1.0, 0.5], "all-to-all", 1.0, 1.0, 0.5)
    with pytest.raises(ModelError, match="one or two sites"):
        steady_state(three, method="cumulant").state.reduced([0, 1, 2])
    with pytest.raises(ModelError, match="qubit networks"):
        steady_state(Network.spins(1, [1.0] * 2, [0.5] * 2), method="cumulant")
    with pytest.raises(ModelError, match="does not take"):
        steady_state(net, method="cumulant", restarts=3)


@pytest.mark.slow
def test_thousand_qubits_all_to_all() -> None:
    """N = 1000, distinct rates, collective coupling N·U = 2 (BENCHMARKS: ~40 s on 2 cores)."""
    n = 1000
    rng = np.random.default_rng(n)
    u = 2.0 / n
    net = Network(rng.uniform(0.2, 2, n), rng.uniform(0.2, 2, n),
                  bonds=topology_bonds("all-to-all", n, u, u, u / 2))
    res = steady_state(net, method="cumulant")
    assert res.residual <= 1e-10 and res.info["physical"]
    assert res.info["unknowns"] == 3 * n + 9 * n * (n - 1) // 2
