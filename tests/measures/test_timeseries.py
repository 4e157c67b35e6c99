"""measures/timeseries.py: Pearson correlations of time traces against scipy.stats.pearsonr
(per window), on synthetic traces with known answers, and on ⟨σˣ_j(t)⟩ of an evolution
against QuTiP's mesolve."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import pearsonr

import spinsync as ss
from spinsync.measures.timeseries import (
    pearson_correlation,
    sigma_x_pearson,
    sigma_x_traces,
    windowed_pearson,
)

from tests.oracles import qutip_model

qt = pytest.importorskip("qutip")


def test_pearson_against_scipy_on_random_traces() -> None:
    rng = np.random.default_rng(0)
    for _ in range(5):
        x = rng.normal(size=50)
        y = 0.3 * x + rng.normal(size=50)
        assert pearson_correlation(x, y) == pytest.approx(pearsonr(x, y)[0], abs=1e-13)


def test_windowed_pearson_against_scipy_per_window() -> None:
    rng = np.random.default_rng(1)
    t = np.linspace(0, 10, 201)
    x = np.sin(2 * t) * np.exp(-0.1 * t) + 0.05 * rng.normal(size=t.size)
    y = np.sin(2 * t + 0.4) + 0.05 * rng.normal(size=t.size)
    starts, c = windowed_pearson(t, x, y, window=1.5)
    n = 31  # 1.5 / 0.05 + 1 samples
    assert starts.size == t.size - n + 1 and starts[0] == 0 and starts[-1] == pytest.approx(10 - 1.5)
    for i in (0, 37, starts.size - 1):
        assert c[i] == pytest.approx(pearsonr(x[i:i + n], y[i:i + n])[0], abs=1e-12)


def test_windowed_pearson_keeps_precision_on_small_late_oscillations() -> None:
    """Decaying in-phase oscillations on a large offset: r stays 1 late in the trace (windows
    are centred on their own mean; a cumulative-sum formula would lose it)."""
    t = np.linspace(0, 40, 4001)
    x = 5.0 + np.exp(-0.6 * t) * np.cos(3 * t)
    y = -2.0 + 0.5 * np.exp(-0.6 * t) * np.cos(3 * t)
    _, c = windowed_pearson(t, x, y, window=2.0)
    assert np.all(np.abs(c[: -500] - 1) < 1e-6)
    _, anti = windowed_pearson(t, x, -y, window=2.0)
    assert np.nanmax(anti[:1000]) < -0.999999


def test_windowed_pearson_errors() -> None:
    t = np.linspace(0, 1, 11)
    with pytest.raises(ss.ModelError, match="evenly spaced"):
        windowed_pearson(t**2, t, t, 0.2)
    with pytest.raises(ss.ModelError, match="longer than the trace"):
        windowed_pearson(t, t, t, 5.0)
    with pytest.raises(ss.ModelError, match="real values"):
        pearson_correlation(t + 1j, t)
    assert np.isnan(pearson_correlation(np.ones(5), np.arange(5.0)))


def test_sigma_x_pearson_of_an_evolution_against_mesolve() -> None:
    """Two detuned coupled qubits from a coherent product state: ⟨σˣ_j(t)⟩ from evolve equals
    QuTiP's, and so do the whole-trace and windowed correlations."""
    net = ss.Network([0.2, 0.1], [0.4, 0.5], omega=[2.0, 2.3], bonds=[(0, 1, 0.4, 0.4, 0.0)])
    plus = np.array([1, 1]) / np.sqrt(2)
    psi0 = np.kron(plus, np.array([np.cos(0.4), np.sin(0.4)]))
    rho0 = np.outer(psi0, psi0)
    times = np.linspace(0, 20, 801)
    result = ss.evolve(net, rho0, times, rtol=1e-10)
    h, c_ops = qutip_model(net)
    sx = [qt.tensor(qt.sigmax(), qt.qeye(2)), qt.tensor(qt.qeye(2), qt.sigmax())]
    want = qt.mesolve(h, qt.Qobj(rho0, dims=[[2, 2], [2, 2]]), times, c_ops, e_ops=sx,
                      options={"atol": 1e-12, "rtol": 1e-10}).expect
    x = sigma_x_traces(result)
    np.testing.assert_allclose(x[:, 0], want[0], atol=1e-7)
    np.testing.assert_allclose(x[:, 1], want[1], atol=1e-7)
    assert sigma_x_pearson(result, 0, 1) == pytest.approx(pearsonr(want[0], want[1])[0], abs=1e-6)
    starts, c = sigma_x_pearson(result, 0, 1, window=3.0)
    n = 121
    assert c[200] == pytest.approx(pearsonr(want[0][200:200 + n], want[1][200:200 + n])[0], abs=1e-5)
    with pytest.raises(ss.ModelError, match="out of range"):
        sigma_x_pearson(result, 0, 2)


def test_sigma_x_traces_of_spins_use_jx() -> None:
    net = ss.Network.spins(1, [1.0], [0.5], scheme="roulet-bruder", drive=[0.3])
    result = ss.evolve(net, np.eye(3) / 3, np.linspace(0, 2, 5), store_states=True)
    jx = ss.spin_expectations(result.states[-1], "x")[0]
    assert sigma_x_traces(result)[-1, 0] == pytest.approx(jx, abs=1e-12)
