"""Shared plumbing of the figure modules: options, outputs, sweeps into a folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from ..sweeps import SweepSpec, open_sweep, run_sweep, sweep_from_dict
from ..sweeps.dataset import write_netcdf

__all__ = ["Options", "FigureOutput", "run_spec", "write_data", "WORK_DIR"]

#: Sub-folder of the output folder for intermediate sweep files and their checkpoints;
#: a crashed ``reproduce`` resumes from it, a finished one removes it.
WORK_DIR = ".work"


@dataclass(frozen=True)
class Options:
    """How to make a figure: ``quick`` coarse grids, sweep ``workers``, progress bars."""

    quick: bool = False
    workers: int | None = None
    progress: bool = False


@dataclass
class FigureOutput:
    """Files a figure wrote and a few numbers worth reporting (e.g. Eq. 7 deviations)."""

    name: str
    files: list[Path] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)


def run_spec(data: dict[str, Any], out_dir: Path, options: Options) -> xr.Dataset:
    """Validate a sweep given as a dict, run it under ``out_dir/.work`` and load it."""
    spec: SweepSpec = sweep_from_dict(data, source=f"spinsync.figures:{data['sweep']['name']}")
    work = Path(out_dir) / WORK_DIR
    path = work / f"{spec.name}.nc"
    run_sweep(spec, path, workers=options.workers, progress=options.progress)
    ds = open_sweep(path)
    path.unlink()
    try:
        work.rmdir()
    except OSError:  # other sweeps still running or checkpoints left
        pass
    return ds


def write_data(ds: xr.Dataset, out_dir: Path, name: str) -> Path:
    """The NetCDF file a figure was drawn from: ``out_dir/name.nc`` (atomic)."""
    path = Path(out_dir) / f"{name}.nc"
    write_netcdf(ds, path)
    return path


def remove_work(out_dir: Path) -> None:
    shutil.rmtree(Path(out_dir) / WORK_DIR, ignore_errors=True)
