"""The closed moment equations against exact derivatives d⟨O⟩/dt = Tr(O L[ρ]).

Exact identity used: for any operator ρ whose third-order cumulants vanish (built here from
chosen m and C by the Pauli expansion, positivity irrelevant since L is linear), the closed
equations must equal the exact derivatives of its one- and two-site moments — L† of a
two-site operator involves at most three sites. For two qubits any state will do.
"""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np
import pytest

from spinsync import Collective, Network
from spinsync.errors import ModelError
from spinsync.liouvillian.cumulant import (PAULI_BASIS, Coupling, MomentEquations,
                                           closure_moment)
from spinsync.liouvillian.sparse import full_liouvillian

from tests.oracles import random_density_matrix

# Exact algebra on ≤ 16-dimensional matrices with O(1) entries: rounding ~1e-15.
ATOL = 1e-12


def _closure_operator(m: np.ndarray, c: np.ndarray) -> np.ndarray:
    """2⁻ᴺ Σ_strings ⟨string⟩ string with the closed moments (weight ≤ 3; weight 4 → 0)."""
    n = m.shape[0]
    m4 = np.concatenate([np.ones((n, 1)), m], axis=1)
    c4 = np.zeros((4, 4, n, n))
    c4[1:, 1:] = c
    rho = np.zeros((2**n, 2**n), dtype=complex)
    for mus in itertools.product(range(4), repeat=n):
        sites = [j for j in range(n) if mus[j]]
        if len(sites) > 3:
            continue
        if not sites:
            val = 1.0
        elif len(sites) == 1:
            val = m4[sites[0], mus[sites[0]]]
        elif len(sites) == 2:
            j, k = sites
            val = c4[mus[j], mus[k], j, k] + m4[j, mus[j]] * m4[k, mus[k]]
        else:
            j, k, l = sites
            a, b, e = mus[j], mus[k], mus[l]
            val = closure_moment(c4[a, b, j, k], c4[a, e, j, l], c4[b, e, k, l],
                                 m4[j, a], m4[k, b], m4[l, e])
        rho += val * reduce(np.kron, [PAULI_BASIS[mu] for mu in mus])
    return rho / 2**n


def _exact_derivatives(net: Network, rho: np.ndarray):
    n = net.n
    drho = (full_liouvillian(net) @ rho.ravel()).reshape(rho.shape)
    eye = np.eye(2)

    def ev(rho_, ops):
        return np.real(np.trace(reduce(np.kron, ops) @ rho_))

    def site(j, a):
        return [PAULI_BASIS[a + 1] if q == j else eye for q in range(n)]

    m = np.array([[ev(rho, site(j, a)) for a in range(3)] for j in range(n)])
    dm = np.array([[ev(drho, site(j, a)) for a in range(3)] for j in range(n)])
    s, ds = np.zeros((3, 3, n, n)), np.zeros((3, 3, n, n))
    for j, k in itertools.permutations(range(n), 2):
        for a in range(3):
            for b in range(3):
                ops = [eye] * n
                ops[j], ops[k] = PAULI_BASIS[a + 1], PAULI_BASIS[b + 1]
                s[a, b, j, k], ds[a, b, j, k] = ev(rho, ops), ev(drho, ops)
    c = s - np.einsum("ja,kb->abjk", m, m)
    dc = ds - np.einsum("ja,kb->abjk", dm, m) - np.einsum("ja,kb->abjk", m, dm)
    for j in range(n):
        c[:, :, j, j] = dc[:, :, j, j] = 0
    return m, c, dm, dc


def _random_moments(rng, n: int):
    m = rng.uniform(-0.5, 0.5, (n, 3))
    c = rng.normal(size=(3, 3, n, n)) * 0.1
    c = c + c.transpose(1, 0, 3, 2)
    for j in range(n):
        c[:, :, j, j] = 0
    return m, c


