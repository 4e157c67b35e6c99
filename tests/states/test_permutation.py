"""Permutation states: reduced matrices, positivity in the representation, fidelity, dense form."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, fidelity, product_state, steady_state
from spinsync.errors import ModelError
from spinsync.model.topology import topology_bonds
from spinsync.operators.permutation import PartSpace
from spinsync.states.permutation import DENSE_MAX_SITES, PermutationState

from tests.oracles import partial_trace, sqrtm_fidelity

ATOL = 1e-12  # exact algebra on N ≤ 6 qubits


def _random_state(parts, seed: int = 3) -> PermutationState:
    """A random Hermitian positive permutation-invariant state (X_b = G Gᴴ per block)."""
    space = PartSpace.build(parts, "none")
    rng = np.random.default_rng(seed)
    gid, ket, bra = space.blocks
    vals = np.zeros(space.dim, dtype=complex)
    for g in np.unique(gid):
        sel = np.flatnonzero(gid == g)
        n = ket[sel].max() + 1
        a = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        vals[sel] = (a @ a.conj().T)[ket[sel], bra[sel]]
    state = PermutationState(space, vals)
    return PermutationState(space, vals / state.trace())


@pytest.mark.parametrize("parts", [[(0,), (1, 2, 3)], [(0, 1), (2, 3, 4)], [(0, 1, 2, 3, 4)],
                                   [(0, 2), (1,), (3, 4)]])
def test_reduced_matrices_equal_partial_traces(parts) -> None:
    state = _random_state(parts)
    rho = state.to_dense()
    n = state.n
    assert abs(np.trace(rho) - 1) < ATOL and abs(state.trace() - 1) < ATOL
    assert np.max(np.abs(rho - rho.conj().T)) < ATOL
    for j in range(n):
        assert np.max(np.abs(state.reduced([j]) - partial_trace(rho, [j], n))) < ATOL
        for k in range(n):
            if k != j:
                assert np.max(np.abs(state.reduced([j, k]) - partial_trace(rho, [j, k], n))) < ATOL
    assert np.max(np.abs(state.reduced([3, 0, 1]) - partial_trace(rho, [3, 0, 1], n))) < ATOL
    # positivity in the representation: sign and multiplicity-weighted size of ρ's spectrum
    lam = np.linalg.eigvalsh(rho)
    assert state.min_eigenvalue() > 0 and lam[0] > -ATOL
    assert np.isclose(state.frobenius_norm(), np.linalg.norm(rho), rtol=1e-12)


def test_negative_block_is_reported() -> None:
    state = _random_state([(0,), (1, 2, 3)])
    vals = state.values.copy()
    vals[state.space.diagonal.nonzero()[0][-1]] -= 2.0  # push one diagonal entry below zero
    bad = PermutationState(state.space, vals)
    assert bad.min_eigenvalue() < -0.5
    assert np.linalg.eigvalsh(bad.to_dense())[0] < 0


def test_fidelity_to_product_state_in_the_representation() -> None:
    net = Network([0.5, 1.0, 1.0, 1.0, 1.0], [1.0, 0.3, 0.3, 0.3, 0.3],
                  bonds=topology_bonds("all-to-all", 5, 2, 2, 1))
    res = steady_state(net, method="permutation")
    rho0 = product_state(net)
    f = res.state.fidelity_to_product(rho0.local)
    assert abs(f - sqrtm_fidelity(res.state.to_dense(), rho0.to_dense())) < 1e-9
    assert abs(fidelity(res, rho0) - f) < 1e-15 and abs(fidelity(rho0, res) - f) < 1e-15


def test_dense_refused_beyond_small_n() -> None:
    n = DENSE_MAX_SITES + 1
    space = PartSpace.build([(0,), tuple(range(1, n))], "u1")
    state = PermutationState(space, space.trace_vector() / space.trace_vector().sum())
    with pytest.raises(ModelError, match="reduced\\(\\) and the pair measures"):
        state.to_dense()
    with pytest.raises(ModelError, match="one or two sites are"):
        state.reduced([0, 1, 2])
    assert state.reduced([0, 5]).shape == (4, 4)
