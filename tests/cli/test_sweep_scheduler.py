"""``spinsync sweep --scheduler``: a malformed address exits 2 at once, an unreachable one
exits 1 after the connect timeout; neither leaves a checkpoint folder (issue 11 §3)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import spinsync

SWEEP = """
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
values = [-0.5, 0.5]
"""

ENV = {**os.environ, "PYTHONPATH": str(Path(spinsync.__file__).resolve().parents[1])}


def _sweep(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    (tmp_path / "s.toml").write_text(SWEEP)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "spinsync", "sweep", str(tmp_path / "s.toml"),
                           "--out", str(tmp_path / "s.nc"), "--no-progress", *args],
                          capture_output=True, text=True, env=ENV, timeout=120)
    return done, time.perf_counter() - start


def test_malformed_address_exit_2_at_once(tmp_path: Path) -> None:
    done, seconds = _sweep(tmp_path, "--scheduler", "notanaddress")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("spinsync: error: ") and "notanaddress" in lines[0]
    assert "tcp://HOST:PORT" in lines[0] or "PROTOCOL://HOST:PORT" in lines[0]
    assert seconds < 20  # was a 60 s hang, then a traceback
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_unreachable_scheduler_exit_1_after_the_timeout(tmp_path: Path) -> None:
    done, seconds = _sweep(tmp_path, "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "1")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "tcp://127.0.0.1:1" in lines[0] and "within 1 s" in lines[0]
    assert seconds < 15  # 1 s timeout plus start-up (seconds on a loaded machine); was 30 s
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]  # no .sweep-s.nc/
