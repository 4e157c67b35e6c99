"""Sweep results as an :class:`xarray.Dataset`, with metadata, written to NetCDF.

Variables (``A…`` stands for the sweep's axes, first axis slowest):

==================  ==============  ====================================================
name                dims            meaning
==================  ==============  ====================================================
``sync_max``        A…, pair        Sᵐᵃˣ_jk = (π/16)|⟨σ⁺_jσ⁻_k⟩| (paper, after Eq. 6)
``sync_total``      A…              S_t = Σ_{j<k} Sᵐᵃˣ_jk (paper, Fig. 3)
``flipflop_re/im``  A…, pair        ⟨σ⁺_jσ⁻_k⟩ (Eq. 7's quantity), real and imaginary
``magnetization``   A…, qubit       ⟨σᶻ_j⟩ in the steady state
``fidelity``        A…              Uhlmann F(ρ_ss, ρ₀) = Tr √(√ρ ρ₀ √ρ), not squared
``residual``        A…              ‖L[ρ_ss]‖_F / ‖ρ_ss‖_F
``min_eigenvalue``  A…              smallest eigenvalue of ρ_ss (positivity check)
``method``          A…              solver of each point (``batch``, ``direct``, …)
==================  ==============  ====================================================

Pairs are all j < k in ``itertools.combinations`` order, with coordinates ``pair_j`` and
``pair_k``; qubits are 0-based (the paper's qubit j is index j − 1).
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from ..io.atomic import atomic_write
from ..model import Network
from .spec import SweepSpec

__all__ = ["build_dataset", "write_netcdf", "open_sweep", "network_toml", "netcdf_engine"]


def netcdf_engine() -> str:
    """``h5netcdf`` (NetCDF-4/HDF5) when its h5py backend is installed, else ``scipy``.

    h5netcdf ≥ 1.8 no longer pulls in h5py, and without it h5netcdf cannot write; SciPy's
    NetCDF-3 writer is always there. Both files open with ``xarray.open_dataset``; the
    engine used is recorded in the ``netcdf_engine`` attribute.
    """
    try:
        import h5py  # noqa: F401
    except ImportError:
        return "scipy"
    return "h5netcdf"

#: Tolerances documented in the metadata: states are checked like ``steady_state`` does.
CHECK_TOLERANCE = 1e-8


def network_toml(network: Network) -> str:
    """The network as a model file (explicit bonds), readable by ``load_model``."""
    def arr(values: Any) -> str:
        return "[" + ", ".join(repr(float(v)) for v in values) + "]"

    lines = ["[qubits]", f"gain = {arr(network.gain)}", f"damping = {arr(network.damping)}",
             f"omega = {arr(network.omega)}", "", "[couplings]", f"field = {float(network.field)!r}"]
    for j, k, ux, uy, uz in network.bonds:
        lines += ["", "[[couplings.bond]]", f"sites = [{j}, {k}]",
                  f"ux = {ux!r}", f"uy = {uy!r}", f"uz = {uz!r}"]
    return "\n".join(lines) + "\n"


def build_dataset(spec: SweepSpec, results: dict[str, NDArray], created: str) -> xr.Dataset:
    """Assemble flat per-point ``results`` (in point order) into the sweep's Dataset."""
    from .. import __version__
    from .spec import BATCH_MAX_DIM

    shape = spec.shape
    dims = tuple(a.name for a in spec.axes)
    n = spec.base.n
    pairs = list(combinations(range(n), 2))
    ff = np.asarray(results["flipflop"]).reshape(*shape, len(pairs))
    smax = (np.pi / 16) * np.abs(ff)

    def var(data: NDArray, extra: tuple[str, ...], long_name: str, **attrs: Any) -> xr.Variable:
        return xr.Variable(dims + extra, data, attrs={"long_name": long_name, **attrs})

    data_vars = {
        "sync_max": var(smax, ("pair",), "S^max_jk = (pi/16)|<s+_j s-_k>|", symbol="Sᵐᵃˣ_jk"),
        "sync_total": var(smax.sum(axis=-1), (), "S_t = sum_{j<k} S^max_jk", symbol="S_t"),
        "flipflop_re": var(ff.real, ("pair",), "Re <s+_j s-_k>", symbol="Re⟨σ⁺_jσ⁻_k⟩"),
        "flipflop_im": var(ff.imag, ("pair",), "Im <s+_j s-_k>", symbol="Im⟨σ⁺_jσ⁻_k⟩"),
        "magnetization": var(np.asarray(results["magnetization"]).reshape(*shape, n), ("qubit",),
                             "<sz_j> in the steady state", symbol="⟨σᶻ_j⟩"),
        "fidelity": var(np.asarray(results["fidelity"]).reshape(shape), (),
                        "Uhlmann fidelity F(rho_ss, rho_0) (not squared)", symbol="F[ρ_ss, ρ₀]"),
        "residual": var(np.asarray(results["residual"]).reshape(shape), (),
                        "||L[rho_ss]||_F / ||rho_ss||_F"),
        "min_eigenvalue": var(np.asarray(results["min_eigenvalue"]).reshape(shape), (),
                              "smallest eigenvalue of rho_ss"),
        "method": var(np.asarray(results["method"]).astype(str).reshape(shape), (),
                      "steady-state method of each point"),
    }
    coords: dict[str, Any] = {
        a.name: xr.Variable((a.name,), a.values, attrs={
            "long_name": a.label, "units": a.units, "sets": json.dumps([p.text for p in a.targets]),
            "scale": json.dumps(list(a.scales))})
        for a in spec.axes
    }
    coords["pair_j"] = ("pair", np.array([p[0] for p in pairs], dtype=np.int64))
    coords["pair_k"] = ("pair", np.array([p[1] for p in pairs], dtype=np.int64))
    coords["qubit"] = ("qubit", np.arange(n, dtype=np.int64))
    solver = spec.resolved_solver()
    tolerances = {
        "check_tolerance": CHECK_TOLERANCE,
        "linear_solve": ("float64 dense LU (LAPACK gesv) of the real Hermitian sector form, "
                         "trace row Tr rho = 1; no iteration" if solver == "batch"
                         else f"steady_state(method={solver!r}) defaults"),
        "batch_max_dim": BATCH_MAX_DIM,
    }
    attrs = {
        "title": f"spinsync sweep {spec.name}",
        "sweep_name": spec.name,
        "description": spec.description,
        "spinsync_version": __version__,
        "created": created,
        "solver": solver,
        "tolerances": json.dumps(tolerances),
        "model_toml": network_toml(spec.base),
        "model_json": json.dumps(spec.base.to_dict()),
        "sweep_json": json.dumps(spec.canonical()),
        "sweep_file": spec.text,
        "source": spec.source,
        "conventions": ("spinsync docs/conventions.md: basis (|up>, |down>), sz = diag(1, -1), "
                        "s+- = (sx +- i sy)/2, qubits 0..N-1 (paper's qubit j is j-1), "
                        "Eq. 2 with the factor 1/2 before the dissipators, hbar = 1"),
    }
    return xr.Dataset(data_vars, coords=coords, attrs=attrs)


def write_netcdf(dataset: xr.Dataset, path: str | Path) -> None:
    """Write ``dataset`` to NetCDF atomically (engine: :func:`netcdf_engine`)."""
    engine = netcdf_engine()
    ds = dataset.copy()
    ds.attrs["netcdf_engine"] = engine
    atomic_write(path, lambda tmp: ds.to_netcdf(tmp, engine=engine))


def open_sweep(path: str | Path) -> xr.Dataset:
    """Load a sweep file fully into memory (the file is closed on return)."""
    with xr.open_dataset(path) as ds:
        return ds.load()
