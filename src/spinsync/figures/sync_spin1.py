"""Synchronization maps of spin-1 limit-cycle oscillators (Roulet–Bruder scheme, issue 14).

Three figures, each computed by direct loops over :func:`spinsync.steady_state` (one exact
solve per grid point: a 9×9 Liouvillian for one site, 81×81 for a pair; ~3–6 ms each) and
the S-functions of :mod:`spinsync.measures.sync`, saved as NetCDF and drawn from it:

* ``arnold_spin1`` — the Arnold tongue of one driven spin 1, γᵍ = 1, γᵈ = 0.1 (the rate
  unit is γᵍ; ``examples/spin1_driven.toml`` is the point ω = 0.2, Ω = 0.1): max_φ S(φ) over
  the detuning ω ∈ [−1, 1] (H ∋ (ω/2)Jᶻ in the frame of the drive) and the drive
  Ω ∈ [0, 0.3] (H ∋ Ω Jˣ), 61 × 41 points (``--quick``: 21 × 11), with the locked phase
  and the number of maxima.
* ``blockade_spin1`` — the interference blockade (Koppenhöfer & Roulet, PRA 99, 043804
  (2019)): S(φ) of one spin 1 driven on resonance by Ω Jʸ, Ω = 0.1, for γᵍ/γᵈ from 0.2 to 5
  (61 log-spaced ratios, ``--quick`` 13) with γᵍ + γᵈ = 2 (rate unit (γᵍ + γᵈ)/2). At
  γᵍ = γᵈ, ⟨J⁺⟩ = 0 and S has two equal maxima at ±π/2; away from it one maximum at 0
  (γᵍ < γᵈ) or π (γᵍ > γᵈ).
* ``pair_spin1`` — two coupled spin 1s, γᵍ = 1, γᵈ = 0.5 on both (as
  ``examples/spin1_rb_pair.toml``), flip-flop coupling Uˣ = Uʸ = U, Uᶻ = 0: Sᵐᵃˣ₁₂ of the
  relative phase over U ∈ [0, 2] and Δ = ω₁ − ω₂ ∈ [−2, 2] (ω₂ = 0), 31 × 31 points
  (``--quick``: 11 × 11), without a drive and with Ω = 0.3 (phase π/2) on the second,
  resonant oscillator (site 1; the frame is the drive's).

Once sweep axes over ``spins.omega[j]`` and ``spins.drive[j]`` exist (the sweeps engine),
each grid is a sweep file with checkpoints and worker processes; only the S-function
measures would then need to be a sweep output.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from ..measures.spin import spin_expectations
from ..measures.sync import (pair_sync, site_s_coefficients, site_s_function,
                             site_s_function_integrated, site_sync)
from ..model import Network
from .common import FigureOutput, Options, write_data
from .style import COLUMN, new_figure, paper_style, panel_label, save_figure

__all__ = [
    "arnold_grid", "blockade_grid", "pair_grid",
    "arnold_network", "blockade_network", "pair_network",
    "draw_arnold_spin1", "draw_blockade_spin1", "draw_pair_spin1",
    "make_arnold_spin1", "make_blockade_spin1", "make_pair_spin1",
]

#: Rates of the tongue (γᵍ is the rate unit), of the pair, and the drives of (b) and (c).
GAIN, DAMPING = 1.0, 0.1
PAIR_GAIN, PAIR_DAMPING = 1.0, 0.5
BLOCKADE_DRIVE = 0.1
PAIR_DRIVE = 0.3

#: The tongue's point of examples/spin1_driven.toml (ω, Ω), marked on the map.
EXAMPLE_POINT = (0.2, 0.1)


def _attrs(title: str, model: Network, **extra: Any) -> dict[str, Any]:
    from .. import __version__

    return {"title": title, "spinsync_version": __version__,
            "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "model": json.dumps(model.to_dict()),
            "conventions": "spinsync docs/conventions.md and docs/synchronization.md: "
                           "Q = (2s+1)/(4 pi) <theta,phi|rho|theta,phi>, "
                           "S(phi) = int sin(theta) Q dtheta - 1/(2 pi), phases in (-pi, pi]",
            **{k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in extra.items()}}


# --------------------------------------------------------------------------- (a) tongue
def arnold_network(omega: float, drive: float) -> Network:
    """One Roulet–Bruder spin 1, γᵍ = 1, γᵈ = 0.1, detuning ω, drive Ω Jˣ."""
    return Network.spins(1, [GAIN], [DAMPING], scheme="roulet-bruder", omega=[omega], drive=[drive])


def arnold_grid(quick: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(ω, Ω) axes of the tongue."""
    return np.linspace(-1, 1, 21 if quick else 61), np.linspace(0, 0.3, 11 if quick else 41)


