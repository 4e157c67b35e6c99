"""Synchronization measures: coherent states, Husimi Q, the S-function (both routes),
Sᵐᵃˣ, the locked phase, S_t, and the two-qubit closed form Eq. 7."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from spinsync import ModelError, Network, flipflop_matrix, steady_state
from spinsync.measures.sync import (
    coherent_state,
    husimi_q,
    husimi_q_pair,
    locked_phase,
    s_function,
    s_function_integrated,
    sync_max,
    sync_max_matrix,
    sync_total,
    two_qubit_flipflop,
)

from tests.oracles import SM, SP, SX, SY, SZ, partial_trace, qutip_steady, random_density_matrix

UP = np.array([1, 0], dtype=complex)


def _flipflop(rho_pair: np.ndarray) -> complex:
    """⟨σ⁺_j σ⁻_k⟩ = Tr[ρ_jk σ⁺ ⊗ σ⁻] (dense, by hand)."""
    return complex(np.trace(rho_pair @ np.kron(SP, SM)))


# ------------------------------------------------------------------ coherent states, Q
@pytest.mark.parametrize("theta,phi", [(0.0, 0.0), (0.3, 1.1), (np.pi / 2, -2.0), (np.pi, 4.0)])
def test_coherent_state_is_the_rotated_up_state(theta: float, phi: float) -> None:
    """|θ, φ⟩ = e^{−iφσᶻ/2} e^{−iθσʸ/2}|↑⟩ with matrix exponentials (CONVENTIONS.md)."""
    expected = expm(-0.5j * phi * SZ) @ expm(-0.5j * theta * SY) @ UP
    assert np.allclose(coherent_state(theta, phi), expected, atol=1e-14, rtol=0)


def _gauss_sphere(n: int = 24):
    """Quadrature on the sphere: Gauss–Legendre in cos θ, trapezoid in φ (own oracle)."""
    x, w = np.polynomial.legendre.leggauss(n)
    theta = np.arccos(x)  # ∫ f sinθ dθ = ∫ f d(cosθ)
    phi = np.arange(2 * n) * (np.pi / n)
    return theta[:, None], phi[None, :], w[:, None] * (np.pi / n)


@pytest.mark.parametrize("seed", range(4))
def test_husimi_q_normalized_and_equals_bloch_formula(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rho = random_density_matrix(rng, 2, rank=1 + seed % 2)
    theta, phi, weight = _gauss_sphere()
    q = husimi_q(rho, theta, phi)
    # Q is a degree-1 spherical harmonic expansion: the quadrature is exact to rounding.
    assert np.sum(q * weight) == pytest.approx(1.0, abs=1e-13)
    # Eq. S17: Q = (1 + m·n)/(4π).
    m = [np.trace(rho @ s).real for s in (SX, SY, SZ)]
    n_vec = (np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta) + 0 * phi)
    assert np.allclose(q, (1 + sum(mi * ni for mi, ni in zip(m, n_vec))) / (4 * np.pi), atol=1e-14)


def test_husimi_q_pair_normalized_and_factorizes_on_products() -> None:
    rng = np.random.default_rng(3)
    a, b = random_density_matrix(rng, 2), random_density_matrix(rng, 2)
    rho = random_density_matrix(rng, 4)
    theta, phi, weight = _gauss_sphere(12)
    t1, p1, w1 = theta[:, :, None, None], phi[:, :, None, None], weight[:, :, None, None]
    t2, p2, w2 = theta[None, None], phi[None, None], weight[None, None]
    q = husimi_q_pair(rho, t1, t2, p1, p2)
    assert np.sum(q * w1 * w2) == pytest.approx(1.0, abs=1e-13)
    qp = husimi_q_pair(np.kron(a, b), t1, t2, p1, p2)
    assert np.allclose(qp, husimi_q(a, t1, p1) * husimi_q(b, t2, p2), atol=1e-15)


def test_husimi_rejects_wrong_shapes() -> None:
    # A 4×4 matrix is a spin 3/2 for husimi_q now (tests/measures/test_sync_spins.py);
    # what is not a site's density matrix is refused.
    with pytest.raises(ModelError, match=r"\(4, 2\)"):
        husimi_q(np.ones((4, 2)) / 4, 0.1, 0.2)
    with pytest.raises(ModelError, match=r"\(2, 2\)"):
        husimi_q_pair(np.eye(2) / 2, 0.1, 0.2, 0.3, 0.4)


# ------------------------------------------------------------------ S-function
PHIS = np.linspace(-np.pi, np.pi, 13)
# Both routes are exact up to rounding (Eq. 6 is an identity; the quadrature integrates
# trigonometric polynomials). Values are O(π/16·|⟨σ⁺σ⁻⟩|) ≲ 0.1, so 1e-12 is ~1e4 ulps.
S_ATOL = 1e-12


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_s_function_routes_agree_on_random_pair_states(seed: int, rank: int) -> None:
    rho = random_density_matrix(np.random.default_rng(seed), 4, rank)
    integrated = s_function_integrated(rho, PHIS)
    closed = s_function(_flipflop(rho), PHIS)
    assert np.max(np.abs(integrated - closed)) < S_ATOL


def test_s_function_integrated_against_brute_force_definition() -> None:
    """Own quadrature of S_jk(φ) = −1/2π + ∫dφ_k∫dθ_j∫dθ_k sinθ_j sinθ_k Q_jk(θ_j, θ_k, φ+φ_k, φ_k),
    with Q_jk computed by hand from coherent states (no spinsync code)."""
    rho = random_density_matrix(np.random.default_rng(11), 4)
    x, w = np.polynomial.legendre.leggauss(30)
    th = (x + 1) * np.pi / 2
    wt = w * np.pi / 2 * np.sin(th)
    phk = np.arange(8) * (2 * np.pi / 8)

    def ket(t, p):
        return np.stack([np.exp(-0.5j * p) * np.cos(t / 2), np.exp(0.5j * p) * np.sin(t / 2)], -1)

    for phi in (0.0, 0.7, -2.5):
        total = 0.0
        for pk in phk:
            a = ket(th[:, None], phi + pk + 0 * th[None, :])
            b = ket(th[None, :] + 0 * th[:, None], pk)
            psi = (a[..., :, None] * b[..., None, :]).reshape(30, 30, 4)
            q = np.einsum("abi,ij,abj->ab", psi.conj(), rho, psi).real / (2 * np.pi) ** 2
            total += (2 * np.pi / 8) * np.einsum("ab,a,b->", q, wt, wt)
        assert s_function_integrated(rho, phi) == pytest.approx(total - 1 / (2 * np.pi), abs=1e-13)


def test_s_function_integrated_accuracy_as_documented() -> None:
    """Docstring: the trapezoid rule in φ_k is exact from 3 nodes (degree-2 trig
    polynomial); Gauss–Legendre in θ converges exponentially (16 nodes ≈ 1e-15) but is
    not exact at 4 nodes (the integrand is not a polynomial in θ)."""
    rho = random_density_matrix(np.random.default_rng(0), 4)
    exact = s_function(_flipflop(rho), PHIS)
    assert np.max(np.abs(s_function_integrated(rho, PHIS, n_theta=16, n_phi=3) - exact)) < S_ATOL
    assert np.max(np.abs(s_function_integrated(rho, PHIS, n_theta=4, n_phi=3) - exact)) > 1e-8


@pytest.mark.parametrize("example", ["two_qubit", "fig1c"])
def test_s_function_routes_agree_on_steady_states(example: str) -> None:
    from spinsync import load_model
    from pathlib import Path

    net = load_model(Path(__file__).parents[2] / "examples" / f"{example}.toml")
    state = steady_state(net).state
    ff = flipflop_matrix(state)
    for j, k in [(0, 1), (1, 0)] + ([(2, 5), (4, 1)] if net.n > 2 else []):
        rho = state.reduced([j, k])
        integrated = s_function_integrated(rho, PHIS)
        assert np.max(np.abs(integrated - s_function(ff[j, k], PHIS))) < S_ATOL
        # and the steady state is actually synchronized (not a trivially zero check)
        assert np.max(np.abs(integrated)) > 1e-5


def test_smax_and_locked_phase_are_the_maximum_of_s() -> None:
    rho = random_density_matrix(np.random.default_rng(5), 4)
    ff = _flipflop(rho)
    fine = np.linspace(-np.pi, np.pi, 200001)
    s = s_function_integrated(rho, fine[::1000])  # spot check of the integrated route
    assert np.max(np.abs(s - s_function(ff, fine[::1000]))) < S_ATOL
    dense = s_function(ff, fine)
    assert sync_max(ff) == pytest.approx(np.pi / 16 * abs(ff), rel=1e-15)
    assert sync_max(ff) == pytest.approx(dense.max(), abs=1e-9)  # grid step 3e-5 → cos error ~5e-10·S
    assert locked_phase(ff) == pytest.approx(fine[np.argmax(dense)], abs=1e-4)
    assert s_function(ff, locked_phase(ff)) == pytest.approx(sync_max(ff), rel=1e-14)


def test_sync_max_matrix_and_total_from_dense_state() -> None:
    from spinsync.states import BlockState

    n = 4
    rho = random_density_matrix(np.random.default_rng(8), 2**n)
    smax = sync_max_matrix(BlockState.from_dense(rho))
    expected = np.zeros((n, n))
    for j in range(n):
        for k in range(n):
            if j != k:
                expected[j, k] = np.pi / 16 * abs(_flipflop(partial_trace(rho, [j, k], n)))
    assert np.allclose(smax, expected, atol=1e-15, rtol=0)
    assert sync_total(smax) == pytest.approx(expected[np.triu_indices(n, 1)].sum(), rel=1e-14)
    assert sync_total(BlockState.from_dense(rho)) == pytest.approx(sync_total(smax), rel=1e-14)


# ------------------------------------------------------------------ Eq. 7
def _eq7_as_printed(g, d, omega, u):
    """Paper Eq. 7 transcribed independently, paper qubits 1, 2 = our 0, 1:
    ⟨σ⁺₁σ⁻₂⟩ = 4UΓ₁Γ₂(m₁ − m₂)(4Δ − iΓ) / (64Γ²U² + Γ₁Γ₂(Γ² + 16Δ²)),
    Δ = ω₁ − ω₂, Γ_j = Γᵍ_j + Γᵈ_j, Γ = Γ₁ + Γ₂, m_j = (Γᵍ_j − Γᵈ_j)/Γ_j."""
    g1, g2 = g[0] + d[0], g[1] + d[1]
    gam = g1 + g2
    m1, m2 = (g[0] - d[0]) / g1, (g[1] - d[1]) / g2
    delta = omega[0] - omega[1]
    return 4 * u * g1 * g2 * (m1 - m2) * (4 * delta - 1j * gam) / (
        64 * gam**2 * u**2 + g1 * g2 * (gam**2 + 16 * delta**2)
    )


# ⟨σ⁺σ⁻⟩ is O(0.1) at most; the direct 2-qubit solve is exact to ~1e-16, so 1e-12
# (the tolerance) is generous for rounding and tight for any formula slip.
EQ7_ATOL = 1e-12


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.05, 5.0), min_size=2, max_size=2),
    st.lists(st.floats(0.05, 5.0), min_size=2, max_size=2),
    st.lists(st.floats(-4.0, 4.0), min_size=2, max_size=2),
    st.floats(-3.0, 3.0),
    st.floats(-5.0, 5.0),
    st.floats(-2.0, 2.0),
)
def test_eq7_equals_solver_flipflop(g, d, omega, u, uz, field) -> None:
    """Finding (recorded as CONVENTIONS.md asks): under our conventions the printed Eq. 7
    holds *exactly as printed*, ⟨σ⁺₀σ⁻₁⟩_ss = 4UΓ₁Γ₂(m₁−m₂)(4Δ−iΓ)/(64Γ²U²+Γ₁Γ₂(Γ²+16Δ²)),
    for any Uᶻ and any uniform field B (no sign flip, no conjugation, no factor)."""
    net = Network(g, d, omega, [(0, 1, u, u, uz)], field=field)
    rho = steady_state(net, method="direct").state.to_dense()
    solver = _flipflop(rho)
    printed = _eq7_as_printed(g, d, omega, u)
    assert abs(solver - printed) < EQ7_ATOL
    assert abs(two_qubit_flipflop(net) - printed) < EQ7_ATOL


@pytest.mark.parametrize("seed", range(3))
def test_eq7_against_qutip(seed: int) -> None:
    rng = np.random.default_rng(seed)
    g, d, omega = rng.uniform(0.1, 3, 2), rng.uniform(0.1, 3, 2), rng.normal(size=2)
    u = rng.normal()
    net = Network(g, d, omega, [(0, 1, u, u, rng.normal() * 3)])
    assert abs(_flipflop(qutip_steady(net)) - two_qubit_flipflop(net)) < EQ7_ATOL
    assert abs(two_qubit_flipflop(net)) > 1e-4  # a nontrivial value was compared


def test_eq7_sign_is_not_conjugated() -> None:
    """m₁ > m₂, Δ = 0, U > 0: Eq. 7 gives Im⟨σ⁺₀σ⁻₁⟩ < 0 (the −iΓ term); the solver agrees."""
    net = Network.from_magnetization([0.5, -0.5], omega=[0, 0], bonds=[(0, 1, 1.0, 1.0, 0.3)])
    value = flipflop_matrix(steady_state(net).state)[0, 1]
    assert value.imag < -1e-3 and abs(value.real) < 1e-14


def test_eq7_input_errors() -> None:
    with pytest.raises(ModelError, match="3"):
        two_qubit_flipflop(Network.with_topology([1, 1, 1], [2, 2, 2], "chain", 1, 1, 0))
    with pytest.raises(ModelError, match="Uˣ = Uʸ"):
        two_qubit_flipflop(Network([1, 1], [2, 3], bonds=[(0, 1, 1.0, 0.5, 0.0)]))
