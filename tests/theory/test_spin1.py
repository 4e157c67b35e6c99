"""The spin-1 counter-example: Eq. S30 entry by entry, and which scheme keeps the theorem."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinsync.theory.spin1 import (
    compare_s30,
    plot_spin1,
    printed_s30,
    s30_commutator,
    spin1_case,
    spin1_pair,
    spin1_report,
)

from .qutip_oracle import dense_rhs, qutip_operators, qutip_singular_values, qutip_steady_state


def _hand_commutator(ux: float, uy: float) -> np.ndarray:
    """[U, |00⟩⟨00|] derived by hand: J±|0⟩ = √2|±1⟩, so
    U|00⟩ = ½(Uˣ − Uʸ)(|1,1⟩ + |−1,−1⟩) + ½(Uˣ + Uʸ)(|1,−1⟩ + |−1,1⟩) (Jᶻ|0⟩ = 0);
    two-site index 3a + b with a, b = 0, 1, 2 for m = 1, 0, −1; |00⟩ is index 4."""
    v = np.zeros(9)
    v[[0, 8]] = (ux - uy) / 2
    v[[2, 6]] = (ux + uy) / 2
    c = np.zeros((9, 9))
    c[:, 4] += v
    c[4, :] -= v
    return c


@pytest.mark.parametrize("ux,uy,uz", [(1.3, 0.4, 0.7), (1.0, 1.0, 0.0), (-0.5, 2.0, 3.0)])
def test_roulet_bruder_commutator_matches_hand_derivation(ux: float, uy: float, uz: float) -> None:
    assert np.max(np.abs(s30_commutator("roulet-bruder", ux, uy, uz) - _hand_commutator(ux, uy))) < 1e-14


@pytest.mark.parametrize("ux,uy", [(1.3, 0.4), (1.0, 1.0), (-0.5, 2.0)])
def test_printed_s30_is_minus_two_times_the_commutator_with_a_stray_column(ux: float, uy: float) -> None:
    printed = printed_s30(ux, uy)
    assert printed.shape == (9, 10) and np.all(printed[:, 9] == 0)
    assert np.array_equal(printed[:, :9], -2 * _hand_commutator(ux, uy))
    cmp = compare_s30(ux, uy, 0.3)
    rb = cmp["roulet-bruder"]
    assert cmp["stray_column_zero"] and rb["pattern_matches"]
    assert rb["factor_re"] == pytest.approx(-2, abs=1e-12) and abs(rb["factor_im"]) < 1e-12
    assert rb["max_deviation"] < 1e-12
    # The printed matrix does not belong to the J± scheme of Eq. S29.
    assert not cmp["gain-damping"]["pattern_matches"]


def test_gain_damping_commutator_vanishes_for_xxz_only() -> None:
    assert np.max(np.abs(s30_commutator("gain-damping", 1.0, 1.0, 0.5, gain=1.0, damping=0.3))) < 1e-14
    assert np.max(np.abs(s30_commutator("gain-damping", 1.0, 0.5, 0.5, gain=1.0, damping=0.3))) > 1e-2
    # Equal rates: ρ_LC = I/3, so even XYZ commutes (the m = 0 special case).
    assert np.max(np.abs(s30_commutator("gain-damping", 1.0, 0.5, 0.5, gain=0.7, damping=0.7))) < 1e-14


def test_report_says_which_scheme_keeps_the_theorem() -> None:
    rep = spin1_report()
    json.dumps(rep)  # plain data
    gd, rb = rep["schemes"]["gain-damping"], rep["schemes"]["roulet-bruder"]
    assert gd["keeps_theorem_xxz"] and not rb["keeps_theorem_xxz"]
    assert np.allclose(rb["limit_cycle_populations"], [0, 1, 0], atol=1e-12)
    for scheme in (gd, rb):
        for case in ("xxz", "xyz", "xyz_equal_rates"):
            assert scheme[case]["kernel_dimension"] == 1
    assert gd["xxz"]["fidelity_to_product"] == pytest.approx(1, abs=1e-10)
    assert gd["xyz"]["max_connected_correlation"] > 1e-3       # anisotropy breaks it…
    assert gd["xyz_equal_rates"]["max_connected_correlation"] < 1e-10  # …unless γᵍ = γᵈ
    assert rb["xxz"]["max_connected_correlation"] > 1e-2
    assert rb["xxz"]["mutual_information"] > 1e-2


@pytest.mark.parametrize("scheme", ["gain-damping", "roulet-bruder"])
def test_case_numbers_match_qutip(scheme: str) -> None:
    # Every number of spin1_case from an independent QuTiP model of the pair.
    ux, uy, uz, g, d = 1.0, 0.5, 0.5, 1.0, 0.5
    case = spin1_case(scheme, ux, uy, uz, g, d)
    net = spin1_pair(scheme, ux, uy, uz, g, d)
    qt = pytest.importorskip("qutip")
    rho = qutip_steady_state(net)
    q = qt.Qobj(rho, dims=[[3, 3], [3, 3]])
    jp, jm = qt.jmat(1, "+"), qt.jmat(1, "-")
    ff = complex(np.trace(rho @ qt.tensor(jp, jm).full()))
    assert case["flipflop_abs"] == pytest.approx(abs(ff), abs=1e-8)
    mi = qt.entropy_vn(q.ptrace(0)) + qt.entropy_vn(q.ptrace(1)) - qt.entropy_vn(q)
    assert case["mutual_information"] == pytest.approx(mi, abs=1e-8)
    # ρ₀ from the single-site QuTiP steady states, its residual under QuTiP's L.
    one = spin1_pair(scheme, 0, 0, 0, g, d).replace(bonds=[])
    rho1 = qt.Qobj(qutip_steady_state(one), dims=[[3, 3], [3, 3]]).ptrace(0).full()
    rho0 = np.kron(rho1, rho1)
    h, c_ops = qutip_operators(net)
    dense = np.linalg.norm(dense_rhs(h, c_ops, rho0)) / np.linalg.norm(rho0)
    assert case["product_residual"] == pytest.approx(dense, rel=1e-8, abs=1e-10)
    fid = qt.fidelity(q, qt.Qobj(rho0, dims=[[3, 3], [3, 3]]))
    assert case["fidelity_to_product"] == pytest.approx(fid, abs=1e-6)  # √ near a pure ρ₀
    # The kernel's gap is the second-smallest singular value of QuTiP's Liouvillian.
    sv = qutip_singular_values(net)
    assert case["kernel_dimension"] == 1 and sv[0] < 1e-10
    assert case["singular_gap"] == pytest.approx(sv[1], rel=1e-8)


def test_plot_writes_png_and_pdf(tmp_path) -> None:
    paths = plot_spin1(tmp_path, couplings=np.array([0.1, 1.0]))
    assert sorted(p.suffix for p in paths) == [".pdf", ".png"]
    assert all(p.stat().st_size > 1000 for p in paths)
