"""ker L is one-dimensional (numerically), and the algebraic criterion of S.M. I."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, steady_state
from spinsync.theory.lindblad import lindbladian
from spinsync.theory.uniqueness import (
    algebraic_criterion,
    bicommutant_dimension,
    commutant_dimension,
    generated_algebra_dimension,
    kernel_dimension_dense,
    liouvillian_kernel,
)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n,xxz", [(2, False), (3, True), (3, False), (4, True)])
def test_kernel_is_one_dimensional_with_positive_gap(seed: int, n: int, xxz: bool, random_network) -> None:
    net = random_network(np.random.default_rng(10 * seed + n), n, xxz=xxz)
    rep = liouvillian_kernel(net)
    assert sum(rep.sectors.values()) == 4**n
    assert rep.kernel_dimension == 1 and rep.unique
    # The gap must sit far above the kernel threshold, not just above it.
    assert rep.singular_gap > 1e3 * rep.tolerance
    assert rep.spectral_gap > 0


def test_kernel_vector_is_the_solver_steady_state(random_network) -> None:
    net = random_network(np.random.default_rng(7), 3)
    from spinsync.liouvillian import full_liouvillian

    dense = full_liouvillian(net).toarray()
    _, s, vh = np.linalg.svd(dense)
    rho = vh[-1].conj().reshape(8, 8)
    rho /= np.trace(rho)
    ref = steady_state(net).state.to_dense()
    assert np.max(np.abs(rho - ref)) < 1e-10


def test_full_algebra_without_a_faithful_state_is_not_enough() -> None:
    # Degenerate kernel built by hand: two isolated 2-level systems without dissipation
    # between their populations → the test can fail if the counter is wrong.
    h = np.diag([0.0, 0.0, 1.0]).astype(complex)
    jumps = [np.array([[0, 0, 1], [0, 0, 0], [0, 0, 0]], complex),   # |0⟩⟨2|
             np.array([[0, 0, 0], [0, 0, 1], [0, 0, 0]], complex)]   # |1⟩⟨2|
    rep = kernel_dimension_dense(lindbladian(h, jumps))
    assert rep.kernel_dimension == 4  # every operator on span{|0⟩, |1⟩} is steady
    # …although the jumps generate the full algebra: the criterion needs a faithful state.
    crit = algebraic_criterion(jumps + [h])
    assert crit["full"] and crit["algebra_dimension"] == 9


@pytest.mark.parametrize("seed", range(3))
def test_networks_generate_the_full_algebra(seed: int, random_network) -> None:
    net = random_network(np.random.default_rng(seed), 3)
    crit = algebraic_criterion(net, include_hamiltonian=True)
    assert crit == {"dimension": 8, "algebra_dimension": 64, "commutant_dimension": 1, "full": True}
    pure_damping = Network([0, 0, 0], [1, 1, 1])
    assert algebraic_criterion(pure_damping)["full"]


def test_reducible_generators_give_a_proper_subalgebra() -> None:
    # |0⟩⟨1| + |2⟩⟨3| generates M₂ ⊗ I₂ (dim 4) with commutant I₂ ⊗ M₂ (dim 4).
    a = np.zeros((4, 4), complex)
    a[0, 1] = a[2, 3] = 1
    assert generated_algebra_dimension([a], method="closure") == 4
    assert bicommutant_dimension([a]) == 4
    assert commutant_dimension([a]) == 4
    # A diagonal generator with distinct entries: the diagonal algebra (dim d).
    d = np.diag([1.0, 2.0, 3.0]).astype(complex)
    assert generated_algebra_dimension([d]) == 3 and commutant_dimension([d]) == 3


def test_closure_and_bicommutant_agree_on_random_generators() -> None:
    rng = np.random.default_rng(3)
    for d in (3, 5):
        ops = [rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))]
        assert generated_algebra_dimension(ops, method="closure") == d * d
        assert bicommutant_dimension(ops) == d * d
