"""The physical model: sites, local terms, bonds and collective channels (data only).

The model is compiled into operators by :mod:`spinsync.operators`; nothing here builds a
matrix.
"""

from .network import COLLECTIVE_OPERATORS, SCHEMES, Collective, Network, check_spin
from .rates import magnetization_from_rates, rates_from_magnetization
from .topology import (
    TOPOLOGIES,
    all_to_all_bonds,
    chain_bonds,
    power_law_bonds,
    ring_bonds,
    star_bonds,
    topology_bonds,
)
from .validation import format_value, site_vector, validate_bonds

__all__ = [
    "Network",
    "Collective",
    "SCHEMES",
    "COLLECTIVE_OPERATORS",
    "check_spin",
    "rates_from_magnetization",
    "magnetization_from_rates",
    "TOPOLOGIES",
    "all_to_all_bonds",
    "star_bonds",
    "chain_bonds",
    "ring_bonds",
    "power_law_bonds",
    "topology_bonds",
    "format_value",
    "site_vector",
    "validate_bonds",
]
