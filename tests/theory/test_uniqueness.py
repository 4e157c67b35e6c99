"""ker L is one-dimensional (numerically), and the algebraic criterion of S.M. I."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Collective, Network, steady_state
from spinsync.errors import ModelError, NumericalError
from spinsync.liouvillian import full_liouvillian
from spinsync.operators import Terms
from spinsync.steady.uniqueness import algebra_dimension, jumps_generate_full_algebra
from spinsync.theory.uniqueness import (
    MAX_KERNEL_SECTOR_DIM,
    algebraic_criterion,
    bicommutant_dimension,
    commutant_dimension,
    generated_algebra_dimension,
    kernel_dimension_dense,
    liouvillian_kernel,
    network_generators,
)

from .qutip_oracle import qutip_operators, qutip_singular_values


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
    # Operators from outside go through the engine's terms (no dense Lindbladian builder).
    terms = Terms.from_operators([3], h, jumps)
    rep = liouvillian_kernel(terms)
    assert rep.kernel_dimension == 4  # every operator on span{|0⟩, |1⟩} is steady
    assert kernel_dimension_dense(full_liouvillian(terms)).kernel_dimension == 4
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


def _check_against_qutip(net: Network) -> None:
    """The sector-by-sector singular values are those of QuTiP's whole Liouvillian (the
    sectors are a permutation of the operator basis; any vectorization has the same σ)."""
    rep = liouvillian_kernel(net, keep=6)
    sv = qutip_singular_values(net)
    assert sum(rep.sectors.values()) == net.dim**2 == sv.size
    # Dense SVDs of O(1) matrices: agreement to ~1e-13 absolute.
    assert np.allclose(rep.smallest_singular_values, sv[:6], atol=1e-11)
    assert rep.norm == pytest.approx(sv[-1], rel=1e-10)
    assert rep.kernel_dimension == int(np.sum(sv <= 1e-9 * sv[-1]))


@pytest.mark.parametrize("scheme", ["gain-damping", "roulet-bruder"])
def test_kernel_of_a_spin_one_pair(scheme: str) -> None:
    net = Network.spins(1, [1.0, 0.4], [0.5, 0.9], scheme=scheme, omega=[0.2, -0.1],
                        bonds=[(0, 1, 1.0, 0.6, 0.4)])
    rep = liouvillian_kernel(net)
    assert net.terms.symmetry == "parity" and set(rep.sectors) == {"parity=0", "parity=1"}
    assert rep.unique and rep.singular_gap > 1e3 * rep.tolerance
    _check_against_qutip(net)
    xxz = net.replace(bonds=[(0, 1, 1.0, 1.0, 0.4)])
    assert xxz.terms.symmetry == "u1" and len(liouvillian_kernel(xxz).sectors) == 9  # q = −4 … 4
    _check_against_qutip(xxz)


def test_kernel_of_driven_and_collective_models() -> None:
    driven = Network([1.0, 0.3, 0.6], [0.4, 1.0, 0.2], [0.5, 0.0, -0.3],
                     [(0, 1, 1.0, 0.7, 0.2), (1, 2, 0.5, 0.5, 1.0)], drive=[0.0, 0.8, 0.0],
                     drive_phase=[0.0, 0.4, 0.0], dephasing=[0.2, 0.0, 0.1])
    rep = liouvillian_kernel(driven)
    assert driven.terms.symmetry == "none" and rep.sectors == {"full": 64} and rep.unique
    _check_against_qutip(driven)
    coll = Network([0.2, 0.0, 0.3], [0.5, 0.0, 0.1], bonds=[(0, 1, 1.0, 1.0, 0.3)],
                   collective=[Collective("all", "lowering", 0.7)])
    assert coll.terms.symmetry == "u1" and liouvillian_kernel(coll).unique
    _check_against_qutip(coll)


def test_non_unique_models_are_found_and_refused() -> None:
    # XXZ chain with dephasing only: Σσᶻ is conserved and nothing fixes it, so every
    # magnetization sector holds its own steady state (its identity): N + 1 of them.
    chain = Network([0, 0, 0], [0, 0, 0], bonds=[(0, 1, 1.0, 1.0, 0.5), (1, 2, 1.0, 1.0, -0.2)],
                    dephasing=[0.5, 1.0, 0.3])
    rep = liouvillian_kernel(chain)
    assert rep.kernel_dimension == 4 and not rep.unique
    assert rep.kernel_dimension == int(np.sum(qutip_singular_values(chain) <= 1e-9 * rep.norm))
    with pytest.raises(NumericalError, match="not unique"):
        steady_state(chain)
    # Two undissipated qubits joined to the dissipated one by Uᶻ only: refused before any
    # solve (ModelError naming them), and ker L is indeed degenerate.
    zz = Network([1.0, 0, 0], [0.5, 0, 0], bonds=[(0, 1, 0, 0, 1.0), (1, 2, 0, 0, 0.7)])
    assert liouvillian_kernel(zz).kernel_dimension > 1
    with pytest.raises(ModelError, match=r"qubit 1, 2.*not unique"):
        steady_state(zz)
    # Collective decay alone leaves the singlet dark: |↓↓⟩⟨↓↓| and |S⟩⟨S| are both steady
    # (their coherences oscillate at the bond's singlet energy: purely imaginary modes).
    dark = Network([0, 0], [0, 0], bonds=[(0, 1, 0.5, 0.5, 0.0)],
                   collective=[Collective("all", "lowering", 1.0)])
    assert liouvillian_kernel(dark).kernel_dimension == 2
    assert int(np.sum(qutip_singular_values(dark) <= 1e-9)) == 2
    assert not algebraic_criterion(dark)["full"]
    for method in ("direct", "gmres"):
        with pytest.raises(NumericalError, match="not unique"):
            steady_state(dark, method=method)


def test_auto_does_not_return_one_of_several_steady_states() -> None:
    """ρ₀ = |↓↓⟩ has zero residual but the singlet is dark too: auto must not return ρ₀
    without the uniqueness check (it is not certified here)."""
    dark = Network([0, 0], [0, 0], bonds=[(0, 1, 0.5, 0.5, 0.0)],
                   collective=[Collective("all", "lowering", 1.0)])
    with pytest.raises((NumericalError, ModelError), match="not unique"):
        steady_state(dark)


def test_kernel_check_refuses_large_sectors_before_building() -> None:
    seven = Network([1] * 7, [0.5] * 7, bonds=[(j, j + 1, 1, 1, 0) for j in range(6)])
    with pytest.raises(ModelError, match="N = 7"):
        liouvillian_kernel(seven)
    # Three spin-1 sites with XYZ bonds: parity sectors of 729/2 ≈ 365 entries fit.
    spins = Network.spins(1, [1, 0.5, 0.3], [0.2, 0.4, 1.0], bonds=[(0, 1, 1, 0.5, 0), (1, 2, 1, 0.2, 0.3)])
    rep = liouvillian_kernel(spins)
    assert rep.unique and max(rep.sectors.values()) <= MAX_KERNEL_SECTOR_DIM


def test_generators_come_from_the_compiled_jumps() -> None:
    # Local and collective jumps, rates included, as dense matrices, then their adjoints.
    net = Network([1.0, 0.0], [0.0, 0.0], dephasing=[0.0, 0.4],
                  collective=[Collective([0, 1], "lowering", 0.5)])
    h, c_ops = qutip_operators(net)
    ops = network_generators(net, include_hamiltonian=True)
    expected = [c.full() for c in c_ops]
    assert len(ops) == 2 * len(expected) + 1
    for got, want in zip(ops[: len(expected)], expected):
        assert np.allclose(got, want, atol=1e-14)
    for got, want in zip(ops[len(expected): 2 * len(expected)], expected):
        assert np.allclose(got, want.conj().T, atol=1e-14)
    assert np.allclose(ops[-1], h.full(), atol=1e-14)
    # Operators from outside, with complex entries: adjoints are conjugate transposes.
    rng = np.random.default_rng(5)
    c = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    ext = network_generators(Terms.from_operators([2, 2], None, [c]))
    assert len(ext) == 2 and np.allclose(ext[0], c) and np.allclose(ext[1], c.conj().T)
    # Spins: J± of a spin-1 pair generate everything; Roulet–Bruder jumps and adjoints too.
    for scheme in ("gain-damping", "roulet-bruder"):
        spin = Network.spins(1, [1, 1], [1, 1], scheme=scheme)
        crit = algebraic_criterion(spin)
        assert crit["full"] and crit["algebra_dimension"] == 81


def test_one_closure_core_for_both_criteria() -> None:
    # |0⟩⟨1| alone: a nilpotent, non-unital algebra of dimension 1; with I it is 2; with
    # its adjoint (the *-algebra) all of M₂. The solvers' certificate asks the first.
    a = np.array([[0, 1], [0, 0]], complex)
    assert algebra_dimension([a]) == 1 and algebra_dimension([a], unital=True) == 2
    assert not jumps_generate_full_algebra([a])
    assert generated_algebra_dimension([a]) == 4
    assert generated_algebra_dimension([a], self_adjoint=False) == 2
    assert jumps_generate_full_algebra([a, a.T])
