"""Smoke test: the package imports and the CLI answers."""

import subprocess
import sys


def test_cli_version() -> None:
    out = subprocess.run([sys.executable, "-m", "spinsync", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.startswith("spinsync ")
