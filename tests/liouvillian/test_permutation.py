"""The Liouvillian on the parts' Dicke representations against the full 4ᴺ Liouvillian."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Collective, Network
from spinsync.liouvillian.permutation import part_liouvillian, part_terms
from spinsync.liouvillian.sparse import full_liouvillian
from spinsync.model.groups import interchangeable_parts
from spinsync.model.topology import topology_bonds
from spinsync.operators.permutation import PartSpace
from spinsync.states.permutation import PermutationState

# L applied to a random operator with O(1) entries: rounding ~1e-14; any wrong coefficient
# (a factor ½, a sign, a missing constant of the anticommutator) is O(0.1).
ATOL = 1e-11


def _networks() -> dict[str, Network]:
    mem = dict(gain=[0.5, 1.0, 1.0, 1.0], damping=[1.0, 0.3, 0.3, 0.3])
    part_of = [0, 1, 1, 2, 2]
    u = {(0, 1): 0.5, (0, 2): 0.9, (1, 1): 0.7, (1, 2): 0.4, (2, 2): 1.3}
    bonds = [(j, k, u[(min(part_of[j], part_of[k]), max(part_of[j], part_of[k]))], 0.2, 0.35)
             for j in range(5) for k in range(j + 1, 5)]
    return {
        "star-xxz-field": Network(**mem, bonds=topology_bonds("star", 4, 2, 2, 1, hub=0), field=0.3,
                                  omega=[0.4, -0.2, -0.2, -0.2]),
        "all-xyz-dephasing": Network(**mem, bonds=topology_bonds("all-to-all", 4, 2, 0.5, 1),
                                     dephasing=[0.1, 0.3, 0.3, 0.3]),
        "drive-collective": Network(**mem, bonds=topology_bonds("all-to-all", 4, 1, 1, 0.5),
                                    drive=[0.3, 0.6, 0.6, 0.6], drive_phase=[0, 0.7, 0.7, 0.7],
                                    collective=[Collective("all", "lowering", 0.8),
                                                Collective([1, 2, 3], "raising", 0.3),
                                                Collective([0, 1, 2, 3], "dephasing", 0.2)]),
        "two-groups": Network([1.0, 0.4, 0.4, 0.7, 0.7], [0.3, 1.0, 1.0, 0.2, 0.2], bonds=bonds,
                              collective=[Collective([1, 2, 3, 4], "lowering", 0.6)]),
    }


@pytest.mark.parametrize("name", list(_networks()))
@pytest.mark.parametrize("symmetry", ["none", "auto"])
def test_matches_full_liouvillian(name: str, symmetry: str) -> None:
    net = _networks()[name]
    sym = net.terms.symmetry if symmetry == "auto" else "none"
    part = interchangeable_parts(net)
    assert part.has_groups
    space = PartSpace.build(part.parts, sym)
    liouv = part_liouvillian(part_terms(net.terms, part.parts, space.spaces), space)
    rng = np.random.default_rng(7)
    x = rng.normal(size=space.dim) + 1j * rng.normal(size=space.dim)
    rho = PermutationState(space, x).to_dense()
    want = (full_liouvillian(net) @ rho.ravel()).reshape(rho.shape)
    got = PermutationState(space, liouv @ x).to_dense()
    assert np.max(np.abs(got - want)) < ATOL
    # trace preservation in the representation: tᵀ𝓛 = 0
    assert np.max(np.abs(space.trace_vector() @ liouv)) < ATOL
