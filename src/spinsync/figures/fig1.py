"""Fig. 1(b, c) and Fig. S1: six-qubit dynamics from GHZ and random initial states.

Parameters (paper, Fig. 1 caption; qubit j of the paper is index j − 1):

* gains Γᵍ = (1, 0.2, 20, 2, 2.5, 0.3) in both cases;
* damping Γᵈ = (4, 0.8, 80, 8, 10, 1.2) in (b) — every Γᵍ/Γᵈ = 1/4, the no-go case — and
  (0.5, 4, 80, 1, 0.5, 0.2) in (c);
* solid lines: all-to-all couplings Uˣ = Uʸ = 80, Uᶻ = 1; dashed lines: no couplings.

Values the paper leaves open, chosen here:

* ω_j = 0 for every qubit (the no-go theorem holds for any ω; ω only rotates coherences);
* times t ∈ [0, 6] in units of 1/Γᵍ₁ — every rate and coupling of the caption is a multiple
  of the paper's qubit-1 gain Γᵍ₁ = 1, which is therefore the rate unit — with 1201 samples
  (``--quick``: [0, 1], 11). The slowest qubit (the paper's qubit 2, Γᵍ + Γᵈ = 1) relaxes
  its ⟨σᶻ⟩ at (Γᵍ + Γᵈ)/2 = 0.5, so at t = 6 the non-interacting fidelities are within
  4e-4 of 1 and, in case (b), the interacting ones within 3e-6 (the ``final_fidelity_*``
  checks);
* the random initial state is a Haar-random pure state of six qubits with seed
  :data:`RANDOM_SEED` (``initial_states.initial_state("random", 6, seed)``); the GHZ state
  is (|↑…↑⟩ + |↓…↓⟩)/√2.

Fig. 1(b, c) plot F[ρ(t), ρ₀] = Tr √(√ρ ρ₀ √ρ) to the no-go product state ρ₀ (GHZ red,
random blue). Fig. S1 plots the real parts of the correlation sums C₊₋, C₋₊, C₊₊, C₋₋ of
Eq. S6 for case (b) (top row) and (c) (bottom row); the NetCDF file holds real and
imaginary parts (C₋₊ = C₊₋*, C₊₊ = C₋₋*). Integration: DOP853 with relative tolerance
``dynamics.DEFAULT_RTOL`` (1e-8).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from ..model import Network
from .common import FigureOutput, Options, write_data
from .style import (COLUMN, STATE_COLORS, TIME_LABEL, legend_handle, new_figure, paper_style,
                    panel_label, save_figure)

__all__ = ["CASES", "RANDOM_SEED", "fig1_dynamics", "draw_fidelity", "draw_figS1", "make_fig1b",
           "make_fig1c", "make_figS1"]

RANDOM_SEED = 2023
GAIN = (1.0, 0.2, 20.0, 2.0, 2.5, 0.3)
CASES = {
    "b": (4.0, 0.8, 80.0, 8.0, 10.0, 1.2),
    "c": (0.5, 4.0, 80.0, 1.0, 0.5, 0.2),
}
INITIAL = ("ghz", "random")
COUPLING = ("interacting", "noninteracting")
CORRELATIONS = (("c_pm", r"C_{+-}"), ("c_mp", r"C_{-+}"), ("c_pp", r"C_{++}"), ("c_mm", r"C_{--}"))

_CACHE: dict[tuple[str, bool], xr.Dataset] = {}


def network(case: str) -> Network:
    """The interacting six-qubit network of Fig. 1(``case``)."""
    return Network.with_topology(GAIN, CASES[case], "all-to-all", 80.0, 80.0, 1.0, omega=[0.0] * 6)


def times(quick: bool) -> np.ndarray:
    return np.linspace(0.0, 1.0, 11) if quick else np.linspace(0.0, 6.0, 1201)


def fig1_dynamics(case: str, options: Options) -> xr.Dataset:
    """Fidelities and correlation sums of the four runs of one case (cached per process)."""
    key = (case, options.quick)
    if key in _CACHE:
        return _CACHE[key]
    from .. import __version__
    from ..dynamics import DEFAULT_RTOL, evolve
    from ..states import initial_state
    from ..sweeps.dataset import network_toml

    t = times(options.quick)
    net = network(case)
    shape = (len(INITIAL), len(COUPLING), t.size)
    fid = np.zeros(shape)
    corr = {name: np.zeros(shape, dtype=complex) for name, _ in CORRELATIONS}
    mag = np.zeros(shape + (net.n,))
    for i, init in enumerate(INITIAL):
        rho0 = initial_state(init, net.n, seed=RANDOM_SEED)
        for c, coupling in enumerate(COUPLING):
            model = net if coupling == "interacting" else net.without_couplings()
            res = evolve(model, rho0, t)
            fid[i, c] = res.fidelity_product
            mag[i, c] = res.magnetization
            for name, _ in CORRELATIONS:
                corr[name][i, c] = getattr(res, name)
    dims = ("initial", "coupling", "time")
    data = {"fidelity": (dims, fid, {"long_name": "Uhlmann fidelity F[rho(t), rho_0] (not squared)"}),
            "magnetization": (dims + ("qubit",), mag, {"long_name": "<sz_j>(t)"})}
    for name, label in CORRELATIONS:
        data[f"{name}_re"] = (dims, corr[name].real, {"long_name": f"Re {label} (Eq. S6)"})
        data[f"{name}_im"] = (dims, corr[name].imag, {"long_name": f"Im {label} (Eq. S6)"})
    ds = xr.Dataset(
        data,
        coords={"initial": list(INITIAL), "coupling": list(COUPLING), "time": t,
                "qubit": np.arange(net.n)},
        attrs={
            "title": f"spinsync Fig. 1({case}) dynamics",
            "spinsync_version": __version__,
            "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "model_toml": network_toml(net),
            "model_json": json.dumps(net.to_dict()),
            "noninteracting": "the same qubits with every bond removed",
            "random_state": f"Haar-random pure state, initial_state('random', 6, seed={RANDOM_SEED})",
            "solver": "spinsync.dynamics.evolve (DOP853)",
            "tolerances": json.dumps({"rtol": DEFAULT_RTOL}),
        },
    )
    _CACHE[key] = ds
    return ds


def draw_fidelity(ds: xr.Dataset, case: str) -> Figure:
    """Fig. 1(``case``) from its dataset (:func:`fig1_dynamics` or ``fig1<case>.nc``)."""
    fig = new_figure(COLUMN, 0.8 * COLUMN)
    ax = fig.subplots()
    for init in INITIAL:
        for coupling, ls in (("interacting", "-"), ("noninteracting", "--")):
            ax.plot(ds.time, ds.fidelity.sel(initial=init, coupling=coupling), ls=ls,
                    color=STATE_COLORS[init], lw=1.1 if ls == "-" else 1.3,
                    label=f"{'GHZ' if init == 'ghz' else 'random'}, "
                          + ("all-to-all $U$" if coupling == "interacting" else "$U = 0$"))
    ax.axhline(1.0, color="0.6", lw=0.6, ls=":")
    ax.set_xlabel(TIME_LABEL)
    ax.set_ylabel(r"$F[\hat\rho(t),\hat\rho_0]$")
    ax.set_xlim(float(ds.time[0]), float(ds.time[-1]))
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower right", ncol=1)
    title = "identical" if case == "b" else "non-identical"
    panel_label(ax, f"({case})")
    ax.set_title(rf"{title} $\Gamma^g_j/\Gamma^d_j$", fontsize=8.5)
    return fig


def _fidelity_figure(case: str, out_dir: Path, options: Options) -> FigureOutput:
    ds = fig1_dynamics(case, options)
    name = f"fig1{case}"
    with paper_style():
        files = save_figure(draw_fidelity(ds, case), out_dir, name)
    files.append(write_data(ds, out_dir, name))
    final = ds.fidelity.isel(time=-1)
    return FigureOutput(name, files, {f"final_fidelity_{i}_{c}": float(final.sel(initial=i, coupling=c))
                                      for i in INITIAL for c in COUPLING})


def make_fig1b(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 1(b): F[ρ(t), ρ₀] with identical Γᵍ/Γᵈ (every curve ends at 1)."""
    return _fidelity_figure("b", out_dir, options)


