"""measures/sync.py for spins of any size: coherent states, Husimi Q, single-site and pair
S-functions by quadrature and in closed form, their maxima and locked phases.

Oracles: QuTiP (``spin_coherent``, ``spin_q_function``, ``jmat``; its θ direction was fixed
in 2021, qutip #1128/#1195 — the tests below pin θ = 0 to |s, s⟩ independently), matrix
exponentials of hand-written J matrices (tests/oracles.py), the eigenvector property
(n·J)|θ, φ⟩ = s|θ, φ⟩ for s = 1000 where QuTiP's Q returns NaN (#2964), QuTiP's steady
states of models written from the conventions, and dense brute-force maxima.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.optimize import minimize_scalar

import spinsync as ss
from spinsync.measures.sync import (
    FLAT_TOL,
    coherent_state,
    default_n_theta,
    husimi_q,
    husimi_q_pair,
    pair_s_coefficients,
    pair_s_function,
    pair_sync,
    s_function,
    s_function_from_coefficients,
    s_function_integrated,
    s_function_peaks,
    site_locked_phase,
    site_s_coefficients,
    site_s_function,
    site_s_function_integrated,
    site_sync,
    site_sync_max,
    sync_max_matrix,
    sync_total,
)
from spinsync.states import BlockState

from tests.oracles import (
    SM,
    SP,
    partial_trace_dims,
    qutip_spin_model,
    qutip_steady_state,
    random_density_matrix,
    spin_matrices,
)

qt = pytest.importorskip("qutip")

SPINS = (0.5, 1.0, 1.5, 2.0, 4.0)
PHIS = np.linspace(-np.pi, np.pi, 13)

#: Closed form against quadrature: both are exact to rounding for s ≤ 5 (the Gauss–Legendre
#: rule converges to ~1e-15 there, docs of default_n_theta); values are O(0.01–1), so 1e-12
#: is ~1e4 ulps and far below any wrong weight (those change S by ≥ 1e-3).
S_ATOL = 1e-12


def _dim(s: float) -> int:
    return int(round(2 * s)) + 1


def _top(d: int) -> np.ndarray:
    e = np.zeros(d, dtype=complex)
    e[0] = 1
    return e


# ------------------------------------------------------------------ coherent states
@pytest.mark.parametrize("s", SPINS)
@pytest.mark.parametrize("theta,phi", [(0.0, 0.3), (0.7, 2.1), (np.pi / 2, -1.0), (np.pi, 4.0), (2.5, -2.9)])
def test_coherent_state_is_the_rotated_top_state(s: float, theta: float, phi: float) -> None:
    """e^{−iφJᶻ}e^{−iθJʸ}|s, s⟩ with scipy's expm of hand-written J (phase included), and
    QuTiP's spin_coherent, which is the same state times the global phase e^{isφ}."""
    j = spin_matrices(s)
    expected = expm(-1j * phi * j["z"]) @ expm(-1j * theta * j["y"]) @ _top(_dim(s))
    ours = coherent_state(theta, phi, s)
    assert np.allclose(ours, expected, atol=1e-13, rtol=0)
    qutip = qt.spin_coherent(s, theta, phi).full().ravel()
    assert np.allclose(ours * np.exp(1j * s * phi), qutip, atol=1e-13, rtol=0)


def test_coherent_state_theta_zero_is_up_and_phi_is_the_azimuth() -> None:
    """θ = 0 is |s, s⟩ (not |s, −s⟩: QuTiP's pre-2021 direction) and ⟨J⁺⟩ = s sin θ e^{iφ}."""
    for s in SPINS:
        assert np.allclose(coherent_state(0.0, 1.2, s)[1:], 0) and abs(coherent_state(0.0, 1.2, s)[0]) == 1
        psi = coherent_state(0.9, 2.4, s)
        jp = spin_matrices(s)["+"]
        assert np.vdot(psi, jp @ psi) == pytest.approx(s * np.sin(0.9) * np.exp(2.4j), abs=1e-13)


