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
from numpy.typing import NDArray

from .evolve import EvolutionResult
from ..io import atomic_write

__all__ = ["evolution_summary", "evolution_dataset", "write_dataset", "plot_evolution"]


def evolution_summary(result: EvolutionResult) -> dict[str, Any]:
    """Plain data for ``spinsync evolve --json``.

    Keys: ``times``, ``fidelity_product``, ``c_pm_re``, ``c_pm_im``, ``c_pp_re``,
    ``c_pp_im`` (lists over time), ``magnetization`` (times × N: ⟨σᶻ_j⟩ for qubits, ⟨Jᶻ_j⟩
    for spins), ``coherence_re``/``coherence_im`` (times × N: ⟨σ⁺_j⟩, spins ⟨J⁺_j⟩), and
    also ``c_mp_*``, ``c_mm_*``, ``sync_total``, ``trace``, ``n``, ``kind`` (``"qubits"`` or
    ``"spins"``), ``dims`` (2s_j + 1), ``symmetry`` (``"u1"``, ``"parity"``, ``"none"``) and
    ``info`` (method, tolerances, sector dimensions, wall time in seconds). For spins the
    C sums are Σ_{j<k} ⟨Jᵅ_j Jᵝ_k⟩.

    A quantity without meaning for the model is None, not a list of NaN (which is not
    JSON): ``fidelity_product`` where ρ₀ is undefined (a site without a unique local
    steady state), ``sync_total`` for spins.
    """
    network = result.network
    out: dict[str, Any] = {"n": network.n, "kind": network.kind, "dims": list(network.dims),
                           "symmetry": result.info.get("symmetry"), "times": result.times.tolist()}
    out["fidelity_product"] = _defined(result.fidelity_product)
    for key, values in (("pm", result.c_pm), ("pp", result.c_pp), ("mp", result.c_mp), ("mm", result.c_mm)):
        out[f"c_{key}_re"] = values.real.tolist()
        out[f"c_{key}_im"] = values.imag.tolist()
    out["magnetization"] = result.magnetization.tolist()
    coherence = _coherence(result)
    out["coherence_re"] = coherence.real.tolist()
    out["coherence_im"] = coherence.imag.tolist()
    out["sync_total"] = _defined(result.sync_total)
    out["trace"] = result.trace.tolist()
    for name, values in result.fidelity.items():
        out[f"fidelity_{name}"] = values.tolist()
    out["info"] = {
        k: result.info[k]
        for k in ("method", "integrator", "rtol", "atol", "basis", "symmetry", "sector_dims", "time")
        if k in result.info
    }
    return out


def _defined(values: NDArray[np.float64]) -> list[float] | None:
    """``values`` as a list, or None when the quantity is undefined for the model (all NaN)."""
    return None if np.all(np.isnan(values)) else values.tolist()


def _coherence(result: EvolutionResult) -> NDArray[np.complex128]:
    if result.coherence is None:  # results built before coherences were recorded
        return np.full(result.magnetization.shape, np.nan + 0j)
    return result.coherence


#: Why a quantity is absent or NaN, for the NetCDF attribute ``undefined``.
_UNDEFINED_FIDELITY = ("the product state rho0 is undefined: some site's local Liouvillian has "
                       "no unique steady state (docs/conventions.md)")
_UNDEFINED_SYNC = ("S_t is defined for qubits (paper Fig. 3); for spins it is not defined yet")


