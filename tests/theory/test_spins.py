"""Spin-s networks: operators, the s = ½ map to qubits, QuTiP as oracle, and the theorem."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, steady_state
from spinsync.errors import ModelError
from spinsync.theory.spins import SpinNetwork, mutual_information, partial_trace, spin_operators


@pytest.mark.parametrize("s", [0.5, 1, 1.5, 2])
def test_spin_algebra(s: float) -> None:
    o = spin_operators(s)
    assert np.allclose(o.x @ o.y - o.y @ o.x, 1j * o.z)
    assert np.allclose(o.x @ o.x + o.y @ o.y + o.z @ o.z, s * (s + 1) * np.eye(o.dim))
    assert np.allclose(np.diag(o.z).real, s - np.arange(o.dim))  # m = s … −s
    assert np.allclose(o.plus, o.x + 1j * o.y)


def test_bad_spin_and_rates_are_model_errors() -> None:
    for bad in (0, 0.3, -1, "x"):
        with pytest.raises(ModelError):
            spin_operators(bad)  # type: ignore[arg-type]
    with pytest.raises(ModelError):
        SpinNetwork(1, [0, 1], [0, 1])
    with pytest.raises(ModelError):
        SpinNetwork(1, [1], [1], scheme="other")


def test_spin_half_gain_damping_is_the_qubit_model() -> None:
    # S29 with s = ½: (ω/2)Jᶻ = (ω/4)σᶻ and Uᵅ JᵅJᵅ = (Uᵅ/4)σᵅσᵅ; J± = σ±.
    g, d, w = [1.0, 0.3, 0.7], [0.2, 1.0, 0.5], [0.4, -0.3, 0.0]
    bonds = [(0, 1, 1.2, 0.4, 0.7), (1, 2, 0.5, 0.5, -1.0), (0, 2, 2.0, -0.3, 0.1)]
    spin = SpinNetwork(0.5, g, d, "gain-damping", w, bonds)
    qubit = Network(g, d, np.array(w) / 2, [(j, k, ux / 4, uy / 4, uz / 4) for j, k, ux, uy, uz in bonds])
    ref = steady_state(qubit).state.to_dense()
    assert np.max(np.abs(spin.steady_state() - ref)) < 1e-10


def _qutip_steady(net: SpinNetwork) -> np.ndarray:
    qutip = pytest.importorskip("qutip")
    s = net.s
    d = net.local_dim

    def site(j: int, op):
        ops = [qutip.qeye(d)] * net.n
        ops[j] = op
        return qutip.tensor(ops)

    jx, jy, jz = (qutip.jmat(s, a) for a in "xyz")
    jp, jm = qutip.jmat(s, "+"), qutip.jmat(s, "-")
    h = sum((net.omega[j] / 2 * site(j, jz) for j in range(net.n)), 0 * site(0, jz))
    for (j, k), c in zip(net.bond_sites, net.bond_couplings):
        for a, op in enumerate((jx, jy, jz)):
            h += c[a] * site(j, op) * site(k, op)
    up, down = (jp, jm) if net.scheme == "gain-damping" else (jp * jz, jm * jz)
    cops = []
    for j in range(net.n):
        cops.append(np.sqrt(net.gain[j] / 2) * site(j, up))
        cops.append(np.sqrt(net.damping[j] / 2) * site(j, down))
    return qutip.steadystate(h, cops).full()


@pytest.mark.parametrize("scheme", ["gain-damping", "roulet-bruder"])
@pytest.mark.parametrize("s", [1, 1.5])
def test_steady_state_matches_qutip(scheme: str, s: float) -> None:
    net = SpinNetwork(s, [1.0, 0.4], [0.3, 0.9], scheme, [0.5, -0.2], [(0, 1, 1.1, 0.6, 0.3)])
    ours = net.steady_state()
    ref = _qutip_steady(net)
    assert np.max(np.abs(ours - ref)) < 1e-8  # QuTiP's direct solver, default tolerances
    assert np.max(np.abs(net.apply(ours))) < 1e-12


def test_limit_cycles_of_the_two_schemes() -> None:
    g, d = 1.0, 0.25
    gd = SpinNetwork(1, [g], [d], "gain-damping").steady_state()
    pops = np.real(np.diag(gd))
    # Detailed balance: p(m+1)/p(m) = γᵍ/γᵈ (the J± matrix elements cancel).
    assert pops[0] / pops[1] == pytest.approx(g / d) and pops[1] / pops[2] == pytest.approx(g / d)
    rb = SpinNetwork(1, [g], [d], "roulet-bruder").steady_state()
    assert np.allclose(rb, np.diag([0, 1, 0]), atol=1e-12)  # Eq. S27: |1,0⟩


@pytest.mark.parametrize("s,n", [(1, 3), (1.5, 2), (2, 2)])
def test_gain_damping_keeps_the_theorem_for_any_spin(s: float, n: int) -> None:
    # Equal γᵍ/γᵈ (different scales), XXZ couplings: ρ₀ ∝ r^{ΣJᶻ} is steady.
    bonds = [(0, 1, 2.0, 2.0, 0.5), (1, 2, 1.0, 1.0, -1.0), (0, 2, 3.0, 3.0, 0.0)][: 1 if n == 2 else 3]
    net = SpinNetwork(s, [1.0, 2.0, 0.5][:n], [0.5, 1.0, 0.25][:n], "gain-damping",
                      [0.3, -0.4, 1.0][:n], bonds)
    assert net.product_residual() < 1e-12
    rho = net.steady_state()
    assert net.max_connected_correlation(rho) < 1e-10
    # Unequal ratios break it.
    broken = net.replace(damping=[0.5, 3.0, 1.0][:n])
    assert broken.product_residual() > 1e-2
    assert broken.max_connected_correlation(broken.steady_state()) > 1e-4


def test_roulet_bruder_breaks_the_theorem_for_identical_xxz_sites() -> None:
    net = SpinNetwork(1, [1.0, 1.0], [1.0, 1.0], "roulet-bruder", bonds=[(0, 1, 1.0, 1.0, 0.5)])
    assert net.product_residual() > 0.1
    rho = net.steady_state()
    assert net.max_connected_correlation(rho) > 1e-2
    assert mutual_information(rho, [3, 3], 0, 1) > 1e-2
    assert net.fidelity_to_product(rho) < 0.99


def test_partial_trace_and_mutual_information_of_a_product() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    a = a @ a.conj().T
    a /= np.trace(a)
    b = np.diag([0.5, 0.3, 0.2]).astype(complex)
    rho = np.kron(a, b)
    assert np.allclose(partial_trace(rho, [3, 3], [0]), a)
    assert np.allclose(partial_trace(rho, [3, 3], [1]), b)
    assert abs(mutual_information(rho, [3, 3], 0, 1)) < 1e-10