def test_qubit_coherent_state_unchanged() -> None:
    """The qubit state is the s = ½ case: (e^{−iφ/2} cos θ/2, e^{iφ/2} sin θ/2) as before."""
    t = np.linspace(0, np.pi, 7)[:, None]
    p = np.linspace(-3, 3, 5)[None, :]
    old = np.stack([np.exp(-0.5j * p) * np.cos(t / 2), np.exp(0.5j * p) * np.sin(t / 2)], -1)
    assert np.allclose(coherent_state(t, p), old, atol=2e-16, rtol=0)
    assert np.allclose(coherent_state(t, p, 0.5), old, atol=2e-16, rtol=0)


@pytest.mark.parametrize("theta", [0.0, 1e-3, 0.4, 1.234, np.pi / 2, 2.0, np.pi - 1e-3, np.pi])
def test_coherent_state_at_s_1000_is_the_eigenvector_of_n_dot_j(theta: float) -> None:
    """(n·J)|θ, φ⟩ = s|θ, φ⟩ with n = (sin θ cos φ, sin θ sin φ, cos θ) — an independent
    property — at s = 1000, where QuTiP's spin_q_function gives NaN. The amplitudes come
    from log-space binomials (relative error ~1e-12 from gammaln(2001) ≈ 1.3e4), times
    ‖J‖ ≈ 1e3: a residual ≲ 1e-9; 1e-8 allows for it and still fails for a wrong sign or
    factor (those leave O(1))."""
    s, phi = 1000, -2.5
    psi = coherent_state(theta, phi, s)
    assert np.all(np.isfinite(psi))
    assert np.linalg.norm(psi) == pytest.approx(1.0, abs=1e-11)
    jx, jy, jz = (qt.jmat(s, a).data.as_scipy() for a in "xyz")
    n = np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)
    residual = n[0] * (jx @ psi) + n[1] * (jy @ psi) + n[2] * (jz @ psi) - s * psi
    assert np.linalg.norm(residual) < 1e-8


# ------------------------------------------------------------------ Husimi Q
@pytest.mark.parametrize("s", SPINS)
def test_husimi_q_equals_qutip_with_its_normalization(s: float) -> None:
    """QuTiP's spin_q_function is ⟨θ,φ|ρ|θ,φ⟩ (indexed [φ, θ]); ours adds (2s+1)/(4π)."""
    rho = random_density_matrix(np.random.default_rng(int(2 * s)), _dim(s))
    theta = np.linspace(0, np.pi, 9)
    phi = np.linspace(-np.pi, np.pi, 11)
    qq, _, _ = qt.spin_q_function(qt.Qobj(rho), theta, phi)
    ours = husimi_q(rho, theta[None, :], phi[:, None])
    assert np.allclose(ours, qq * (2 * s + 1) / (4 * np.pi), atol=1e-14, rtol=0)


@pytest.mark.parametrize("s", SPINS + (20.0,))
def test_husimi_q_integrates_to_one(s: float) -> None:
    """Own sphere quadrature, exact: the trapezoid rule in φ with 4(2s+1) nodes averages the
    harmonics e^{ikφ}, |k| ≤ 2s, away exactly; what is left, (2s+1)/4π Σ_a ρ_aa d_a(θ)², is a
    polynomial of degree 2s in cos θ, which 40 Gauss–Legendre nodes in cos θ integrate
    exactly up to s = 39."""
    rho = random_density_matrix(np.random.default_rng(7), _dim(s))
    x, w = np.polynomial.legendre.leggauss(40)
    phi = np.arange(4 * _dim(s)) * (2 * np.pi / (4 * _dim(s)))  # trapezoid: exact in φ
    q = husimi_q(rho, np.arccos(x)[:, None], phi[None, :])
    assert np.sum(q.mean(axis=1) * w) * 2 * np.pi == pytest.approx(1.0, abs=1e-13)


def test_husimi_q_pair_factorizes_and_matches_qutip_product_states() -> None:
    rng = np.random.default_rng(3)
    a, b = random_density_matrix(rng, 3), random_density_matrix(rng, 4)
    t1, t2, p1, p2 = 0.4, 2.2, -1.0, 0.8
    got = husimi_q_pair(np.kron(a, b), t1, t2, p1, p2, dims=(3, 4))
    assert got == pytest.approx(husimi_q(a, t1, p1) * husimi_q(b, t2, p2), abs=1e-15)
    rho = random_density_matrix(rng, 12)
    psi = qt.tensor(qt.spin_coherent(1, t1, p1), qt.spin_coherent(1.5, t2, p2)).full().ravel()
    want = np.vdot(psi, rho @ psi).real * 3 * 4 / (4 * np.pi) ** 2
    assert husimi_q_pair(rho, t1, t2, p1, p2, dims=(3, 4)) == pytest.approx(want, abs=1e-15)


