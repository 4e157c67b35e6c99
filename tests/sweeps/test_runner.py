"""Sweeps end to end: results, NetCDF round trip, Dask, kill-and-resume, CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from spinsync import fidelity, flipflop_matrix, product_state, steady_state
from spinsync.sweeps import checkpoint_dir, load_sweep, open_sweep, run_sweep, sweep_from_dict
from spinsync.io import load_model

from sweep_helpers import cli, cli_env


def _without_created(ds: xr.Dataset) -> xr.Dataset:
    ds = ds.copy()
    ds.attrs.pop("created", None)
    return ds


def test_small_sweep_end_to_end(tmp_path: Path, two_qubit_sweep: dict) -> None:
    spec = sweep_from_dict(two_qubit_sweep, source="small")
    out = tmp_path / "small.nc"
    report = run_sweep(spec, out, workers=1, progress=False)
    assert report.chunks == 3 and report.chunks_computed == 3 and report.chunks_resumed == 0
    assert not checkpoint_dir(out).exists()
    ds = open_sweep(out)
    assert ds.sync_max.dims == ("m1", "m2", "pair")
    assert ds.magnetization.dims == ("m1", "m2", "qubit")
    for name in ("sync_total", "flipflop_re", "flipflop_im", "fidelity", "residual", "method",
                 "min_eigenvalue"):
        assert name in ds
    # Every point against the core solver, built independently from the model dict.
    params = spec.points()
    for i in (0, 7, 19):
        net = params.network(i)
        ref = steady_state(net, method="direct")
        idx = np.unravel_index(i, spec.shape)
        point = ds.isel(m1=idx[0], m2=idx[1])
        ff = flipflop_matrix(ref.state)[0, 1]
        assert float(point.flipflop_re[0]) == pytest.approx(ff.real, abs=1e-12)
        assert float(point.flipflop_im[0]) == pytest.approx(ff.imag, abs=1e-12)
        assert float(point.sync_total) == pytest.approx(np.pi / 16 * abs(ff), abs=1e-12)
        assert float(point.fidelity) == pytest.approx(fidelity(ref.state, product_state(net)), abs=1e-10)
    assert float(ds.residual.max()) < 1e-12


def test_netcdf_round_trip_metadata(tmp_path: Path, two_qubit_sweep: dict) -> None:
    spec = sweep_from_dict(two_qubit_sweep, source="small")
    out = tmp_path / "meta.nc"
    run_sweep(spec, out, workers=1, progress=False)
    ds = open_sweep(out)
    from spinsync import __version__

    assert ds.attrs["spinsync_version"] == __version__
    assert ds.attrs["solver"] == "batch"
    assert json.loads(ds.attrs["tolerances"])["check_tolerance"] == 1e-8
    assert ds.attrs["created"].startswith("20")
    # The stored model reproduces the base network exactly.
    model = tmp_path / "model.toml"
    model.write_text(ds.attrs["model_toml"])
    again = load_model(model)
    np.testing.assert_array_equal(again.gain, spec.base.gain)
    np.testing.assert_array_equal(again.bond_couplings, spec.base.bond_couplings)
    assert json.loads(ds.attrs["model_json"]) == spec.base.to_dict()
    assert json.loads(ds.attrs["sweep_json"]) == json.loads(json.dumps(spec.canonical()))
    np.testing.assert_array_equal(ds.m2.values, [-0.5, 0.0, 0.25, 0.8])
    assert json.loads(ds.m1.attrs["sets"]) == ["qubits.magnetization[0]"]
    # Written and read back, the dataset is unchanged.
    again_path = tmp_path / "again.nc"
    ds.to_netcdf(again_path, engine=ds.attrs["netcdf_engine"])
    xr.testing.assert_identical(open_sweep(again_path), ds)


def test_dask_local_cluster_equals_local(tmp_path: Path, two_qubit_sweep: dict) -> None:
    distributed = pytest.importorskip("distributed")
    spec = sweep_from_dict(two_qubit_sweep, source="small")
    run_sweep(spec, tmp_path / "local.nc", workers=1, progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        report = run_sweep(spec, tmp_path / "dask.nc", scheduler=cluster.scheduler_address,
                           progress=False)
    assert report.mode == "dask" and report.chunks_computed == 3
    xr.testing.assert_identical(_without_created(open_sweep(tmp_path / "dask.nc")),
                                _without_created(open_sweep(tmp_path / "local.nc")))


def test_resume_skips_saved_chunks(tmp_path: Path, two_qubit_sweep: dict) -> None:
    spec = sweep_from_dict(two_qubit_sweep, source="small")
    out = tmp_path / "r.nc"
    run_sweep(spec, out, workers=1, progress=False, keep_checkpoint=True)
    first = open_sweep(out)
    saved = sorted(checkpoint_dir(out).glob("chunk-*.npz"))
    assert len(saved) == 3
    saved[1].unlink()
    out.unlink()
    report = run_sweep(spec, out, workers=1, progress=False)
    assert (report.chunks_resumed, report.chunks_computed) == (2, 1)
    xr.testing.assert_identical(open_sweep(out), first)  # same 'created' from the manifest


def test_changed_sweep_discards_stale_chunks(tmp_path: Path, two_qubit_sweep: dict) -> None:
    out = tmp_path / "s.nc"
    run_sweep(sweep_from_dict(two_qubit_sweep), out, workers=1, progress=False, keep_checkpoint=True)
    two_qubit_sweep["model"]["couplings"]["uz"] = 0.5
    report = run_sweep(sweep_from_dict(two_qubit_sweep), out, workers=1, progress=False)
    assert report.chunks_resumed == 0 and report.chunks_computed == 3
    assert any("discarded 3" in note for note in report.notes)


KILL_SWEEP = """
[sweep]
name = "killme"
chunk_size = 4

