"""The no-go theorem (paper Eqs. 4–5): ρ₀ is the exact steady state under its conditions,
the analytic path scales to N = 1000, and the closed-form residual is Eq. 5's norm."""

from __future__ import annotations

import time
import tracemalloc
from functools import reduce

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spinsync.resources
from spinsync import (
    Network,
    fidelity,
    nogo_conditions_hold,
    product_residual,
    product_residual_terms,
    product_state,
    product_state_is_steady,
    steady_state,
)
from spinsync.liouvillian import full_liouvillian
from spinsync.states import ProductState

from tests.oracles import SM, SP, SZ, I2, dense_lindblad_rhs, embed

# Direct solve vs closed form: both exact up to rounding of O(1) entries (~1e-14).
STATE_ATOL = 1e-10


def _rho0_dense(m: np.ndarray) -> np.ndarray:
    """Eq. 4 by hand: ⊗_j (I + m_j σᶻ)/2."""
    return reduce(np.kron, [(I2 + mj * SZ) / 2 for mj in m])


@st.composite
def _nogo_networks(draw, max_n: int, equal_ratio: bool = True):
    """Random graph, random rates with one common Γᵍ/Γᵈ, random XXZ bonds (or, with
    equal_ratio=False, all m = 0 and random XYZ bonds)."""
    n = draw(st.integers(1, max_n))
    ratio = draw(st.floats(0.05, 20.0)) if equal_ratio else 1.0
    damping = np.array(draw(st.lists(st.floats(0.05, 10.0), min_size=n, max_size=n)))
    gain = ratio * damping
    pairs = [(j, k) for j in range(n) for k in range(j + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    bonds = []
    for j, k in chosen:
        ux = draw(st.floats(-50, 50))
        uy = ux if equal_ratio else draw(st.floats(-50, 50))
        bonds.append((j, k, ux, uy, draw(st.floats(-50, 50))))
    omega = draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n))
    return Network(gain, damping, omega, bonds, field=draw(st.floats(-3, 3)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_nogo_networks(max_n=4))
def test_nogo_product_state_is_the_steady_state(net: Network) -> None:
    result = steady_state(net)
    assert result.method == "analytic" and result.nogo
    # Equal ratios are equal only up to rounding of ratio·Γᵈ, so m_j differ by ~1e-16.
    assert result.residual < 1e-12
    expected = _rho0_dense((net.gain - net.damping) / (net.gain + net.damping))
    # The theorem itself, with an independent dense Liouvillian: L[ρ₀] = 0.
    assert np.max(np.abs(dense_lindblad_rhs(net, expected))) < 1e-12 * max(1.0, np.abs(net.bond_couplings).max(initial=0))
    assert np.max(np.abs(result.state.to_dense() - expected)) < 1e-14
    direct = steady_state(net, method="direct").state.to_dense()
    assert np.max(np.abs(direct - expected)) < STATE_ATOL


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_nogo_networks(max_n=4, equal_ratio=False))
def test_nogo_all_m_zero_any_xyz(net: Network) -> None:
    result = steady_state(net)
    assert result.method == "analytic" and result.nogo
    direct = steady_state(net, method="direct").state.to_dense()
    assert np.max(np.abs(direct - np.eye(2**net.n) / 2**net.n)) < STATE_ATOL


