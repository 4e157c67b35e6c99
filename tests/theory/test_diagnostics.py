"""Per-bond split of L[ρ₀] (Eq. 5) against the full Liouvillian, and the generalized\nno-go theorem (drives, dephasing, collective channels, spins) against QuTiP."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinsync import Collective, Network, product_residual, product_state, steady_state
from spinsync.errors import ModelError
from spinsync.liouvillian import full_liouvillian
from spinsync.theory.diagnostics import bond_operators, diagnose, residual_operator

from .qutip_oracle import dense_residual, dense_rhs, qutip_product_state, qutip_steady_state


def _full_residual(network: Network) -> np.ndarray:
    rho0 = product_state(network).to_dense()
    return (full_liouvillian(network) @ rho0.ravel()).reshape(rho0.shape), rho0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [2, 3, 4])
def test_split_sums_in_quadrature_to_full_residual(seed: int, n: int, random_network) -> None:
    net = random_network(np.random.default_rng(100 * n + seed), n, xxz=seed % 2 == 0, density=0.8)
    res, rho0 = _full_residual(net)
    diag = diagnose(net)
    full = np.linalg.norm(res) / np.linalg.norm(rho0)
    # Both sides are O(1) sums of a few terms in double precision.
    assert diag.residual == pytest.approx(full, rel=1e-12, abs=1e-13)
    quad = np.sqrt(sum(b.m_norm**2 + b.u_norm**2 for b in diag.bonds))
    assert quad == pytest.approx(full, rel=1e-12, abs=1e-13)


@pytest.mark.parametrize("seed", range(4))
def test_explicit_operators_reproduce_residual_entry_by_entry(seed: int, random_network) -> None:
    net = random_network(np.random.default_rng(seed), 4, xxz=False)
    res, rho0 = _full_residual(net)
    # L[ρ₀] = −i[U, ρ₀] = (i/2) Σ (M + U) ⊗ ρ_rest, entry by entry.
    from tests.oracles import dense_hamiltonian

    h = dense_hamiltonian(None, net.omega, net.bonds, net.field, net.n)
    assert np.max(np.abs(res - (-1j) * (h @ rho0 - rho0 @ h))) < 1e-13
    assert np.max(np.abs(residual_operator(net) - res)) < 1e-13
    # Each bond's M and U parts are orthogonal to every other part (Hilbert–Schmidt).
    parts = [op for j, k in net.bond_sites for op in bond_operators(net, int(j), int(k))]
    gram = np.array([[np.vdot(a, b) for b in parts] for a in parts])
    off = gram - np.diag(np.diag(gram))
    assert np.max(np.abs(off)) < 1e-13
    # And their norms are the diagnosis' per-term norms (½‖·‖ / ‖ρ₀‖).
    diag = diagnose(net)
    norms = np.array([[b.m_norm, b.u_norm] for b in diag.bonds]).ravel()
    assert np.allclose(0.5 * np.sqrt(np.real(np.diag(gram))) / np.linalg.norm(rho0), norms, atol=1e-13)


def test_reasons_name_the_breaking_term() -> None:
    m = [0.5, 0.5, -0.2]
    bonds = [(0, 1, 1.0, 0.3, 0.0),   # equal m, anisotropic → U term only
             (1, 2, 1.0, 1.0, 0.5),   # unequal m, XXZ → M term only
             (0, 2, 1.0, -1.0, 0.0)]  # unequal m but Uˣ + Uʸ = 0 → U term only
    diag = diagnose(Network.from_magnetization(m, bonds=bonds))
    by_bond = {(b.j, b.k): b for b in diag.bonds}
    assert by_bond[(0, 1)].causes == ("Ux != Uy",)
    assert by_bond[(1, 2)].causes == ("unequal m",)
    assert by_bond[(0, 2)].causes == ("Ux != Uy",)
    assert by_bond[(0, 1)].m_norm == 0 and by_bond[(1, 2)].u_norm == 0
    assert not diag.conditions_hold and not diag.product_is_steady


def test_all_m_zero_with_xyz_is_the_special_case() -> None:
    net = Network([1, 2, 0.5], [1, 2, 0.5], bonds=[(0, 1, 2.0, -0.7, 1.0), (1, 2, 0.3, 1.1, 0.0)])
    diag = diagnose(net)
    assert diag.all_m_zero_xyz and diag.conditions_hold and diag.product_is_steady
    assert diag.residual == 0.0 and diag.breaking_bonds == []
    res, _ = _full_residual(net)
    assert np.max(np.abs(res)) < 1e-14


def test_conditions_hold_gives_zero_residual_even_when_strongly_coupled() -> None:
    net = Network.from_magnetization([0.3] * 4, rate_scale=[1, 3, 0.2, 7],
                                     bonds=[(j, k, 80, 80, 1) for j in range(4) for k in range(j + 1, 4)])
    diag = diagnose(net)
    assert diag.conditions_hold and diag.residual == 0.0
    res, _ = _full_residual(net)
    assert np.max(np.abs(res)) < 1e-12


# --------------------------------------------------------------------------- general model
# The generalized theorem (issue 10 §3, docs/conventions.md): ρ₀ = ⊗ local steady states is
# the steady state iff L[ρ₀] = 0. Each statement is checked with the closed-form residual of
# spinsync.steady.analytic against ‖L[ρ₀]‖ built densely from QuTiP operators and QuTiP's
# own local steady states. Dense sums of O(1) terms: 1e-10 relative, 1e-12 absolute.

def _dense_check(net: Network) -> float:
    rho0 = qutip_product_state(net)
    dense = dense_residual(net, rho0)
    assert product_residual(net) == pytest.approx(dense, rel=1e-10, abs=1e-12)
    assert diagnose(net).residual == pytest.approx(dense, rel=1e-10, abs=1e-12)
    return dense


def test_dephasing_keeps_the_theorem() -> None:
    bonds = [(0, 1, 1.5, 1.5, 0.3), (1, 2, 0.7, 0.7, -1.0), (0, 2, 2.0, 2.0, 0.0)]
    net = Network.from_magnetization([0.3] * 3, rate_scale=[1, 2, 0.5], bonds=bonds,
                                     dephasing=[0.4, 0.0, 1.3])
    assert _dense_check(net) < 1e-12
    rho0 = product_state(net)
    assert rho0.is_diagonal  # dephasing leaves ρ_j = (I + m_jσᶻ)/2
    diag = diagnose(net)
    assert diag.eq5 and diag.conditions_hold and diag.product_is_steady and diag.breaking_bonds == []
    assert steady_state(net).method == "analytic"
    direct = steady_state(net, method="direct").state
    assert np.max(np.abs(direct.to_dense() - rho0.to_dense())) < 1e-12
    # With unequal m the residual is Eq. 5's, dephasing or not.
    unequal = net.replace(gain=[1, 0.3, 0.5])
    assert _dense_check(unequal) == pytest.approx(diagnose(unequal.replace(dephasing=None)).residual, rel=1e-12)


@pytest.mark.parametrize("driven", [0, 1, 2])
def test_a_drive_on_any_one_site_with_a_bond_breaks_it(driven: int) -> None:
    # A chain that keeps the theorem (equal m, XXZ) until one site is driven.
    base = Network.from_magnetization([0.4] * 3, rate_scale=[1, 0.5, 2],
                                      bonds=[(0, 1, 1.0, 1.0, 0.5), (1, 2, 0.8, 0.8, -0.3)])
    assert product_residual(base) == 0.0
    drive = np.zeros(3)
    drive[driven] = 0.9
    net = base.replace(drive=drive, drive_phase=[0.3] * 3)
    assert _dense_check(net) > 1e-3
    diag = diagnose(net)
    assert not diag.eq5 and not diag.conditions_hold and not diag.product_is_steady
    for b in diag.bonds:
        touches = driven in (b.j, b.k)
        assert b.breaks == touches  # the undriven bond keeps commuting with ρ_j ⊗ ρ_k
        if touches:
            assert "driven" in b.reasons[0]
    json.dumps(diag.to_dict(), allow_nan=False)
    res = steady_state(net)
    assert res.method != "analytic" and res.symmetry == "none"
    assert np.max(np.abs(res.state.to_dense() - qutip_steady_state(net))) < 1e-8
    # A driven site without any bond keeps its own (coherent) limit cycle: no breaking.
    alone = Network([1.0, 0.5], [0.5, 0.25], drive=[0.0, 0.9], bonds=[])
    assert _dense_check(alone) < 1e-12 and steady_state(alone).method == "analytic"


@pytest.mark.parametrize("s", [1, 1.5])
def test_gain_damping_spins_keep_it_roulet_bruder_spins_break_it(s: float) -> None:
    bonds = [(0, 1, 1.2, 1.2, 0.4), (1, 2, 0.6, 0.6, -0.5)]
    gd = Network.spins(s, [1.0, 2.0, 0.5], [0.5, 1.0, 0.25], omega=[0.2, -0.3, 0.0], bonds=bonds)
    assert _dense_check(gd) < 1e-12
    diag = diagnose(gd)
    assert diag.kind == "spins" and diag.conditions_hold and diag.product_is_steady
    assert not diag.eq5 and diag.breaking_bonds == []
    rb = gd.replace(scheme="roulet-bruder")
    assert _dense_check(rb) > 0.1
    diag = diagnose(rb)
    assert not diag.conditions_hold and not diag.product_is_steady
    assert {(b.j, b.k) for b in diag.breaking_bonds} == {(0, 1), (1, 2)}


def _check_contributions(net: Network):
    qt = pytest.importorskip("qutip")
    total = _dense_check(net)
    rho0 = qutip_product_state(net)
    scale = np.linalg.norm(rho0)
    diag = diagnose(net)
    n, dim = net.n, 2**net.n
    ops = {"x": qt.sigmax(), "y": qt.sigmay(), "z": qt.sigmaz(), "-": qt.sigmam()}

    def site(j, o):
        return qt.tensor([o if i == j else qt.qeye(2) for i in range(n)]).full()

    for b, (j, k, ux, uy, uz) in zip(diag.bonds, net.bonds):
        u = sum(c * site(j, ops[a]) @ site(k, ops[a]) for c, a in zip((ux, uy, uz), "xyz"))
        alone = np.linalg.norm(u @ rho0 - rho0 @ u) / scale
        assert b.contribution == pytest.approx(alone, rel=1e-10, abs=1e-12)
    # A channel's contribution: its dissipator minus the single-site parts (which the local
    # states absorb) applied to ρ₀ — the cross terms alone.
    for ch, cd in zip(net.collective, diag.channels):
        a = ops[{"lowering": "-", "dephasing": "z"}[ch.operator]]
        full = [np.sqrt(ch.rate / 2) * sum(site(j, a) for j in ch.sites)]
        single = [np.sqrt(ch.rate / 2) * site(j, a) for j in ch.sites]
        zero = np.zeros((dim, dim))
        cross = dense_rhs(zero, full, rho0) - dense_rhs(zero, single, rho0)
        assert cd.contribution == pytest.approx(np.linalg.norm(cross) / scale, rel=1e-10, abs=1e-12)
    assert total > 0
    return diag


def test_per_term_contributions_against_dense_operators() -> None:
    net = Network([1.0, 0.3, 0.6], [0.4, 1.0, 0.2], [0.5, 0.0, -0.3],
                  [(0, 1, 1.0, 0.7, 0.2), (1, 2, 0.5, 0.5, 1.0)], drive=[0.6, 0.0, 0.0],
                  collective=[Collective([1, 2], "lowering", 0.8), Collective("all", "dephasing", 0.3)])
    diag = _check_contributions(net)
    assert diag.channels[0].breaks
    # Collective dephasing's cross terms are −[σᶻ, ρ_j] ⊗ [σᶻ, ρ_k] per pair: zero while at
    # most one of its sites has coherences, non-zero once two have.
    assert not diag.channels[1].breaks and diag.channels[1].contribution < 1e-13
    twice = _check_contributions(net.replace(drive=[0.6, 0.5, 0.0]))
    assert twice.channels[1].breaks
    # Both sites of the lowering channel driven (coherent ρ_1, ρ_2 on both sides).
    _check_contributions(net.replace(drive=[0.0, 0.5, 0.4]))


def test_undefined_product_state_is_reported_plainly() -> None:
    # A boundary-driven chain: the middle qubit has no dissipation of its own, so ρ₀ is
    # undefined — yet the steady state is unique (reached through the flip bonds).
    net = Network([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], bonds=[(0, 1, 1.0, 1.0, 0.3), (1, 2, 1.0, 1.0, 0.3)])
    assert product_state(net) is None
    diag = diagnose(net)
    assert not diag.product_state_defined and diag.undefined_sites == (1,)
    assert not diag.product_is_steady and not diag.conditions_hold and np.isnan(diag.residual)
    assert "site 1" in diag.note and diag.breaking_bonds == []
    out = diag.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["residual"] is None and out["magnetization"][1] is None
    assert all(b["breaks"] is None and b["contribution"] is None for b in out["bonds"])
    assert steady_state(net).method in ("direct", "gmres")  # unique, solved


def test_to_dict_keeps_the_old_keys_for_every_model() -> None:
    old = {"n", "conditions_hold", "product_is_steady", "all_m_zero_xyz", "residual",
           "magnetization", "bonds", "breaking_bonds"}
    old_bond = {"j", "k", "m_j", "m_k", "ux", "uy", "uz", "m_coefficient", "u_coefficient",
                "m_norm", "u_norm", "reasons", "causes", "norm", "breaks"}
    models = [
        Network([1, 0.5], [0.5, 1], bonds=[(0, 1, 1, 0.5, 0)]),
        Network([1, 0.5], [0.5, 1], bonds=[(0, 1, 1, 0.5, 0)], drive=[0.3, 0]),
        Network.spins(1, [1, 1], [1, 1], scheme="roulet-bruder", bonds=[(0, 1, 1, 1, 0)]),
        Network([1, 0.5], [0.5, 1], bonds=[(0, 1, 1, 1, 0)], collective=[Collective("all", "lowering", 1)]),
    ]
    for net in models:
        out = diagnose(net).to_dict()
        assert old <= set(out) and all(old_bond <= set(b) for b in out["bonds"])
        json.loads(json.dumps(out, allow_nan=False))
    # Spins report ⟨Jᶻ⟩ of the local states: |1,0⟩ has 0; J± spins (r = 2) the r^{Jᶻ} mean.
    assert diagnose(models[2]).magnetization == pytest.approx((0.0, 0.0), abs=1e-12)
    gd = diagnose(Network.spins(1, [2], [1]))
    p = np.array([4, 2, 1]) / 7
    assert gd.magnetization[0] == pytest.approx(p @ [1, 0, -1], rel=1e-12)


def test_bond_operators_refuse_models_without_eq5() -> None:
    with pytest.raises(ModelError, match="Eq. 5"):
        bond_operators(Network([1, 0.5], [0.5, 1], bonds=[(0, 1, 1, 1, 0)], drive=[0.3, 0]), 0, 1)
