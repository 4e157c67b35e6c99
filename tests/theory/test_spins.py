"""Spin-s networks on the general engine: the s = ½ map to qubits, QuTiP as oracle, the
two schemes' limit cycles, and which scheme keeps the no-go theorem.

Spins are ``Network.spins(...)`` solved by ``steady_state``; product states and residuals
come from ``spinsync.steady.analytic``. Where a test asks whether the product state *is*
the steady state it solves with ``method="direct"`` (``auto`` would return ρ₀ itself).
"""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, product_residual, product_state, steady_state
from spinsync.errors import ModelError
from spinsync.measures import (
    fidelity,
    mutual_information,
    partial_trace,
    spin_max_connected_correlation,
    von_neumann_entropy,
)
from spinsync.operators import spin_matrices
from spinsync.states import ProductState
from spinsync.steady import local_steady_states

from .qutip_oracle import dense_rhs, qutip_operators, qutip_steady_state


@pytest.mark.parametrize("s", [0.5, 1, 1.5, 2])
def test_spin_algebra(s: float) -> None:
    o = spin_matrices(s)
    assert np.allclose(o.x @ o.y - o.y @ o.x, 1j * o.z)
    assert np.allclose(o.x @ o.x + o.y @ o.y + o.z @ o.z, s * (s + 1) * np.eye(o.dim))
    assert np.allclose(np.diag(o.z).real, s - np.arange(o.dim))  # m = s … −s
    assert np.allclose(o.plus, o.x + 1j * o.y)


def test_bad_spin_scheme_and_isolated_sites_are_model_errors() -> None:
    for bad in (0, 0.3, -1, "x"):
        with pytest.raises(ModelError):
            spin_matrices(bad)  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="scheme"):
        Network.spins(1, [1], [1], scheme="other")
    # Zero rates are allowed in the model; a site that nothing dissipates is refused by the
    # solver, naming the site (the old fork refused every zero-rate site at construction).
    lonely = Network.spins(1, [0, 1], [0, 1])
    with pytest.raises(ModelError, match=r"site 0.*not unique"):
        steady_state(lonely)


def test_spin_half_gain_damping_is_the_qubit_model() -> None:
    # S29 with s = ½: (ω/2)Jᶻ = (ω/4)σᶻ and Uᵅ JᵅJᵅ = (Uᵅ/4)σᵅσᵅ; J± = σ±.
    g, d, w = [1.0, 0.3, 0.7], [0.2, 1.0, 0.5], [0.4, -0.3, 0.0]
    bonds = [(0, 1, 1.2, 0.4, 0.7), (1, 2, 0.5, 0.5, -1.0), (0, 2, 2.0, -0.3, 0.1)]
    spin = Network.spins(0.5, g, d, omega=w, bonds=bonds)
    qubit = Network(g, d, np.array(w) / 2, [(j, k, ux / 4, uy / 4, uz / 4) for j, k, ux, uy, uz in bonds])
    ours = steady_state(spin).state.to_dense()
    assert np.max(np.abs(ours - steady_state(qubit).state.to_dense())) < 1e-10
    # …and both against QuTiP (jmat(½) for the spins, Pauli matrices for the qubits).
    assert np.max(np.abs(ours - qutip_steady_state(qubit))) < 1e-8


@pytest.mark.parametrize("scheme", ["gain-damping", "roulet-bruder"])
@pytest.mark.parametrize("s", [1, 1.5])
def test_steady_state_matches_qutip(scheme: str, s: float) -> None:
    net = Network.spins(s, [1.0, 0.4], [0.3, 0.9], scheme=scheme, omega=[0.5, -0.2],
                        bonds=[(0, 1, 1.1, 0.6, 0.3)])
    ours = steady_state(net).state.to_dense()
    ref = qutip_steady_state(net)
    assert np.max(np.abs(ours - ref)) < 1e-8  # QuTiP's direct solver, default tolerances
    # L[ρ] = 0 with QuTiP's operators: the sparse direct solve reaches ~1e-15.
    h, c_ops = qutip_operators(net)
    assert np.max(np.abs(dense_rhs(h, c_ops, ours))) < 1e-12


def test_spin_one_chain_beyond_the_old_dense_cap() -> None:
    # Four spin-1 sites (D = 81, the old fork stopped at 32): the engine's sectors, against
    # QuTiP, in the Roulet–Bruder scheme with distinct rates.
    net = Network.spins(1, [1.0, 0.5, 0.8, 0.3], [0.4, 0.9, 0.2, 1.1], scheme="roulet-bruder",
                        omega=[0.3, 0.0, -0.2, 0.1],
                        bonds=[(0, 1, 1.0, 1.0, 0.4), (1, 2, 0.7, 0.7, -0.3), (2, 3, 1.2, 1.2, 0.0)])
    res = steady_state(net)
    assert res.symmetry == "u1"
    ref = qutip_steady_state(net)
    assert np.max(np.abs(res.state.to_dense() - ref)) < 1e-8