def test_husimi_input_errors() -> None:
    with pytest.raises(ss.ModelError, match=r"square"):
        husimi_q(np.ones((2, 3)), 0.1, 0.2)
    with pytest.raises(ss.ModelError, match=r"≥ 2"):
        husimi_q(np.ones((1, 1)), 0.1, 0.2)
    with pytest.raises(ss.ModelError, match=r"\(3, 3\)"):
        husimi_q_pair(np.eye(4) / 4, 0.1, 0.2, 0.3, 0.4, dims=(3, 3))
    with pytest.raises(ss.ModelError, match="non-finite"):
        site_s_function(np.full((3, 3), np.nan), 0.0)


# ------------------------------------------------------------------ single-site S-function
def _oracle_site_s(rho: np.ndarray, phi: np.ndarray, n: int = 80) -> np.ndarray:
    """S(φ) = ∫₀^π sin θ Q dθ − 1/2π with QuTiP's Q and the test's own 80-node rule."""
    s = (rho.shape[0] - 1) / 2
    x, w = np.polynomial.legendre.leggauss(n)
    theta = (x + 1) * np.pi / 2
    qq, _, _ = qt.spin_q_function(qt.Qobj(rho), theta, phi)  # [φ, θ]
    return (qq * (2 * s + 1) / (4 * np.pi)) @ (w * np.pi / 2 * np.sin(theta)) - 1 / (2 * np.pi)


@pytest.mark.parametrize("s", SPINS)
def test_site_s_function_closed_form_against_qutip_quadrature(s: float) -> None:
    rho = random_density_matrix(np.random.default_rng(11 + int(2 * s)), _dim(s))
    closed = site_s_function(rho, PHIS)
    assert np.max(np.abs(closed - _oracle_site_s(rho, PHIS))) < S_ATOL
    assert np.max(np.abs(closed)) > 1e-3  # a non-trivial S was compared


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3, 4, 5, 7, 11]), st.integers(1, 3))
def test_site_s_function_routes_agree_on_random_states(seed: int, d: int, rank: int) -> None:
    rho = random_density_matrix(np.random.default_rng(seed), d, rank)
    assert np.max(np.abs(site_s_function(rho, PHIS) - site_s_function_integrated(rho, PHIS))) < S_ATOL


def test_qubit_site_s_function_is_a_quarter_of_the_coherence() -> None:
    """Dense formula: Q = (1 + m·n)/4π gives S(φ) = (mˣ cos φ + mʸ sin φ)/8 = ¼|⟨σ⁺⟩|cos(φ − arg⟨σ⁺⟩)."""
    rho = random_density_matrix(np.random.default_rng(2), 2)
    plus = np.trace(rho @ SP)
    mx, my = 2 * plus.real, 2 * plus.imag
    assert np.allclose(site_s_function(rho, PHIS), (mx * np.cos(PHIS) + my * np.sin(PHIS)) / 8, atol=1e-16)
    assert site_s_coefficients(rho)[0] == pytest.approx(plus / 8, abs=1e-17)
    peaks = site_sync(BlockState.from_dense(rho, dims=[2]), 0)
    assert peaks.max == pytest.approx(abs(plus) / 4, rel=1e-14)
    assert peaks.phase == pytest.approx(np.angle(plus), abs=1e-14)


