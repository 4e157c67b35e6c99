"""The spin-1 synchronization figures (issue 14 §2): their saved data against independent
steady states (QuTiP, built from the conventions) and S-functions (QuTiP's spin Q function,
the test's own quadrature), what each figure is there to show, units on every axis, and
captions that quote what the data say.

The data are those of ``reproduce all --quick`` (tests/figures/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from scipy.optimize import minimize_scalar

from spinsync.figures.sync_spin1 import (
    BLOCKADE_DRIVE,
    EXAMPLE_POINT,
    PAIR_DRIVE,
    arnold_network,
    blockade_network,
    pair_network,
)
from spinsync.measures.sync import s_function_integrated

from tests.oracles import qutip_spin_model, qutip_steady_state

qt = pytest.importorskip("qutip")

ROOT = Path(__file__).resolve().parents[2]

#: Data against the oracle: both steady states are exact to ~1e-14, both S-functions
#: converge to ~1e-15; maxima found by Brent to 1e-10 in φ change S by ≲ 1e-18. 1e-10
#: leaves room for all of it and fails for any wrong rate, sign or weight (≥ 1e-4 here).
TOL = 1e-10


def _qutip_rho(net) -> np.ndarray:
    s = [(d - 1) / 2 for d in net.dims]
    case = dict(s=s[0], gain=list(net.gain), damping=list(net.damping), scheme=net.scheme,
                omega=list(net.omega), drive=list(net.drive), drive_phase=list(net.drive_phase),
                bonds=[tuple(b) for b in net.bonds])
    return qutip_steady_state(*qutip_spin_model(**case))


def _site_s(rho: np.ndarray, phi) -> np.ndarray:
    """S(φ) from QuTiP's spin_q_function, 60 Gauss–Legendre nodes in θ (the test's own rule)."""
    x, w = np.polynomial.legendre.leggauss(60)
    theta = (x + 1) * np.pi / 2
    q, _, _ = qt.spin_q_function(qt.Qobj(rho), theta, np.atleast_1d(phi))
    return (q * rho.shape[0] / (4 * np.pi)) @ (w * np.pi / 2 * np.sin(theta)) - 1 / (2 * np.pi)


def _site_peak(rho: np.ndarray) -> tuple[float, float]:
    grid = np.linspace(-np.pi, np.pi, 513)[:-1]
    s = _site_s(rho, grid)
    i = int(np.argmax(s))
    res = minimize_scalar(lambda x: -_site_s(rho, x)[0], bounds=(grid[i] - 0.02, grid[i] + 0.02),
                          method="bounded", options={"xatol": 1e-10})
    return float(np.angle(np.exp(1j * res.x))), -float(res.fun)


@pytest.fixture(scope="module")
def data(quick_figures) -> dict[str, xr.Dataset]:
    out, _ = quick_figures
    sets = {}
    for name in ("arnold_spin1", "blockade_spin1", "pair_spin1"):
        with xr.open_dataset(out / f"{name}.nc") as ds:
            sets[name] = ds.load()
    return sets


# ------------------------------------------------------------------ (a) tongue
def test_arnold_points_against_qutip(data) -> None:
    ds = data["arnold_spin1"]
    assert float(ds.residual.max()) < 1e-12
    for i, j in [(3, 10), (5, 12), (10, 4), (7, 18)]:
        w, d = float(ds.omega[j]), float(ds.drive[i])
        phase, value = _site_peak(_qutip_rho(arnold_network(w, d)))
        assert float(ds.sync_site_max[i, j]) == pytest.approx(value, abs=TOL), (w, d)
        if int(ds.n_maxima[i, j]) == 1:
            assert abs(np.angle(np.exp(1j * (float(ds.locked_phase[i, j]) - phase)))) < 1e-6, (w, d)
    # No drive: no phase preferred (flat S, NaN phase); a drive: locking.
    assert np.all(ds.sync_site_max.sel(drive=0.0) == 0) and np.all(np.isnan(ds.locked_phase.sel(drive=0.0)))
    assert float(ds.sync_site_max.max()) > 0.05


def test_arnold_is_a_tongue_and_the_example_locks_where_the_quadrature_says(quick_figures, data) -> None:
    """Weak drive: max S is largest on resonance and falls off with |ω| (the tongue opens);
    the example model's locked phase equals the quadrature route's to its precision."""
    ds = data["arnold_spin1"]
    weak = ds.sync_site_max.isel(drive=1).values  # Ω = 0.03
    centre = int(np.argmin(np.abs(ds.omega.values)))
    assert np.argmax(weak) == centre and weak[0] < 0.2 * weak[centre]
    _, results = quick_figures
    checks = results["arnold_spin1"].checks
    # golden-section search on the quadrature route resolves φ to ~1e-8 (S is flat at its top)
    assert checks["example_locked_phase"] == pytest.approx(checks["example_quadrature_phase"], abs=1e-7)
    assert checks["example_sync_max"] == pytest.approx(checks["example_quadrature_max"], abs=1e-13)
    phase, value = _site_peak(_qutip_rho(arnold_network(*EXAMPLE_POINT)))
    assert checks["example_locked_phase"] == pytest.approx(phase, abs=1e-6)


def test_example_file_is_the_marked_point() -> None:
    from spinsync import load_model

    net = load_model(ROOT / "examples" / "spin1_driven.toml")
    ref = arnold_network(*EXAMPLE_POINT)
    assert net.to_dict() == ref.to_dict()


# ------------------------------------------------------------------ (b) blockade
def test_blockade_equal_rates_two_equal_maxima_and_no_coherence(quick_figures, data) -> None:
    ds = data["blockade_spin1"]
    one = ds.sel(ratio=1.0)
    assert float(np.hypot(one.coherence_re, one.coherence_im)) < 1e-14
    assert int(one.n_maxima) == 2
    phases = one.peak_phase.values[:2]
    np.testing.assert_allclose(np.sort(phases), [-np.pi / 2, np.pi / 2], atol=1e-9)
    assert one.peak_value.values[0] == pytest.approx(one.peak_value.values[1], rel=1e-12)
    # against QuTiP's state and Q function
    rho = _qutip_rho(blockade_network(1.0))
    assert abs(np.trace(rho @ qt.jmat(1, "+").full())) < 1e-12
    want = _site_s(rho, np.array([-np.pi / 2, np.pi / 2, 0.0]))
    np.testing.assert_allclose(one.peak_value.values[:2], want[:2], atol=TOL)
    assert want[2] < want[0] - 1e-3  # a dip between them: two maxima, not a plateau
    checks = quick_figures[1]["blockade_spin1"].checks
    assert checks["equal_rates_quadrature_max"] == pytest.approx(want[0], abs=TOL)
    assert abs(abs(checks["equal_rates_quadrature_phase"]) - np.pi / 2) < 1e-7


def test_blockade_single_peak_away_from_equal_rates(data) -> None:
    """γᵍ/γᵈ = 0.2: one maximum at 0; 5: one at π — the single peak splits in between."""
    ds = data["blockade_spin1"]
    for r, where in ((0.2, 0.0), (5.0, np.pi)):
        row = ds.isel(ratio=int(np.argmin(np.abs(np.log(ds.ratio.values / r)))))
        assert int(row.n_maxima) == 1
        assert abs(np.angle(np.exp(1j * (float(row.peak_phase[0]) - where)))) < 1e-9
        rho = _qutip_rho(blockade_network(float(row.ratio)))
        np.testing.assert_allclose(row.s_function.values[::20], _site_s(rho, row.phi.values[::20]), atol=TOL)
    assert np.all(ds.n_maxima.values >= 1)
    assert ds.attrs["drive"] == BLOCKADE_DRIVE


# ------------------------------------------------------------------ (c) pair
def _pair_max(rho: np.ndarray) -> float:
    grid = np.linspace(-np.pi, np.pi, 129)[:-1]
    s = s_function_integrated(rho, grid, dims=(3, 3))
    i = int(np.argmax(s))
    res = minimize_scalar(lambda x: -s_function_integrated(rho, x, dims=(3, 3)), method="bounded",
                          bounds=(grid[i] - 0.05, grid[i] + 0.05), options={"xatol": 1e-10})
    return max(float(s.max()), -float(res.fun))


def test_pair_points_against_qutip(data) -> None:
    """Sᵐᵃˣ₁₂ from QuTiP's state by the quadrature route of the definition (not the closed form)."""
    ds = data["pair_spin1"]
    assert float(ds.residual.max()) < 1e-12
    for c, drive in enumerate((0.0, PAIR_DRIVE)):
        for i, j in [(2, 5), (6, 2), (10, 9)]:
            u, d = float(ds.U[i]), float(ds.delta[j])
            rho = qt.Qobj(_qutip_rho(pair_network(u, d, drive)), dims=[[3, 3], [3, 3]])
            assert float(ds.sync_max[c, i, j]) == pytest.approx(_pair_max(rho.full()), abs=TOL), (c, u, d)


