"""Parameter sweeps: a base model plus axes, solved in batches, checkpointed, saved as NetCDF.

>>> spec = load_sweep("examples/sweeps/fig2a.toml")      # doctest: +SKIP
>>> report = run_sweep(spec, "fig2a.nc", workers=2)        # doctest: +SKIP
>>> ds = open_sweep("fig2a.nc")                            # doctest: +SKIP
"""

from .axes import PATH_FORMS, ParamPath, PointParams, parse_path
from .batch import ParametricSteadyState, batch_steady, sector_dimension
from .dataset import build_dataset, network_toml, open_sweep, write_netcdf
from .runner import SchedulerError, SweepReport, default_workers, run_sweep, scheduler_address
from .solve import solve_points
from .spec import Axis, SweepSpec, Tie, load_sweep, sweep_from_dict
from .store import CheckpointStore, checkpoint_dir

__all__ = [
    "SweepSpec", "Axis", "Tie", "load_sweep", "sweep_from_dict",
    "PointParams", "ParamPath", "parse_path", "PATH_FORMS",
    "ParametricSteadyState", "batch_steady", "sector_dimension", "solve_points",
    "run_sweep", "SweepReport", "default_workers", "scheduler_address", "SchedulerError",
    "build_dataset", "write_netcdf", "open_sweep", "network_toml",
    "CheckpointStore", "checkpoint_dir",
]