@pytest.mark.parametrize("s, phis", [
    (50, [0.7, -2.0, 0.0, 2.5]),
    (1000, [0.7]),  # one quadrature point: a (395 × 2001) @ (2001 × 2001) product, ~2 s
    pytest.param(1000, [0.7, -2.0, 0.0, 2.5], marks=pytest.mark.slow),
])
def test_site_s_function_large_spin_stable(s: int, phis: list[float]) -> None:
    """No NaN or overflow at s = 1000: a superposition of two coherent states (two peaks) by
    both routes. The amplitudes' log-space error (~5e-12 relative, default_n_theta) on
    values up to ~10 allows 1e-9 absolute; a wrong weight changes S by O(1)."""
    psi = coherent_state(1.0, 0.7, s) + 0.6 * coherent_state(2.0, -2.0, s)
    rho = np.outer(psi, psi.conj()) / np.vdot(psi, psi).real
    c = site_s_coefficients(rho)
    assert c.shape == (2 * s,) and np.all(np.isfinite(c))
    phis = np.array(phis)
    closed = site_s_function(rho, phis)
    assert np.all(np.isfinite(closed))
    assert np.max(np.abs(closed - site_s_function_integrated(rho, phis))) < 1e-9
    peaks = s_function_peaks(c)
    # The larger peak is at the first state's azimuth (the overlap of the two is e^{−O(s)}).
    assert peaks.phase == pytest.approx(0.7, abs=1e-6)
    assert peaks.n_maxima == 2 and peaks.phases[1] == pytest.approx(-2.0, abs=1e-6)


def test_default_n_theta_reaches_rounding() -> None:
    """The documented convergence: the default rule against one with twice the nodes."""
    for s in (0.5, 3, 20, 200):
        rho = random_density_matrix(np.random.default_rng(1), _dim(s), rank=1)
        a = site_s_function_integrated(rho, PHIS)
        b = site_s_function_integrated(rho, PHIS, n_theta=2 * default_n_theta(s))
        assert np.max(np.abs(a - b)) < 1e-12 * max(1.0, np.max(np.abs(b))), s
    # and too few nodes are visibly wrong (the test can fail)
    rho = random_density_matrix(np.random.default_rng(1), _dim(20), rank=1)
    assert np.max(np.abs(site_s_function_integrated(rho, PHIS, n_theta=8) - site_s_function(rho, PHIS))) > 1e-6


# ------------------------------------------------------------------ pair S-function
def _oracle_pair_s(rho: np.ndarray, dims: tuple[int, int], phis: np.ndarray, n_theta: int = 24) -> np.ndarray:
    """The definition by brute force with QuTiP's coherent states (no spinsync numerics):
    S_jk(φ) = −1/2π + ∫dφ_k ∫dθ_j ∫dθ_k sinθ_j sinθ_k N_jN_k ⟨ψ|ρ|ψ⟩, trapezoid in φ_k with
    2s_j + 2s_k + 1 nodes (exact for that degree), Gauss–Legendre in θ."""
    sj, sk = (dims[0] - 1) / 2, (dims[1] - 1) / 2
    x, w = np.polynomial.legendre.leggauss(n_theta)
    theta = (x + 1) * np.pi / 2
    wt = w * np.pi / 2 * np.sin(theta)
    n_phi = dims[0] + dims[1] - 1
    phik = np.arange(n_phi) * 2 * np.pi / n_phi
    norm = dims[0] * dims[1] / (4 * np.pi) ** 2
    kets_k = {(i, p): qt.spin_coherent(sk, theta[i], phik[p]).full().ravel()
              for i in range(n_theta) for p in range(n_phi)}
    out = []
    for phi in phis:
        total = 0.0
        for p in range(n_phi):
            kets_j = [qt.spin_coherent(sj, theta[i], phi + phik[p]).full().ravel() for i in range(n_theta)]
            for i in range(n_theta):
                for l in range(n_theta):
                    psi = np.kron(kets_j[i], kets_k[(l, p)])
                    total += (2 * np.pi / n_phi) * wt[i] * wt[l] * norm * np.vdot(psi, rho @ psi).real
        out.append(total - 1 / (2 * np.pi))
    return np.array(out)


