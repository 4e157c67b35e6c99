"""Detection of interchangeable qubits and the one-line reasons when there are none."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Collective, Network
from spinsync.model.groups import difference, describe_no_groups, interchangeable_parts
from spinsync.model.topology import topology_bonds


def _memory_network(m: int, topology: str, **terms) -> Network:
    g = [0.5] + [1.0] * m
    d = [1.0] + [0.3] * m
    return Network(g, d, bonds=topology_bonds(topology, m + 1, 2, 2, 1, hub=0), **terms)


@pytest.mark.parametrize("topology", ["all-to-all", "star"])
def test_memory_qubit_and_environment(topology: str) -> None:
    part = interchangeable_parts(_memory_network(6, topology))
    assert part.parts == ((0,), (1, 2, 3, 4, 5, 6))
    assert part.groups == ((1, 2, 3, 4, 5, 6),) and part.singles == (0,)
    assert part.describe() == "1 single site + group of 6 (sites 1–6)"


def test_a_different_rate_splits_the_group() -> None:
    net = _memory_network(4, "all-to-all")
    net = net.replace(gain=[0.5, 1.0, 1.0, 1.0, 1.0 + 1e-12])
    assert interchangeable_parts(net).parts == ((0,), (1, 2, 3), (4,))
    assert difference(net, 1, 4).startswith("gain 1 vs 1")


def test_couplings_decide_chain_and_ring() -> None:
    # A ring of 4 identical qubits: the dihedral group, but no transposition except (0 2),
    # (1 3) — sites 0 and 2 have equal couplings to 1 and 3, and so do 1 and 3.
    net = Network([1.0] * 4, [0.5] * 4, bonds=topology_bonds("ring", 4, 1, 1, 0.2))
    assert interchangeable_parts(net).parts == ((0, 2), (1, 3))
    chain = Network([1.0] * 4, [0.5] * 4, bonds=topology_bonds("chain", 4, 1, 1, 0.2))
    assert not interchangeable_parts(chain).has_groups
    assert "coupling" in difference(chain, 0, 1)


def test_two_groups_with_channels_and_drives() -> None:
    n = 7
    part_of = [0, 1, 1, 1, 2, 2, 2]
    u = {(0, 0): 0, (1, 1): 0.7, (2, 2): 1.3, (0, 1): 0.5, (0, 2): 0.9, (1, 2): 0.4}
    bonds = [(j, k, u[min(part_of[j], part_of[k]), max(part_of[j], part_of[k])], 0.3, 0.1)
             for j in range(n) for k in range(j + 1, n)
             if u[min(part_of[j], part_of[k]), max(part_of[j], part_of[k])]]
    net = Network([1, 0.4, 0.4, 0.4, 0.7, 0.7, 0.7], [0.3] * n, bonds=bonds,
                  drive=[0, 0.2, 0.2, 0.2, 0, 0, 0], drive_phase=[1.0, 0.5, 0.5, 0.5, 2.0, 2.0, 2.0],
                  collective=[Collective([1, 2, 3, 4, 5, 6], "lowering", 0.5)])
    assert interchangeable_parts(net).parts == ((0,), (1, 2, 3), (4, 5, 6))
    # a channel over part of a group breaks it
    net2 = net.replace(collective=[Collective([1, 2], "dephasing", 0.5)])
    assert interchangeable_parts(net2).parts == ((0,), (1, 2), (3,), (4, 5, 6))
    assert "collective channel 0" in difference(net2, 1, 3)


def test_no_groups_message_names_the_closest_pair() -> None:
    rng = np.random.default_rng(0)
    net = Network(rng.uniform(0.2, 2, 5), rng.uniform(0.2, 2, 5),
                  bonds=topology_bonds("all-to-all", 5, 1, 1, 0))
    net = net.replace(gain=[1.0, 1.0, 0.3, 0.4, 0.5], damping=[0.2, 0.25, 0.6, 0.7, 0.8])
    msg = describe_no_groups(net)
    assert msg == "the closest pair, sites 0 and 1, differ in damping 0.2 vs 0.25"
    assert interchangeable_parts(net).parts == tuple((i,) for i in range(5))


def test_spins_are_not_grouped() -> None:
    net = Network.spins(1, [1.0] * 3, [0.5] * 3)
    assert not interchangeable_parts(net).has_groups
