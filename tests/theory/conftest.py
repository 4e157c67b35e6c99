"""Shared helpers for the theory tests."""

from __future__ import annotations

# BLAS threads are limited to one per worker by tests/conftest.py (runs first).

from pathlib import Path

import numpy as np
import pytest

from spinsync import Network

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
