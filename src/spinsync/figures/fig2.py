"""Fig. 2: quantum synchronization of two qubits — the blockade (a) and the Arnold tongue (b).

Parameters (paper, Fig. 2 caption; qubit j of the paper is index j − 1):

* both panels: the larger rate of each qubit is 1 (m ≥ 0: Γᵍ = 1; m < 0: Γᵈ = 1), which
  makes it the unit of every rate, of Δ and of U (ħ = 1); isotropic coupling
  Uˣ = Uʸ = Uᶻ = U ("α = x, y, z" in the caption);
* (a) U = 1, Δ = ω₁ − ω₂ = 0, Sᵐᵃˣ₁₂ over (m₁, m₂). The caption rule cannot reach
  |m| = 1 (a rate would vanish; ``docs/conventions.md`` keeps m in (−1, 1)), so the grid
  spans [−0.99, 0.99]: 201 × 201 points (``--quick``: 21 × 21). The circle marks
  m₁ = −m₂ = 1/4.
* (b) m₁ = −m₂ = 1/4, Sᵐᵃˣ₁₂ over Δ and U. The paper prints no ranges; we choose
  Δ ∈ [−2, 2] (ω₁ = Δ, ω₂ = 0) and U ∈ [0, 1], 201 × 201 points (``--quick``: 21 × 21).

What Eq. (7) says about (b) (:func:`eq7_ridge`): at every detuning the largest Sᵐᵃˣ₁₂ over
U is the same, (π/16)√(Γ₁Γ₂)|m₁ − m₂|/(4Γ) = 0.012272 here; only the coupling that
reaches it, U*(Δ) = √(Γ₁Γ₂(Γ² + 16Δ²))/(8Γ), grows with |Δ| (0.200 at Δ = 0, 0.320 at
Δ = 1, 0.539 at Δ = 2). Synchronization is therefore *not* strongest at Δ = 0: at a fixed
weak coupling U < U*(0) = 0.2 it is largest at Δ = 0 and falls off with |Δ| (the tongue),
while a stronger coupling synchronizes best at the detuning where U*(Δ) = U.

The numerical steady states (batched exact solves) are the colour maps; the closed form
Eq. (7) is drawn over them as dashed contours at the same levels as the solid numerical
contours, and along cuts (right-hand panels: markers = numerics, lines = Eq. 7): the
anti-diagonal m₂ = −m₁ in (a), fixed Δ = 0, 1, 2 against U in (b), with the ridge U*(Δ)
drawn on the map. The NetCDF files also hold Eq. 7's Sᵐᵃˣ (``sync_max_eq7``) and the
largest deviation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..model import Network
from ..sweeps import PointParams, sweep_from_dict
from .common import FigureOutput, Options, run_spec, write_data
from .style import COLUMN, legend_handle, new_figure, paper_style, panel_label, save_figure

__all__ = ["fig2a_sweep", "fig2b_sweep", "eq7_flipflop", "eq7_ridge", "fig2b_network",
           "draw_fig2a", "draw_fig2b", "make_fig2a", "make_fig2b"]

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


#: Detunings at which the Fig. 2(b) checks report the Eq. 7 optimum (the figure's cuts are
#: the first three; Δ = 5 lies outside the plotted range).
RIDGE_DELTAS = (0.0, 0.5, 1.0, 2.0, 5.0)
#: Detunings of the fixed-Δ cuts of Fig. 2(b) and their colours.
CUT_DELTAS = ((0.0, "C0"), (1.0, "C1"), (2.0, "C2"))


def fig2b_network() -> Network:
    """The two-qubit network of Fig. 2(b) at Δ = 0, U = 0 (the sweep's base model)."""
    return sweep_from_dict(fig2b_sweep(quick=True)).base


def eq7_ridge(network: Network, delta: ArrayLike) -> tuple[NDArray[np.float64], float]:
    """Best coupling U*(Δ) and the largest Sᵐᵃˣ₁₂ over U, from Eq. (7).

    At fixed Δ, Eq. (7) gives |⟨σ⁺₁σ⁻₂⟩| = cU/(64Γ²U² + A) with
    A = Γ₁Γ₂(Γ² + 16Δ²) and c = 4Γ₁Γ₂|m₁ − m₂|√(Γ² + 16Δ²). It is largest at
    U* = √A/(8Γ) = √(Γ₁Γ₂(Γ² + 16Δ²))/(8Γ), where it equals √(Γ₁Γ₂)|m₁ − m₂|/(4Γ):
    **the peak does not depend on Δ**; only the coupling that reaches it grows with |Δ|.
    Returns (U*(Δ) for each Δ, (π/16)·peak).
    """
    g1, g2 = (float(x) for x in network.total_rate[:2])
    m1, m2 = (float(x) for x in network.magnetization[:2])
    gamma = g1 + g2
    delta = np.asarray(delta, dtype=float)
    best_u = np.sqrt(g1 * g2 * (gamma**2 + 16 * delta**2)) / (8 * gamma)
    peak = (np.pi / 16) * np.sqrt(g1 * g2) * abs(m1 - m2) / (4 * gamma)
    return best_u, float(peak)


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


#: Note shared by both figures: units (the caption fixes the larger rate of each qubit to 1)
#: and the contour styles of the maps.
UNITS = (r"rates, $\Delta$, $U$ in units of the larger rate of each qubit ($=1$); "
         r"contours: numerics black, Eq. (7) white dashed")


def draw_fig2a(ds: xr.Dataset) -> Figure:
    """Fig. 2(a) from its dataset (``fig2a.nc``): the map and the cut m₂ = −m₁."""
    m1, m2 = ds.m1.values, ds.m2.values
    z = ds.sync_max.isel(pair=0).values  # (m1, m2)
    eq7 = ds.sync_max_eq7.values
    fig = new_figure(2 * COLUMN, 0.9 * COLUMN)
    ax, cut = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    _map_panel(ax, m1, m2, z.T, eq7.T, r"$m^z_1$", r"$m^z_2$", fig)
    ax.plot([0.25], [-0.25], marker="o", ms=9, mfc="none", mec="r", mew=1.4)
    ax.annotate("Fig. 2(b)", xy=(0.25, -0.25), xytext=(0.38, -0.5), color="r", fontsize=7,
                arrowprops=dict(arrowstyle="-", color="r", lw=0.6))
    ax.plot(m1, m1, color="0.8", lw=0.6, ls=":")
    ax.set_aspect("equal")
    panel_label(ax, "(a)")
    # Cut along m₂ = −m₁ (the grid is symmetric, so index i pairs with −1 − i).
    idx = np.arange(m1.size)
    anti = z[idx, idx[::-1]]
    cut.plot(m1, eq7[idx, idx[::-1]], color="k", lw=1.2, label="Eq. (7)")
    step = max(1, m1.size // 25)
    cut.plot(m1[::step], anti[::step], "o", ms=3.5, mfc="none", mec="C3", label="numerical")
    cut.set_xlabel(r"$m^z_1 = -m^z_2$")
    cut.set_ylabel(r"$S^{\max}_{12}$")
    cut.legend(loc="upper center")
    cut.set_title(r"cut along $m^z_2=-m^z_1$ ($U = 1$, $\Delta = 0$)", fontsize=7.5)
    fig.suptitle(UNITS, fontsize=7.5)
    return fig


def draw_fig2b(ds: xr.Dataset) -> Figure:
    """Fig. 2(b) from its dataset (``fig2b.nc``): the map with the Eq. 7 ridge, and cuts at fixed Δ."""
    u, delta = ds.U.values, ds.delta.values
    z = ds.sync_max.isel(pair=0).values  # (U, delta)
    eq7 = ds.sync_max_eq7.values
    ridge_u, peak = eq7_ridge(fig2b_network(), delta)
    fig = new_figure(2 * COLUMN, 0.95 * COLUMN)
    ax, cut = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    _map_panel(ax, delta, u, z, eq7, r"$\Delta = \omega_1-\omega_2$", r"$U$", fig)
    inside = ridge_u <= u[-1]
    ax.plot(delta[inside], ridge_u[inside], color="r", lw=1.0, ls="-.")
    ax.set_ylim(u[0], u[-1])
    panel_label(ax, "(b)")
    step = max(1, u.size // 25)
    for target, color in CUT_DELTAS:
        j = int(np.argmin(np.abs(delta - target)))
        cut.plot(u, eq7[:, j], color=color, lw=1.1, label=rf"$\Delta={delta[j]:g}$")
        cut.plot(u[::step], z[::step, j], "o", ms=3.0, mfc="none", mec=color)
        ax.axvline(delta[j], color=color, lw=0.8, ls=":")
        best, _ = eq7_ridge(fig2b_network(), delta[j])
        cut.axvline(float(best), color=color, lw=0.6, ls=":")
    cut.axhline(peak, color="0.4", lw=0.6, ls="--")
    cut.set_xlim(u[0], u[-1])
    cut.set_ylim(0, 1.12 * peak)
    cut.set_xlabel(r"$U$")
    cut.set_ylabel(r"$S^{\max}_{12}$")
    handles = [*cut.get_legend_handles_labels()[0],
               legend_handle(ls="none", marker="o", ms=3.0, mfc="none", mec="0.3", label="numerical"),
               legend_handle(color="r", lw=1.0, ls="-.", label=r"ridge $U^*(\Delta)$, Eq. (7)")]
    cut.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3,
               fontsize=6.5)
    cut.set_title(rf"fixed $\Delta$: the same peak {peak:.5f} at every $\Delta$," "\n"
                  r"reached at $U^*(\Delta)$ (dotted)", fontsize=7.5)
    fig.suptitle(r"$m^z_1=-m^z_2=1/4$; " + UNITS, fontsize=7.5)
    return fig


def make_fig2a(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 2(a): the synchronization blockade Sᵐᵃˣ₁₂(m₁, m₂) at U = 1, Δ = 0."""
    data = fig2a_sweep(options.quick)
    ds, dev = _with_eq7(run_spec(data, out_dir, options), data)
    z = ds.sync_max.isel(pair=0)
    # Every grid point at the maximum, as aligned (m₁, m₂) lists (the two corners
    # m₁ = −m₂ = ±0.99 tie by symmetry, up to rounding).
    at_max = np.argwhere(np.isclose(z.values, float(z.max()), rtol=1e-12, atol=0.0))
    with paper_style():
        files = save_figure(draw_fig2a(ds), out_dir, "fig2a")
    files.append(write_data(ds, out_dir, "fig2a"))
    return FigureOutput("fig2a", files, {
        "eq7_max_abs_deviation": dev, "max_sync": float(z.max()),
        "max_sync_at_m1": [float(ds.m1.values[i]) for i, _ in at_max],
        "max_sync_at_m2": [float(ds.m2.values[k]) for _, k in at_max],
        "max_diagonal_sync": float(np.max(np.diagonal(z.values)))})


def make_fig2b(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 2(b): the Arnold tongue Sᵐᵃˣ₁₂(Δ, U) at m₁ = −m₂ = 1/4."""
    data = fig2b_sweep(options.quick)
    ds, dev = _with_eq7(run_spec(data, out_dir, options), data)
    z = ds.sync_max.isel(pair=0).values  # (U, delta)
    best_u, peak = eq7_ridge(fig2b_network(), RIDGE_DELTAS)
    with paper_style():
        files = save_figure(draw_fig2b(ds), out_dir, "fig2b")
    files.append(write_data(ds, out_dir, "fig2b"))
    return FigureOutput("fig2b", files, {
        "eq7_max_abs_deviation": dev, "max_sync": float(z.max()), "eq7_peak_every_delta": peak,
        "eq7_best_u": {f"{d:g}": float(b) for d, b in zip(RIDGE_DELTAS, best_u)}})