@settings(max_examples=20, deadline=None)
@given(st.integers(5, 80), st.floats(0.05, 20.0), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_nogo_on_larger_random_graphs_is_analytic(n, ratio, density, seed) -> None:
    """Erdős–Rényi graph of the given density, random rates with a common ratio, random XXZ."""
    rng = np.random.default_rng(seed)
    damping = rng.uniform(0.05, 10.0, n)
    j, k = np.triu_indices(n, 1)
    keep = rng.random(j.size) < density
    u = rng.normal(scale=20, size=j.size)
    bonds = [(a, b, x, x, z) for a, b, x, z in zip(j[keep], k[keep], u[keep], rng.normal(size=j.size)[keep])]
    net = Network(ratio * damping, damping, rng.normal(size=n), bonds)
    result = steady_state(net)
    assert result.method == "analytic" and result.nogo and result.residual < 1e-12
    m = (ratio - 1) / (ratio + 1)
    assert np.allclose(result.state.factors[:, 0, 0], (1 + m) / 2, atol=1e-14)
    assert np.allclose(result.state.factors[:, 1, 1], (1 - m) / 2, atol=1e-14)


def test_nogo_at_n_1000_is_analytic_fast_and_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """N = 1000, identical Γᵍ/Γᵈ per qubit (rates vary), random XXZ ring + random chords.
    No 4ᴺ (or 2ᴺ) object: the memory guard is set to 1 MB and Python allocations are traced."""
    rng = np.random.default_rng(2023)
    n = 1000
    damping = rng.uniform(0.1, 10, n)
    bonds = {(j, (j + 1) % n) for j in range(n)} | {
        tuple(sorted(rng.choice(n, 2, replace=False))) for _ in range(2000)
    }
    bonds = [(min(j, k), max(j, k), u, u, rng.normal()) for (j, k), u in
             zip(sorted(bonds), rng.normal(scale=10, size=len(bonds)))]
    net = Network(0.25 * damping, damping, rng.normal(size=n), bonds, field=0.3)
    monkeypatch.setattr(spinsync.resources, "available_memory", lambda: 1_000_000)
    tracemalloc.start()
    start = time.perf_counter()
    result = steady_state(net)
    f = fidelity(result.state, product_state(net))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.method == "analytic" and result.nogo
    assert isinstance(result.state, ProductState)
    assert f == pytest.approx(1.0, abs=1e-12)
    assert peak < 50e6  # a few arrays of N·(2×2) and per-bond records, nothing exponential
    assert elapsed < 5.0  # ~0.2 s; loose for a loaded 2-core machine
    assert np.allclose(result.state.factors[:, 0, 0], 0.5 * (1 - 0.6), atol=1e-15)  # m = −0.6


# ------------------------------------------------------------------ Eq. 5 and the residual
def _random_non_nogo(seed: int, n: int) -> Network:
    rng = np.random.default_rng(seed)
    bonds = [(j, k, rng.normal(), rng.normal(), rng.normal())
             for j in range(n) for k in range(j + 1, n) if rng.random() < 0.8]
    if not bonds:
        bonds = [(0, 1, 1.0, 0.3, 0.2)]
    return Network(rng.uniform(0.1, 3, n), rng.uniform(0.1, 3, n), rng.normal(size=n), bonds,
                   field=rng.normal())


@pytest.mark.parametrize("seed", range(8))
def test_product_residual_is_eq5_norm(seed: int) -> None:
    """product_residual (closed form) = ‖L[ρ₀]‖_F/‖ρ₀‖_F with the full Liouvillian and with
    the dense master equation. Relative agreement to 1e-12: both are sums of O(1) terms."""
    n = 2 + seed % 3
    net = _random_non_nogo(seed, n)
    rho0 = _rho0_dense(net.magnetization)
    by_liouvillian = np.linalg.norm(full_liouvillian(net) @ rho0.ravel()) / np.linalg.norm(rho0)
    by_dense = np.linalg.norm(dense_lindblad_rhs(net, rho0)) / np.linalg.norm(rho0)
    assert by_dense == pytest.approx(by_liouvillian, rel=1e-12)
    assert product_residual(net) == pytest.approx(by_dense, rel=1e-12)
    assert by_dense > 1e-3
    assert not product_state_is_steady(net)


@pytest.mark.parametrize("seed", range(4))
def test_eq5_operator_form(seed: int) -> None:
    """L[ρ₀] = (i/2) Σ_{j<k} (M_jk + U_jk) ⊗_{l≠j,k} ρ_{l,0}, i.e. the paper's Eq. 5 with the
    −i of CONVENTIONS.md's 'known slips' (the paper prints [U, ρ₀]); M, U as printed."""
    n = 3
    net = _random_non_nogo(100 + seed, n)
    m = net.magnetization
    rho0 = _rho0_dense(m)
    total = np.zeros_like(rho0)
    for j, k, ux, uy, _ in net.bonds:
        mjk = (m[j] - m[k]) * (ux + uy) * (embed(SP, j, n) @ embed(SM, k, n) - embed(SM, j, n) @ embed(SP, k, n))
        ujk = (m[j] + m[k]) * (ux - uy) * (embed(SP, j, n) @ embed(SP, k, n) - embed(SM, j, n) @ embed(SM, k, n))
        rest = reduce(np.kron, [(I2 + m[l] * SZ) / 2 if l not in (j, k) else I2 for l in range(n)])
        total += (mjk + ujk) @ rest
    assert np.max(np.abs(dense_lindblad_rhs(net, rho0) - 0.5j * total)) < 1e-13
    # The printed sign (L = [U, ρ₀] = −½Σ…) is the commutator without −i:
    h_u = sum(u * embed(s, j, n) @ embed(s, k, n) for j, k, *us in net.bonds
              for u, s in zip(us, (SP + SM, -1j * (SP - SM), SZ)))
    assert np.max(np.abs((h_u @ rho0 - rho0 @ h_u) + 0.5 * total)) < 1e-13


def test_product_residual_terms_coefficients() -> None:
    net = Network([1, 3, 2], [3, 1, 2], bonds=[(0, 1, 2.0, 0.5, 9.0), (1, 2, 1.0, 1.0, 0.0)])
    m = [-0.5, 0.5, 0.0]
    t01, t12 = product_residual_terms(net)
    assert (t01.j, t01.k, t12.j, t12.k) == (0, 1, 1, 2)
    assert t01.m_coefficient == pytest.approx((m[0] - m[1]) * 2.5)
    assert t01.u_coefficient == pytest.approx((m[0] + m[1]) * 1.5)  # = 0
    assert t12.m_coefficient == pytest.approx(0.5 * 2.0)
    assert t12.u_coefficient == 0.0
    assert np.hypot(t01.norm, t12.norm) == pytest.approx(product_residual(net))


# ------------------------------------------------------------------ conditions
@pytest.mark.parametrize(
    "gain,damping,bond,nogo",
    [
        ([1, 2], [4, 8], (0, 1, 3.0, 3.0, 1.0), True),  # equal ratio, XXZ
        ([1, 2], [4, 8], (0, 1, 3.0, 2.0, 1.0), False),  # equal m ≠ 0, XYZ
        ([1, 2], [1, 2], (0, 1, 3.0, 2.0, 1.0), True),  # m = 0, XYZ
        ([1, 2], [4, 7], (0, 1, 3.0, 3.0, 1.0), False),  # different m, XXZ
        # Only Uᶻ: ρ₀ is steady although the theorem's conditions (equal m) fail.
        ([1, 2], [4, 7], (0, 1, 0.0, 0.0, 5.0), False),
    ],
)
def test_conditions_truth_table(gain, damping, bond, nogo) -> None:
    net = Network(gain, damping, bonds=[bond])
    steady = product_state_is_steady(net)
    assert steady == (product_residual(net) == 0.0)
    assert nogo_conditions_hold(net) == nogo
    if bond[2] or bond[3]:
        assert nogo == steady
    else:
        assert steady and steady_state(net).method == "analytic"


def test_disconnected_groups_with_different_ratios_are_steady_but_not_nogo() -> None:
    """Two XXZ pairs, each with its own common ratio: ρ₀ is steady (every bond term of
    Eq. 5 vanishes) although the global condition fails; auto uses the analytic state
    and it agrees with the direct solve."""
    net = Network([1, 2, 1, 3], [4, 8, 1, 3], bonds=[(0, 1, 2, 2, 1), (2, 3, 1, 1, 0.5)])
    assert product_state_is_steady(net) and not nogo_conditions_hold(net)
    result = steady_state(net)
    assert result.method == "analytic" and not result.nogo
    direct = steady_state(net, method="direct").state.to_dense()
    assert np.max(np.abs(direct - result.state.to_dense())) < STATE_ATOL


def test_fig1c_not_nogo_and_fidelity_below_one() -> None:
    g = [1, 0.2, 20, 2, 2.5, 0.3]
    net = Network.with_topology(g, [0.5, 4, 80, 1, 0.5, 0.2], "all-to-all", 80, 80, 1)
    result = steady_state(net)
    assert not result.nogo and result.method == "direct"
    assert fidelity(result.state, product_state(net)) < 1 - 1e-4