def _site_point(net: Network) -> dict[str, Any]:
    from ..steady import steady_state

    result = steady_state(net)
    peaks = site_sync(result.state, 0)
    plus = complex(spin_expectations(result.state, "+")[0])
    return {"max": peaks.max, "phase": np.nan if peaks.phase is None else peaks.phase,
            "n": peaks.n_maxima, "plus": plus, "residual": result.residual, "state": result.state}


def _arnold_dataset(quick: bool) -> xr.Dataset:
    omega, drive = arnold_grid(quick)
    shape = (drive.size, omega.size)
    smax, phase, nmax, resid = np.zeros(shape), np.zeros(shape), np.zeros(shape, int), np.zeros(shape)
    plus = np.zeros(shape, complex)
    for i, d in enumerate(drive):
        for j, w in enumerate(omega):
            p = _site_point(arnold_network(w, d))
            smax[i, j], phase[i, j], nmax[i, j] = p["max"], p["phase"], p["n"]
            plus[i, j], resid[i, j] = p["plus"], p["residual"]
    dims = ("drive", "omega")
    return xr.Dataset(
        {"sync_site_max": (dims, smax, {"long_name": "max_phi S(phi)", "units": "1/rad"}),
         "locked_phase": (dims, phase, {"long_name": "argmax_phi S(phi) (first of equal maxima); "
                                        "NaN where S is flat", "units": "rad"}),
         "n_maxima": (dims, nmax, {"long_name": "number of local maxima of S(phi)"}),
         "coherence_re": (dims, plus.real, {"long_name": "Re <J^+>"}),
         "coherence_im": (dims, plus.imag, {"long_name": "Im <J^+>"}),
         "residual": (dims, resid, {"long_name": "||L[rho]||_F / ||rho||_F"})},
        coords={"omega": ("omega", omega, {"long_name": "detuning omega (H has omega J^z / 2)",
                                           "units": "gamma^g"}),
                "drive": ("drive", drive, {"long_name": "drive Omega (H has Omega J^x)",
                                           "units": "gamma^g"})},
        attrs=_attrs("spinsync: Arnold tongue of a driven spin-1 Roulet-Bruder oscillator",
                     arnold_network(0.0, 0.0), gain=GAIN, damping=DAMPING))


def _hatch(ax, x, y, mask) -> None:
    """Hatch the grid cells where ``mask`` holds (cell edges midway between grid points)."""
    if not mask.any():
        return
    coll = ax.pcolor(_edges(x), _edges(y), np.ma.masked_where(~mask, mask.astype(float)),
                     cmap=ListedColormap([(0, 0, 0, 0)]), shading="flat")
    coll.set_hatch("////")
    coll.set_edgecolor((0.45, 0.45, 0.45, 1.0))
    coll.set_linewidth(0.0)


def _edges(v: np.ndarray) -> np.ndarray:
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])


