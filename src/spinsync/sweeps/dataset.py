"""Sweep results as an :class:`xarray.Dataset`, with metadata, written to NetCDF.

Variables (``A…`` stands for the sweep's axes, first axis slowest; ``site`` is the
dimension ``qubit`` for ``[qubits]`` models and ``site`` for ``[spins]`` models):

==================  ==============  ====================================================
name                dims            meaning
==================  ==============  ====================================================
``sync_max``        A…, pair        Sᵐᵃˣ_jk = (π/16)|⟨σ⁺_jσ⁻_k⟩| (paper, after Eq. 6);
                                    NaN for ``[spins]`` (Eq. 6 is a qubit formula)
``sync_total``      A…              S_t = Σ_{j<k} Sᵐᵃˣ_jk (paper, Fig. 3); NaN for spins
``flipflop_re/im``  A…, pair        ⟨σ⁺_jσ⁻_k⟩ (Eq. 7's quantity); spins: ⟨J⁺_jJ⁻_k⟩
``magnetization``   A…, site        ⟨σᶻ_j⟩ in the steady state; spins: ⟨Jᶻ_j⟩
``coherence_re/im`` A…, site        ⟨σ⁺_j⟩; spins: ⟨J⁺_j⟩ (non-zero only with a drive:
                                    the data an Arnold tongue is drawn from)
``fidelity``        A…              Uhlmann F(ρ_ss, ρ₀) = Tr √(√ρ ρ₀ √ρ), not squared;
                                    NaN where ρ₀ (⊗ local steady states) is undefined
``residual``        A…              ‖L[ρ_ss]‖_F / ‖ρ_ss‖_F
``min_eigenvalue``  A…              smallest eigenvalue of ρ_ss (positivity check)
``method``          A…              solver of each point (``batch``, ``direct``, …)
==================  ==============  ====================================================

Pairs are all j < k in ``itertools.combinations`` order, with coordinates ``pair_j`` and
``pair_k``; sites are 0-based (the paper's qubit j is index j − 1). The attribute
``symmetry`` records the sector every point was solved in (the weakest over the grid).
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

#: The conventions attribute, per model kind (docs/conventions.md).
_CONVENTIONS = {
    "qubits": ("spinsync docs/conventions.md: basis (|up>, |down>), sz = diag(1, -1), "
               "s+- = (sx +- i sy)/2, qubits 0..N-1 (paper's qubit j is j-1), "
               "Eq. 2 with the factor 1/2 before the dissipators, drive (Omega/2)(cos phi sx "
               "+ sin phi sy) in the drive's frame, hbar = 1"),
    "spins": ("spinsync docs/conventions.md: spin matrices [Jx, Jy] = iJz, basis |s,s>..|s,-s>, "
              "sites 0..N-1, supplement Eq. S29 for n sites with the factor 1/2 before the "
              "dissipators, (omega/2) Jz, drive Omega (cos phi Jx + sin phi Jy), hbar = 1"),
}

#: Tolerances documented in the metadata: states are checked like ``steady_state`` does.
CHECK_TOLERANCE = 1e-8


def network_toml(network: Network) -> str:
    """The network as a model file (explicit bonds).

    Keys at their defaults are left out (zero dephasing, drive and phase; no collective
    channels), so a paper model stays readable by every version of ``load_model``; the
    others use the general model's keys (``[spins]``, ``dephasing``, ``drive``,
    ``drive_phase``, ``[[collective]]``, docs/conventions.md).
    """
    def arr(values: Any) -> str:
        return "[" + ", ".join(repr(float(v)) for v in values) + "]"

    if network.is_qubits:
        lines = ["[qubits]"]
    else:
        lines = ["[spins]", f"s = {arr(network.spin)}", f'scheme = "{network.scheme}"']
    lines += [f"gain = {arr(network.gain)}", f"damping = {arr(network.damping)}",
              f"omega = {arr(network.omega)}"]
    for name in ("dephasing", "drive", "drive_phase"):
        values = getattr(network, name)
        if np.any(values != 0):
            lines.append(f"{name} = {arr(values)}")
    lines += ["", "[couplings]", f"field = {float(network.field)!r}"]
    for j, k, ux, uy, uz in network.bonds:
        lines += ["", "[[couplings.bond]]", f"sites = [{j}, {k}]",
                  f"ux = {ux!r}", f"uy = {uy!r}", f"uz = {uz!r}"]
    for c in network.collective:
        lines += ["", "[[collective]]", f"sites = [{', '.join(str(j) for j in c.sites)}]",
                  f'operator = "{c.operator}"', f"rate = {float(c.rate)!r}"]
    return "\n".join(lines) + "\n"


def build_dataset(spec: SweepSpec, results: dict[str, NDArray], created: str) -> xr.Dataset:
    """Assemble flat per-point ``results`` (in point order) into the sweep's Dataset."""
    from .. import __version__
    from .spec import BATCH_MAX_DIM

    shape = spec.shape
    dims = tuple(a.name for a in spec.axes)
    base = spec.base
    n = base.n
    qubits = base.is_qubits
    site = "qubit" if qubits else "site"
    pairs = list(combinations(range(n), 2))
    ff = np.asarray(results["flipflop"]).reshape(*shape, len(pairs))
    coherence = np.asarray(results["coherence"]).reshape(*shape, n)
    if qubits:
        smax = (np.pi / 16) * np.abs(ff)
        total = smax.sum(axis=-1)
        sync_note = ""
    else:
        # Eq. 6 is the qubit S-function; spin-s S-functions are not defined by this file.
        smax = np.full(ff.shape, np.nan)
        total = np.full(shape, np.nan)
        sync_note = " (not defined for [spins] models: NaN)"
    op = ("s+_j s-_k", "σ⁺_jσ⁻_k", "sz_j", "σᶻ_j", "s+_j", "σ⁺_j") if qubits else \
        ("J+_j J-_k", "J⁺_jJ⁻_k", "Jz_j", "Jᶻ_j", "J+_j", "J⁺_j")

    def var(data: NDArray, extra: tuple[str, ...], long_name: str, **attrs: Any) -> xr.Variable:
        return xr.Variable(dims + extra, data, attrs={"long_name": long_name, **attrs})

    data_vars = {
        "sync_max": var(smax, ("pair",), "S^max_jk = (pi/16)|<s+_j s-_k>|" + sync_note, symbol="Sᵐᵃˣ_jk"),
        "sync_total": var(total, (), "S_t = sum_{j<k} S^max_jk" + sync_note, symbol="S_t"),
        "flipflop_re": var(ff.real, ("pair",), f"Re <{op[0]}>", symbol=f"Re⟨{op[1]}⟩"),
        "flipflop_im": var(ff.imag, ("pair",), f"Im <{op[0]}>", symbol=f"Im⟨{op[1]}⟩"),
        "magnetization": var(np.asarray(results["magnetization"]).reshape(*shape, n), (site,),
                             f"<{op[2]}> in the steady state", symbol=f"⟨{op[3]}⟩"),
        "coherence_re": var(coherence.real, (site,), f"Re <{op[4]}>", symbol=f"Re⟨{op[5]}⟩"),
        "coherence_im": var(coherence.imag, (site,), f"Im <{op[4]}>", symbol=f"Im⟨{op[5]}⟩"),
        "fidelity": var(np.asarray(results["fidelity"]).reshape(shape), (),
                        "Uhlmann fidelity F(rho_ss, rho_0) (not squared; NaN where rho_0 is undefined)",
                        symbol="F[ρ_ss, ρ₀]"),
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
    coords[site] = (site, np.arange(n, dtype=np.int64))
    solver = spec.resolved_solver()
    tolerances = {
        "check_tolerance": CHECK_TOLERANCE,
        "linear_solve": ("float64 dense LU (LAPACK gesv) of the real Hermitian sector form, "
                         "trace row Tr rho = 1; no iteration; points with a condition "
                         "estimate above 1e13 refused" if solver == "batch"
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
        "symmetry": spec.symmetry,
        "model_kind": base.kind,
        "tolerances": json.dumps(tolerances),
        "model_toml": network_toml(base),
        "model_json": json.dumps(base.to_dict()),
        "sweep_json": json.dumps(spec.canonical()),
        "sweep_file": spec.text,
        "source": spec.source,
        "conventions": _CONVENTIONS[base.kind],
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