[model.qubits]
magnetization = [0.3, -0.2, 0.1, 0.5, -0.4]

[model.couplings]
topology = "all-to-all"
ux = 2.0
uy = 0.5
uz = 1.0

[[axis]]
name = "m1"
set = ["qubits.magnetization[0]"]
start = -0.9
stop = 0.9
num = 16

[[axis]]
name = "w"
set = ["qubits.omega[1]"]
start = 0.0
stop = 1.0
num = 16
"""


def test_kill_and_resume_subprocess(tmp_path: Path) -> None:
    """SIGKILL a real `spinsync sweep` after some chunks are saved; re-run; compare."""
    sweep_file = tmp_path / "kill.toml"
    sweep_file.write_text(KILL_SWEEP)
    spec = load_sweep(sweep_file)
    nchunks = spec.size // 4  # 64 chunks of 4 five-qubit XYZ points (512-dim sector)
    out = tmp_path / "killed.nc"
    ckpt = checkpoint_dir(out)
    cmd = cli("sweep", str(sweep_file), "--out", str(out), "--workers", "1", "--no-progress", "--json")
    proc = subprocess.Popen(cmd, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(ckpt.glob("chunk-*.npz"))) < 3:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no chunk saved in time"
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    saved = len(list(ckpt.glob("chunk-*.npz")))
    assert 3 <= saved < nchunks, "the sweep finished before it could be killed"
    assert not out.exists()

    done = subprocess.run(cmd, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["chunks_resumed"] >= saved - 1  # a chunk may land between count and kill
    assert report["chunks_resumed"] + report["chunks_computed"] == nchunks
    assert report["chunks_computed"] < nchunks

    full = tmp_path / "full.nc"
    run_sweep(spec, full, workers=1, progress=False)
    xr.testing.assert_identical(_without_created(open_sweep(out)), _without_created(open_sweep(full)))


def test_cli_invalid_sweep_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[model.qubits]\nmagnetization = [0.1]\n[[axis]]\nname = "a"\nset = ["couplings.ux"]\nvalues = [1]\n')
    done = subprocess.run(cli("sweep", str(bad), "--out", str(tmp_path / "x.nc")), env=cli_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "couplings.ux" in lines[0]


def test_cli_sweep_writes_file(tmp_path: Path, two_qubit_sweep: dict) -> None:
    sweep_file = tmp_path / "s.toml"
    sweep_file.write_text("""
[model.qubits]
magnetization = [0.0, 0.0]
[model.couplings]
topology = "all-to-all"
ux = 1
uy = 1
uz = 1
[[axis]]
name = "m1"
set = ["qubits.magnetization[0]"]
start = -0.5
stop = 0.5
num = 3
""")
    out = tmp_path / "cli.nc"
    done = subprocess.run(cli("sweep", str(sweep_file), "--out", str(out), "--json"), env=cli_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["points"] == 3
    ds = open_sweep(out)
    assert float(ds.sync_max.sel(m1=0.0, method="nearest")[0]) < 1e-14  # m1 = m2: blockade
    assert float(ds.sync_max.sel(m1=0.5)[0]) > 1e-3
