"""Smoke test: the package imports and the CLI answers."""

import os
import subprocess
import sys
from pathlib import Path


def test_cli_version() -> None:
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-m", "spinsync", "--version"], capture_output=True, text=True, env=env)
    assert out.returncode == 0
    assert out.stdout.startswith("spinsync ")
