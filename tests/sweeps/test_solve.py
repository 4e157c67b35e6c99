"""The per-point path (``solver = auto | direct | gmres | analytic``) for every model, against
the batched path on the same points, and one chunk as the runner sends it; the methods beyond
the exact engine (permutation, exact; cumulant) per point in a sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinsync import Network, steady_state, sync_total
from spinsync.model import Collective
from spinsync.sweeps import PointParams, open_sweep, parse_path, run_sweep, solve_points, sweep_from_dict
from spinsync.sweeps.batch import RESULT_KEYS
from spinsync.sweeps.solve import ChunkTask, solve_chunk


def _points(base: Network, path: str, values) -> PointParams:
    params = PointParams.repeat(base, len(values))
    params.set(parse_path(path), np.asarray(values, dtype=float))
    params.validate()
    return params


CASES = {
    "driven qubits": lambda: _points(
        Network([1.0, 0.2], [0.3, 1.0], [0.4, -0.1], [(0, 1, 0.8, 0.3, 0.2)], dephasing=[0.1, 0.0]),
        "qubits.drive", [0.0, 0.3, 0.8]),
    "collective": lambda: _points(
        Network([0.3, 0.2], [1.0, 0.6], bonds=[(0, 1, 1.0, 1.0, 0.0)],
                collective=[Collective("all", "lowering", 0.2)]),
        "collective[0].rate", [0.0, 0.4]),
    "spin-1 gain-damping": lambda: _points(
        Network.spins(1, [1.0, 0.2], [0.4, 1.0], omega=[0.3, 0.0], bonds=[(0, 1, 0.5, 0.5, 0.1)]),
        "spins.dephasing[1]", [0.0, 0.5]),
    "no rho0": lambda: _points(  # qubit 1 has no local state: F = NaN on both paths
        Network([1.0, 0.0], [0.4, 0.0], bonds=[(0, 1, 1.0, 1.0, 0.0)]), "qubits.omega[1]", [0.0, 0.5]),
    "driven spin 3/2": lambda: _points(
        Network.spins(1.5, [1.0], [0.3], scheme="roulet-bruder"), "spins.drive[0]", [0.0, 0.2]),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("solver", ["direct", "gmres", "auto"])
def test_per_point_solvers_agree_with_the_batch(name: str, solver: str) -> None:
    params = CASES[name]()
    batch = solve_points(params, "batch")
    each = solve_points(params, solver)
    assert set(batch) == set(each) == set(RESULT_KEYS)
    tol = 1e-10 if solver != "gmres" else 1e-7  # GMRES: its own relative tolerance
    for key in ("flipflop", "magnetization", "coherence", "fidelity", "min_eigenvalue"):
        assert batch[key].shape == each[key].shape, key
        np.testing.assert_allclose(each[key], batch[key], rtol=0, atol=tol, err_msg=key)
    assert set(batch["method"]) == {"batch"}
    assert "batch" not in set(each["method"])
    assert np.all(np.isnan(each["fidelity"])) == (name == "no rho0")


def test_analytic_per_point_where_rho0_is_steady() -> None:
    """Equal magnetizations, XXZ and dephasing: the no-go theorem holds, ρ₀ is returned."""
    params = _points(Network.from_magnetization([0.3, 0.3], bonds=[(0, 1, 1.0, 1.0, 0.4)]),
                     "qubits.dephasing", [0.0, 0.7])
    each = solve_points(params, "analytic")
    assert set(each["method"]) == {"analytic"}
    np.testing.assert_allclose(each["fidelity"], 1.0, atol=1e-12)
    np.testing.assert_allclose(solve_points(params, "batch")["fidelity"], 1.0, atol=1e-12)


def test_spin_keys_are_spin_observables() -> None:
    """For [spins] the magnetization is ⟨Jᶻ⟩ (not ⟨σᶻ⟩ = 2⟨Jᶻ⟩ at s = ½)."""
    params = _points(Network.spins(0.5, [1.0], [0.0]), "spins.gain[0]", [1.0])
    for solver in ("batch", "direct"):
        np.testing.assert_allclose(solve_points(params, solver)["magnetization"], [[0.5]], atol=1e-12)
    qubit = _points(Network([1.0], [0.0]), "qubits.gain[0]", [1.0])
    np.testing.assert_allclose(solve_points(qubit, "batch")["magnetization"], [[1.0]], atol=1e-12)


def test_chunk_task_as_the_runner_builds_it() -> None:
    params = CASES["driven qubits"]()
    index, results, seconds = solve_chunk(ChunkTask(3, 0, params.count, params, "batch", False))
    assert index == 3 and seconds >= 0
    np.testing.assert_allclose(results["coherence"], solve_points(params, "direct")["coherence"], atol=1e-10)


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