def test_undriven_pair_locks_in_and_out_of_phase(data) -> None:
    """Identical Roulet–Bruder spins: S₁₂ has two equal maxima φ and φ + π (no q = 1 term)."""
    ds = data["pair_spin1"].sel(case="undriven")
    coupled = ds.where(ds.U > 0, drop=True)
    assert set(np.unique(coupled.n_maxima.values)) == {2}
    assert np.all(ds.sel(U=0.0).sync_max.values == 0)
    driven = data["pair_spin1"].sel(case="driven")
    assert 1 in set(np.unique(driven.n_maxima.values))  # the drive brings 1:1 relative locking


# ------------------------------------------------------------------ labels, captions
def test_every_axis_of_the_sync_figures_states_its_unit(quick_figures) -> None:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from spinsync.figures.style import paper_style
    from spinsync.figures.sync_spin1 import draw_arnold_spin1, draw_blockade_spin1, draw_pair_spin1

    out, _ = quick_figures
    unit = re.compile(r"units of|rad|/\\pi|\\gamma\^g/\\gamma\^d")
    for name, draw in (("arnold_spin1", draw_arnold_spin1), ("blockade_spin1", draw_blockade_spin1),
                       ("pair_spin1", draw_pair_spin1)):
        with xr.open_dataset(out / f"{name}.nc") as ds, paper_style():
            fig = draw(ds.load())
            FigureCanvasAgg(fig).draw()
        for ax in fig.findobj(Axes):
            for label in (ax.get_xlabel(), ax.get_ylabel()):
                if label:
                    assert unit.search(label), (name, label)


