"""Fig. 3: total synchronization S_t of all-to-all (a, c) and one-to-all (b, d) networks.

Parameters (paper, Fig. 3 caption; qubit j of the paper is index j − 1):

* five qubits; qubit 0 (the paper's memory qubit 1) has magnetization m₁, qubit 1 has m₂;
  both follow the caption rule (m ≥ 0: Γᵍ = 1, m < 0: Γᵈ = 1);
* qubits 2–4 (the paper's 3–5) have rates scaled from qubit 1's:
  (a, b) Γᵍ and Γᵈ ratios (1.5, 2.5, 0.6), so their magnetizations equal m₂;
  (c, d) Γᵍ ratios (0.8, 5, 0.1) and Γᵈ ratios (1.3, 0.9, 1.2), so they differ;
* couplings Uˣ = Uʸ = 2 in (a, b), Uˣ = 2, Uʸ = 0.5 in (c, d); Uᶻ = 1; Δ_jk = 0 (ω = 0);
* (a, c) all-to-all bonds; (b, d) a star centred on qubit 0 (one-to-all).

S_t = Σ_{j<k} Sᵐᵃˣ_jk over (m₁, m₂) ∈ [−0.99, 0.99]², 101 × 101 points per panel
(``--quick``: 11 × 11); XXZ panels solve in the magnetization sector (dimension 252),
XYZ panels in the parity sector (512). The figure states the largest |S_t(a) − S_t(b)|
and |S_t(c) − S_t(d)|: tiny when the environment magnetizations agree (the reduction of
the all-to-all network to a one-to-all network that the no-go theorem suggests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from .common import FigureOutput, Options, run_spec, write_data
from matplotlib.figure import Figure

from .style import COLUMN, new_figure, paper_style, panel_label, save_figure

__all__ = ["fig3_sweep", "draw_fig3", "make_fig3", "PANELS"]

#: Panel → (topology, Uʸ, Γᵍ ratios, Γᵈ ratios, title).
PANELS: dict[str, tuple[str, float, list[float], list[float], str]] = {
    "a": ("all-to-all", 2.0, [1.5, 2.5, 0.6], [1.5, 2.5, 0.6], "all-to-all, identical $m_{3-5}$"),
    "b": ("star", 2.0, [1.5, 2.5, 0.6], [1.5, 2.5, 0.6], "one-to-all, identical $m_{3-5}$"),
    "c": ("all-to-all", 0.5, [0.8, 5.0, 0.1], [1.3, 0.9, 1.2], "all-to-all, different $m_{3-5}$"),
    "d": ("star", 0.5, [0.8, 5.0, 0.1], [1.3, 0.9, 1.2], "one-to-all, different $m_{3-5}$"),
}


def fig3_sweep(panel: str, quick: bool = False) -> dict[str, Any]:
    """The sweep of one panel (same content as ``examples/sweeps/fig3<panel>.toml``)."""
    topology, uy, gains, damps, _ = PANELS[panel]
    num = 11 if quick else 101
    return {
        "sweep": {"name": f"fig3{panel}",
                  "description": f"Fig. 3({panel}): S_t over (m1, m2), {topology}, Ux = 2, Uy = {uy:g}, Uz = 1"},
        "model": {"qubits": {"magnetization": [0.0] * 5},
                  "couplings": {"topology": topology, "hub": 0, "ux": 2.0, "uy": uy, "uz": 1.0}},
        "axis": [
            {"name": "m1", "label": "m₁", "set": ["qubits.magnetization[0]"], "start": -0.99, "stop": 0.99, "num": num},
            {"name": "m2", "label": "m₂", "set": ["qubits.magnetization[1]"], "start": -0.99, "stop": 0.99, "num": num},
        ],
        "tie": [
            {"set": [f"qubits.gain[{j}]" for j in (2, 3, 4)], "from": "qubits.gain[1]", "scale": gains},
            {"set": [f"qubits.damping[{j}]" for j in (2, 3, 4)], "from": "qubits.damping[1]", "scale": damps},
        ],
    }


def make_fig3(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 3 (a–d): S_t(m₁, m₂) of the four five-qubit networks."""
    panels = []
    for p in PANELS:
        ds = run_spec(fig3_sweep(p, options.quick), out_dir, options)
        attrs = {f"panel_{p}_{k}": v for k, v in ds.attrs.items()
                 if k in ("description", "sweep_json", "model_toml", "solver")}
        panels.append((ds.expand_dims(panel=[p]), attrs, ds.attrs))
    combined = xr.concat([d for d, _, _ in panels], dim="panel", combine_attrs="drop")
    attrs = dict(panels[0][2])
    for k in ("description", "sweep_json", "model_toml", "model_json", "sweep_file", "source",
              "title", "sweep_name", "solver"):
        attrs.pop(k, None)
    for _, extra, _ in panels:
        attrs.update(extra)
    st = combined.sync_total
    diff_ab = float(np.max(np.abs(st.sel(panel="a") - st.sel(panel="b"))))
    diff_cd = float(np.max(np.abs(st.sel(panel="c") - st.sel(panel="d"))))
    attrs.update(title="spinsync Fig. 3 (panels a-d)", max_abs_diff_ab=diff_ab, max_abs_diff_cd=diff_cd)
    combined.attrs = attrs
    with paper_style():
        files = save_figure(draw_fig3(combined), out_dir, "fig3")
    files.append(write_data(combined, out_dir, "fig3"))
    return FigureOutput("fig3", files, {
        "max_abs_diff_ab": diff_ab, "max_abs_diff_cd": diff_cd, "max_sync_total": float(st.max()),
        "max_sync_total_ab": float(st.sel(panel=["a", "b"]).max()),
        "max_sync_total_cd": float(st.sel(panel=["c", "d"]).max())})