def evolution_dataset(result: EvolutionResult, attrs: dict[str, Any] | None = None) -> Any:
    """The result as an ``xarray.Dataset``.

    Dimensions ``time`` and, for qubit networks, ``qubit``, ``qubit_k``; for spin networks
    ``site``, ``site_k``. Variables: ``fidelity_product``, ``trace``, ``sync_total``,
    ``magnetization`` (⟨σᶻ_j⟩ or ⟨Jᶻ_j⟩), ``coherence_re``/``_im`` (⟨σ⁺_j⟩ or ⟨J⁺_j⟩), the
    C sums ``c_*_re``/``_im`` and pair matrices ``pair_pm_*``, ``pair_mm_*``; each carries a
    ``description``. A quantity undefined for the model (``fidelity_product`` without ρ₀,
    ``sync_total`` for spins) is NaN with an attribute ``undefined`` saying why. Dataset
    attributes: ``kind``, ``dims``, ``symmetry``, ``conventions``, ``model`` and ``info``
    (JSON), ``spinsync_version``, ``created`` (UTC, ISO 8601), then ``attrs`` (which may
    override them).
    """
    import xarray as xr

    network = result.network
    n = network.n
    qubits = network.is_qubits
    site, site_k = ("qubit", "qubit_k") if qubits else ("site", "site_k")
    coherence = _coherence(result)
    data: dict[str, Any] = {
        "fidelity_product": (("time",), result.fidelity_product),
        "trace": (("time",), result.trace),
        "sync_total": (("time",), result.sync_total),
        "magnetization": (("time", site), result.magnetization),
        "coherence_re": (("time", site), coherence.real),
        "coherence_im": (("time", site), coherence.imag),
    }
    for key, values in (("pm", result.c_pm), ("mp", result.c_mp), ("pp", result.c_pp), ("mm", result.c_mm)):
        data[f"c_{key}_re"] = (("time",), values.real)
        data[f"c_{key}_im"] = (("time",), values.imag)
    for key, values in (("pm", result.pair_pm), ("mm", result.pair_mm)):
        data[f"pair_{key}_re"] = (("time", site, site_k), values.real)
        data[f"pair_{key}_im"] = (("time", site, site_k), values.imag)
    for name, values in result.fidelity.items():
        data[f"fidelity_{name}"] = (("time",), values)
    ds = xr.Dataset(
        data,
        coords={"time": result.times, site: np.arange(n), site_k: np.arange(n)},
    )
    a = "s" if qubits else "J"  # s+ = sigma^+ (qubits), J+ (spins)
    plus = "sigma^+_j" if qubits else "J^+_j"
    descriptions = {
        "fidelity_product": "Uhlmann fidelity Tr sqrt(sqrt(rho0) rho(t) sqrt(rho0)) to the product "
                            "state rho0 of the local steady states (not squared)",
        "trace": "Tr rho(t)",
        "sync_total": "S_t = sum_{j<k} (pi/16)|<s+_j s-_k>|",
        "magnetization": "<sigma^z_j>" if qubits else "<J^z_j>",
        "coherence_re": f"Re <{plus}>",
        "coherence_im": f"Im <{plus}>",
        "c_pm_re": f"Re C_{{+-}} = sum_{{j<k}} Tr[rho_jk {a}+_j {a}-_k]"
                   + (" (supplement Eq. S6)" if qubits else ""),
        "pair_pm_re": f"Re <{a}+_j {a}-_k> (diagonal set to 0)",
        "pair_mm_re": f"Re <{a}-_j {a}-_k> (diagonal set to 0)",
    }
    for name, text in descriptions.items():
        ds[name].attrs["description"] = text
    from .. import __version__

    if np.all(np.isnan(result.fidelity_product)):
        ds["fidelity_product"].attrs["undefined"] = _UNDEFINED_FIDELITY
    if not qubits:
        ds["sync_total"].attrs["undefined"] = _UNDEFINED_SYNC
    conventions = ("spinsync docs/conventions.md: basis (up, down), sigma^z = diag(1, -1), qubits 0..N-1"
                   if qubits else
                   "spinsync docs/conventions.md: local basis |s,s> ... |s,-s>, [Jx, Jy] = i Jz, sites 0..N-1")
    meta = {
        "kind": network.kind,
        "dims": json.dumps(list(network.dims)),
        "symmetry": str(result.info.get("symmetry", "")),
        "conventions": conventions,
        "model": json.dumps(network.to_dict()),
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
    qubits = result.network.is_qubits
    axes[2].set_ylabel(r"$\langle\sigma^z_j\rangle$" if qubits else r"$\langle J^z_j\rangle$")
    if result.network.n <= 12:
        axes[2].legend(title="qubit" if qubits else "site", fontsize=7, ncol=2)
    for ax in axes:
        ax.set_xlabel("$t$ (inverse of the model's rate unit)")
    if title:
        fig.suptitle(title)
    fmt = Path(path).suffix.lstrip(".") or "png"
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=120))