@pytest.mark.parametrize("dims", [(2, 2), (3, 3), (2, 3)])
def test_pair_s_function_against_qutip_brute_force(dims: tuple[int, int]) -> None:
    rho = random_density_matrix(np.random.default_rng(sum(dims)), dims[0] * dims[1])
    phis = np.array([-2.0, 0.3, 1.9])
    want = _oracle_pair_s(rho, dims, phis)
    assert np.max(np.abs(pair_s_function(rho, phis, dims) - want)) < S_ATOL
    assert np.max(np.abs(s_function_integrated(rho, phis, dims=dims) - want)) < S_ATOL
    assert np.max(np.abs(want)) > 1e-3


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2), (3, 3), (2, 3), (3, 2), (4, 3), (2, 5)]))
def test_pair_s_function_routes_agree_on_random_states(seed: int, dims: tuple[int, int]) -> None:
    rho = random_density_matrix(np.random.default_rng(seed), dims[0] * dims[1])
    closed = pair_s_function(rho, PHIS, dims)
    assert np.max(np.abs(closed - s_function_integrated(rho, PHIS, dims=dims))) < S_ATOL


def test_pair_s_function_of_qubits_is_eq6() -> None:
    rho = random_density_matrix(np.random.default_rng(4), 4)
    ff = complex(np.trace(rho @ np.kron(SP, SM)))
    assert pair_s_coefficients(rho)[0] == pytest.approx(np.pi / 32 * ff, abs=1e-17)
    # values ≤ 0.03: 1e-16 is a few ulps (the two routes round differently)
    assert np.allclose(pair_s_function(rho, PHIS), s_function(ff, PHIS), atol=1e-16, rtol=0)


def test_pair_s_function_is_symmetric_under_exchange() -> None:
    """S_kj(φ) = S_jk(−φ): swapping the two sites reverses the relative phase."""
    rho = random_density_matrix(np.random.default_rng(9), 6)
    swapped = rho.reshape(2, 3, 2, 3).transpose(1, 0, 3, 2).reshape(6, 6)
    assert np.allclose(pair_s_function(swapped, PHIS, (3, 2)), pair_s_function(rho, -PHIS, (2, 3)), atol=1e-16)


# ------------------------------------------------------------------ maxima
def _brute_maxima(c: np.ndarray, m: int = 1 << 17) -> list[tuple[float, float, float]]:
    """Every local maximum of S on an m-point grid, refined by scipy's bounded Brent search:
    (phase, value, distance in rad to the nearest local minimum)."""
    phi = np.arange(m) * 2 * np.pi / m - np.pi
    s = s_function_from_coefficients(c, phi)
    idx = np.flatnonzero((s > np.roll(s, 1)) & (s >= np.roll(s, -1)))
    minima = np.flatnonzero((s < np.roll(s, 1)) & (s <= np.roll(s, -1)))
    dist = np.abs(idx[:, None] - minima[None, :])
    dist = np.minimum(dist, m - dist).min(axis=1) * (2 * np.pi / m)
    out = []
    h = 2 * np.pi / m
    for i, gap in zip(idx, dist):
        res = minimize_scalar(lambda x: -s_function_from_coefficients(c, x), bounds=(phi[i] - h, phi[i] + h),
                              method="bounded", options={"xatol": 1e-12})
        out.append((float(np.angle(np.exp(1j * res.x))), -float(res.fun), float(gap)))
    return out


def _check_peaks(c: np.ndarray) -> None:
    """Every reported maximum is a local maximum the brute force finds (phase to 1e-6, value to
    1e-10), and every brute-force maximum farther than 4·2π/M from its neighbouring minimum
    (M = max(4096, 64K), the documented resolution) is reported."""
    peaks = s_function_peaks(c)
    brute = _brute_maxima(c)
    resolution = 4 * 2 * np.pi / max(4096, 64 * len(c))

    def near(p, q):
        return abs(np.angle(np.exp(1j * (p - q)))) < 1e-6

    for p, v in zip(peaks.phases, peaks.values):
        match = [b for b in brute if near(p, b[0])]
        assert len(match) == 1 and v == pytest.approx(match[0][1], abs=1e-10), (p, v)
    for pb, vb, gap in brute:
        if gap > resolution:
            assert any(near(p, pb) for p in peaks.phases), (pb, vb, gap)
    best = max(brute, key=lambda b: b[1])
    assert peaks.max == pytest.approx(best[1], abs=1e-10) and near(peaks.phase, best[0])
    assert list(peaks.values) == sorted(peaks.values, reverse=True)
    assert -np.pi < peaks.phase <= np.pi


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 7))
@example(55099, 4)  # a shoulder 0.57 rad from a larger maximum, missed by a coarse grid of S
def test_peaks_are_every_local_maximum(seed: int, degree: int) -> None:
    rng = np.random.default_rng(seed)
    _check_peaks((rng.normal(size=degree) + 1j * rng.normal(size=degree)) / np.arange(1, degree + 1))


