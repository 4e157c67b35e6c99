"""Experimental mappings (paper, "Experimental implementations").

Superconducting qubits with individual heat baths
    A bath at temperature T coupled to a qubit of transition frequency f gives the Bose
    occupation n = 1/(e^{hf/k_BT} − 1) and the rates Γᵍ = γ₀ n, Γᵈ = γ₀ (n + 1), so
    Γᵍ/Γᵈ = n/(n + 1) = e^{−hf/k_BT} (``docs/conventions.md``) and the limit-cycle magnetization
    m = −1/(2n + 1) = −tanh(hf / 2k_BT). A thermal bath can only give m ≤ 0 (no
    inversion): T → 0 is pure damping (m → −1), T → ∞ equal rates (m → 0).

    Units: **frequency f in Hz** (ordinary frequency, as qubit frequencies are quoted,
    e.g. 5e9 for 5 GHz; hf = ħω with ω = 2πf), **temperature in kelvin**, constants from
    :mod:`scipy.constants`. Rates come out in the unit of ``gamma0``.

Trapped ions
    A global interaction laser gives power-law XYZ couplings Uᵅ_jk = Jᵅ / |j − k|^α between
    ions j, k of a chain (site distance in units of the ion spacing) and a uniform field
    B Σ_j σᶻ_j. All energies (Jᵅ, B, ω) and rates share one unit chosen by the caller,
    e.g. rad/ms (ħ = 1); :func:`angular_from_hz` converts a frequency in Hz to rad/s.
    In a strong field (|B| ≫ |Uᵅ|) the pair-flip terms σ⁺σ⁺ and σ⁻σ⁻ are off-resonant
    by 4B and average out: the model becomes XXZ with Uˣ = Uʸ = (Uˣ + Uʸ)/2
    (:func:`strong_field_couplings`), where the no-go theorem applies again.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import constants

from ..errors import ModelError
from ..model import Network, power_law_bonds

__all__ = [
    "bose_occupation",
    "rate_ratio_from_temperature",
    "magnetization_from_temperature",
    "temperature_from_ratio",
    "temperature_from_magnetization",
    "thermal_rates",
    "thermal_network",
    "angular_from_hz",
    "trapped_ion_network",
    "strong_field_couplings",
]

_H = constants.h  # J·s
_KB = constants.k  # J/K


def _positive(name: str, value: ArrayLike, allow_zero: bool = False) -> NDArray[np.float64]:
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | ((arr < 0) if allow_zero else (arr <= 0))
    if np.any(bad):
        rule = "≥ 0" if allow_zero else "> 0"
        raise ModelError(f"{name} = {value!r}: must be finite and {rule}")
    return arr


def _x(frequency_hz: ArrayLike, temperature_k: ArrayLike) -> NDArray[np.float64]:
    """hf / k_BT (∞ at T = 0)."""
    f = _positive("frequency_hz", frequency_hz)
    t = _positive("temperature_k", temperature_k, allow_zero=True)
    with np.errstate(divide="ignore"):
        return np.where(t > 0, _H * f / (_KB * np.where(t > 0, t, 1.0)), np.inf)


def bose_occupation(frequency_hz: ArrayLike, temperature_k: ArrayLike) -> NDArray[np.float64]:
    """n = 1/(e^{hf/k_BT} − 1); 0 at T = 0. ``frequency_hz`` in Hz, ``temperature_k`` in K."""
    x = _x(frequency_hz, temperature_k)
    with np.errstate(over="ignore"):
        return 1.0 / np.expm1(x)  # expm1 keeps precision at high T (x → 0)


def rate_ratio_from_temperature(frequency_hz: ArrayLike, temperature_k: ArrayLike) -> NDArray[np.float64]:
    """Γᵍ/Γᵈ = n/(n + 1) = e^{−hf/k_BT} ∈ [0, 1)."""
    return np.exp(-_x(frequency_hz, temperature_k))


def magnetization_from_temperature(frequency_hz: ArrayLike, temperature_k: ArrayLike) -> NDArray[np.float64]:
    """m = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ) = −1/(2n + 1) = −tanh(hf/2k_BT) ∈ [−1, 0)."""
    return -np.tanh(_x(frequency_hz, temperature_k) / 2)


def temperature_from_ratio(frequency_hz: ArrayLike, ratio: ArrayLike) -> NDArray[np.float64]:
    """T (K) giving Γᵍ/Γᵈ = ``ratio`` ∈ [0, 1): T = hf / (k_B ln(1/ratio)); 0 for ratio 0.

    Raises ModelError for ratio ≥ 1 (a thermal bath cannot make gain exceed damping).
    """
    f = _positive("frequency_hz", frequency_hz)
    r = np.asarray(ratio, dtype=float)
    if np.any(~np.isfinite(r) | (r < 0) | (r >= 1)):
        raise ModelError(f"ratio = {ratio!r}: a heat bath gives 0 ≤ Γᵍ/Γᵈ < 1")
    with np.errstate(divide="ignore"):
        return np.where(r > 0, _H * f / (_KB * -np.log(np.where(r > 0, r, 0.5))), 0.0)


def temperature_from_magnetization(frequency_hz: ArrayLike, magnetization: ArrayLike) -> NDArray[np.float64]:
    """T (K) giving limit-cycle magnetization m ∈ [−1, 0): T = hf / (2 k_B artanh(−m)).

    Raises ModelError for m ≥ 0 (would need T = ∞ or a population inversion) or m < −1.
    Near m = −1 the inversion is ill-conditioned (1 + m ≈ 2e^{−hf/k_BT}); prefer
    :func:`temperature_from_ratio` when the ratio is known.
    """
    f = _positive("frequency_hz", frequency_hz)
    m = np.asarray(magnetization, dtype=float)
    if np.any(~np.isfinite(m) | (m < -1) | (m >= 0)):
        raise ModelError(f"magnetization = {magnetization!r}: a heat bath gives −1 ≤ m < 0")
    with np.errstate(divide="ignore"):
        return np.where(m > -1, _H * f / (2 * _KB * np.arctanh(-np.where(m > -1, m, -0.5))), 0.0)


def thermal_rates(gamma0: ArrayLike, frequency_hz: ArrayLike, temperature_k: ArrayLike
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(Γᵍ, Γᵈ) = (γ₀ n, γ₀ (n + 1)) in the unit of ``gamma0`` (the T = 0 decay rate)."""
    g0 = _positive("gamma0", gamma0)
    n = bose_occupation(frequency_hz, temperature_k)
    return g0 * n, g0 * (n + 1)


