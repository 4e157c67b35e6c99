"""The figures read as a referee would: labels and units, panel letters and legends clear of
the data, captions that say what Eq. (7) and the numerics say, and no matplotlib state
touched by library code.

The figures are redrawn from the NetCDF files of ``reproduce all --quick`` with each
module's ``draw_*`` function, so every check looks at the very objects that are saved.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from scipy.optimize import minimize_scalar

import spinsync as ss
from spinsync.figures import FIGURES
from spinsync.figures.fig1 import draw_fidelity, draw_figS1
from spinsync.figures.fig2 import draw_fig2a, draw_fig2b, eq7_ridge, fig2b_network
from spinsync.figures.fig3 import draw_fig3
from spinsync.figures.fig3_scaled import draw_fig3_scaled
from spinsync.figures.style import paper_style
from spinsync.figures.sync_spin1 import draw_arnold_spin1, draw_blockade_spin1, draw_pair_spin1
from spinsync.measures.sync import two_qubit_flipflop
from spinsync.theory.spin1 import SCHEME_NAMES, draw_spin1

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "spinsync"
PANEL_LETTER = re.compile(r"^\([a-h]\)$")


def _draw(name: str, ds: xr.Dataset) -> Figure:
    if name in ("fig1b", "fig1c"):
        return draw_fidelity(ds, name[-1])
    if name == "figS1":
        return draw_figS1(ds)
    if name == "fig2a":
        return draw_fig2a(ds)
    if name == "fig2b":
        return draw_fig2b(ds)
    if name == "fig3":
        return draw_fig3(ds)
    if name == "fig3_scaled":
        return draw_fig3_scaled(ds)
    if name == "spin1":
        curves = {str(k): {"correlation": ds.correlation.sel(case=k).values,
                           "infidelity": ds.infidelity.sel(case=k).values} for k in ds.case.values}
        return draw_spin1(ds.U.values, curves)
    if name == "arnold_spin1":
        return draw_arnold_spin1(ds)
    if name == "blockade_spin1":
        return draw_blockade_spin1(ds)
    if name == "pair_spin1":
        return draw_pair_spin1(ds)
    raise AssertionError(name)


@pytest.fixture(scope="module")
def drawn(quick_figures: tuple[Path, dict]) -> dict[str, tuple[Figure, object]]:
    """{name: (figure, renderer)} with every figure laid out and drawn once."""
    out, _ = quick_figures
    figures = {}
    with paper_style():
        for name in FIGURES:
            with xr.open_dataset(out / f"{name}.nc") as ds:
                fig = _draw(name, ds.load())
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            figures[name] = (fig, canvas.get_renderer())
    return figures


def _axes(fig: Figure) -> list[Axes]:
    """Every axes, subfigures included (``fig.axes`` leaves those out)."""
    return list(fig.findobj(Axes))


def _data_axes(fig: Figure) -> list[Axes]:
    """Axes that hold data (colour bars excluded)."""
    return [ax for ax in _axes(fig) if not hasattr(ax, "_colorbar")]


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _overlap(a, b, pad: float = 0.0) -> bool:
    return (a.x0 < b.x1 - pad and b.x0 < a.x1 - pad and a.y0 < b.y1 - pad and b.y0 < a.y1 - pad)


# --------------------------------------------------------------------------- labels, units
def test_every_data_axes_has_both_labels_or_shares_them(drawn) -> None:
    """A y label on every data axes; an x label on every axes whose x tick labels show."""
    for name, (fig, _) in drawn.items():
        for ax in _data_axes(fig):
            assert ax.get_ylabel().strip() or _shares_labelled_y(ax), (name, ax.get_title())
            ticks_shown = any(t.get_visible() and t.get_text() for t in ax.get_xticklabels())
            if ticks_shown:
                assert ax.get_xlabel().strip(), (name, ax.get_title())


def _shares_labelled_y(ax: Axes) -> bool:
    """Right-hand panels of a shared-y grid (Fig. 3) take their label from the row."""
    siblings = ax.get_shared_y_axes().get_siblings(ax)
    hidden = not any(t.get_visible() and t.get_text() for t in ax.get_yticklabels())
    return hidden and any(s.get_ylabel().strip() for s in siblings if s is not ax)


def test_figS1_every_panel_has_a_y_label_and_a_letter(drawn) -> None:
    fig, _ = drawn["figS1"]
    axes = _data_axes(fig)
    assert len(axes) == 8
    labels = [ax.get_ylabel() for ax in axes]
    for ax, label in zip(axes, labels):
        assert "C_{" in label and "Re" in label, label
    assert sorted(ax.get_title(loc="left") for ax in axes) == [f"({c})" for c in "abcdefgh"]
    bottom = [ax for ax in axes if ax.get_xlabel()]
    assert len(bottom) == 4


def test_time_axes_name_the_rate_unit(drawn) -> None:
    """No undefined Γ: time is in 1/Γᵍ₁, the unit every rate of the Fig. 1 caption is given in."""
    for name, (fig, _) in drawn.items():
        for text in _texts(fig):
            assert not re.search(r"1/\\Gamma(?![_^]|\\w)", text), (name, text)
    for name in ("fig1b", "fig1c", "figS1"):
        fig, _ = drawn[name]
        xlabels = [ax.get_xlabel() for ax in _data_axes(fig) if ax.get_xlabel()]
        assert xlabels, name
        for label in xlabels:
            assert r"1/\Gamma^g_1" in label and r"\Gamma^g_1 = 1" in label, (name, label)


def test_spin1_legend_names_and_shared_style(drawn) -> None:
    fig, _ = drawn["spin1"]
    legend_texts = [t.get_text() for leg in fig.findobj(Legend) for t in leg.get_texts()]
    assert SCHEME_NAMES["gain-damping"] == "J± gain–damping"
    assert SCHEME_NAMES["roulet-bruder"] == "Roulet–Bruder J±Jᶻ"
    for proper in SCHEME_NAMES.values():
        assert proper in legend_texts
    assert not any("roulet-bruder" in t or "gain-damping" in t for t in _texts(fig))
    # Shared style: two-column width and the serif font of figures/style.py.
    width, _ = fig.get_size_inches()
    assert width == pytest.approx(2 * 3.4)
    ylabel = _data_axes(fig)[0].yaxis.label
    assert "serif" in ylabel.get_fontfamily()


# --------------------------------------------------------------------------- layout
def test_panel_letters_lie_outside_every_axes(drawn) -> None:
    for name, (fig, renderer) in drawn.items():
        letters = [t for t in fig.findobj(Text) if PANEL_LETTER.match(t.get_text()) and t.get_visible()]
        if name not in ("fig1b", "fig1c"):
            assert letters, name
        for t in letters:
            box = t.get_window_extent(renderer)
            for ax in _axes(fig):
                assert not _overlap(box, ax.get_window_extent(renderer), pad=0.5), (name, t.get_text())


def test_legends_do_not_cover_data(drawn) -> None:
    """No data point of any curve (reference lines excluded) lies under a legend."""
    for name, (fig, renderer) in drawn.items():
        legends = list(fig.findobj(Legend))
        for leg in legends:
            box = leg.get_window_extent(renderer)
            for ax in _data_axes(fig):
                for line in ax.get_lines():
                    if line.get_transform() != ax.transData or len(line.get_xdata()) < 2:
                        continue  # axhline / axvline: reference lines, not data
                    xy = np.column_stack([np.asarray(line.get_xdata(), float),
                                          np.asarray(line.get_ydata(), float)])
                    pts = ax.transData.transform(xy[np.all(np.isfinite(xy), axis=1)])
                    inside = ((pts[:, 0] > box.x0) & (pts[:, 0] < box.x1)
                              & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1))
                    assert not inside.any(), (name, line.get_label())


# --------------------------------------------------------------------------- captions vs Eq. 7
DELTAS = (0.0, 0.5, 1.0, 2.0, 5.0)


def _two_qubits(u: float, delta: float) -> ss.Network:
    return ss.Network.from_magnetization([0.25, -0.25], omega=[delta, 0.0], bonds=[(0, 1, u, u, u)])


def _eq7_sync(u: float, delta: float) -> float:
    return (np.pi / 16) * abs(two_qubit_flipflop(_two_qubits(u, delta)))


def _optimum(delta: float) -> tuple[float, float]:
    """Best U and largest Sᵐᵃˣ at fixed Δ, by maximizing Eq. 7 numerically (no closed form)."""
    res = minimize_scalar(lambda u: -_eq7_sync(u, delta), bounds=(1e-6, 10.0), method="bounded",
                          options={"xatol": 1e-10})
    return float(res.x), -float(res.fun)


def test_eq7_peak_is_the_same_at_every_detuning() -> None:
    """Issue 11: 0.012272 at every Δ, best U 0.200, 0.236, 0.320, 0.539, 1.266."""
    best = [_optimum(d) for d in DELTAS]
    peaks = np.array([p for _, p in best])
    np.testing.assert_allclose(peaks, peaks[0], rtol=1e-9)
    assert round(peaks[0], 6) == 0.012272
    assert [round(u, 3) for u, _ in best] == [0.200, 0.236, 0.320, 0.539, 1.266]
    # The figure module's closed form agrees with the numerical optimum.
    ridge_u, ridge_peak = eq7_ridge(fig2b_network(), DELTAS)
    np.testing.assert_allclose(ridge_u, [u for u, _ in best], rtol=1e-7)
    assert ridge_peak == pytest.approx(peaks[0], rel=1e-12)


def test_numerical_steady_states_confirm_the_equal_peaks() -> None:
    """The master equation itself (not Eq. 7): Sᵐᵃˣ at U*(Δ) equals the Δ = 0 peak."""
    ridge_u, peak = eq7_ridge(fig2b_network(), [0.0, 1.0, 2.0])
    for delta, u in zip((0.0, 1.0, 2.0), ridge_u):
        at = lambda x: float(ss.sync_max_matrix(ss.steady_state(_two_qubits(x, delta)).state)[0, 1])
        assert at(u) == pytest.approx(peak, rel=1e-9)
        assert at(0.8 * u) < at(u) and at(1.25 * u) < at(u)


def _quoted_ridge(text: str) -> tuple[list[float], list[float]]:
    m = re.search(r"U\* = ((?:\d\.\d{3}, )+\d\.\d{3}) at Δ = ((?:[\d.]+, )+[\d.]+)", text)
    assert m, "no 'U* = …, … at Δ = …' sentence"
    return [float(x) for x in m.group(1).split(", ")], [float(x) for x in m.group(2).split(", ")]


@pytest.mark.parametrize("doc", ["README.md", "docs/figures.md"])
def test_fig2b_caption_states_what_eq7_gives(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert "strongest near Δ = 0" not in text
    us, deltas = _quoted_ridge(text)
    assert len(us) == len(deltas) >= 3
    for u, d in zip(us, deltas):
        assert u == pytest.approx(_optimum(d)[0], abs=5e-4), (doc, d)
    assert f"{_optimum(0.0)[1]:.6f}" in text


def test_fig2b_figure_states_the_equal_peak(drawn) -> None:
    fig, _ = drawn["fig2b"]
    texts = " ".join(_texts(fig))
    assert f"{_optimum(0.0)[1]:.5f}" in texts and "every" in texts


def test_fig2a_caption_maximum(quick_figures) -> None:
    """'Largest for opposite magnetizations': the map's maximum is at a corner m₁ = −m₂."""
    _, results = quick_figures
    checks = results["fig2a"].checks
    assert abs(checks["max_sync_at_m1"][0]) == pytest.approx(0.99)
    assert checks["max_sync_at_m2"][0] == pytest.approx(-checks["max_sync_at_m1"][0])
    corner = (np.pi / 16) * abs(two_qubit_flipflop(ss.Network.from_magnetization(
        [0.99, -0.99], bonds=[(0, 1, 1.0, 1.0, 1.0)])))
    assert checks["max_sync"] == pytest.approx(corner, rel=1e-10)
    for doc in ("README.md", "docs/figures.md"):
        assert f"{corner:.5f}" in (ROOT / doc).read_text(encoding="utf-8"), doc


