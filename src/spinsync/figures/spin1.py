"""Spin-1 pair (supplement S.M. IV): steady-state correlations against the coupling.

Computed and drawn by the theory package (:func:`spinsync.theory.spin1.spin1_sweep`,
:func:`~spinsync.theory.spin1.draw_spin1`) in the shared figure style: two spin-1 sites
with γᵍ = 1, γᵈ = 0.5 on both, Uᶻ = 0.5, Uʸ = Uˣ (XXZ) or Uˣ/2 (XYZ), for both dissipation
schemes (J± as in Eq. S29, and the J±Jᶻ scheme whose limit cycle is |1, 0⟩, Eq. S27).
U = Uˣ runs over 25 log-spaced values in [0.01, 10] (``--quick``: 7). The NetCDF file holds
the plotted curves and, as JSON in the ``spin1_report`` attribute, the numbers of
:func:`spinsync.theory.spin1.spin1_report` (limit cycles, residuals, Eq. S30 comparison).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import numpy as np
import xarray as xr

from .common import FigureOutput, Options, write_data
from .style import paper_style, save_figure

__all__ = ["make_spin1"]


def make_spin1(out_dir: Path, options: Options) -> FigureOutput:
    """Write spin1.png, spin1.pdf and spin1.nc (the plotted curves).

    The checks hold, per scheme, whether the XXZ pair keeps the theorem and its numbers at
    Uˣ = Uʸ = 1 (:func:`~spinsync.theory.spin1.spin1_report`): ‖L[ρ₀]‖/‖ρ₀‖, the largest
    connected correlation, the mutual information (nats) and F(ρ_ss, ρ₀).
    """
    from .. import __version__
    from ..cli._app import to_jsonable
    from ..theory.spin1 import draw_spin1, spin1_report, spin1_sweep

    u = np.logspace(-2, 1, 7 if options.quick else 25)
    curves = spin1_sweep(u)
    with paper_style():
        files = save_figure(draw_spin1(u, curves), out_dir, "spin1")
    keys = list(curves)
    ds = xr.Dataset(
        {"correlation": (("case", "U"), np.array([curves[k]["correlation"] for k in keys]),
                         {"long_name": "max connected correlation |<J^a_1 J^b_2>_c|"}),
         "infidelity": (("case", "U"), np.array([curves[k]["infidelity"] for k in keys]),
                        {"long_name": "1 - F(rho_ss, rho_0)"})},
        coords={"case": keys, "U": u},
        attrs={"title": "spinsync spin-1 pair (S.M. IV)", "spinsync_version": __version__,
               "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
               "spin1_report": json.dumps(to_jsonable(spin1_report()))},
    )
    files.append(write_data(ds, out_dir, "spin1"))
    report = json.loads(ds.attrs["spin1_report"])
    checks: dict = {}
    for scheme, v in report["schemes"].items():
        xxz = v["xxz"]
        checks[f"keeps_theorem_xxz_{scheme}"] = v["keeps_theorem_xxz"]
        checks[f"xxz_{scheme}"] = {k: xxz[k] for k in ("product_residual", "max_connected_correlation",
                                                      "mutual_information", "fidelity_to_product")}
    return FigureOutput("spin1", files, checks)