@pytest.mark.parametrize("seed", [77291, 3])  # 77291: a shoulder between two grid resolutions
def test_peaks_of_a_degree_70_polynomial(seed: int) -> None:
    rng = np.random.default_rng(seed)
    _check_peaks((rng.normal(size=70) + 1j * rng.normal(size=70)) / np.arange(1, 71))


def test_peaks_of_n_to_one_locking_and_the_tie_rule() -> None:
    """cos 3φ: three equal maxima at 0, ±2π/3; the locked phase is the first in (−π, π]."""
    peaks = s_function_peaks([0, 0, 0.05])
    assert peaks.n_maxima == 3
    np.testing.assert_allclose(peaks.phases, [-2 * np.pi / 3, 0.0, 2 * np.pi / 3], atol=1e-12)
    np.testing.assert_allclose(peaks.values, 0.1, rtol=1e-12)
    assert peaks.phase == pytest.approx(-2 * np.pi / 3, abs=1e-12)


def test_flat_s_function_has_no_phase() -> None:
    rho = np.diag([0.5, 0.3, 0.2]).astype(complex)  # no coherences: U(1)-symmetric site
    peaks = site_sync(BlockState.from_dense(rho, dims=[3]), 0)
    assert peaks.flat and peaks.phase is None and peaks.max == 0.0 and peaks.n_maxima == 0
    assert s_function_peaks([FLAT_TOL / 4]).flat and not s_function_peaks([FLAT_TOL]).flat


# ------------------------------------------------------------------ physics: driven spin 1
def _rb_spin1(gain: float, damping: float, drive: float, omega: float = 0.0, phase: float = 0.0):
    return dict(s=1, gain=[gain], damping=[damping], scheme="roulet-bruder", omega=[omega],
                drive=[drive], drive_phase=[phase])


def _solve_both(case: dict) -> tuple[object, np.ndarray]:
    net = ss.Network.spins(case["s"], case["gain"], case["damping"], scheme=case["scheme"],
                           omega=case["omega"], drive=case["drive"], drive_phase=case["drive_phase"])
    h, c_ops = qutip_spin_model(**case)
    return ss.steady_state(net).state, qutip_steady_state(h, c_ops)


def _quadrature_argmax(rho: np.ndarray) -> tuple[float, float]:
    """The largest S by the quadrature route only: a 4096-point grid, then Brent."""
    grid = np.linspace(-np.pi, np.pi, 4097)[:-1]
    s = site_s_function_integrated(rho, grid)
    i = int(np.argmax(s))
    res = minimize_scalar(lambda x: -site_s_function_integrated(rho, x), method="bounded",
                          bounds=(grid[i] - 0.002, grid[i] + 0.002), options={"xatol": 1e-10})
    return float(res.x), -float(res.fun)


def test_driven_spin1_locks_at_the_phase_the_quadrature_gives() -> None:
    """Done-when 1: the driven Roulet–Bruder spin 1 (γᵍ = 1, γᵈ = 0.2, Ω = 0.3, ω = 0.2)."""
    state, rho_qutip = _solve_both(_rb_spin1(1.0, 0.2, 0.3, omega=0.2))
    peaks = site_sync(state, 0)
    phase, value = _quadrature_argmax(rho_qutip)
    assert peaks.phase == pytest.approx(phase, abs=1e-7)
    assert peaks.max == pytest.approx(value, abs=1e-12)
    assert peaks.max > 0.02  # it does lock