def draw_fig3(ds: xr.Dataset) -> Figure:
    """Fig. 3 from its dataset (``fig3.nc``): S_t(m₁, m₂) of the four networks."""
    st = ds.sync_total
    m1, m2 = ds.m1.values, ds.m2.values
    diff_ab = float(np.max(np.abs(st.sel(panel="a") - st.sel(panel="b"))))
    diff_cd = float(np.max(np.abs(st.sel(panel="c") - st.sel(panel="d"))))
    fig = new_figure(2 * COLUMN, 1.85 * COLUMN)
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    # Columns: identical (a, b) and different (c, d) environment magnetizations, each
    # with one colour scale so that the two networks of a column compare directly.
    for col, pair in enumerate((("a", "b"), ("c", "d"))):
        vmax = float(max(st.sel(panel=p).max() for p in pair))
        for row, p in enumerate(pair):
            ax = axes[row, col]
            z = st.sel(panel=p).values.T  # rows m₂, columns m₁
            mesh = ax.pcolormesh(m1, m2, z, shading="auto", vmin=0, vmax=vmax, rasterized=True)
            ax.contour(m1, m2, z, levels=np.linspace(0, vmax, 7)[1:-1], colors="w", linewidths=0.5)
            ax.set_title(PANELS[p][4], fontsize=8)
            ax.set_aspect("equal")
            panel_label(ax, f"({p})")
        cbar = fig.colorbar(mesh, ax=axes[:, col], location="bottom", shrink=0.9, pad=0.02)
        cbar.set_label(r"$S_t=\sum_{j<k}S^{\max}_{jk}$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$m^z_2$ (environment: paper's qubit 2)")
    for ax in axes[1]:
        ax.set_xlabel(r"$m^z_1$ (memory qubit)")
    fig.suptitle(rf"max$|S_t^{{(a)}}-S_t^{{(b)}}|$ = {diff_ab:.1e},   "
                 rf"max$|S_t^{{(c)}}-S_t^{{(d)}}|$ = {diff_cd:.1e}", fontsize=8)
    return fig
