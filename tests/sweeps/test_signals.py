"""Ctrl-C and SIGTERM on ``spinsync sweep --workers 2`` (issue 11 §3): finished chunks
saved, workers and the multiprocessing resource tracker stopped, one line, exit 130/143."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from spinsync.sweeps import checkpoint_dir, load_sweep

from sweep_helpers import cli, cli_env

#: 32 chunks of 4 five-qubit XYZ points (512-dim sector): ~0.1 s per chunk, more loaded.
SWEEP = """
[sweep]
name = "signals"
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
num = 8
"""


def _wait_for_chunks(proc: subprocess.Popen, ckpt: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(list(ckpt.glob("chunk-*.npz"))) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no chunk saved in time"
        time.sleep(0.01)


@pytest.mark.parametrize("how, code, word", [
    ("SIGTERM to the parent alone", 143, "terminated"),
    ("SIGINT to the process group (Ctrl-C)", 130, "interrupted"),
])
def test_signal_stops_workers_and_keeps_chunks(tmp_path: Path, how: str, code: int, word: str) -> None:
    sweep_file = tmp_path / "signals.toml"
    sweep_file.write_text(SWEEP)
    nchunks = load_sweep(sweep_file).size // 4
    out = tmp_path / "s.nc"
    ckpt = checkpoint_dir(out)
    cmd = cli("sweep", str(sweep_file), "--out", str(out), "--workers", "2", "--no-progress", "--json")
    proc = subprocess.Popen(cmd, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    children: list[psutil.Process] = []
    try:
        _wait_for_chunks(proc, ckpt, 2)
        # Two workers and the resource tracker, all started by the sweep.
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 3, children
        if how.startswith("SIGTERM"):
            os.kill(proc.pid, signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == code, stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert lines[0].startswith(f"spinsync: error: {word}") and "re-run" in lines[0]
        assert stdout == "" and not out.exists()
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert not alive, f"orphans: {[p.cmdline() for p in alive]}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for child in children:  # only if the test failed: leave nothing running
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
    saved = len(list(ckpt.glob("chunk-*.npz")))
    assert 2 <= saved < nchunks
    # The saved chunks are what a re-run resumes from (in this process: no workers to spawn).
    resume = [*cmd[:cmd.index("--workers")], "--workers", "1", "--no-progress", "--json"]
    done = subprocess.run(resume, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["chunks_resumed"] == saved
    assert report["chunks_resumed"] + report["chunks_computed"] == nchunks