@pytest.mark.parametrize("name", ["arnold_spin1", "blockade_spin1", "pair_spin1"])
def test_caption_in_docs(name: str) -> None:
    text = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    assert f"## {name} — `figures/{name}.png`" in text


def test_captions_quote_what_the_models_give() -> None:
    """The numbers of docs/figures.md, recomputed at their points (full-grid points, cheap)."""
    from spinsync import load_model, spin_expectations, steady_state
    from spinsync.measures.sync import site_sync, pair_sync

    text = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")

    def site(net):
        return site_sync(steady_state(net).state, 0)

    example = site(load_model(ROOT / "examples" / "spin1_driven.toml"))
    assert f"φ = {example.phase:.4f}" in text and f"max S = {example.max:.5f}" in text
    assert f"({site(arnold_network(0.0, 0.045)).max:.4f})" in text            # resonance peak
    assert f"({site(arnold_network(0.0, 0.2)).max:.3f} at Ω = 0.2)" in text
    # two maxima appear first at Ω = 0.135 (grid step 0.0075) somewhere in ω ∈ [−1, 1]
    omega = np.linspace(-1, 1, 61)
    assert max(site(arnold_network(w, 0.135)).n_maxima for w in omega) == 2
    assert max(site(arnold_network(w, 0.1275)).n_maxima for w in omega) == 1
    assert "from\nΩ ≈ 0.135" in text or "from Ω ≈ 0.135" in text
    blockade = load_model(ROOT / "examples" / "spin1_blockade.toml")
    peaks = site(blockade)
    assert f"{peaks.values[0]:.7f} each" in text
    assert abs(spin_expectations(steady_state(blockade).state, "+")[0]) < 1e-30  # "3e-33"
    for u, d, quoted in ((2.0, 0.0, "0.00871 at Δ = 0"), (2.0, 2.0, "0.00638 at |Δ| = 2")):
        value = pair_sync(steady_state(pair_network(u, d)).state, 0, 1).max
        assert quoted.startswith(f"{value:.5f}") and quoted in text