# --------------------------------------------------------------------------- matplotlib state
_PYPLOT_OR_USE = re.compile(r"^\s*(import matplotlib\.pyplot|from matplotlib import pyplot"
                            r"|from matplotlib\.pyplot import|matplotlib\.use\()", re.M)


def test_library_code_never_imports_pyplot_or_picks_a_backend() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in SRC.rglob("*.py")
                 if _PYPLOT_OR_USE.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_making_figures_leaves_the_callers_backend_alone(tmp_path: Path) -> None:
    script = f"""
import sys, matplotlib
import numpy as np
from spinsync.figures import Options, reproduce
from spinsync.theory.spin1 import plot_spin1
from spinsync.dynamics.output import plot_evolution
from spinsync.dynamics import evolve
from spinsync.states import initial_state
from spinsync.io import load_model
reproduce(["fig2a"], {str(tmp_path)!r}, Options(quick=True, workers=1))
plot_spin1({str(tmp_path)!r}, couplings=np.array([0.1, 1.0]))
net = load_model({str(ROOT / 'examples' / 'two_qubit.toml')!r})
plot_evolution(evolve(net, initial_state("up", net.n), np.linspace(0, 1, 3)), {str(tmp_path / 'e.png')!r})
print(matplotlib.get_backend(), "matplotlib.pyplot" in sys.modules)
"""
    env = dict(os.environ, MPLBACKEND="svg")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    backend, pyplot_loaded = done.stdout.split()
    assert backend.lower() == "svg"
    assert pyplot_loaded == "False"
    assert (tmp_path / "fig2a.png").stat().st_size > 1000 and (tmp_path / "e.png").stat().st_size > 1000
