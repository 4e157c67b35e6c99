"""An :class:`~spinsync.dynamics.EvolutionResult` as JSON data, a NetCDF dataset, a figure.

* :func:`evolution_summary` — the JSON contract of ``spinsync evolve --json``;
* :func:`evolution_dataset` — an ``xarray.Dataset`` (complex values split into ``_re`` and
  ``_im`` so any NetCDF reader opens it); :func:`write_dataset` writes it atomically
  (NetCDF-4 through h5netcdf);
* :func:`plot_evolution` — fidelity, correlation sums and magnetizations over time
  (paper Fig. 1b–c and S1), written atomically.

Conventions: times in the model's inverse rate unit; qubits 0 … N−1; C_αβ of
supplement Eq. S6; F not squared (``docs/conventions.md``).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from .evolve import EvolutionResult
from ..io import atomic_write

__all__ = ["evolution_summary", "evolution_dataset", "write_dataset", "plot_evolution"]


def evolution_summary(result: EvolutionResult) -> dict[str, Any]:
    """Plain data for ``spinsync evolve --json``.

    Keys: ``times``, ``fidelity_product``, ``c_pm_re``, ``c_pm_im``, ``c_pp_re``,
    ``c_pp_im`` (lists over time), ``magnetization`` (times × N), and also ``c_mp_*``,
    ``c_mm_*``, ``sync_total``, ``trace``, ``n`` and ``info`` (method, tolerances,
    sector dimensions, wall time in seconds).
    """
    out: dict[str, Any] = {"n": result.network.n, "times": result.times.tolist()}
    out["fidelity_product"] = result.fidelity_product.tolist()
    for key, values in (("pm", result.c_pm), ("pp", result.c_pp), ("mp", result.c_mp), ("mm", result.c_mm)):
        out[f"c_{key}_re"] = values.real.tolist()
        out[f"c_{key}_im"] = values.imag.tolist()
    out["magnetization"] = result.magnetization.tolist()
    out["sync_total"] = result.sync_total.tolist()
    out["trace"] = result.trace.tolist()
    for name, values in result.fidelity.items():
        out[f"fidelity_{name}"] = values.tolist()
    out["info"] = {
        k: result.info[k]
        for k in ("method", "integrator", "rtol", "atol", "basis", "sector_dims", "time")
        if k in result.info
    }
    return out


def evolution_dataset(result: EvolutionResult, attrs: dict[str, Any] | None = None) -> Any:
    """The result as an ``xarray.Dataset`` with dimensions ``time``, ``qubit``, ``qubit_k``.

    Attributes: ``conventions``, ``model`` and ``info`` (JSON), ``spinsync_version``,
    ``created`` (UTC, ISO 8601), then ``attrs`` (which may override them).
    """
    import xarray as xr

    n = result.network.n
    data: dict[str, Any] = {
        "fidelity_product": (("time",), result.fidelity_product),
        "trace": (("time",), result.trace),
        "sync_total": (("time",), result.sync_total),
        "magnetization": (("time", "qubit"), result.magnetization),
    }
    for key, values in (("pm", result.c_pm), ("mp", result.c_mp), ("pp", result.c_pp), ("mm", result.c_mm)):
        data[f"c_{key}_re"] = (("time",), values.real)
        data[f"c_{key}_im"] = (("time",), values.imag)
    for key, values in (("pm", result.pair_pm), ("mm", result.pair_mm)):
        data[f"pair_{key}_re"] = (("time", "qubit", "qubit_k"), values.real)
        data[f"pair_{key}_im"] = (("time", "qubit", "qubit_k"), values.imag)
    for name, values in result.fidelity.items():
        data[f"fidelity_{name}"] = (("time",), values)
    ds = xr.Dataset(
        data,
        coords={"time": result.times, "qubit": np.arange(n), "qubit_k": np.arange(n)},
    )
    descriptions = {
        "fidelity_product": "Uhlmann fidelity Tr sqrt(sqrt(rho0) rho(t) sqrt(rho0)) to the no-go product state (not squared)",
        "trace": "Tr rho(t)",
        "sync_total": "S_t = sum_{j<k} (pi/16)|<s+_j s-_k>|",
        "magnetization": "<sigma^z_j>",
        "c_pm_re": "Re C_{+-} = sum_{j<k} Tr[rho_jk s+_j s-_k] (supplement Eq. S6)",
        "pair_pm_re": "Re <s+_j s-_k> (diagonal set to 0)",
        "pair_mm_re": "Re <s-_j s-_k> (diagonal set to 0)",
    }
    for name, text in descriptions.items():
        ds[name].attrs["description"] = text
    from .. import __version__

    meta = {
        "conventions": "spinsync docs/conventions.md: basis (up, down), sigma^z = diag(1, -1), qubits 0..N-1",
        "model": json.dumps(result.network.to_dict()),
        "info": json.dumps(_jsonable(result.info)),
        # Like sweep files: the version that wrote the file and when (UTC, ISO 8601).
        "spinsync_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
    }
    meta.update({k: _attr(v) for k, v in (attrs or {}).items()})
    ds.attrs.update(meta)
    return ds


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def _attr(value: Any) -> Any:
    """NetCDF attributes must be numbers or strings; None becomes an empty string."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, float, str, np.number)):
        return value
    return json.dumps(_jsonable(value))


def write_dataset(
    result: EvolutionResult, path: str | os.PathLike[str], attrs: dict[str, Any] | None = None
) -> None:
    """Write :func:`evolution_dataset` to ``path`` as NetCDF-4 (h5netcdf), atomically."""
    ds = evolution_dataset(result, attrs)
    atomic_write(path, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))


def plot_evolution(result: EvolutionResult, path: str | os.PathLike[str], title: str = "") -> None:
    """Fidelity, C₊₋ / C₊₊ and ⟨σᶻ_j⟩ against time, saved as an image (format from suffix).

    Draws on a :class:`matplotlib.figure.Figure` (no pyplot, no backend switch), so the
    caller's matplotlib state is left alone. Time is in the inverse of the model's rate
    unit (the unit its gain, damping and coupling numbers are given in; ħ = 1).
    """
    from matplotlib.figure import Figure

    t = result.times
    fig = Figure(figsize=(13, 3.8), layout="constrained")
    axes = fig.subplots(1, 3)
    axes[0].plot(t, result.fidelity_product, color="C3")
    axes[0].set_ylabel(r"$F[\rho(t), \rho_0]$")
    for values, label, color in ((result.c_pm, "+-", "C0"), (result.c_pp, "++", "C1")):
        axes[1].plot(t, values.real, color=color, label=rf"Re $C_{{{label}}}$")
        axes[1].plot(t, values.imag, color=color, ls="--", label=rf"Im $C_{{{label}}}$")
    axes[1].set_ylabel(r"$C_{\alpha\beta}$ (Eq. S6)")
    axes[1].legend(fontsize=8)
    for j in range(result.network.n):
        axes[2].plot(t, result.magnetization[:, j], label=f"{j}")
    axes[2].set_ylabel(r"$\langle\sigma^z_j\rangle$")
    if result.network.n <= 12:
        axes[2].legend(title="qubit", fontsize=7, ncol=2)
    for ax in axes:
        ax.set_xlabel("$t$ (inverse of the model's rate unit)")
    if title:
        fig.suptitle(title)
    fmt = Path(path).suffix.lstrip(".") or "png"
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=120))
