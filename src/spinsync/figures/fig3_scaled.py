"""Fig. 3 scaled up: S_t of the all-to-all and one-to-all networks against the environment size.

The paper's Fig. 3(a, b) compares a five-qubit all-to-all network with the one-to-all (star)
network around the memory qubit when the environment qubits share one magnetization. This
figure keeps those parameters and grows the environment to M = 2 … 50 qubits:

* memory qubit 0 with magnetization m₁ = 0.9, M environment qubits with m₂ = −0.9 (the caption
  rule: the larger rate is 1); the maximum of S_t over the 5-qubit panel (a) on a 7 × 7 scan of
  (m₁, m₂) ∈ [−0.9, 0.9]² (S_t = 0.133 there);
* the environment qubits have *identical* rates (the caption's ratios (1.5, 2.5, 0.6) give
  identical magnetizations with different rates; equal rates make the environment a group
  of interchangeable qubits, which is what the exact permutation method needs, and keep the
  no-go argument of the paper unchanged);
* Uˣ = Uʸ = 2, Uᶻ = 1 on every bond, Δ = 0 (panels a, b); all-to-all bonds vs a star on qubit 0.

Exact curves: ``steady_state(solver="permutation")`` (Dicke representation of the environment;
U(1) sector of 2652 entries at M = 50). Beside them the pair-cumulant approximation
(``solver="cumulant"``). Panel (b) is the relative difference of the two networks' S_t — the
size of the all-to-all → one-to-all reduction error as the environment grows.
``--quick`` uses M = 2, 3, 4, 6, 10, 20.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import __version__
from ..measures.sync import sync_total
from ..model import Network
from ..model.rates import rates_from_magnetization
from ..model.topology import topology_bonds
from ..steady import steady_state
from .common import FigureOutput, Options, write_data
from .style import COLUMN, legend_handle, new_figure, paper_style, panel_label, save_figure

__all__ = ["make_fig3_scaled", "draw_fig3_scaled", "scaled_network", "PARAMETERS", "SIZES"]

#: Memory and environment magnetizations, couplings (Fig. 3 a, b).
PARAMETERS = {"m1": 0.9, "m2": -0.9, "ux": 2.0, "uy": 2.0, "uz": 1.0}
#: Environment sizes M (full and ``--quick``).
SIZES = {"full": tuple(range(2, 51)), "quick": (2, 3, 4, 6, 10, 20)}
TOPOLOGIES = {"all-to-all": "all-to-all", "one-to-all": "star"}
METHODS = ("permutation", "cumulant")
_COLORS = {"all-to-all": "#1f5fbf", "one-to-all": "#c0392b"}


def scaled_network(m: int, topology: str) -> Network:
    """Memory qubit 0 and ``m`` identical environment qubits (module docstring)."""
    p = PARAMETERS
    gain, damping = rates_from_magnetization([p["m1"]] + [p["m2"]] * m)
    bonds = topology_bonds(TOPOLOGIES[topology], m + 1, p["ux"], p["uy"], p["uz"], hub=0)
    return Network(gain, damping, bonds=bonds)


def make_fig3_scaled(out_dir: Path, options: Options) -> FigureOutput:
    """Compute S_t(M) for both networks with both methods, save the data, draw from it."""
    sizes = np.array(SIZES["quick" if options.quick else "full"])
    shape = (len(TOPOLOGIES), len(METHODS), sizes.size)
    st, res, secs = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for t, topology in enumerate(TOPOLOGIES):
        for i, m in enumerate(sizes):
            net = scaled_network(int(m), topology)
            for k, method in enumerate(METHODS):
                start = time.perf_counter()
                result = steady_state(net, method=method)
                secs[t, k, i] = time.perf_counter() - start
                st[t, k, i] = sync_total(result)
                res[t, k, i] = result.residual
    coords = {"topology": list(TOPOLOGIES), "solver": list(METHODS), "M": sizes}
    dims = ("topology", "solver", "M")
    ds = xr.Dataset(
        {"sync_total": (dims, st, {"long_name": "S_t = Σ_{j<k} S^max_jk"}),
         "residual": (dims, res, {"long_name": "solver residual (cumulant: of the closed equations)"}),
         "seconds": (dims, secs, {"units": "s"})},
        coords=coords,
        attrs={"title": "spinsync Fig. 3 scaled: S_t against the environment size",
               "spinsync_version": __version__,
               "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "parameters": str(PARAMETERS), "environment_rates": "identical (ratio 1 to qubit 1)",
               "exact_method": "permutation", "approximate_method": "cumulant (order 2)"},
    )
    with paper_style():
        files = save_figure(draw_fig3_scaled(ds), out_dir, "fig3_scaled")
    files.append(write_data(ds, out_dir, "fig3_scaled"))
    exact = ds.sync_total.sel(solver="permutation")
    rel = (exact.sel(topology="one-to-all") - exact.sel(topology="all-to-all")) / exact.sel(topology="all-to-all")
    cum_err = np.abs(ds.sync_total.sel(solver="cumulant") / exact - 1)
    return FigureOutput("fig3_scaled", files, {
        "sizes": sizes.tolist(),
        "sync_total_exact_largest_M": {t: float(exact.sel(topology=t).isel(M=-1)) for t in TOPOLOGIES},
        "relative_difference_smallest_M": float(rel.isel(M=0)),
        "relative_difference_largest_M": float(rel.isel(M=-1)),
        "cumulant_max_relative_error": float(cum_err.max()),
        "max_residual_exact": float(ds.residual.sel(solver="permutation").max()),
    })


def draw_fig3_scaled(ds: xr.Dataset) -> Figure:
    """The figure from its dataset (``fig3_scaled.nc``)."""
    sizes = ds.M.values
    fig = new_figure(2 * COLUMN, 0.85 * COLUMN)
    ax_a, ax_b = fig.subplots(1, 2)
    for topology in ds.topology.values:
        color = _COLORS[str(topology)]
        exact = ds.sync_total.sel(topology=topology, solver="permutation").values
        approx = ds.sync_total.sel(topology=topology, solver="cumulant").values
        ax_a.plot(sizes, exact, "-", color=color, marker="o", markersize=2.5)
        ax_a.plot(sizes, approx, "--", color=color)
    ax_a.set_xlabel(r"environment qubits $M$")
    ax_a.set_ylabel(r"$S_t=\sum_{j<k}S^{\max}_{jk}$")
    ax_a.set_xlim(0, sizes.max() + 1)
    ax_a.set_ylim(0, None)
    panel_label(ax_a, "(a)")
    handles = [legend_handle(color=_COLORS["all-to-all"], label="all-to-all"),
               legend_handle(color=_COLORS["one-to-all"], label="one-to-all"),
               legend_handle(color="0.3", ls="-", marker="o", markersize=2.5, label="exact (permutation)"),
               legend_handle(color="0.3", ls="--", label="pair cumulants")]
    ax_a.legend(handles=handles, loc="lower right", fontsize=6.5)
    for method, ls in (("permutation", "-"), ("cumulant", "--")):
        st = ds.sync_total.sel(solver=method)
        rel = (st.sel(topology="one-to-all") - st.sel(topology="all-to-all")) / st.sel(topology="all-to-all")
        ax_b.plot(sizes, rel.values, ls, color="0.2", marker="o" if method == "permutation" else None,
                  markersize=2.5, label="exact (permutation)" if method == "permutation" else "pair cumulants")
    ax_b.axhline(0, color="0.6", lw=0.6)
    ax_b.set_xlabel(r"environment qubits $M$")
    ax_b.set_ylabel(r"$(S_t^{\rm one}-S_t^{\rm all})/S_t^{\rm all}$")
    ax_b.set_xlim(0, sizes.max() + 1)
    ax_b.legend(loc="upper left", fontsize=6.5)
    panel_label(ax_b, "(b)")
    p = PARAMETERS
    fig.suptitle(rf"memory $m_1={p['m1']:g}$, environment $m_2={p['m2']:g}$ (identical rates), "
                 rf"$U^x=U^y={p['ux']:g}$, $U^z={p['uz']:g}$, $\Delta=0$", fontsize=8)
    return fig