def thermal_network(
    frequency_hz: ArrayLike,
    temperature_k: ArrayLike,
    gamma0: ArrayLike = 1.0,
    bonds: Sequence[Sequence[float]] = (),
    omega: ArrayLike | None = None,
) -> Network:
    """Superconducting qubits with individual heat baths (paper Fig. 4b).

    Parameters
    ----------
    frequency_hz, temperature_k
        Per-qubit transition frequency (Hz) and bath temperature (K); broadcast together.
    gamma0
        Zero-temperature decay rate(s); sets the rate unit of the model.
    bonds
        ``(j, k, ux, uy, uz)`` in the same unit. The inductive coupling of adjacent
        transmons, V = Σ J(σ⁺_jσ⁻_k + σ⁻_jσ⁺_k), is Uˣ = Uʸ = J/2, Uᶻ = 0.
    omega
        Detunings ω_j in the rotating frame (same unit); default 0.
    """
    f, t = np.broadcast_arrays(np.atleast_1d(np.asarray(frequency_hz, float)),
                               np.atleast_1d(np.asarray(temperature_k, float)))
    gain, damping = thermal_rates(np.broadcast_to(gamma0, f.shape), f, t)
    return Network(gain, damping, omega, bonds)


def angular_from_hz(frequency_hz: ArrayLike) -> NDArray[np.float64]:
    """ω = 2πf: Hz → rad/s (use for energies quoted as frequencies, ħ = 1)."""
    return 2 * np.pi * np.asarray(frequency_hz, dtype=float)


def trapped_ion_network(
    gain: ArrayLike,
    damping: ArrayLike,
    jx: float,
    jy: float,
    jz: float,
    alpha: float,
    field: float = 0.0,
    omega: ArrayLike | None = None,
) -> Network:
    """A chain of ions with power-law XYZ couplings Uᵅ_jk = Jᵅ/|j − k|^α and field B.

    Parameters
    ----------
    gain, damping
        Per-ion Γᵍ_j, Γᵈ_j (optical pumping; rate unit of the model).
    jx, jy, jz
        Nearest-neighbour couplings Jᵅ (same unit; ħ = 1).
    alpha
        Power-law exponent, 0 ≤ α ≤ 3 in experiments (0: all-to-all, 3: dipolar).
    field
        B of the term B Σ_j σᶻ_j (same unit).
    omega
        Individual ω_j (same unit); default 0.
    """
    n = np.atleast_1d(np.asarray(gain, dtype=float)).size
    pairs, weights = power_law_bonds(n, alpha)
    bonds = [(j, k, jx * w, jy * w, jz * w) for (j, k), w in zip(pairs, weights)]
    return Network(gain, damping, omega, bonds, field)


def strong_field_couplings(network: Network) -> Network:
    """The rotating-wave (|B| ≫ |U|) limit: Uˣ, Uʸ → (Uˣ + Uʸ)/2 on every bond, Uᶻ kept.

    Uˣσˣσˣ + Uʸσʸσʸ = ½(Uˣ + Uʸ)(σˣσˣ + σʸσʸ) + (Uˣ − Uʸ)(σ⁺σ⁺ + σ⁻σ⁻): the first,
    flip-flop part conserves Σσᶻ; the pair-flip part changes the Zeeman energy of
    B Σσᶻ by ±4B and averages out at large |B|. The same holds for spin networks
    (Uᵅ JᵅJᵅ, pair flips J⁺J⁺ and J⁻J⁻ off-resonant by ±2B under B ΣJᶻ); every other term
    of the model (rates, dephasing, drives, collective channels, s, scheme) is kept.
    """
    bonds = [(j, k, (ux + uy) / 2, (ux + uy) / 2, uz) for j, k, ux, uy, uz in network.bonds]
    return network.replace(bonds=bonds)
