"""Per-point sweep solvers beyond the exact engine: permutation (exact) and cumulant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinsync import steady_state, sync_total
from spinsync.sweeps import open_sweep, run_sweep, sweep_from_dict


def _memory_sweep(solver: str, m: int = 12) -> dict:
    """The scaled Fig. 3(b) network: memory qubit 0 and m identical qubits (one tied axis)."""
    return {
        "sweep": {"name": f"memory-{solver}", "solver": solver},
        "model": {"qubits": {"magnetization": [0.0] * (m + 1)},
                  "couplings": {"topology": "star", "hub": 0, "ux": 2.0, "uy": 2.0, "uz": 1.0}},
        "axis": [
            {"name": "m1", "set": ["qubits.magnetization[0]"], "values": [-0.6, 0.4]},
            {"name": "m2", "set": [f"qubits.magnetization[{j}]" for j in range(1, m + 1)],
             "values": [-0.5, 0.5]},
        ],
    }


@pytest.mark.parametrize("solver", ["permutation", "cumulant"])
def test_per_point_path(tmp_path: Path, solver: str) -> None:
    spec = sweep_from_dict(_memory_sweep(solver))
    out = tmp_path / "s.nc"
    run_sweep(spec, out, workers=1, progress=False)
    ds = open_sweep(out)
    assert set(np.unique(ds.method.values)) == {solver}
    # each point equals the direct API call
    net = spec.points(0, 1).network(0)
    assert float(ds.sync_total.values.ravel()[0]) == pytest.approx(
        sync_total(steady_state(net, method=solver)), rel=1e-9)
    fid = ds.fidelity.values
    # the cumulant keeps only moments: no fidelity; the permutation state gives it exactly
    assert np.all(np.isnan(fid)) if solver == "cumulant" else np.all((fid > 0) & (fid <= 1 + 1e-12))