def draw_arnold_spin1(ds: xr.Dataset) -> Figure:
    """The tongue from ``arnold_spin1.nc``: (a) max_φ S(φ), (b) the locked phase."""
    omega, drive = ds.omega.values, ds.drive.values
    z = ds.sync_site_max.values
    fig = new_figure(2 * COLUMN, 1.0 * COLUMN)
    ax, bx = fig.subplots(1, 2)
    mesh = ax.pcolormesh(omega, drive, z, shading="auto", rasterized=True)
    cbar = fig.colorbar(mesh, ax=ax, pad=0.02)
    cbar.set_label(r"$\max_\phi S(\phi)$ (rad$^{-1}$)")
    if z.max() > 0:
        ax.contour(omega, drive, z, levels=[f * z.max() for f in (0.2, 0.4, 0.6, 0.8)],
                   colors="w", linewidths=0.6)
    phase = ds.locked_phase.values
    pm = bx.pcolormesh(omega, drive, phase / np.pi, shading="auto", cmap="twilight", vmin=-1, vmax=1,
                       rasterized=True)
    pbar = fig.colorbar(pm, ax=bx, pad=0.02, ticks=[-1, -0.5, 0, 0.5, 1])
    pbar.set_label(r"locked phase $\phi_{\rm lock}/\pi$")
    _hatch(bx, omega, drive, ds.n_maxima.values >= 2)
    for a, letter in ((ax, "(a)"), (bx, "(b)")):
        a.set_xlabel(r"detuning $\omega$ (units of $\gamma^g$)")
        a.set_ylabel(r"drive $\Omega$ (units of $\gamma^g$)")
        panel_label(a, letter)
        a.plot([EXAMPLE_POINT[0]], [EXAMPLE_POINT[1]], marker="o", ms=5, mfc="none", mec="r", mew=1.0)
    fig.suptitle(r"One driven spin 1, Roulet–Bruder ($J^+J^z$, $J^-J^z$), $\gamma^g = 1$, "
                 r"$\gamma^d = 0.1$, $H = \omega J^z/2 + \Omega J^x$ in the frame of the drive." "\n"
                 r"(a) largest $S(\phi)$, white contours at 20–80% of its maximum; (b) where it lies; "
                 r"hatched: $S$ has two maxima; red circle: examples/spin1_driven.toml", fontsize=7.5)
    return fig


def make_arnold_spin1(out_dir: Path, options: Options) -> FigureOutput:
    """Write arnold_spin1.png/.pdf/.nc; checks: the peak, the residual, and the example point
    located by the quadrature route (its locked phase and max against the closed form)."""
    ds = _arnold_dataset(options.quick)
    with paper_style():
        files = save_figure(draw_arnold_spin1(ds), out_dir, "arnold_spin1")
    files.append(write_data(ds, out_dir, "arnold_spin1"))
    z = ds.sync_site_max
    at = z.where(z == z.max(), drop=True)
    example = _site_point(arnold_network(*EXAMPLE_POINT))
    quad_phase, quad_max = _quadrature_peak(example["state"].reduced([0]))
    res = ds.sel(omega=0.0, method="nearest")
    two = (ds.n_maxima >= 2).any("omega").values
    return FigureOutput("arnold_spin1", files, {
        "max_sync": float(z.max()), "max_at_omega": float(at.omega.values[0]),
        "max_at_drive": float(at.drive.values[0]), "max_residual": float(ds.residual.max()),
        "resonance_peak_sync": float(res.sync_site_max.max()),
        "resonance_peak_drive": float(res.drive[int(np.argmax(res.sync_site_max.values))]),
        "resonance_sync_at_drive_0.2": float(res.sync_site_max.sel(drive=0.2, method="nearest")),
        "first_drive_with_two_maxima": float(ds.drive[int(np.argmax(two))]) if two.any() else None,
        "example_locked_phase": float(example["phase"]), "example_quadrature_phase": quad_phase,
        "example_sync_max": float(example["max"]), "example_quadrature_max": quad_max})


def _quadrature_peak(rho: np.ndarray) -> tuple[float, float]:
    """argmax and max of S by the quadrature route alone (grid of 2048, then golden section)."""
    grid = np.linspace(-np.pi, np.pi, 2049)[:-1]
    s = site_s_function_integrated(rho, grid)
    i = int(np.argmax(s))
    lo, hi = grid[i] - 2 * np.pi / 2048, grid[i] + 2 * np.pi / 2048
    g = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if site_s_function_integrated(rho, a) > site_s_function_integrated(rho, b):
            hi = b
        else:
            lo = a
    x = (lo + hi) / 2
    return float(np.angle(np.exp(1j * x))), float(site_s_function_integrated(rho, x))


# --------------------------------------------------------------------------- (b) blockade
def blockade_network(ratio: float) -> Network:
    """One Roulet–Bruder spin 1 with γᵍ/γᵈ = ratio, γᵍ + γᵈ = 2, driven by Ω Jʸ on resonance."""
    gain = 2 * ratio / (1 + ratio)
    return Network.spins(1, [gain], [2 - gain], scheme="roulet-bruder", drive=[BLOCKADE_DRIVE],
                         drive_phase=[np.pi / 2])