def test_interference_blockade_two_equal_maxima_at_plus_minus_half_pi() -> None:
    """Done-when 2 (Koppenhöfer & Roulet 2019): γᵍ = γᵈ, drive along Jʸ, no detuning: ⟨J⁺⟩ = 0
    and S has two equal maxima at φ = ±π/2 (2:1 locking), by both routes."""
    state, rho_qutip = _solve_both(_rb_spin1(1.0, 1.0, 0.4, phase=np.pi / 2))
    assert abs(ss.spin_expectations(state, "+")[0]) < 1e-14
    assert abs(np.trace(rho_qutip @ spin_matrices(1)["+"])) < 1e-12
    peaks = site_sync(state, 0)
    assert peaks.n_maxima == 2
    np.testing.assert_allclose(peaks.phases, [-np.pi / 2, np.pi / 2], atol=1e-9)
    assert peaks.values[0] == pytest.approx(peaks.values[1], rel=1e-12)
    grid = np.linspace(-np.pi, np.pi, 721)
    s = site_s_function_integrated(rho_qutip, grid)
    top = grid[np.argsort(s)[-2:]]
    np.testing.assert_allclose(np.sort(top), [-np.pi / 2, np.pi / 2], atol=1e-12)
    # Away from equal rates a weak drive gives 1:1 locking again: one maximum, at 0 for
    # γᵍ < γᵈ (at Ω = 0.4 the 2:1 part still wins at γᵍ/γᵈ = 1/4; it grows as Ω²).
    away = site_sync(_solve_both(_rb_spin1(0.4, 1.6, 0.1, phase=np.pi / 2))[0], 0)
    assert away.n_maxima == 1 and away.phase == pytest.approx(0.0, abs=1e-9)


# ------------------------------------------------------------------ states of any kind
def test_state_measures_of_a_block_steady_state_against_dense_qutip() -> None:
    """Three spin-1 sites (U(1) block state) with a drive on site 0 (full space) and without:
    site and pair measures from spinsync's block state equal those of QuTiP's dense ρ."""
    for drive in ([0.0, 0.0, 0.0], [0.5, 0.0, 0.0]):
        case = dict(s=1, gain=[1.0, 0.6, 0.8], damping=[0.3, 1.0, 0.5], scheme="roulet-bruder",
                    omega=[0.2, -0.1, 0.0], drive=drive, drive_phase=[0.4, 0, 0],
                    bonds=[(0, 1, 0.7, 0.7, 0.2), (1, 2, 0.5, 0.5, 0.0)])
        net = ss.Network.spins(1, case["gain"], case["damping"], scheme="roulet-bruder", omega=case["omega"],
                               drive=drive, drive_phase=case["drive_phase"], bonds=case["bonds"])
        state = ss.steady_state(net).state
        rho = qutip_steady_state(*qutip_spin_model(**case))
        dims = [3, 3, 3]
        smax = np.zeros((3, 3))
        for j in range(3):
            for k in range(j + 1, 3):
                grid = np.linspace(-np.pi, np.pi, 2001)
                sjk = pair_s_function(partial_trace_dims(rho, [j, k], dims), grid, (3, 3))
                smax[j, k] = smax[k, j] = sjk.max()
        # the grid maximum is below the true one by ≤ ½|S″|h² ~ 1e-7 here
        np.testing.assert_allclose(sync_max_matrix(state), smax, atol=1e-6, rtol=0)
        assert sync_total(state) == pytest.approx(np.triu(smax, 1).sum(), abs=3e-6)
        assert np.max(smax) > 1e-3
        want_site = [site_s_function(partial_trace_dims(rho, [j], dims), np.linspace(-np.pi, np.pi, 2001)).max()
                     for j in range(3)]
        np.testing.assert_allclose(site_sync_max(state), want_site, atol=1e-6)
        phases = site_locked_phase(state)
        if drive[0] == 0:
            assert np.all(np.isnan(phases)) and np.all(site_sync_max(state) == 0)
        else:
            assert np.all(np.isfinite(phases))


def test_general_sync_max_reduces_to_eq6_on_qubit_states() -> None:
    rng = np.random.default_rng(5)
    rho = random_density_matrix(rng, 8)
    state = BlockState.from_dense(rho)
    for j, k in [(0, 1), (0, 2), (2, 1)]:
        ff = complex(np.trace(partial_trace_dims(rho, [j, k], [2, 2, 2]) @ np.kron(SP, SM)))
        peaks = pair_sync(state, j, k)
        assert peaks.max == pytest.approx(np.pi / 16 * abs(ff), rel=1e-13)
        assert peaks.phase == pytest.approx(np.angle(ff), abs=1e-13)
    with pytest.raises(ss.ModelError, match="two different sites"):
        pair_sync(state, 1, 1)
