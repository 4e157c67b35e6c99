"""Moment states: the Pauli reconstruction of one- and two-site matrices, and the domain check."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spinsync.measures import flipflop_matrix, pair_correlators, sync_total
from spinsync.states.moments import MomentState

from tests.oracles import OPS, embed, partial_trace, random_density_matrix


def _moments_of(rho: np.ndarray, n: int) -> MomentState:
    paulis = [OPS["x"], OPS["y"], OPS["z"]]
    m = np.array([[np.real(np.trace(embed(p, j, n) @ rho)) for p in paulis] for j in range(n)])
    c = np.zeros((3, 3, n, n))
    for j, k in itertools.permutations(range(n), 2):
        for a, pa in enumerate(paulis):
            for b, pb in enumerate(paulis):
                c[a, b, j, k] = np.real(np.trace(embed(pa, j, n) @ embed(pb, k, n) @ rho)) - m[j, a] * m[k, b]
    return MomentState(m, c)


def test_reconstruction_is_exact_for_the_kept_moments() -> None:
    n = 3
    rho = random_density_matrix(np.random.default_rng(0), 2**n)
    state = _moments_of(rho, n)
    for j in range(n):
        assert np.allclose(state.reduced([j]), partial_trace(rho, [j], n), atol=1e-13)
        for k in range(n):
            if k != j:
                assert np.allclose(state.reduced([j, k]), partial_trace(rho, [j, k], n), atol=1e-13)
    # the vectorized correlators are the same numbers as the reduced matrices give
    fast = pair_correlators(state)
    for j, k in itertools.permutations(range(n), 2):
        r = state.reduced([j, k])
        want = [[np.real(np.trace(r @ np.kron(pa, pb))) for pb in (OPS["x"], OPS["y"], OPS["z"])]
                for pa in (OPS["x"], OPS["y"], OPS["z"])]
        assert np.allclose(fast[j, k], want, atol=1e-13)
    assert sync_total(state) == pytest.approx(
        sum(np.pi / 16 * abs(flipflop_matrix(state)[j, k]) for j, k in itertools.combinations(range(n), 2)))
    dom = state.domain()
    assert dom.physical and dom.max_bloch <= 1
    assert state.min_eigenvalue() >= -1e-13


def test_unphysical_moments_are_detected() -> None:
    m = np.array([[0.0, 0.0, 0.9], [0.0, 0.0, -0.9], [0.0, 0.0, 1.2]])
    c = np.zeros((3, 3, 3, 3))
    c[0, 0, 0, 1] = c[0, 0, 1, 0] = 0.5  # ⟨σˣσˣ⟩ far beyond what these magnetizations allow
    state = MomentState(m, c)
    dom = state.domain()
    assert dom.bad_sites == 1 and dom.bad_pairs >= 1 and not dom.physical
    assert "unphysical" in dom.describe() and state.min_eigenvalue() < 0