def blockade_grid(quick: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(γᵍ/γᵈ, φ) axes of the blockade figure (the ratios include 1 exactly)."""
    ratio = np.logspace(np.log10(0.2), np.log10(5), 13 if quick else 61)
    ratio[ratio.size // 2] = 1.0
    return ratio, np.linspace(-np.pi, np.pi, 181 if quick else 721)


#: Largest number of maxima recorded per ratio (the figure shows one or two).
_PEAKS = 4


def _blockade_dataset(quick: bool) -> xr.Dataset:
    ratio, phi = blockade_grid(quick)
    s = np.zeros((ratio.size, phi.size))
    plus = np.zeros(ratio.size, complex)
    smax, resid = np.zeros(ratio.size), np.zeros(ratio.size)
    nmax = np.zeros(ratio.size, int)
    peak_phase = np.full((ratio.size, _PEAKS), np.nan)
    peak_value = np.full((ratio.size, _PEAKS), np.nan)
    harmonics = np.zeros((ratio.size, 2), complex)
    for i, r in enumerate(ratio):
        p = _site_point(blockade_network(r))
        peaks = site_sync(p["state"], 0)
        s[i] = site_s_function(p["state"].reduced([0]), phi)
        harmonics[i] = site_s_coefficients(p["state"].reduced([0]))
        plus[i], smax[i], resid[i], nmax[i] = p["plus"], p["max"], p["residual"], p["n"]
        k = min(_PEAKS, peaks.n_maxima)
        peak_phase[i, :k], peak_value[i, :k] = peaks.phases[:k], peaks.values[:k]
    return xr.Dataset(
        {"s_function": (("ratio", "phi"), s, {"long_name": "S(phi)", "units": "1/rad"}),
         "coherence_re": ("ratio", plus.real, {"long_name": "Re <J^+>"}),
         "coherence_im": ("ratio", plus.imag, {"long_name": "Im <J^+>"}),
         "sync_site_max": ("ratio", smax, {"long_name": "max_phi S(phi)", "units": "1/rad"}),
         "n_maxima": ("ratio", nmax, {"long_name": "number of local maxima of S(phi)"}),
         "peak_phase": (("ratio", "peak"), peak_phase,
                        {"long_name": "phases of the local maxima, largest first", "units": "rad"}),
         "peak_value": (("ratio", "peak"), peak_value, {"long_name": "S at the local maxima"}),
         "harmonic_amplitude": (("ratio", "harmonic"), 2 * np.abs(harmonics),
                                {"long_name": "2|c_k|: S(phi) = 2 Re sum_k c_k exp(-i k phi)",
                                 "units": "1/rad"}),
         "residual": ("ratio", resid, {"long_name": "||L[rho]||_F / ||rho||_F"})},
        coords={"ratio": ("ratio", ratio, {"long_name": "gamma^g / gamma^d (gamma^g + gamma^d = 2)"}),
                "phi": ("phi", phi, {"long_name": "phase phi", "units": "rad"}),
                "peak": np.arange(_PEAKS), "harmonic": [1, 2]},
        attrs=_attrs("spinsync: interference blockade of a driven spin-1 Roulet-Bruder oscillator",
                     blockade_network(1.0), drive=BLOCKADE_DRIVE, drive_phase=float(np.pi / 2)))


#: Ratios drawn as cuts in panel (b), with their colours.
BLOCKADE_CUTS = ((0.2, "#1f5fbf"), (0.5, "#4f9fd8"), (0.8, "#8ecae6"), (1.0, "k"),
                 (1.25, "#f4a261"), (2.0, "#e76f51"), (5.0, "#c0392b"))


def _phase_ticks(axis) -> None:
    axis.set_ticks([-1, -0.5, 0, 0.5, 1], labels=["−1", "−½", "0", "½", "1"])


def _ratio_ticks(axis) -> None:
    axis.set_ticks([0.2, 0.5, 1, 2, 5], labels=["0.2", "0.5", "1", "2", "5"])
    axis.set_minor_formatter(NullFormatter())


def draw_blockade_spin1(ds: xr.Dataset) -> Figure:
    """The blockade from ``blockade_spin1.nc``: (a) S(φ, γᵍ/γᵈ) with its maxima, (b) cuts,
    (c) |⟨J⁺⟩| and max S against the ratio."""
    ratio, phi = ds.ratio.values, ds.phi.values
    s = ds.s_function.values
    fig = new_figure(2 * COLUMN, 1.0 * COLUMN)
    ax, bx, cx = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.3, 1, 1]})
    lim = float(np.max(np.abs(s)))
    mesh = ax.pcolormesh(phi / np.pi, ratio, s, shading="auto", cmap="RdBu_r", vmin=-lim, vmax=lim,
                         rasterized=True)
    cbar = fig.colorbar(mesh, ax=ax, pad=0.02)
    cbar.set_label(r"$S(\phi)$ (rad$^{-1}$)")
    pp = ds.peak_phase.values
    for k in range(pp.shape[1]):
        ax.plot(pp[:, k] / np.pi, ratio, ls="none", marker=".", ms=2.2, color="k")
    ax.set_yscale("log")
    _ratio_ticks(ax.yaxis)
    _phase_ticks(ax.xaxis)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(r"phase $\phi/\pi$")
    ax.set_ylabel(r"$\gamma^g/\gamma^d$")
    panel_label(ax, "(a)")
    for r, color in BLOCKADE_CUTS:
        i = int(np.argmin(np.abs(np.log(ratio / r))))
        bx.plot(phi / np.pi, s[i], color=color, lw=1.4 if r == 1 else 1.0, label=f"{ratio[i]:.2f}")
    for x in (-0.5, 0.5):
        bx.axvline(x, color="0.6", lw=0.5, ls=":")
    bx.axhline(0, color="0.6", lw=0.5)
    bx.set_xlim(-1, 1)
    _phase_ticks(bx.xaxis)
    bx.set_xlabel(r"phase $\phi/\pi$")
    bx.set_ylabel(r"$S(\phi)$ (rad$^{-1}$)")
    bx.legend(title=r"$\gamma^g/\gamma^d$", title_fontsize=6.5, loc="upper center",
              bbox_to_anchor=(0.5, -0.2), ncol=4, fontsize=6.5)
    panel_label(bx, "(b)")
    amp = ds.harmonic_amplitude.values  # (ratio, harmonic): 2|c_k|
    cx.semilogx(ratio, ds.sync_site_max.values, color="k", label=r"$\max_\phi S$")
    cx.semilogx(ratio, amp[:, 0], color="C0", ls="--", label=r"$2|c_1| \propto |\langle J^+\rangle|$ (1:1)")
    cx.semilogx(ratio, amp[:, 1], color="C3", ls="-.", label=r"$2|c_2|$ (2:1)")
    cx.set_xlabel(r"$\gamma^g/\gamma^d$")
    cx.set_ylabel(r"(rad$^{-1}$)")
    _ratio_ticks(cx.xaxis)
    cx.set_xlim(ratio[0], ratio[-1])
    cx.set_ylim(0, 1.08 * float(ds.sync_site_max.max()))
    cx.axvline(1.0, color="0.6", lw=0.5, ls=":")
    cx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, fontsize=6.5)
    panel_label(cx, "(c)")
    fig.suptitle(r"One spin 1, Roulet–Bruder, $\gamma^g + \gamma^d = 2$ (the rate unit), driven by "
                 rf"$\Omega J^y$ on resonance, $\Omega = {float(ds.attrs['drive']):g}$." "\n"
                 r"(a) $S(\phi)$, dots: its maxima; (b) cuts; (c) $S(\phi) = 2|c_1|\cos(\phi-\phi_1) + "
                 r"2|c_2|\cos 2(\phi-\phi_2)$: at $\gamma^g = \gamma^d$ the 1:1 part vanishes, the 2:1 part "
                 r"stays (maxima at $\pm\pi/2$)",
                 fontsize=7.5)
    return fig


def make_blockade_spin1(out_dir: Path, options: Options) -> FigureOutput:
    """Write blockade_spin1.png/.pdf/.nc; checks at γᵍ = γᵈ: |⟨J⁺⟩|, the two maxima and their
    values, and the same maxima found by the quadrature route."""
    ds = _blockade_dataset(options.quick)
    with paper_style():
        files = save_figure(draw_blockade_spin1(ds), out_dir, "blockade_spin1")
    files.append(write_data(ds, out_dir, "blockade_spin1"))
    one = ds.sel(ratio=1.0)
    rho = _site_point(blockade_network(1.0))["state"].reduced([0])
    quad_phase, quad_max = _quadrature_peak(rho)
    return FigureOutput("blockade_spin1", files, {
        "equal_rates_abs_coherence": float(np.hypot(one.coherence_re, one.coherence_im)),
        "equal_rates_n_maxima": int(one.n_maxima),
        "equal_rates_peak_phases": [float(v) for v in one.peak_phase.values if np.isfinite(v)],
        "equal_rates_peak_values": [float(v) for v in one.peak_value.values if np.isfinite(v)],
        "equal_rates_quadrature_phase": quad_phase, "equal_rates_quadrature_max": quad_max,
        "n_maxima_at_ends": [int(ds.n_maxima.values[0]), int(ds.n_maxima.values[-1])],
        "max_residual": float(ds.residual.max())})


# --------------------------------------------------------------------------- (c) pair
def pair_network(coupling: float, delta: float, drive: float = 0.0) -> Network:
    """Two Roulet–Bruder spin 1s (γᵍ = 1, γᵈ = 0.5), Uˣ = Uʸ = U, ω = (Δ, 0), drive on site 1."""
    return Network.spins(1, [PAIR_GAIN] * 2, [PAIR_DAMPING] * 2, scheme="roulet-bruder",
                         omega=[delta, 0.0], drive=[0.0, drive], drive_phase=[0.0, np.pi / 2],
                         bonds=[(0, 1, coupling, coupling, 0.0)])


def pair_grid(quick: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(U, Δ) axes of the pair figure."""
    return np.linspace(0, 2, 11 if quick else 31), np.linspace(-2, 2, 11 if quick else 31)


_PAIR_CASES = (("undriven", 0.0), ("driven", PAIR_DRIVE))


def _pair_dataset(quick: bool) -> xr.Dataset:
    from ..steady import steady_state

    u, delta = pair_grid(quick)
    shape = (len(_PAIR_CASES), u.size, delta.size)
    smax, phase, resid = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    nmax = np.zeros(shape, int)
    site1 = np.zeros(shape)
    for c, (_, drive) in enumerate(_PAIR_CASES):
        for i, x in enumerate(u):
            for j, d in enumerate(delta):
                result = steady_state(pair_network(x, d, drive))
                peaks = pair_sync(result.state, 0, 1)
                smax[c, i, j], nmax[c, i, j] = peaks.max, peaks.n_maxima
                phase[c, i, j] = np.nan if peaks.phase is None else peaks.phase
                resid[c, i, j] = result.residual
                site1[c, i, j] = site_sync(result.state, 1).max
    dims = ("case", "U", "delta")
    return xr.Dataset(
        {"sync_max": (dims, smax, {"long_name": "S^max_12 = max_phi S_12(phi), phi = phi_1 - phi_2",
                                   "units": "1/rad"}),
         "locked_phase": (dims, phase, {"long_name": "argmax S_12 (first of equal maxima)", "units": "rad"}),
         "n_maxima": (dims, nmax, {"long_name": "number of local maxima of S_12(phi)"}),
         "sync_site_max_driven_site": (dims, site1, {"long_name": "max_phi S_2(phi) of site 1"}),
         "residual": (dims, resid, {"long_name": "||L[rho]||_F / ||rho||_F"})},
        coords={"case": [name for name, _ in _PAIR_CASES],
                "U": ("U", u, {"long_name": "coupling U^x = U^y (U^z = 0)", "units": "gamma^g"}),
                "delta": ("delta", delta, {"long_name": "detuning omega_1 - omega_2 (omega_2 = 0)",
                                           "units": "gamma^g"}),
                "drive": ("case", [d for _, d in _PAIR_CASES],
                          {"long_name": "drive Omega J^y on site 1", "units": "gamma^g"})},
        attrs=_attrs("spinsync: two coupled spin-1 Roulet-Bruder oscillators",
                     pair_network(1.0, 0.0, PAIR_DRIVE), gain=PAIR_GAIN, damping=PAIR_DAMPING))


#: Detunings of the cuts in panel (c) of the pair figure.
PAIR_CUTS = ((0.0, "C0"), (1.2, "C1"))  # on both grids (steps 4/30 and 0.4)


def draw_pair_spin1(ds: xr.Dataset) -> Figure:
    """The pair from ``pair_spin1.nc``: Sᵐᵃˣ₁₂(Δ, U) without (a) and with (b) the drive, and
    (c) cuts against U at fixed Δ."""
    u, delta = ds.U.values, ds.delta.values
    z = ds.sync_max.values
    vmax = float(z.max())
    fig = new_figure(2 * COLUMN, 1.0 * COLUMN)
    grid = fig.add_gridspec(1, 3, width_ratios=[1, 1.2, 1])
    ax = fig.add_subplot(grid[0])
    bx = fig.add_subplot(grid[1], sharey=ax)
    cx = fig.add_subplot(grid[2])
    for c, (a, letter) in enumerate(zip((ax, bx), "ab")):
        mesh = a.pcolormesh(delta, u, z[c], shading="auto", vmin=0, vmax=vmax, rasterized=True)
        _hatch(a, delta, u, ds.n_maxima.values[c] == 1)
        a.set_xlabel(r"$\Delta = \omega_1 - \omega_2$ (units of $\gamma^g$)")
        panel_label(a, f"({letter})")
        for d, color in PAIR_CUTS:
            a.axvline(d, color=color, lw=0.8, ls=":")
    ax.set_ylabel(r"coupling $U$ (units of $\gamma^g$)")
    bx.tick_params(labelleft=False)
    cbar = fig.colorbar(mesh, ax=bx, pad=0.02)
    cbar.set_label(r"$S^{\max}_{12}$ (rad$^{-1}$)")
    for d, color in PAIR_CUTS:
        j = int(np.argmin(np.abs(delta - d)))
        cx.plot(u, z[0, :, j], color=color, ls="-", label=rf"$\Delta = {delta[j]:.3g}$, no drive")
        cx.plot(u, z[1, :, j], color=color, ls="--", label=rf"$\Delta = {delta[j]:.3g}$, driven")
    cx.set_xlim(u[0], u[-1])
    cx.set_ylim(0, 1.08 * vmax)
    cx.set_xlabel(r"coupling $U$ (units of $\gamma^g$)")
    cx.set_ylabel(r"$S^{\max}_{12}$ (rad$^{-1}$)")
    cx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=6.5)
    panel_label(cx, "(c)")
    fig.suptitle(r"Two spin 1s, Roulet–Bruder, $\gamma^g = 1$, $\gamma^d = 0.5$ on both, "
                 r"$U(J^x_1J^x_2 + J^y_1J^y_2)$, $\omega_2 = 0$: $S^{\max}_{12}$ of the relative phase "
                 r"$\phi_1-\phi_2$." "\n"
                 r"(a) no drive: two equal maxima (in and out of phase); (b) "
                 rf"$\Omega J^y_2$, $\Omega = {float(ds.drive.values[1]):g}$ on site 2 (frame of the drive); "
                 r"hatched: one maximum", fontsize=7.5)
    return fig