def test_limit_cycles_of_the_two_schemes() -> None:
    g, d = 1.0, 0.25
    (gd,) = local_steady_states(Network.spins(1, [g], [d]))
    pops = np.real(np.diag(gd))
    # Detailed balance: p(m+1)/p(m) = γᵍ/γᵈ (the J± matrix elements cancel).
    assert pops[0] / pops[1] == pytest.approx(g / d) and pops[1] / pops[2] == pytest.approx(g / d)
    (rb,) = local_steady_states(Network.spins(1, [g], [d], scheme="roulet-bruder"))
    assert np.allclose(rb, np.diag([0, 1, 0]), atol=1e-12)  # Eq. S27: |1,0⟩
    # The single-site solve of the engine agrees with the local state.
    single = steady_state(Network.spins(1, [g], [d], scheme="roulet-bruder"), method="direct")
    assert np.allclose(single.state.to_dense(), rb, atol=1e-12)


@pytest.mark.parametrize("s,n", [(1, 3), (1.5, 2), (2, 2)])
def test_gain_damping_keeps_the_theorem_for_any_spin(s: float, n: int) -> None:
    # Equal γᵍ/γᵈ (different scales), XXZ couplings: ρ₀ ∝ r^{ΣJᶻ} is steady.
    bonds = [(0, 1, 2.0, 2.0, 0.5), (1, 2, 1.0, 1.0, -1.0), (0, 2, 3.0, 3.0, 0.0)][: 1 if n == 2 else 3]
    net = Network.spins(s, [1.0, 2.0, 0.5][:n], [0.5, 1.0, 0.25][:n],
                        omega=[0.3, -0.4, 1.0][:n], bonds=bonds)
    assert product_residual(net) < 1e-12
    assert steady_state(net).method == "analytic"
    rho = steady_state(net, method="direct").state
    assert spin_max_connected_correlation(rho) < 1e-10
    assert fidelity(rho, product_state(net)) == pytest.approx(1, abs=1e-10)
    # Unequal ratios break it.
    broken = net.replace(damping=[0.5, 3.0, 1.0][:n])
    assert product_residual(broken) > 1e-2
    assert spin_max_connected_correlation(steady_state(broken).state) > 1e-4


def test_roulet_bruder_breaks_the_theorem_for_identical_xxz_sites() -> None:
    net = Network.spins(1, [1.0, 1.0], [1.0, 1.0], scheme="roulet-bruder", bonds=[(0, 1, 1.0, 1.0, 0.5)])
    assert product_residual(net) > 0.1
    res = steady_state(net)
    assert res.method != "analytic"
    rho = res.state
    assert spin_max_connected_correlation(rho) > 1e-2
    assert mutual_information(rho, 0, 1) > 1e-2
    assert fidelity(rho, product_state(net)) < 0.99


def _entropy_by_hand(rho: np.ndarray) -> float:
    vals = np.linalg.eigvalsh(rho)
    vals = vals[vals > 1e-14]
    return float(-np.sum(vals * np.log(vals)))


def test_mutual_information_is_zero_iff_the_pair_is_a_product() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    a = a @ a.conj().T
    a /= np.trace(a)
    b = np.diag([0.5, 0.3, 0.2]).astype(complex)
    rho = np.kron(a, b)
    assert np.allclose(partial_trace(rho, [3, 3], [0]), a)
    assert np.allclose(partial_trace(rho, [3, 3], [1]), b)
    assert abs(mutual_information(ProductState([a, b]), 0, 1)) < 1e-10
    # The correlated Roulet–Bruder steady state: I > 0, equal to a by-hand einsum.
    net = Network.spins(1, [1.0, 1.0], [1.0, 1.0], scheme="roulet-bruder", bonds=[(0, 1, 1.0, 1.0, 0.5)])
    dense = steady_state(net).state.to_dense()
    t = dense.reshape(3, 3, 3, 3)
    r1, r2 = np.einsum("abcb->ac", t), np.einsum("abad->bd", t)
    by_hand = _entropy_by_hand(r1) + _entropy_by_hand(r2) - _entropy_by_hand(dense)
    assert by_hand > 1e-2
    assert mutual_information(steady_state(net), 0, 1) == pytest.approx(by_hand, abs=1e-10)
    assert von_neumann_entropy(r1) == pytest.approx(_entropy_by_hand(r1), abs=1e-12)
