"""A sweep through ``--scheduler`` on a real dask cluster (issue 11 §3): a scheduler and two
workers as separate processes on loopback (``dask scheduler``, ``dask worker``, free ports
chosen by the OS), one worker SIGKILLed while it computes a chunk. The sweep still
completes, every chunk arrives exactly once, and the file equals a local run's."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr

from spinsync.sweeps import checkpoint_dir, load_sweep, open_sweep, run_sweep

from sweep_helpers import cli, cli_env

distributed = pytest.importorskip("distributed")

#: 24 chunks of 4 five-qubit XYZ points, ~0.1 s each.
SWEEP = """
[sweep]
name = "cluster"
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
num = 12

[[axis]]
name = "w"
set = ["qubits.omega[1]"]
start = 0.0
stop = 1.0
num = 8
"""


def _dask(*args: str) -> list[str]:
    """The environment's ``dask`` command line tool."""
    exe = shutil.which("dask", path=str(Path(sys.executable).parent))
    return [exe, *args] if exe else [sys.executable, "-m", "dask", *args]


def _without_created(ds: xr.Dataset) -> xr.Dataset:
    ds = ds.copy()
    ds.attrs.pop("created", None)
    return ds


def _wait(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_sweep_survives_a_killed_worker(tmp_path: Path) -> None:
    sweep_file = tmp_path / "cluster.toml"
    sweep_file.write_text(SWEEP)
    spec = load_sweep(sweep_file)
    nchunks = spec.size // 4
    env = cli_env()
    procs: dict[str, subprocess.Popen] = {}

    def start(name: str, args: list[str]) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "w")
        procs[name] = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       cwd=tmp_path, start_new_session=True)
        return procs[name]

    sched_file = tmp_path / "scheduler.json"
    try:
        start("scheduler", _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(sched_file)))
        _wait(lambda: sched_file.exists() and sched_file.stat().st_size > 0, "the scheduler")
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(2):
            start(f"worker{i}", _dask("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                      "--host", "127.0.0.1", "--name", f"w{i}",
                                      "--local-directory", str(tmp_path / f"w{i}")))
        with distributed.Client(address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
            by_name = {info["name"]: addr for addr, info in client.scheduler_info()["workers"].items()}
            victim = by_name["w0"]

            out = tmp_path / "dask.nc"
            ckpt = checkpoint_dir(out)
            sweep = start("sweep", cli("sweep", str(sweep_file), "--out", str(out), "--scheduler", address,
                                       "--no-progress", "--json"))

            def victim_is_computing() -> bool:
                assert sweep.poll() is None, (tmp_path / "sweep.log").read_text()
                return len(list(ckpt.glob("chunk-*.npz"))) >= 2 and bool(client.processing([victim])[victim])

            _wait(victim_is_computing, "worker w0 to compute a chunk")
            procs["worker0"].send_signal(signal.SIGKILL)
            assert len(list(ckpt.glob("chunk-*.npz"))) < nchunks, "the sweep finished before the kill"
            assert sweep.wait(timeout=120) == 0, (tmp_path / "sweep.log").read_text()
            assert procs["worker0"].wait(timeout=10) == -signal.SIGKILL
            _wait(lambda: victim not in client.scheduler_info()["workers"], "the scheduler to drop w0")
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    log = (tmp_path / "sweep.log").read_text().splitlines()
    report = json.loads(log[-1])
    assert report["mode"] == "dask" and report["workers"] == 2
    assert (report["chunks_resumed"], report["chunks_computed"], report["points"]) == (0, nchunks, spec.size)
    assert not checkpoint_dir(out).exists()
    local = tmp_path / "local.nc"
    run_sweep(spec, local, workers=1, progress=False)
    xr.testing.assert_identical(_without_created(open_sweep(out)), _without_created(open_sweep(local)))
