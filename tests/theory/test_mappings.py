"""Heat-bath temperature ↔ rates for superconducting qubits; trapped-ion couplings."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import constants

from spinsync import Network, steady_state
from spinsync.errors import ModelError
from spinsync.measures import max_connected_correlation
from spinsync.theory.mappings import (
    angular_from_hz,
    bose_occupation,
    magnetization_from_temperature,
    rate_ratio_from_temperature,
    strong_field_couplings,
    temperature_from_magnetization,
    temperature_from_ratio,
    thermal_network,
    thermal_rates,
    trapped_ion_network,
)

F = 5e9  # a 5 GHz transmon
T_STAR = constants.h * F / constants.k  # hf/k_B ≈ 0.24 K


def test_zero_temperature_is_pure_damping() -> None:
    assert bose_occupation(F, 0.0) == 0.0
    assert rate_ratio_from_temperature(F, 0.0) == 0.0
    assert magnetization_from_temperature(F, 0.0) == -1.0
    gain, damping = thermal_rates(2.0, F, 0.0)
    assert gain == 0.0 and damping == 2.0
    # Approaching T → 0: m → −1 exponentially, n ≈ e^{−hf/k_BT}.
    t = T_STAR / 40
    assert magnetization_from_temperature(F, t) == pytest.approx(-1, abs=1e-15)
    assert bose_occupation(F, t) == pytest.approx(np.exp(-40), rel=1e-12)


def test_high_temperature_gives_equal_rates() -> None:
    t = T_STAR * 1e6
    assert rate_ratio_from_temperature(F, t) == pytest.approx(1, abs=2e-6)
    assert magnetization_from_temperature(F, t) == pytest.approx(0, abs=1e-6)
    # Classical limit n ≈ k_BT/hf − ½.
    assert bose_occupation(F, t) == pytest.approx(1e6 - 0.5, rel=1e-9)


@pytest.mark.parametrize("t", [0.01, 0.05, 0.24, 1.0, 30.0])
def test_relations_and_round_trips(t: float) -> None:
    n = bose_occupation(F, t)
    ratio = rate_ratio_from_temperature(F, t)
    m = magnetization_from_temperature(F, t)
    assert ratio == pytest.approx(n / (n + 1), rel=1e-12)          # CONVENTIONS.md
    assert m == pytest.approx(-1 / (2 * n + 1), rel=1e-12)
    assert m == pytest.approx((ratio - 1) / (ratio + 1), rel=1e-12)  # m from Γᵍ/Γᵈ
    assert temperature_from_ratio(F, ratio) == pytest.approx(t, rel=1e-10)
    # m → −1 is ill-conditioned: 1 + m ≈ 2e^{−hf/k_BT} carries only ε/(1 + m) relative
    # precision, which artanh passes on to T.
    assert temperature_from_magnetization(F, m) == pytest.approx(t, rel=max(1e-10, 1e-14 / (1 + m)))
    net = thermal_network([F, F], [t, t], gamma0=[1.0, 3.0])
    assert np.allclose(net.magnetization, m, rtol=1e-12)


def test_inverse_limits_and_errors() -> None:
    assert temperature_from_ratio(F, 0.0) == 0.0
    assert temperature_from_magnetization(F, -1.0) == 0.0
    for bad in (1.0, 1.5, -0.1):
        with pytest.raises(ModelError):
            temperature_from_ratio(F, bad)
    for bad in (0.0, 0.3, -1.2):
        with pytest.raises(ModelError):
            temperature_from_magnetization(F, bad)
    with pytest.raises(ModelError):
        bose_occupation(-1.0, 1.0)
    with pytest.raises(ModelError):
        bose_occupation(F, -1.0)


def test_equal_temperatures_and_frequencies_keep_the_theorem() -> None:
    # Same f and T on every qubit → equal m, and the XX coupling of transmons is XXZ.
    net = thermal_network([F] * 3, [0.1] * 3, gamma0=[1, 2, 0.5],
                          bonds=[(0, 1, 0.5, 0.5, 0), (1, 2, 0.5, 0.5, 0)])
    assert steady_state(net).method == "analytic"
    hot = thermal_network([F] * 3, [0.1, 0.3, 0.1], bonds=[(0, 1, 0.5, 0.5, 0), (1, 2, 0.5, 0.5, 0)])
    assert max_connected_correlation(steady_state(hot).state) > 1e-4


def test_trapped_ion_power_law_couplings() -> None:
    net = trapped_ion_network([1, 1, 1, 1], [0.5] * 4, jx=1.0, jy=0.4, jz=0.2, alpha=1.5, field=3.0)
    assert net.field == 3.0 and len(net.bonds) == 6
    for j, k, ux, uy, uz in net.bonds:
        w = abs(j - k) ** -1.5
        assert (ux, uy, uz) == pytest.approx((1.0 * w, 0.4 * w, 0.2 * w))
    assert angular_from_hz(1.0) == pytest.approx(2 * np.pi)


def test_strong_field_restores_the_theorem_for_xyz_ions() -> None:
    # Equal m, XYZ couplings: correlated at B = 0; the pair-flip terms are off-resonant
    # by 4B, so correlations fall as B grows and vanish in the rotating-wave model.
    base = dict(gain=[1, 2, 0.5], damping=[0.5, 1, 0.25], jx=1.0, jy=0.2, jz=0.3, alpha=1.0)
    c0 = max_connected_correlation(steady_state(trapped_ion_network(**base, field=0.0)).state)
    c_big = max_connected_correlation(steady_state(trapped_ion_network(**base, field=40.0)).state)
    assert c0 > 1e-3 and c_big < c0 / 20
    rwa = strong_field_couplings(trapped_ion_network(**base, field=40.0))
    assert rwa.is_xxz and steady_state(rwa).method == "analytic"


def test_strong_field_couplings_keep_every_other_term() -> None:
    spins = Network.spins(1, [1, 0.5], [0.5, 1], scheme="roulet-bruder", dephasing=[0.1, 0],
                          bonds=[(0, 1, 1.0, 0.2, 0.3)], field=5.0)
    rwa = strong_field_couplings(spins)
    assert rwa.kind == "spins" and rwa.scheme == "roulet-bruder" and rwa.field == 5.0
    assert rwa.bonds == [(0, 1, 0.6, 0.6, 0.3)] and np.array_equal(rwa.dephasing, spins.dephasing)
    assert rwa.terms.symmetry == "u1" and spins.terms.symmetry == "parity"
    driven = trapped_ion_network([1, 1], [0.5, 0.5], 1.0, 0.2, 0.0, 1.0).replace(drive=[0.3, 0.0])
    assert np.array_equal(strong_field_couplings(driven).drive, driven.drive)
