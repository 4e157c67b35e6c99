"""The Taylor propagator against exact exponentials, and inside evolve against DOP853."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as la

import spinsync as ss
from spinsync.dynamics.taylor import TaylorPropagator
from spinsync.states import ghz_state, haar_random_pure

from tests.general_cases import ALL_CASES, network


def _system(seed: int, n: int = 6, stiff: float = 30.0) -> np.ndarray:
    """A damped oscillatory real matrix: eigenvalues −γ ± iω with ω up to ``stiff``."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    blocks = []
    for k in range(n // 2):
        w, g = stiff * (k + 1) / (n // 2), 0.05 * (k + 1)
        blocks.append(np.array([[-g, w], [-w, -g]]))
    return q @ la.block_diag(*blocks) @ q.T


@pytest.mark.parametrize("degree", [4, 12, 16, 30])
def test_matches_the_exact_exponential_at_every_output(degree: int) -> None:
    a = _system(degree)
    y0 = np.random.default_rng(1).standard_normal(6)
    times = np.linspace(0, 3, 31)
    prop = TaylorPropagator(lambda y: a @ y, y0, times[-1], rtol=1e-10, atol=1e-12, degree=degree)
    err = max(np.max(np.abs(prop.at(t) - la.expm(a * t) @ y0)) for t in times)
    # Each step holds its truncation error to rtol·|y| (weighted RMS), and step errors add:
    # the global error stays below steps × rtol × max|y| (measured: 0.004–0.5 of it).
    assert 0 < err < 2 * prop.steps * 1e-10 * np.max(np.abs(y0))
    assert prop.nfev >= prop.steps * degree


def test_steady_vector_takes_few_steps_and_stays_put() -> None:
    a = np.diag([0.0, -1.0])
    prop = TaylorPropagator(lambda y: a @ y, np.array([1.0, 0.0]), 1000.0, 1e-8, 1e-10)
    np.testing.assert_array_equal(prop.at(1000.0), [1.0, 0.0])
    assert prop.steps < 20  # the step grows ×5 per step when L y = 0


def test_refuses_times_past_the_end() -> None:
    prop = TaylorPropagator(lambda y: -y, np.ones(2), 1.0, 1e-8, 1e-10)
    with pytest.raises(ValueError, match="beyond t_end"):
        prop.at(2.0)


@pytest.mark.parametrize("name, initial", [
    ("combined-u1-n6", "ghz"),          # U(1) blocks, a coherence sector q = 6 (complex)
    ("combined-none-n5", "random"),     # the whole space: compiled kernels
    ("spin1-rb-drive-dephasing-n3", "random"),
])
def test_evolve_with_taylor_equals_dop853(name: str, initial: str) -> None:
    net = network(ALL_CASES[name])
    rho0 = ghz_state(net.dims) if initial == "ghz" else haar_random_pure(net.dims, seed=4)
    times = np.linspace(0, 2, 9)
    # Different integrators on different operator forms (matrix-free: the compiled kernels
    # on the whole space, the block operator on symmetry sectors; sparse: the reference).
    a = ss.evolve(net, rho0, times, method=ss.Taylor(rtol=1e-11, atol=1e-14, operator="matrix-free"),
                  store_states=True)
    b = ss.evolve(net, rho0, times, method=ss.Dop853(rtol=1e-11, atol=1e-14, operator="sparse"),
                  store_states=True)
    assert a.info["integrator"] == "taylor" and b.info["integrator"] == "DOP853"
    assert a.info["method"] == "matrix-free" and b.info["method"] == "sparse"
    # Both hold ~1e-11 per step; their states agree to ~1e-10 after ≲ 100 steps.
    for x, y in zip(a.states, b.states):
        np.testing.assert_allclose(x.to_dense(), y.to_dense(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(a.trace, 1.0, atol=1e-12)


def test_auto_evolves_the_whole_space_with_the_compiled_kernels_from_d_64() -> None:
    rng = np.random.default_rng(6)
    net = ss.Network(rng.uniform(0.2, 2, 6), rng.uniform(0.2, 2, 6), drive=rng.uniform(0.2, 1, 6),
                     bonds=[(j, j + 1, 1.0, 1.0, 0.5) for j in range(5)])
    res = ss.evolve(net, haar_random_pure(6, seed=1), [0.0, 0.5])
    assert res.info["symmetry"] == "none" and res.info["method"] == "matrix-free"
    small = ss.evolve(network(ALL_CASES["combined-none-n5"]), haar_random_pure(5, seed=1), [0.0, 0.5])
    assert small.info["method"] == "sparse"  # D = 32: below TENSOR_MIN_DIM
