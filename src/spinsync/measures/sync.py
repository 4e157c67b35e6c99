"""Quantum synchronization measures: spin coherent states, Husimi Q, S-functions of one site
and of a pair (by quadrature and in closed form), their maxima and locked phases, Sᵐᵃˣ,
S_t and the two-qubit closed form Eq. (7).

Conventions (docs/conventions.md, docs/synchronization.md; local basis |s, s⟩ … |s, −s⟩,
index a = s − m):

* spin coherent state |θ, φ⟩ = e^{−iφJᶻ} e^{−iθJʸ} |s, s⟩, components
  ⟨s, m|θ, φ⟩ = √C(2s, s−m) cos^{s+m}(θ/2) sin^{s−m}(θ/2) e^{−imφ}; for s = ½ this is
  e^{−iφσᶻ/2} e^{−iθσʸ/2}|↑⟩ = (e^{−iφ/2} cos θ/2, e^{iφ/2} sin θ/2). φ is the azimuth of the
  spin: ⟨θ, φ|J⁺|θ, φ⟩ = s sin θ e^{iφ} (⟨σ⁺⟩ = ½ sin θ e^{iφ}).
* Husimi Q(θ, φ) = (2s + 1)/(4π) ⟨θ, φ|ρ|θ, φ⟩, normalized: ∫ Q sin θ dθ dφ = 1 (for s = ½
  the paper's Eq. S16, ⟨θ, φ|ρ|θ, φ⟩/(2π)). A pair: Q_jk = Q_j Q_k normalizations times
  ⟨θ_j,φ_j; θ_k,φ_k|ρ_jk|θ_j,φ_j; θ_k,φ_k⟩ (qubits: /(2π)², the paper's).
* single-site S-function (Roulet & Bruder) S_j(φ) = ∫₀^π sin θ Q_j(θ, φ) dθ − 1/(2π): the
  distribution of the phase φ minus the uniform one (it integrates to 0 over φ).
* pair S-function of the relative phase φ = φ_j − φ_k (paper, before Eq. 6, for spins of
  any size): S_jk(φ) = −1/(2π) + ∫₀^{2π}dφ_k ∫₀^π dθ_j ∫₀^π dθ_k sin θ_j sin θ_k
  Q_jk(θ_j, θ_k, φ + φ_k, φ_k); for qubits its closed form is Eq. (6),
  (π/16)|⟨σ⁺_jσ⁻_k⟩| cos(φ − φ⁽⁰⁾), φ⁽⁰⁾ = arg⟨σ⁺_jσ⁻_k⟩.
* Both S-functions are trigonometric polynomials, S(φ) = 2 Re Σ_{k≥1} c_k e^{−ikφ}. For one
  site c_k = (2s+1)/(4π) Σ_a W_{a+k,a} ρ_{a+k,a} (k ≤ 2s) with the exact overlap integrals
  W_ab = ∫₀^π sin θ d_a(θ) d_b(θ) dθ = 2 √(C(2s,a) C(2s,b)) Γ(1 + (a+b)/2) Γ(1 + 2s − (a+b)/2)/Γ(2s + 2)
  of the Wigner-d functions d_a(θ) = d^s_{s−a, s}(θ) (Beta integrals, computed in log space);
  so c_1 is a weighted ⟨J⁺⟩ and c_k collects the k-th coherences (n:1 locking). For a pair
  c_q = 2π N_j N_k Σ W^j_{a+q,a} W^k_{b,b+q} ρ_{(a+q, b),(a, b+q)}, N = (2s+1)/(4π): the
  coherences that move q quanta from k to j (q = 1 for qubits: ⟨σ⁺_jσ⁻_k⟩, giving Eq. 6).
* the *locked phase* is where S is largest, in (−π, π]; every local maximum is reported
  (n:1 locking has n equal ones), and where several are equal the locked phase is the first
  of them in (−π, π]. An S-function with Σ 2|c_k| ≤ :data:`FLAT_TOL` is *flat*: no phase.

Everything is stable for large s (no NaN or overflow at s = 1000): binomials, Beta integrals
and the Wigner-d functions are formed from their logarithms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, xlogy

from ..errors import ModelError
from ..model import Network
from ..model.network import check_spin
from .coerce import as_state
from .correlations import flipflop_matrix

__all__ = [
    "coherent_state",
    "husimi_q",
    "husimi_q_pair",
    "s_function",
    "s_function_integrated",
    "site_s_function",
    "site_s_function_integrated",
    "site_s_coefficients",
    "pair_s_function",
    "pair_s_coefficients",
    "s_function_from_coefficients",
    "s_function_peaks",
    "SyncPeaks",
    "site_sync",
    "pair_sync",
    "site_sync_max",
    "site_locked_phase",
    "sync_max",
    "locked_phase",
    "sync_max_matrix",
    "sync_total",
    "two_qubit_flipflop",
    "default_n_theta",
    "FLAT_TOL",
    "TIE_RTOL",
]

#: An S-function whose coefficients satisfy Σ_k 2|c_k| ≤ FLAT_TOL (an upper bound of
#: max_φ |S(φ)|) is flat: it has no locked phase. States with U(1) symmetry have exactly
#: zero coherences; rounding in a steady state leaves ~1e-16, far below this.
FLAT_TOL = 1e-12

#: Local maxima within this relative distance of the largest count as equal (n:1 locking);
#: the locked phase is then the first of them in (−π, π].
TIE_RTOL = 1e-9

#: Local maxima lower than this fraction of max S − min S above min S are rounding ripples
#: (a peaked S-function is flat at −1/(2π) to ~1e-16 away from its peak) and are dropped.
_RIPPLE_RTOL = 1e-8


# --------------------------------------------------------------------------- helpers
def _spin_of_dim(d: int, what: str) -> float:
    if d < 2:
        raise ModelError(f"{what}: a site needs dimension 2s + 1 ≥ 2, got {d}")
    return (d - 1) / 2


def _density_matrix(rho: ArrayLike, what: str, dim: int | None = None) -> NDArray[np.complex128]:
    """``rho`` as a finite square complex matrix (of dimension ``dim`` when given)."""
    m = np.asarray(rho, dtype=complex)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ModelError(f"{what}: expected a square density matrix, got shape {m.shape}")
    if dim is not None and m.shape[0] != dim:
        raise ModelError(f"{what}: expected a {dim}×{dim} density matrix, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ModelError(f"{what}: the density matrix has non-finite entries")
    return m


def _pair_dims(dims: Sequence[int], rho: NDArray[np.complex128], what: str) -> tuple[int, int]:
    try:
        dj, dk = (int(d) for d in dims)
    except (TypeError, ValueError):
        raise ModelError(f"{what}: dims = {dims!r}: expected two local dimensions") from None
    _spin_of_dim(dj, what), _spin_of_dim(dk, what)
    if rho.shape != (dj * dk, dj * dk):
        raise ModelError(f"{what}: expected a {dj * dk}×{dj * dk} density matrix for local "
                         f"dimensions ({dj}, {dk}), got shape {rho.shape}")
    return dj, dk


def _log_binom(n: float, k: NDArray[np.float64]) -> NDArray[np.float64]:
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def _wrap(phi: NDArray[np.float64]) -> NDArray[np.float64]:
    """Angles in (−π, π]."""
    return np.pi - np.mod(np.pi - np.asarray(phi, dtype=float), 2 * np.pi)


def default_n_theta(s: float) -> int:
    """Gauss–Legendre nodes in θ that integrate a spin-s Husimi Q to rounding: ⌈16 + 12√s⌉.

    The θ integrand is analytic (a trigonometric polynomial in θ/2 of degree 4s + 2) but
    not a polynomial, so the rule converges exponentially rather than being exact; the
    width of Q shrinks like 1/√s. Measured (tests): relative error ~1e-15 for s ≤ 5,
    ~1e-13 at s = 50 and ~5e-12 at s = 1000, where the log-space amplitudes limit it.
    """
    return int(np.ceil(16 + 12 * np.sqrt(s)))


# --------------------------------------------------------------------------- coherent states, Q
def coherent_state(theta: ArrayLike, phi: ArrayLike, s: float = 0.5) -> NDArray[np.complex128]:
    """Spin coherent state |θ, φ⟩ = e^{−iφJᶻ} e^{−iθJʸ}|s, s⟩, shape (..., 2s + 1).

    Parameters
    ----------
    theta, phi
        Polar angle from +z (θ = 0 is |s, s⟩, "up") and azimuth (sign: ⟨J⁺⟩ ∝ e^{+iφ});
        broadcast against each other. Any real θ is accepted.
    s
        Spin size (½ — a qubit, basis (|↑⟩, |↓⟩) — 1, 3/2, …).

    Returns
    -------
    ndarray
        Components in the basis |s, s⟩ … |s, −s⟩: √C(2s, a) cos^{2s−a}(θ/2) sin^a(θ/2)
        e^{−i(s−a)φ}, a = 0 … 2s (the Wigner d^s_{s−a, s}(θ) times the phase), formed from
        logarithms so that s = 1000 neither overflows nor gives NaN.
    """
    s = check_spin(s)
    t = np.asarray(theta, dtype=float)
    p = np.asarray(phi, dtype=float)
    t, p = np.broadcast_arrays(t, p)
    a = np.arange(int(round(2 * s)) + 1, dtype=float)
    cos, sin = np.cos(t / 2)[..., None], np.sin(t / 2)[..., None]
    up, down = 2 * s - a, a  # powers of cos(θ/2) and sin(θ/2)
    log_amp = 0.5 * _log_binom(2 * s, a) + xlogy(up, np.abs(cos)) + xlogy(down, np.abs(sin))
    # Signs of cos^up sin^down outside 0 ≤ θ ≤ π (the powers are integers).
    odd = (np.where(cos < 0, up, 0) + np.where(sin < 0, down, 0)) % 2
    amp = np.exp(log_amp) * (1 - 2 * odd)
    return amp * np.exp(-1j * (s - a) * p[..., None])


def husimi_q(rho: ArrayLike, theta: ArrayLike, phi: ArrayLike) -> NDArray[np.float64]:
    """Single-site Husimi Q(θ, φ) = (2s + 1)/(4π) ⟨θ, φ|ρ|θ, φ⟩, broadcast over θ, φ.

    ``rho`` is the (2s+1)×(2s+1) density matrix of one site (s from its size; a qubit's
    2×2 gives ⟨θ, φ|ρ|θ, φ⟩/(2π), Eq. S16). Normalized so that ∫ Q sin θ dθ dφ = 1.
    """
    rho = _density_matrix(rho, "husimi_q")
    s = _spin_of_dim(rho.shape[0], "husimi_q")
    psi = coherent_state(theta, phi, s)
    return ((psi.conj() @ rho) * psi).sum(-1).real * ((2 * s + 1) / (4 * np.pi))


def husimi_q_pair(
    rho_pair: ArrayLike,
    theta_j: ArrayLike,
    theta_k: ArrayLike,
    phi_j: ArrayLike,
    phi_k: ArrayLike,
    dims: Sequence[int] = (2, 2),
) -> NDArray[np.float64]:
    """Pair Husimi Q_jk = N_j N_k ⟨θ_j,φ_j; θ_k,φ_k|ρ_jk|θ_j,φ_j; θ_k,φ_k⟩, N = (2s+1)/(4π).

    ``rho_pair`` is the reduced matrix of sites (j, k) with site j the left tensor factor,
    local dimensions ``dims`` (default two qubits: the paper's /(2π)²). Broadcast over the
    four angles; normalized to 1 over both spheres.
    """
    rho = _density_matrix(rho_pair, "husimi_q_pair")
    dj, dk = _pair_dims(dims, rho, "husimi_q_pair")
    a = coherent_state(theta_j, phi_j, (dj - 1) / 2)
    b = coherent_state(theta_k, phi_k, (dk - 1) / 2)
    shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    a = np.broadcast_to(a, shape + (dj,))
    b = np.broadcast_to(b, shape + (dk,))
    psi = (a[..., :, None] * b[..., None, :]).reshape(*shape, dj * dk)
    return ((psi.conj() @ rho) * psi).sum(-1).real * (dj * dk / (4 * np.pi) ** 2)


def _theta_rule(n_theta: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss–Legendre nodes θ_i on [0, π] and weights w_i sin θ_i (the sphere's measure)."""
    if int(n_theta) < 1:
        raise ModelError(f"n_theta = {n_theta!r}: need at least one quadrature node")
    x, w = np.polynomial.legendre.leggauss(int(n_theta))
    theta = (x + 1) * np.pi / 2
    return theta, w * np.pi / 2 * np.sin(theta)


#: Complex entries a quadrature holds at once (coherent states on a grid); chunks keep a
#: large-s or large-grid quadrature within ~64 MB.
_CHUNK_ENTRIES = 1 << 22


# --------------------------------------------------------------------------- one site
@lru_cache(maxsize=8)
def _overlap_weights(d: int) -> NDArray[np.float64]:
    """W_ab = ∫₀^π sin θ d_a(θ) d_b(θ) dθ for spin s = (d − 1)/2 (module docstring).

    With u = sin²(θ/2) the integral is 2 √(C(2s,a)C(2s,b)) B(1 + (a+b)/2, 1 + 2s − (a+b)/2);
    W_aa = 2/(2s + 1), which is why the diagonal of ρ cancels the −1/(2π) of S.
    """
    two_s = d - 1
    a = np.arange(d, dtype=float)
    lb = _log_binom(two_s, a)
    h = (a[:, None] + a[None, :]) / 2
    w = np.exp(np.log(2.0) + 0.5 * (lb[:, None] + lb[None, :]) + gammaln(1 + h)
               + gammaln(1 + two_s - h) - gammaln(two_s + 2))
    w.setflags(write=False)
    return w


def site_s_coefficients(rho: ArrayLike) -> NDArray[np.complex128]:
    """Coefficients c_1 … c_{2s} of a single site's S(φ) = 2 Re Σ_k c_k e^{−ikφ}.

    Parameters
    ----------
    rho
        The site's (2s+1)×(2s+1) reduced density matrix (basis |s, s⟩ … |s, −s⟩).

    Returns
    -------
    ndarray
        c_k = (2s+1)/(4π) Σ_a W_{a+k,a} ρ_{a+k,a}: a weighted sum of the k-th coherences
        (the entries that ⟨(J⁺)^k⟩ reads), exact overlap integrals W (module docstring).
        For a qubit c_1 = ⟨σ⁺⟩/8, so S(φ) = ¼|⟨σ⁺⟩| cos(φ − arg⟨σ⁺⟩).
    """
    rho = _density_matrix(rho, "site_s_coefficients")
    d = rho.shape[0]
    _spin_of_dim(d, "site_s_coefficients")
    rows, cols = np.tril_indices(d, -1)
    vals = (d / (4 * np.pi)) * _overlap_weights(d)[rows, cols] * rho[rows, cols]
    return _sum_by(rows - cols, vals, d)[1:]


def _sum_by(index: NDArray[np.int64], values: NDArray[np.complex128], size: int) -> NDArray[np.complex128]:
    """Σ of ``values`` grouped by ``index`` (0 … size−1), vectorized."""
    return (np.bincount(index, weights=values.real, minlength=size)
            + 1j * np.bincount(index, weights=values.imag, minlength=size))


def s_function_from_coefficients(coefficients: ArrayLike, phi: ArrayLike) -> NDArray[np.float64]:
    """S(φ) = 2 Re Σ_{k=1}^{K} c_k e^{−ikφ} for coefficients c_1 … c_K, broadcast over φ."""
    c = np.asarray(coefficients, dtype=complex).ravel()
    p = np.asarray(phi, dtype=float)
    k = np.arange(1, c.size + 1)
    return 2 * np.real(np.exp(-1j * p[..., None] * k) @ c)


def site_s_function(rho: ArrayLike, phi: ArrayLike) -> NDArray[np.float64]:
    """Single-site S(φ) = ∫₀^π sin θ Q(θ, φ) dθ − 1/(2π) in closed form (module docstring).

    ``rho`` is one site's reduced density matrix (any s); broadcast over ``phi``. A peak at
    φ means the site's phase locks there (to the drive's frame: φ of a driven site is
    measured in the frame rotating at the drive frequency).
    """
    return s_function_from_coefficients(site_s_coefficients(rho), phi)


def site_s_function_integrated(rho: ArrayLike, phi: ArrayLike, n_theta: int | None = None) -> NDArray[np.float64]:
    """Single-site S(φ) by quadrature of its definition: Q from coherent states on
    ``n_theta`` Gauss–Legendre nodes in θ (default :func:`default_n_theta`), summed with the
    weights w_i sin θ_i, minus 1/(2π). Independent of the closed form's Beta integrals.
    """
    rho = _density_matrix(rho, "site_s_function_integrated")
    s = _spin_of_dim(rho.shape[0], "site_s_function_integrated")
    theta, w = _theta_rule(default_n_theta(s) if n_theta is None else n_theta)
    phis = np.atleast_1d(np.asarray(phi, dtype=float)).ravel()
    step = max(1, _CHUNK_ENTRIES // (theta.size * rho.shape[0]))
    out = np.concatenate([husimi_q(rho, theta[None, :], phis[i:i + step, None]) @ w
                          for i in range(0, phis.size, step)]) - 1 / (2 * np.pi)
    return out.reshape(np.shape(phi)) if np.ndim(phi) else out[0]


# --------------------------------------------------------------------------- a pair
def pair_s_coefficients(rho_pair: ArrayLike, dims: Sequence[int] = (2, 2)) -> NDArray[np.complex128]:
    """Coefficients c_1 … c_{min(2s_j, 2s_k)} of the pair S_jk(φ) = 2 Re Σ_q c_q e^{−iqφ}.

    Parameters
    ----------
    rho_pair
        Reduced matrix of the sites (j, k), site j the left factor.
    dims
        Their local dimensions (2s_j + 1, 2s_k + 1); default two qubits.

    Returns
    -------
    ndarray
        c_q = 2π N_j N_k Σ_{a,b} W^j_{a+q,a} W^k_{b,b+q} ρ_{(a+q, b),(a, b+q)},
        N = (2s+1)/(4π) (module docstring). Two qubits: c_1 = (π/32)⟨σ⁺_jσ⁻_k⟩ (Eq. 6).
    """
    rho = _density_matrix(rho_pair, "pair_s_coefficients")
    dj, dk = _pair_dims(dims, rho, "pair_s_coefficients")
    n_q = min(dj, dk) - 1
    q, a, b = np.meshgrid(np.arange(1, n_q + 1), np.arange(dj), np.arange(dk), indexing="ij")
    keep = (a + q < dj) & (b + q < dk)
    q, a, b = q[keep], a[keep], b[keep]
    vals = (_overlap_weights(dj)[a + q, a] * _overlap_weights(dk)[b, b + q]
            * rho[(a + q) * dk + b, a * dk + b + q])
    norm = 2 * np.pi * (dj / (4 * np.pi)) * (dk / (4 * np.pi))
    return norm * _sum_by(q, vals, n_q + 1)[1:]


def pair_s_function(rho_pair: ArrayLike, phi: ArrayLike, dims: Sequence[int] = (2, 2)) -> NDArray[np.float64]:
    """S_jk(φ) of the relative phase φ = φ_j − φ_k in closed form, spins of any size.

    For two qubits it equals Eq. (6), (π/16)|⟨σ⁺_jσ⁻_k⟩| cos(φ − φ⁽⁰⁾) (:func:`s_function`).
    """
    return s_function_from_coefficients(pair_s_coefficients(rho_pair, dims), phi)


def s_function_integrated(
    rho_pair: ArrayLike,
    phi: ArrayLike,
    n_theta: int | None = None,
    n_phi: int | None = None,
    dims: Sequence[int] = (2, 2),
) -> NDArray[np.float64]:
    """Pair S_jk(φ) by quadrature of its definition (paper, before Eq. 6; any spin sizes).

    The integrand is a trigonometric polynomial of degree ≤ 2s_j + 2s_k in the periodic φ_k,
    so the trapezoid rule with ``n_phi`` > 2s_j + 2s_k nodes is exact (default: 16, or
    2s_j + 2s_k + 1 when larger). In θ it is analytic but not a polynomial (sin²θ,
    sin θ cos θ terms for qubits), so Gauss–Legendre with ``n_theta`` nodes converges
    exponentially: default 16 for two qubits (~1e-15), else :func:`default_n_theta` of the
    larger spin.
    """
    rho = _density_matrix(rho_pair, "s_function_integrated")
    dj, dk = _pair_dims(dims, rho, "s_function_integrated")
    degree = (dj - 1) + (dk - 1)
    if n_theta is None:
        n_theta = 16 if (dj, dk) == (2, 2) else default_n_theta((max(dj, dk) - 1) / 2)
    if n_phi is None:
        n_phi = max(16, degree + 1)
    if int(n_phi) < 1:
        raise ModelError(f"n_phi = {n_phi!r}: need at least one quadrature node")
    phis = np.atleast_1d(np.asarray(phi, dtype=float)).ravel()
    theta, w_theta = _theta_rule(n_theta)
    phi_k = np.arange(int(n_phi)) * (2 * np.pi / int(n_phi))
    w_phi = 2 * np.pi / int(n_phi)
    # Grid axes: (φ, φ_k, θ_j, θ_k); chunks over φ bound the coherent states held at once.
    step = max(1, _CHUNK_ENTRIES // (phi_k.size * theta.size**2 * dj * dk))
    parts = []
    for i in range(0, phis.size, step):
        f = phis[i:i + step]
        q = husimi_q_pair(
            rho,
            theta[None, None, :, None],
            theta[None, None, None, :],
            f[:, None, None, None] + phi_k[None, :, None, None],
            phi_k[None, :, None, None],
            dims=(dj, dk),
        )
        parts.append(np.einsum("fpjk,j,k->f", q, w_theta, w_theta) * w_phi)
    out = np.concatenate(parts) - 1 / (2 * np.pi)
    return out.reshape(np.shape(phi)) if np.ndim(phi) else out[0]


def s_function(flipflop: complex, phi: ArrayLike) -> NDArray[np.float64]:
    """Closed form Eq. (6): (π/16)|⟨σ⁺_jσ⁻_k⟩| cos(φ − φ⁽⁰⁾) = (π/16) Re(⟨σ⁺_jσ⁻_k⟩ e^{−iφ})."""
    return (np.pi / 16) * np.real(complex(flipflop) * np.exp(-1j * np.asarray(phi, dtype=float)))


# --------------------------------------------------------------------------- maxima
@dataclass(frozen=True)
class SyncPeaks:
    """The maxima of an S-function.

    Attributes
    ----------
    max
        max_φ S(φ) (≥ 0: S has zero mean); 0.0 when S is flat (then |S| ≤ the tolerance).
    phase
        The locked phase: where S is largest, in (−π, π]; the first in (−π, π] of several
        equal maxima (n:1 locking); None when S is flat.
    phases, values
        Every local maximum of S, largest first (equal ones by increasing phase); empty
        when S is flat.
    flat
        Σ_k 2|c_k| ≤ the flatness tolerance: no phase is preferred.
    """

    max: float
    phase: float | None
    phases: NDArray[np.float64]
    values: NDArray[np.float64]
    flat: bool

    @property
    def n_maxima(self) -> int:
        """How many local maxima S has (n for n:1 locking)."""
        return int(self.phases.size)


def _derivatives(c: NDArray[np.complex128], x: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """S, S′, S″ at the points x (rows of e^{−ikx} against the coefficients)."""
    k = np.arange(1, c.size + 1)
    e = np.exp(-1j * x[:, None] * k) * c
    return 2 * e.sum(1).real, 2 * (e @ (-1j * k)).real, 2 * (e @ (-(k.astype(float) ** 2))).real


def s_function_peaks(coefficients: ArrayLike, *, flat_tol: float = FLAT_TOL) -> SyncPeaks:
    """Every local maximum of S(φ) = 2 Re Σ_k c_k e^{−ikφ}, the largest and the locked phase.

    Method: S and S′ on M = max(4096, 64K) equally spaced points (two FFTs; K the degree);
    every grid interval where S′ turns from positive to not positive holds a maximum, which
    safeguarded Newton steps on S′ inside that interval refine to |δφ| < 1e-13. A maximum
    closer than 2π/M to its neighbouring minimum (a shoulder of relative height ≲ 1e-6) is
    not resolved. One coefficient (qubits) is solved exactly: max 2|c_1| at arg c_1.

    Parameters
    ----------
    coefficients
        c_1 … c_K (:func:`site_s_coefficients`, :func:`pair_s_coefficients`).
    flat_tol
        S counts as flat when Σ_k 2|c_k| ≤ flat_tol (:data:`FLAT_TOL`).
    """
    c = np.asarray(coefficients, dtype=complex).ravel()
    if not np.all(np.isfinite(c)):
        raise ModelError("s_function_peaks: non-finite coefficients")
    empty = np.zeros(0)
    bound = 2 * float(np.sum(np.abs(c)))
    if c.size == 0 or bound <= flat_tol:
        return SyncPeaks(max=0.0, phase=None, phases=empty, values=empty, flat=True)
    if c.size == 1:
        phase = float(_wrap(np.angle(c[0])))
        value = 2 * float(abs(c[0]))
        return SyncPeaks(max=value, phase=phase, phases=np.array([phase]),
                         values=np.array([value]), flat=False)
    m = 1 << int(np.ceil(np.log2(max(4096, 64 * c.size))))
    h = 2 * np.pi / m
    padded = np.zeros(m, dtype=complex)
    padded[1:c.size + 1] = c
    grid = 2 * np.fft.fft(padded).real  # S(2πl/M)
    padded[1:c.size + 1] = -1j * np.arange(1, c.size + 1) * c
    slope = 2 * np.fft.fft(padded).real  # S′(2πl/M)
    floor = float(grid.min())
    # A maximum lies in every grid interval where S′ turns from positive to not positive.
    start = np.flatnonzero((slope > 0) & (np.roll(slope, -1) <= 0))
    high = np.maximum(grid[start], grid[(start + 1) % m])
    start = start[high - floor > 0.5 * _RIPPLE_RTOL * (grid.max() - floor)]
    lo, hi = start * h, (start + 1) * h
    x = (lo + hi) / 2
    for _ in range(100):
        _, d1, d2 = _derivatives(c, x)
        lo = np.where(d1 > 0, x, lo)
        hi = np.where(d1 > 0, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - d1 / d2
        ok = (d2 < 0) & (newton > lo) & (newton < hi)
        new = np.where(ok, newton, (lo + hi) / 2)
        done = np.max(np.abs(new - x)) < 1e-13
        x = new
        if done:
            break
    values = _derivatives(c, x)[0]
    top = float(max(grid.max(), values.max()))
    keep = values - floor > _RIPPLE_RTOL * (top - floor)
    x, values = _wrap(x[keep]), values[keep]
    order = np.argsort(x)
    x, values = x[order], values[order]
    if x.size > 1:  # two grid maxima refined onto one peak
        distinct = np.concatenate([[True], np.diff(x) > 1e-9])
        if abs(x[-1] - x[0] - 2 * np.pi) < 1e-9:
            distinct[-1] = False
        x, values = x[distinct], values[distinct]
    best = float(values.max())
    tied = values >= best - TIE_RTOL * abs(best)
    order = np.concatenate([np.flatnonzero(tied), np.flatnonzero(~tied)[np.argsort(-values[~tied])]])
    x, values = x[order], values[order]
    return SyncPeaks(max=best, phase=float(x[0]), phases=x, values=values, flat=False)


# --------------------------------------------------------------------------- states
def site_sync(state: object, j: int, *, flat_tol: float = FLAT_TOL) -> SyncPeaks:
    """Maxima of site j's S_j(φ) (locking to a drive, or to the frame) of any state."""
    st = as_state(state, "site_sync")
    return s_function_peaks(site_s_coefficients(st.reduced([j])), flat_tol=flat_tol)


def pair_sync(state: object, j: int, k: int, *, flat_tol: float = FLAT_TOL) -> SyncPeaks:
    """Maxima of S_jk(φ) of the relative phase φ_j − φ_k of any state (spins of any size)."""
    if j == k:
        raise ModelError(f"pair_sync needs two different sites, got j = k = {j}")
    st = as_state(state, "pair_sync")
    rho = st.reduced([j, k])
    return s_function_peaks(pair_s_coefficients(rho, (st.dims[j], st.dims[k])), flat_tol=flat_tol)


def site_sync_max(state: object) -> NDArray[np.float64]:
    """max_φ S_j(φ) of every site j (0 where S_j is flat), shape (N,)."""
    st = as_state(state, "site_sync_max")
    return np.array([site_sync(st, j).max for j in range(st.n)])


def site_locked_phase(state: object) -> NDArray[np.float64]:
    """The locked phase of every site, in (−π, π]; NaN where S_j is flat. Shape (N,)."""
    st = as_state(state, "site_locked_phase")
    phases = [site_sync(st, j).phase for j in range(st.n)]
    return np.array([np.nan if p is None else p for p in phases])


def sync_max(flipflop: ArrayLike) -> NDArray[np.float64]:
    """Sᵐᵃˣ = (π/16)|⟨σ⁺_jσ⁻_k⟩| (two qubits, Eq. 6)."""
    return (np.pi / 16) * np.abs(np.asarray(flipflop))


def locked_phase(flipflop: ArrayLike) -> NDArray[np.float64]:
    """φ⁽⁰⁾ = arg⟨σ⁺_jσ⁻_k⟩ in (−π, π] (two qubits, Eq. 6)."""
    return np.angle(np.asarray(flipflop))


def sync_max_matrix(state: object) -> NDArray[np.float64]:
    """N×N matrix of Sᵐᵃˣ_jk = max_φ S_jk(φ) (symmetric, zero diagonal) of any state.

    Qubits: (π/16)|⟨σ⁺_jσ⁻_k⟩| (Eq. 6). Spins of any size: the maximum of the pair
    S-function of the relative phase (:func:`pair_sync`), normalized as the paper's —
    Q_jk integrates to 1 over both spheres and S_jk is its relative-phase distribution
    minus 1/(2π) — so a spin-½ site gives the qubit value.
    """
    st = as_state(state, "sync_max_matrix")
    if all(d == 2 for d in st.dims):
        s = sync_max(flipflop_matrix(st))
        np.fill_diagonal(s, 0.0)
        return s
    s = np.zeros((st.n, st.n))
    for j, k in combinations(range(st.n), 2):
        s[j, k] = s[k, j] = pair_sync(st, j, k).max  # S_kj(φ) = S_jk(−φ): the same maximum
    return s


def sync_total(state_or_matrix: object) -> float:
    """S_t = Σ_{j<k} Sᵐᵃˣ_jk (paper, Fig. 3) of a state, or of an Sᵐᵃˣ matrix.

    An ndarray counts as an Sᵐᵃˣ matrix only when it is one: real, N×N, symmetric, with a
    zero diagonal and no negative entry. Any other array is read as a density matrix (a
    state); a complex or non-square array that is neither raises instead of being
    summed.
    """
    if isinstance(state_or_matrix, np.ndarray) and _is_sync_matrix(state_or_matrix):
        s = np.asarray(state_or_matrix, dtype=float)
    else:
        s = sync_max_matrix(as_state(state_or_matrix, "sync_total"))
    return float(np.sum(np.triu(s, 1)))


def _is_sync_matrix(a: np.ndarray) -> bool:
    if a.ndim != 2 or a.shape[0] != a.shape[1] or np.iscomplexobj(a):
        return False
    a = np.asarray(a, dtype=float)
    return bool(np.all(np.diag(a) == 0) and np.all(a >= 0) and np.allclose(a, a.T, rtol=0, atol=1e-15))


def two_qubit_flipflop(network: Network) -> complex:
    """Closed form Eq. (7) for two qubits with Uˣ = Uʸ = U (any Uᶻ, no field needed).

    ⟨σ⁺₁σ⁻₂⟩ = 4UΓ₁Γ₂(m₁ − m₂)(4Δ − iΓ) / (64Γ²U² + Γ₁Γ₂(Γ² + 16Δ²)),
    Δ = ω₁ − ω₂, Γ_j = Γᵍ_j + Γᵈ_j, Γ = Γ₁ + Γ₂ (qubits 0 and 1 here).
    """
    if network.n != 2:
        raise ModelError(f"Eq. 7 is for two qubits, the network has {network.n}")
    if not network.is_xxz:
        raise ModelError("Eq. 7 needs Uˣ = Uʸ on the bond")
    u = float(network.coupling_matrix(0)[0, 1])
    g1, g2 = network.total_rate
    gamma = g1 + g2
    m1, m2 = network.magnetization
    delta = network.omega[0] - network.omega[1]
    num = 4 * u * g1 * g2 * (m1 - m2) * (4 * delta - 1j * gamma)
    den = 64 * gamma**2 * u**2 + g1 * g2 * (gamma**2 + 16 * delta**2)
    return complex(num / den)
