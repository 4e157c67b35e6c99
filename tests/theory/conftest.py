"""Shared helpers for the theory tests."""

from __future__ import annotations

import os

# These tests use many small dense factorizations (≤ 1024×1024). On a shared 2-core machine
# a multi-threaded BLAS oversubscribes the cores and runs them 100× slower (measured:
# 0.02 s → 6 s for the 64-dimensional algebra closure). Takes effect only if numpy is not
# imported yet; users can override by exporting the variables.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinsync import Network  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _random_network(rng: np.random.Generator, n: int, xxz: bool = False, density: float = 1.0) -> Network:
    """Random rates in (0.05, 2), frequencies, and couplings on a random subset of pairs."""
    gain = rng.uniform(0.05, 2.0, n)
    damping = rng.uniform(0.05, 2.0, n)
    omega = rng.normal(0, 1, n)
    bonds = []
    for j in range(n):
        for k in range(j + 1, n):
            if rng.random() <= density:
                ux, uy, uz = rng.normal(0, 1.5, 3)
                bonds.append((j, k, ux, ux if xxz else uy, uz))
    return Network(gain, damping, omega, bonds)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def random_network():
    """Factory: ``random_network(rng, n, xxz=False, density=1.0)``."""
    return _random_network
