"""Fig. 2: quantum synchronization of two qubits — the blockade (a) and the Arnold tongue (b).

Parameters (paper, Fig. 2 caption; qubit j of the paper is index j − 1):

* both panels: the larger rate of each qubit is 1 (m ≥ 0: Γᵍ = 1; m < 0: Γᵈ = 1);
  isotropic coupling Uˣ = Uʸ = Uᶻ = U ("α = x, y, z" in the caption);
* (a) U = 1, Δ = ω₁ − ω₂ = 0, Sᵐᵃˣ₁₂ over (m₁, m₂). The caption rule cannot reach
  |m| = 1 (a rate would vanish; CONVENTIONS.md keeps m in (−1, 1)), so the grid spans
  [−0.99, 0.99]: 201 × 201 points (``--quick``: 21 × 21). The circle marks m₁ = −m₂ = 1/4.
* (b) m₁ = −m₂ = 1/4, Sᵐᵃˣ₁₂ over Δ and U. The paper prints no ranges; we choose
  Δ ∈ [−2, 2] (ω₁ = Δ, ω₂ = 0) and U ∈ [0, 1], 201 × 201 points (``--quick``: 21 × 21),
  which shows the tongue's tip at the optimal U = √(Γ₁Γ₂)/8 = 0.2 and its widening.

The numerical steady states (batched exact solves) are the colour maps; the closed form
Eq. (7) is drawn over them as dashed contours at the same levels as the solid numerical
contours, and along a cut (right-hand panels: markers = numerics, line = Eq. 7). The
NetCDF files also hold Eq. 7's Sᵐᵃˣ (``sync_max_eq7``) and the largest deviation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from ..sweeps import PointParams, sweep_from_dict
from .common import FigureOutput, Options, run_spec, write_data
from .style import COLUMN, paper_style, panel_label, plt, save_figure

__all__ = ["fig2a_sweep", "fig2b_sweep", "eq7_flipflop", "make_fig2a", "make_fig2b"]

#: Contour levels drawn for both the numerics and Eq. 7 (fractions of the maximum).
LEVELS = (0.1, 0.3, 0.5, 0.7, 0.9)


def _two_qubit_model(m: list[float]) -> dict[str, Any]:
    return {"qubits": {"magnetization": m, "omega": [0.0, 0.0]},
            "couplings": {"topology": "all-to-all", "ux": 1.0, "uy": 1.0, "uz": 1.0}}


def fig2a_sweep(quick: bool = False) -> dict[str, Any]:
    """The Fig. 2(a) sweep (same content as ``examples/sweeps/fig2a.toml``)."""
    num = 21 if quick else 201
    return {
        "sweep": {"name": "fig2a", "description": "Fig. 2(a): S^max_12 over (m1, m2), U = 1 isotropic, Delta = 0"},
        "model": _two_qubit_model([0.0, 0.0]),
        "axis": [
            {"name": "m1", "label": "m₁", "set": ["qubits.magnetization[0]"], "start": -0.99, "stop": 0.99, "num": num},
            {"name": "m2", "label": "m₂", "set": ["qubits.magnetization[1]"], "start": -0.99, "stop": 0.99, "num": num},
        ],
    }


def fig2b_sweep(quick: bool = False) -> dict[str, Any]:
    """The Fig. 2(b) sweep (same content as ``examples/sweeps/fig2b.toml``)."""
    num = 21 if quick else 201
    return {
        "sweep": {"name": "fig2b", "description": "Fig. 2(b): Arnold tongue, S^max_12 over (Delta, U) at m1 = -m2 = 1/4"},
        "model": _two_qubit_model([0.25, -0.25]),
        "axis": [
            {"name": "U", "label": "U", "set": ["couplings.ux", "couplings.uy", "couplings.uz"],
             "start": 0.0, "stop": 1.0, "num": num},
            {"name": "delta", "label": "Δ", "set": ["qubits.omega[0]"], "start": -2.0, "stop": 2.0, "num": num},
        ],
    }


def eq7_flipflop(params: PointParams) -> NDArray[np.complex128]:
    """Eq. (7) for every point of a two-qubit XXZ sweep (vectorized ``two_qubit_flipflop``).

    ⟨σ⁺₁σ⁻₂⟩ = 4UΓ₁Γ₂(m₁ − m₂)(4Δ − iΓ) / (64Γ²U² + Γ₁Γ₂(Γ² + 16Δ²)).
    """
    u = params.couplings[:, 0, 0]
    g = params.gain + params.damping
    m = params.magnetization()
    gamma = g[:, 0] + g[:, 1]
    delta = params.omega[:, 0] - params.omega[:, 1]
    num = 4 * u * g[:, 0] * g[:, 1] * (m[:, 0] - m[:, 1]) * (4 * delta - 1j * gamma)
    den = 64 * gamma**2 * u**2 + g[:, 0] * g[:, 1] * (gamma**2 + 16 * delta**2)
    return num / den


def _with_eq7(ds: xr.Dataset, data: dict[str, Any]) -> tuple[xr.Dataset, float]:
    spec = sweep_from_dict(data)
    eq7 = (np.pi / 16) * np.abs(eq7_flipflop(spec.points())).reshape(spec.shape)
    dims = tuple(a.name for a in spec.axes)
    ds = ds.copy()
    ds["sync_max_eq7"] = (dims, eq7, {"long_name": "S^max_12 from the closed form Eq. 7"})
    dev = float(np.max(np.abs(ds.sync_max.isel(pair=0).values - eq7)))
    ds.attrs["eq7_max_abs_deviation"] = dev
    return ds, dev


def _map_panel(ax, x, y, z, eq7, xlabel, ylabel, fig):
    mesh = ax.pcolormesh(x, y, z, shading="auto", rasterized=True)
    cbar = fig.colorbar(mesh, ax=ax, pad=0.02)
    cbar.ax.set_title(r"$S^{\max}_{12}$", fontsize=8)  # on top: keeps clear of the next panel
    zmax = float(np.max(z))
    if zmax > 0:
        levels = [f * zmax for f in LEVELS]
        ax.contour(x, y, z, levels=levels, colors="k", linewidths=0.6)
        ax.contour(x, y, eq7, levels=levels, colors="w", linewidths=0.9, linestyles="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return mesh


def make_fig2a(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 2(a): the synchronization blockade Sᵐᵃˣ₁₂(m₁, m₂) at U = 1, Δ = 0."""
    data = fig2a_sweep(options.quick)
    ds, dev = _with_eq7(run_spec(data, out_dir, options), data)
    m1, m2 = ds.m1.values, ds.m2.values
    z = ds.sync_max.isel(pair=0).values  # (m1, m2)
    with paper_style():
        fig, (ax, cut) = plt.subplots(1, 2, figsize=(2 * COLUMN, 0.85 * COLUMN),
                                      gridspec_kw={"width_ratios": [1.25, 1]},
                                      constrained_layout=True)
        _map_panel(ax, m1, m2, z.T, ds.sync_max_eq7.values.T, r"$m^z_1$", r"$m^z_2$", fig)
        ax.plot([0.25], [-0.25], marker="o", ms=9, mfc="none", mec="r", mew=1.4)
        ax.plot(m1, m1, color="0.8", lw=0.6, ls=":")
        ax.set_aspect("equal")
        panel_label(ax, "(a)")
        # Cut along m₂ = −m₁ (the grid is symmetric, so index i pairs with −1 − i).
        idx = np.arange(m1.size)
        anti = z[idx, idx[::-1]]
        cut.plot(m1, ds.sync_max_eq7.values[idx, idx[::-1]], color="k", lw=1.2, label="Eq. (7)")
        step = max(1, m1.size // 25)
        cut.plot(m1[::step], anti[::step], "o", ms=3.5, mfc="none", mec="C3", label="numerical")
        cut.set_xlabel(r"$m^z_1 = -m^z_2$")
        cut.set_ylabel(r"$S^{\max}_{12}$")
        cut.legend(loc="upper center")
        cut.set_title(r"cut $m^z_2=-m^z_1$; dashed contours: Eq. (7)", fontsize=7.5)
        files = save_figure(fig, out_dir, "fig2a")
    files.append(write_data(ds, out_dir, "fig2a"))
    return FigureOutput("fig2a", files, {"eq7_max_abs_deviation": dev, "max_sync": float(z.max())})


def make_fig2b(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 2(b): the Arnold tongue Sᵐᵃˣ₁₂(Δ, U) at m₁ = −m₂ = 1/4."""
    data = fig2b_sweep(options.quick)
    ds, dev = _with_eq7(run_spec(data, out_dir, options), data)
    u, delta = ds.U.values, ds.delta.values
    z = ds.sync_max.isel(pair=0).values  # (U, delta)
    with paper_style():
        fig, (ax, cut) = plt.subplots(1, 2, figsize=(2 * COLUMN, 0.85 * COLUMN),
                                      gridspec_kw={"width_ratios": [1.25, 1]},
                                      constrained_layout=True)
        _map_panel(ax, delta, u, z, ds.sync_max_eq7.values, r"$\Delta = \omega_1-\omega_2$", r"$U$", fig)
        panel_label(ax, "(b)")
        step = max(1, delta.size // 25)
        for target, color in ((0.2, "C3"), (0.6, "C0")):
            i = int(np.argmin(np.abs(u - target)))
            cut.plot(delta, ds.sync_max_eq7.values[i], color=color, lw=1.1,
                     label=rf"Eq. (7), $U={u[i]:.2f}$")
            cut.plot(delta[::step], z[i, ::step], "o", ms=3.2, mfc="none", mec=color,
                     label="numerical")
            ax.axhline(u[i], color=color, lw=0.7, ls=":")
        cut.set_xlabel(r"$\Delta$")
        cut.set_ylabel(r"$S^{\max}_{12}$")
        cut.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=6.5)
        cut.set_title(r"$m^z_1=-m^z_2=1/4$; dashed contours: Eq. (7)", fontsize=7.5)
        files = save_figure(fig, out_dir, "fig2b")
    files.append(write_data(ds, out_dir, "fig2b"))
    return FigureOutput("fig2b", files, {"eq7_max_abs_deviation": dev, "max_sync": float(z.max())})