NETWORKS = {
    "local-terms": Network([0.5, 1.0, 0.3], [1.0, 0.2, 0.7], omega=[0.3, -0.1, 0.2], field=0.1,
                           dephasing=[0.1, 0.3, 0.0], drive=[0.2, 0.0, 0.5], drive_phase=[0.3, 0, 1.0]),
    "xxz": Network([0.5, 1.0, 0.3], [1.0, 0.2, 0.7],
                   bonds=[(0, 1, 1.0, 1.0, 0.3), (1, 2, 0.5, 0.5, -0.2), (0, 2, 0.7, 0.7, 0.1)]),
    "xyz": Network([0.5, 1.0, 0.3], [1.0, 0.2, 0.7],
                   bonds=[(0, 1, 1.0, 0.4, 0.3), (1, 2, 0.5, -0.3, -0.2), (0, 2, 0.7, 0.2, 0.1)]),
    "collective-lowering": Network([0.5, 1.0, 0.3], [1.0, 0.2, 0.7],
                                   collective=[Collective("all", "lowering", 0.8)]),
    "collective-raising-part": Network([0.5, 1.0, 0.3], [1.0, 0.2, 0.7],
                                       collective=[Collective([0, 2], "raising", 0.6)]),
    "collective-dephasing": Network([0.5, 1.0, 0.3], [1.0, 0.2, 0.7],
                                    collective=[Collective("all", "dephasing", 0.5)]),
    "everything-n4": Network(
        [0.5, 1.0, 0.3, 0.8], [1.0, 0.2, 0.7, 0.4], omega=[0.3, -0.1, 0.2, 0], drive=[0.2, 0, 0.5, 0.1],
        dephasing=[0.1, 0, 0.2, 0.3],
        bonds=[(0, 1, 1.0, 0.4, 0.3), (1, 2, 0.5, 0.5, -0.2), (0, 2, 0.7, 0.2, 0.1), (2, 3, 0.3, 0.3, 0.3),
               (0, 3, -0.4, 0.1, 0.2)],
        collective=[Collective([0, 1, 3], "lowering", 0.8), Collective([1, 2], "dephasing", 0.3),
                    Collective("all", "raising", 0.2)]),
}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_closed_equations_equal_exact_derivatives(name: str) -> None:
    net = NETWORKS[name]
    rng = np.random.default_rng(len(name))
    m, c = _random_moments(rng, net.n)
    rho = _closure_operator(m, c)
    m_ex, c_ex, dm_ex, dc_ex = _exact_derivatives(net, rho)
    assert np.allclose(m_ex, m, atol=ATOL) and np.allclose(c_ex, c, atol=ATOL)
    dm, dc = MomentEquations(net.terms).rhs(m, c)
    assert np.max(np.abs(dm - dm_ex)) < ATOL
    assert np.max(np.abs(dc - dc_ex)) < ATOL


@pytest.mark.parametrize("name", ["everything-n4"])
def test_mean_field_is_exact_on_product_states(name: str) -> None:
    net = NETWORKS[name]
    m, _ = _random_moments(np.random.default_rng(3), net.n)
    rho = _closure_operator(m, np.zeros((3, 3, net.n, net.n)))
    _, _, dm_ex, _ = _exact_derivatives(net, rho)
    dm, dc = MomentEquations(net.terms, order=1).rhs(m, None)
    assert dc is None and np.max(np.abs(dm - dm_ex)) < ATOL


def test_two_qubits_are_closed_for_any_state() -> None:
    net = Network([0.5, 1.0], [1.0, 0.2], bonds=[(0, 1, 1.0, 0.4, 0.3)], drive=[0.3, 0.1],
                  dephasing=[0.2, 0.0], collective=[Collective("all", "lowering", 0.7)])
    rho = random_density_matrix(np.random.default_rng(0), 4)
    m, c, dm_ex, dc_ex = _exact_derivatives(net, rho)
    dm, dc = MomentEquations(net.terms).rhs(m, c)
    assert np.max(np.abs(dm - dm_ex)) < ATOL and np.max(np.abs(dc - dc_ex)) < ATOL


def test_coupling_kinds_agree() -> None:
    """Uniform, sparse and dense storage of the same coupling give the same products."""
    rng = np.random.default_rng(5)
    n = 40  # a chain of 40 is sparse (≤ 10 % non-zeros)
    x = rng.normal(size=(n, n))
    for dense in (np.full((n, n), 0.7) - 0.7 * np.eye(n),
                  np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)):
        kinds = [Coupling.from_dense(dense), Coupling("dense", n, matrix=dense)]
        assert kinds[0].kind in ("uniform", "sparse")
        for fn in ("matmul", "hadamard", "rowsum_hadamard"):
            a, b = (getattr(k, fn)(x) for k in kinds)
            assert np.allclose(a, b, atol=1e-13), fn
        assert np.allclose(kinds[0].hadamard_columns(x[0]), kinds[1].hadamard_columns(x[0]))
    w = rng.normal(size=n)
    weights = Coupling.from_weights(w)
    dense = np.broadcast_to(w[None, :], (n, n)) * (1 - np.eye(n))
    ref = Coupling("dense", n, matrix=dense)
    for fn in ("matmul", "hadamard", "rowsum_hadamard"):
        assert np.allclose(getattr(weights, fn)(x), getattr(ref, fn)(x), atol=1e-13), fn
    assert np.allclose(weights.hadamard(x, transpose=True), ref.hadamard(x, transpose=True))
    assert np.allclose(weights.hadamard_columns(x[0], True), ref.hadamard_columns(x[0], True))


def test_pack_round_trip_and_refusals() -> None:
    eq = MomentEquations(NETWORKS["xyz"].terms)
    m, c = _random_moments(np.random.default_rng(1), 3)
    m2, c2 = eq.unpack(eq.pack(m, c))
    assert np.array_equal(m2, m) and np.array_equal(c2, c)
    assert eq.n_unknowns == 9 + 27
    with pytest.raises(ModelError, match="order"):
        MomentEquations(NETWORKS["xyz"].terms, order=3)
    with pytest.raises(ModelError, match="qubit networks"):
        MomentEquations(Network.spins(1, [1.0] * 2, [0.5] * 2).terms)
