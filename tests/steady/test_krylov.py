"""Restarted, flexible and cycle-limited GMRES (steady/krylov.py) on dense systems, against
numpy.linalg.solve."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync.steady.krylov import gmres_right


def _system(n: int, seed: int, spread: float, dtype: type = float):
    """A = I + spread·G/√n (G Gaussian): eigenvalues in a disc of radius ≈ spread around 1."""
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n, n))
    if dtype is complex:
        g = g + 1j * rng.standard_normal((n, n))
        g /= np.sqrt(2)
    a = np.eye(n) + spread * g / np.sqrt(n)
    b = rng.standard_normal(n) + (1j * rng.standard_normal(n) if dtype is complex else 0)
    return a, b


@pytest.mark.parametrize("dtype", [float, complex])
@pytest.mark.parametrize("flexible", [False, True])
@pytest.mark.parametrize("restart", [8, 200])
def test_solves_to_atol(dtype: type, flexible: bool, restart: int) -> None:
    a, b = _system(150, 1, 0.6, dtype)
    out = gmres_right(lambda v: a @ v, lambda v: v.copy(), b, np.zeros_like(b), atol=1e-12,
                      restart=restart, maxiter=500, flexible=flexible)
    assert out.converged and (out.cycles > 1) == (restart == 8)
    # ‖x − x*‖ ≤ ‖A⁻¹‖·‖r‖; ‖A⁻¹‖ ≤ 1/(1 − 0.6·2) is not bounded here, 1e-9 is ample.
    np.testing.assert_allclose(out.x, np.linalg.solve(a, b), rtol=0, atol=1e-9)
    assert np.linalg.norm(b - a @ out.x) <= 1e-11


def test_second_pass_only_when_the_first_cancels() -> None:
    """DGKS: A ≈ I makes A v mostly parallel to v (every step cancels, every step takes the
    second pass); a spread-out A leaves most of A v new (few or no second passes)."""
    near, b = _system(120, 2, 0.05)
    spread, _ = _system(120, 2, 3.0)
    for a, expect_all in ((near, True), (spread, False)):
        out = gmres_right(lambda v, a=a: a @ v, lambda v: v.copy(), b, np.zeros_like(b),
                          atol=1e-10 * np.linalg.norm(b), restart=200, maxiter=200)
        assert out.converged
        assert (out.reorthogonalized == out.iterations) == expect_all
        assert np.linalg.norm(b - a @ out.x) <= 2e-10 * np.linalg.norm(b)


def test_cycle_rtol_with_an_inexact_preconditioner() -> None:
    """M ≈ A⁻¹ in single precision is not exactly linear: plain GMRES's x₀ + M(V y) then
    misses the Arnoldi estimate by ~1e-6, and a cycle run to atol reports convergence with a
    true residual far above it (the caller, like solve_gmres, checks and asks for more).
    Ending cycles at a 1e-5 reduction restarts from the true residual instead, and reaches
    the target in fewer iterations."""
    a, b = _system(400, 3, 0.9)
    # Not exact (so GMRES iterates): the inverse of a perturbed A, rounded to float32.
    ainv32 = np.linalg.inv(a + 0.02 * np.random.default_rng(4).standard_normal(a.shape)).astype(np.float32)

    def m(v):
        return (ainv32 @ v.astype(np.float32)).astype(np.float64)

    target = 1e-11 * np.linalg.norm(b)
    counts = {}
    for rtol in (0.0, 1e-5):
        x, atol, total, cycles = np.zeros_like(b), 0.5 * target, 0, 0
        while np.linalg.norm(b - a @ x) > target:  # solve_gmres's true-residual loop
            out = gmres_right(lambda v: a @ v, m, b, x, atol=atol, restart=300, maxiter=300,
                              cycle_rtol=rtol)
            x, total, cycles = out.x, total + out.iterations, cycles + out.cycles
            atol *= 0.1
            assert total < 300
        counts[rtol] = (total, cycles)
    assert counts[1e-5][1] > 1  # the cycles did end early
    assert counts[1e-5][0] < counts[0.0][0]
