"""Named coupling graphs: all-to-all, star (one-to-all), chain, ring, power law, none."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from .validation import format_value

__all__ = [
    "TOPOLOGIES",
    "all_to_all_bonds",
    "star_bonds",
    "chain_bonds",
    "ring_bonds",
    "power_law_bonds",
    "topology_bonds",
]

#: Topology names accepted by :func:`topology_bonds` (and model files).
TOPOLOGIES = ("all-to-all", "star", "chain", "ring", "power-law", "none")


def all_to_all_bonds(n: int) -> list[tuple[int, int]]:
    """Every pair j < k."""
    return [(j, k) for j in range(n) for k in range(j + 1, n)]


def star_bonds(n: int, hub: int = 0) -> list[tuple[int, int]]:
    """One-to-all network: the hub coupled to every other site."""
    if not 0 <= hub < n:
        raise ModelError(f"hub = {format_value(hub)}: must be a site index in [0, {n - 1}]")
    return [(min(hub, k), max(hub, k)) for k in range(n) if k != hub]


def chain_bonds(n: int) -> list[tuple[int, int]]:
    """Open chain 0–1–…–(N−1)."""
    return [(j, j + 1) for j in range(n - 1)]


def ring_bonds(n: int) -> list[tuple[int, int]]:
    """Periodic chain; for N ≤ 2 it is the chain (no duplicate bond)."""
    bonds = chain_bonds(n)
    if n > 2:
        bonds.append((0, n - 1))
    return bonds


def power_law_bonds(n: int, alpha: float) -> tuple[list[tuple[int, int]], NDArray[np.float64]]:
    """All pairs with weights 1/|j−k|^α (trapped-ion couplings)."""
    if not np.isfinite(alpha) or alpha < 0:
        raise ModelError(f"alpha = {format_value(alpha)}: must be finite and ≥ 0")
    bonds = all_to_all_bonds(n)
    weights = np.array([1.0 / abs(j - k) ** alpha for j, k in bonds], dtype=float)
    return bonds, weights


def topology_bonds(
    topology: str,
    n: int,
    ux: float,
    uy: float,
    uz: float,
    *,
    hub: int = 0,
    alpha: float = 1.0,
) -> list[tuple[int, int, float, float, float]]:
    """Bond list ``(j, k, ux, uy, uz)`` for a named topology with uniform couplings."""
    topo = topology.lower().replace("_", "-")
    weights: NDArray[np.float64] | None = None
    if topo in ("all-to-all", "all"):
        pairs = all_to_all_bonds(n)
    elif topo in ("star", "one-to-all"):
        pairs = star_bonds(n, hub)
    elif topo == "chain":
        pairs = chain_bonds(n)
    elif topo == "ring":
        pairs = ring_bonds(n)
    elif topo in ("power-law", "powerlaw"):
        pairs, weights = power_law_bonds(n, alpha)
    elif topo == "none":
        pairs = []
    else:
        raise ModelError(f"topology = {topology!r}: expected one of {', '.join(TOPOLOGIES)}")
    if weights is None:
        weights = np.ones(len(pairs))
    return [(j, k, ux * w, uy * w, uz * w) for (j, k), w in zip(pairs, weights)]
