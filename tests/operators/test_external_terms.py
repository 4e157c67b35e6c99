"""Operators given as matrices (Terms.from_operators) solve like the same network's terms.

The network's matrices come from its homogeneous products (the full-space block); the
external terms read them back entry by entry — a different path through the block
operators, whose results must agree to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss
from spinsync.operators.blocks import block_operators
from spinsync.operators.terms import Terms
from spinsync.states import haar_random_pure

from tests.general_cases import ALL_CASES, GMRES_TOL, network


def _external(net) -> Terms:
    ops = block_operators(net.terms, "full")
    d = net.terms.space.dim
    return Terms.from_operators(net.dims, ops.hamiltonian(0), [j.as_matrix(d, d) for j in ops.jumps_from(0)])


@pytest.mark.parametrize("name", [
    "collective-lowering-all-n4",   # one collective ladder: not monomial, U(1)
    "collective-subset-n5",         # three collective channels
    "spin1-rb-collective-n3",
    "combined-parity-n5",
])
def test_external_terms_equal_the_network(name: str) -> None:
    net = network(ALL_CASES[name])
    ext = _external(net)
    assert ext.symmetry == net.terms.symmetry
    a = ss.steady_state(net, tol=GMRES_TOL).state.to_dense()
    b = ss.steady_state(ext, tol=GMRES_TOL).state.to_dense()
    # Both solves are exact to ~1e-13 on these models (see tests/general_cases.AGREE).
    assert np.max(np.abs(a - b)) < 1e-10
    rho0 = haar_random_pure(net.dims, seed=3)
    ea = ss.evolve(net, rho0, [0.0, 0.7], store_states=True, rtol=1e-10)
    eb = ss.evolve(ext, rho0, [0.0, 0.7], store_states=True, rtol=1e-10)
    np.testing.assert_allclose(eb.states[-1].to_dense(), ea.states[-1].to_dense(), atol=1e-12)