def make_pair_spin1(out_dir: Path, options: Options) -> FigureOutput:
    """Write pair_spin1.png/.pdf/.nc; checks: the largest Sᵐᵃˣ₁₂ of each case, where, and how
    many maxima the undriven S₁₂ has (two: the U(1) pair locks in or out of phase)."""
    ds = _pair_dataset(options.quick)
    with paper_style():
        files = save_figure(draw_pair_spin1(ds), out_dir, "pair_spin1")
    files.append(write_data(ds, out_dir, "pair_spin1"))
    checks: dict[str, Any] = {"max_residual": float(ds.residual.max())}
    for name in ds.case.values:
        z = ds.sync_max.sel(case=name)
        at = z.where(z == z.max(), drop=True)
        checks[f"{name}_max_sync"] = float(z.max())
        checks[f"{name}_max_at_U"] = float(at.U.values[0])
        checks[f"{name}_max_at_delta"] = float(at.delta.values[0])
    checks["undriven_sync_at_U2_abs_delta2"] = float(ds.sync_max.sel(case="undriven").sel(
        U=2.0, delta=2.0, method="nearest"))
    single = ds.n_maxima.sel(case="driven").sel(delta=0.0, method="nearest") == 1
    checks["driven_single_maximum_U_at_delta0"] = [float(v) for v in ds.U.values[single.values]]
    coupled = ds.sync_max.sel(case="undriven").U > 0
    checks["undriven_n_maxima"] = sorted({int(v) for v in
                                          ds.n_maxima.sel(case="undriven").where(coupled, drop=True).values.ravel()})
    return FigureOutput("pair_spin1", files, checks)
