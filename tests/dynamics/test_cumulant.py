"""Cumulant dynamics: exact for two qubits; its long-time limit is the cumulant steady state."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Collective, ModelError, Network, steady_state
from spinsync.dynamics import evolve, evolve_cumulant
from spinsync.measures import magnetizations
from spinsync.states import bloch_product


def test_two_qubits_follow_the_master_equation() -> None:
    """Both integrate to rtol 1e-10, atol 1e-12 (DOP853): they agree to ~1e-10."""
    net = Network([0.5, 1.0], [1.0, 0.2], bonds=[(0, 1, 1.0, 0.6, 0.3)], omega=[0.3, -0.2],
                  drive=[0.4, 0], dephasing=[0.1, 0.2], collective=[Collective("all", "lowering", 0.5)])
    b = np.array([[0.3, 0.2, 0.5], [-0.1, 0.4, -0.6]])
    times = np.linspace(0, 4, 9)
    ex = evolve(net, bloch_product(b), times, rtol=1e-10, atol=1e-12)
    cu = evolve_cumulant(net, b, times, rtol=1e-10, atol=1e-12)
    assert np.max(np.abs(ex.magnetization - cu.magnetization)) < 1e-9
    assert np.max(np.abs(ex.c_pm - cu.c_pm)) < 1e-9
    assert np.max(np.abs(ex.sync_total - cu.sync_total)) < 1e-9
    assert cu.approximate and cu.final_domain.physical and cu.max_bloch <= 1


def test_long_time_limit_is_the_steady_state() -> None:
    net = Network.with_topology([1.0, 0.3, 0.6, 0.2], [0.2, 1.0, 0.4, 0.9], "all-to-all", 0.5, 0.5, 0.3)
    ss = steady_state(net, method="cumulant")
    run = evolve_cumulant(net, np.zeros((4, 3)), [0.0, 80.0], store_states=True)
    assert np.max(np.abs(run.magnetization[-1] - magnetizations(ss))) < 1e-6
    assert len(run.states) == 2


def test_refusals() -> None:
    net = Network([1.0, 0.3], [0.2, 1.0])
    with pytest.raises(ModelError, match="increasing"):
        evolve_cumulant(net, np.zeros((2, 3)), [1.0, 0.0])
    with pytest.raises(ModelError, match="length"):
        evolve_cumulant(net, np.array([[0, 0, 1.5], [0, 0, 0]]), [0.0, 1.0])
    with pytest.raises(ModelError, match="shape"):
        evolve_cumulant(net, np.zeros((3, 3)), [0.0, 1.0])
