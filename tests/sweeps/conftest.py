"""Fixtures of the sweep tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def two_qubit_sweep() -> dict:
    """A small 2-qubit (m1, m2) grid like Fig. 2a, with Δ ≠ 0 and a field."""
    return {
        "sweep": {"name": "small", "chunk_size": 7},
        "model": {"qubits": {"magnetization": [0.0, 0.0], "omega": [0.3, -0.1]},
                  "couplings": {"topology": "all-to-all", "ux": 0.7, "uy": 0.7, "uz": 0.4,
                                "field": 0.2}},
        "axis": [
            {"name": "m1", "set": ["qubits.magnetization[0]"], "start": -0.9, "stop": 0.9, "num": 5},
            {"name": "m2", "set": ["qubits.magnetization[1]"], "values": [-0.5, 0.0, 0.25, 0.8]},
        ],
    }