def make_fig1c(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. 1(c): F[ρ(t), ρ₀] with different Γᵍ/Γᵈ (interacting curves end below 1)."""
    return _fidelity_figure("c", out_dir, options)


def make_figS1(out_dir: Path, options: Options) -> FigureOutput:
    """Fig. S1: Re C₊₋, C₋₊, C₊₊, C₋₋ over time, cases (b) top and (c) bottom."""
    ds = xr.concat([fig1_dynamics(c, options) for c in CASES], dim="case", combine_attrs="drop_conflicts")
    ds = ds.assign_coords(case=list(CASES))
    ds.attrs["title"] = "spinsync Fig. S1 correlation sums"
    ds.attrs.pop("model_toml", None)
    ds.attrs.pop("model_json", None)
    for c in CASES:
        ds.attrs[f"model_toml_{c}"] = fig1_dynamics(c, options).attrs["model_toml"]
    with paper_style():
        files = save_figure(draw_figS1(ds), out_dir, "figS1")
    files.append(write_data(ds, out_dir, "figS1"))
    last = ds.isel(time=-1).sel(coupling="interacting")
    checks = {f"final_abs_c_pm_{c}": float(np.max(np.hypot(last.c_pm_re.sel(case=c), last.c_pm_im.sel(case=c))))
              for c in CASES}
    return FigureOutput("figS1", files, checks)


def draw_figS1(ds: xr.Dataset) -> Figure:
    """Fig. S1 from its dataset (``figS1.nc``): one row per case, one column per C_αβ.

    The panels of a column share their y axis (as in the paper); every panel carries its
    own y label, the bottom row the time axis, and the panel letters sit above the axes.
    """
    letters = "abcdefgh"
    rows = {"b": r"(a–d) identical $\Gamma^g_j/\Gamma^d_j$, rates of Fig. 1(b)",
            "c": r"(e–h) non-identical $\Gamma^g_j/\Gamma^d_j$, rates of Fig. 1(c)"}
    fig = new_figure(2 * COLUMN, 1.15 * COLUMN)
    # The bottom row also holds the time axis and the legend: give it the extra height.
    subfigs = fig.subfigures(2, 1, height_ratios=[1.0, 1.32])
    top = None
    for r, case in enumerate(CASES):
        sub = subfigs[r]
        axes = sub.subplots(1, 4)
        for col, (name, label) in enumerate(CORRELATIONS):
            ax = axes[col]
            if top is not None:  # columns share y (the paper's choice); all panels share t
                ax.sharey(top[col])
            if r or col:
                ax.sharex(top[0] if top is not None else axes[0])
            for init in INITIAL:
                for coupling, ls in (("interacting", "-"), ("noninteracting", "--")):
                    ax.plot(ds.time, ds[f"{name}_re"].sel(case=case, initial=init, coupling=coupling),
                            ls=ls, color=STATE_COLORS[init], lw=0.9)
            ax.axhline(0, color="0.6", lw=0.5, ls=":")
            ax.set_xlim(float(ds.time[0]), float(ds.time[-1]))
            ax.set_ylabel(rf"Re ${label}(t)$", labelpad=1)
            panel_label(ax, f"({letters[4 * r + col]})")
            if r == len(CASES) - 1:
                ax.set_xlabel(TIME_LABEL.replace("units of ", ""), fontsize=7.5)
            else:
                ax.tick_params(labelbottom=False)
        sub.suptitle(rows[case], fontsize=8.5)
        if top is None:
            top = axes
    handles = [legend_handle(color=STATE_COLORS["ghz"], label="GHZ"),
               legend_handle(color=STATE_COLORS["random"], label="random"),
               legend_handle(color="k", ls="-", label="interacting ($U$ of Fig. 1)"),
               legend_handle(color="k", ls="--", label="non-interacting ($U = 0$)")]
    subfigs[-1].legend(handles=handles, loc="outside lower center", ncol=4)
    return fig
