"""Shared helpers for the sweep tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


SRC = Path(__file__).resolve().parents[2] / "src"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sweeps"


def cli_env() -> dict[str, str]:
    """Environment for ``python -m spinsync`` subprocesses (works installed or from src)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "spinsync", *args]


