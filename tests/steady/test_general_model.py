"""Steady states of the general model (issue 10) against the independent QuTiP oracle.

Every case is built twice from the same raw parameters: by spinsync (ss.Network,
ss.Network.spins) and by tests/oracles.py in QuTiP (collapse operators √(rate/2)·A, see
CONVENTIONS.md). Covered: each new term alone and combined (dephasing, drives with several
phases, collective lowering/raising/dephasing on all sites and on subsets, fields, zero-rate
sites), spin-1 networks in both schemes, a mixed s = ½/1 network and s = 3/2 pairs; every
applicable method; symmetry-sector against full-space paths; the detected symmetry; and
the generalized no-go theorem.

Tolerances (see tests/general_cases.py): AGREE = 1e-10 entrywise; GMRES is run to
‖L[ρ]‖/‖ρ‖ ≤ 1e-12 so that its error is below AGREE on these models (gaps ≥ 0.1, measured
with shift-invert eigs on the QuTiP Liouvillian).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

import spinsync as ss

from tests.general_cases import (
    AGREE,
    ALL_CASES,
    QUBIT_CASES,
    SPIN_CASES,
    assert_physical,
    cached_reference,
    dense,
    dense_model,
    dimension,
    expected_symmetry,
    max_diff,
    network,
    random_qubit_cases,
    reference,
    solve,
)

NUMERIC = ["direct", "gmres"]


# ------------------------------------------------------------------ every case, every method
@pytest.mark.parametrize("method", NUMERIC)
@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_numeric_methods_match_qutip(name: str, method: str) -> None:
    case = ALL_CASES[name]
    res = solve(network(case), method)
    rho = dense(res.state)
    d = dimension(case)
    assert rho.shape == (d, d)
    assert res.method == method
    assert max_diff(rho, cached_reference(name)) < AGREE
    assert_physical(rho)
    assert res.residual < 1e-9


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_auto_matches_qutip_and_reports_the_symmetry(name: str) -> None:
    case = ALL_CASES[name]
    res = solve(network(case))
    assert res.method in ("analytic", "direct", "gmres")
    assert max_diff(dense(res.state), cached_reference(name)) < AGREE
    assert res.symmetry == expected_symmetry(case), (name, res.symmetry)


def test_expected_symmetries_cover_all_three() -> None:
    """The case table exercises every symmetry class for qubits and for spins."""
    for table in (QUBIT_CASES, SPIN_CASES):
        assert {expected_symmetry(c) for c in table.values()} == {"u1", "parity", "none"}


@pytest.mark.parametrize("name", ["collective-subset-n5", "spin1-rb-collective-n3"])
def test_collective_channels_as_plain_tuples(name: str) -> None:
    """(sites, operator, rate) tuples are accepted and mean the same as ss.Collective."""
    case = ALL_CASES[name]
    a = dense(solve(network(case), "direct").state)
    b = dense(solve(network(case, tuples=True), "direct").state)
    assert max_diff(a, b) < 1e-13  # the same model, the same solver: equal to rounding
    assert max_diff(b, cached_reference(name)) < AGREE


# ------------------------------------------------------------------ sector vs full space
SYMMETRIC = sorted(n for n, c in ALL_CASES.items() if expected_symmetry(c) != "none")


@pytest.mark.parametrize("name", SYMMETRIC)
def test_sector_and_full_space_paths_agree(name: str) -> None:
    """The same model solved in its symmetry sectors and in the full space (symmetry="none"),
    by both numeric methods, and (for U(1) models) in the weaker parity split."""
    case = ALL_CASES[name]
    net = network(case)
    sym = expected_symmetry(case)
    ref = dense(solve(net, "direct").state)
    assert solve(net, "direct").symmetry == sym
    weaker = ["none"] + (["parity"] if sym == "u1" else [])
    for forced in weaker:
        for method in NUMERIC:
            res = solve(net, method, symmetry=forced)
            # reported: the symmetry the solver used
            assert res.symmetry == forced, (method, forced, res.symmetry)
            assert max_diff(dense(res.state), ref) < AGREE, (method, forced)


@pytest.mark.parametrize("name,forced", [
    ("dephasing-xyz-n4", "u1"),          # XYZ: parity only
    ("drive-phase0-n3", "u1"),           # drive: nothing
    ("drive-phase0-n3", "parity"),
    ("spin1-gd-drive-n2", "parity"),
    ("spin3half-gd-xyz-pair", "u1"),
])
@pytest.mark.parametrize("method", NUMERIC)
def test_a_symmetry_the_model_lacks_is_refused(name: str, forced: str, method: str) -> None:
    with pytest.raises(ss.ModelError, match=forced):
        solve(network(ALL_CASES[name]), method, symmetry=forced)


def test_unknown_symmetry_name_is_refused() -> None:
    with pytest.raises(ss.ModelError, match="z2"):
        solve(network(ALL_CASES["field-xxz-n3"]), "direct", symmetry="z2")


def test_auto_symmetry_is_the_default() -> None:
    net = network(ALL_CASES["dephasing-xyz-n4"])
    a = solve(net, "direct", symmetry="auto")
    assert a.symmetry == "parity"
    assert max_diff(dense(a.state), dense(solve(net, "direct").state)) < 1e-13


def test_zero_drive_is_no_drive() -> None:
    """Assumption (the spec says 'any drive → none'): a drive of amplitude 0 everywhere is no
    term at all, so the model keeps U(1) and equals the undriven model."""
    base = dict(QUBIT_CASES["field-xxz-n3"])
    driven0 = dict(base, drive=[0.0, 0.0, 0.0], drive_phase=[0.3, 1.0, 2.0])
    res = solve(network(driven0), "direct")
    assert res.symmetry == "u1"
    assert max_diff(dense(res.state), cached_reference("field-xxz-n3")) < AGREE


def test_state_layout_site0_leftmost() -> None:
    """Site 0 is the leftmost tensor factor, local basis m = s … −s (qubits |↑⟩, |↓⟩): a
    mixed s = ½, 1 network with no bonds is ⊗ of its local steady states in that order."""
    case = dict(kind="spin", s=[0.5, 1.0], scheme="gain-damping", gain=[2.0, 0.5], damping=[0.5, 1.5])
    rho = dense(solve(network(case), "direct").state)
    assert rho.shape == (6, 6)
    local = dense_model(case)
    expected = np.kron(local.local_steady(0), local.local_steady(1))
    assert max_diff(rho, expected) < AGREE
    assert rho[0, 0].real > rho[3, 3].real  # spin ½ up (gain 2 > damping 0.5) carries m = +½


# ------------------------------------------------------------------ generalized no-go theorem
def _nogo_qubits(n: int = 4, ratio: float = 0.4, dephasing=None) -> dict:
    rng = np.random.default_rng(7)
    damping = rng.uniform(0.3, 2.0, n)
    return dict(kind="qubit", gain=list(ratio * damping), damping=list(damping),
                omega=list(rng.uniform(-1, 1, n)),
                bonds=[(j, k, 1.3, 1.3, 0.4) for j in range(n) for k in range(j + 1, n)],
                dephasing=dephasing)


def test_dephasing_keeps_the_theorem() -> None:
    """Dephasing leaves the diagonal ρ₀ steady: auto returns it analytically, and it is
    QuTiP's steady state."""
    case = _nogo_qubits(dephasing=[0.3, 1.2, 0.0, 0.7])
    net = network(case)
    res = solve(net)
    assert res.method == "analytic"
    assert ss.product_residual(net) < 1e-12
    ref = reference(case)
    assert max_diff(dense(res.state), ref) < AGREE
    assert max_diff(dense(solve(net, "analytic").state), ref) < AGREE
    assert max_diff(dense(solve(net, "direct").state), ref) < AGREE


def test_dephasing_keeps_the_theorem_all_m_zero_xyz() -> None:
    """m_j = 0 everywhere (Γᵍ = Γᵈ), any XYZ bonds, dephasing: ρ₀ = I/D."""
    case = dict(kind="qubit", gain=[0.5, 1.0, 2.0], damping=[0.5, 1.0, 2.0], omega=[0.3, -0.2, 0.1],
                bonds=[(0, 1, 1.0, 0.2, 0.5), (1, 2, 0.3, 1.4, 0.0)], dephasing=[0.4, 0.0, 0.9])
    res = solve(network(case))
    assert res.method == "analytic"
    assert max_diff(dense(res.state), np.eye(8) / 8) < 1e-14
    assert max_diff(dense(res.state), reference(case)) < AGREE


@pytest.mark.parametrize("site", [0, 2])
def test_a_drive_on_one_site_breaks_the_theorem(site: int) -> None:
    case = _nogo_qubits()
    drive = [0.0] * 4
    drive[site] = 0.8
    case["drive"] = drive
    net = network(case)
    res = solve(net)
    assert res.method != "analytic"
    # the closed-form residual equals ‖L[ρ₀]‖_F/‖ρ₀‖_F from the dense oracle
    model = dense_model(case)
    rho0 = model.product_state()
    want = np.linalg.norm(model.rhs(rho0)) / np.linalg.norm(rho0)
    assert want > 1e-3
    assert abs(ss.product_residual(net) - want) <= 1e-10 * want
    with pytest.raises(ss.ModelError):
        solve(net, "analytic")
    assert max_diff(dense(res.state), reference(case)) < AGREE


def test_drive_without_bonds_keeps_the_product_state() -> None:
    """Without bonds every site is on its own: ρ₀ (with the driven site's coherence) is the
    steady state even with a drive, and ⟨σ⁺⟩ ≠ 0 there."""
    case = dict(kind="qubit", gain=[0.2, 1.0], damping=[1.0, 0.3], omega=[0.4, 0.0], drive=[0.9, 0.0])
    net = network(case)
    rho0 = dense_model(case).product_state()
    assert abs(rho0[0, 2]) > 1e-2  # ⟨σ⁺₀⟩ ≠ 0
    assert ss.product_residual(net) < 1e-12
    res = solve(net)
    assert res.method == "analytic"
    assert max_diff(dense(res.state), reference(case)) < AGREE


@pytest.mark.parametrize("s,n", [(1, 3), (1.5, 2), ([0.5, 1, 1.5], 3)])
def test_gain_damping_spins_keep_the_theorem(s, n: int) -> None:
    """J± spins with one common γᵍ/γᵈ and XXZ bonds: ρ₀ ∝ ⊗ (γᵍ/γᵈ)^{Jᶻ} commutes with
    every XXZ bond, so it is the steady state (dephasing too)."""
    rng = np.random.default_rng(11)
    damping = rng.uniform(0.3, 2.0, n)
    case = dict(kind="spin", s=s, scheme="gain-damping", gain=list(0.6 * damping), damping=list(damping),
                omega=list(rng.uniform(-1, 1, n)), dephasing=list(rng.uniform(0, 1, n)),
                bonds=[(j, k, 0.9, 0.9, -0.3) for j in range(n) for k in range(j + 1, n)])
    net = network(case)
    res = solve(net)
    assert res.method == "analytic"
    assert ss.product_residual(net) < 1e-12
    assert max_diff(dense(res.state), reference(case)) < AGREE
    assert max_diff(dense(ss.product_state(net)), dense_model(case).product_state()) < 1e-12


def test_roulet_bruder_spin1_pair_breaks_the_theorem() -> None:
    """J±Jᶻ, s = 1: each site's limit cycle is |1, 0⟩, and an XXZ bond maps |0, 0⟩ to
    |1, −1⟩ + |−1, 1⟩ — ρ₀ is not steady even with equal rates."""
    case = dict(kind="spin", s=1, scheme="roulet-bruder", gain=[1.0, 1.0], damping=[1.0, 1.0],
                omega=[0.0, 0.0], bonds=[(0, 1, 1.0, 1.0, 0.0)])
    net = network(case)
    rho0 = dense_model(case).product_state()
    assert max_diff(rho0, np.diag([0, 0, 0, 0, 1, 0, 0, 0, 0]).astype(complex)) < 1e-12
    assert max_diff(dense(ss.product_state(net)), rho0) < 1e-12
    want = np.linalg.norm(dense_model(case).rhs(rho0)) / np.linalg.norm(rho0)
    assert abs(ss.product_residual(net) - want) <= 1e-10 * want
    res = solve(net)
    assert res.method != "analytic"
    assert max_diff(dense(res.state), reference(case)) < AGREE


@pytest.mark.parametrize("name", [
    "drive-phases-mixed-n4", "spin1-rb-drive-dephasing-n3", "mixed-half-one-n3", "spin3half-rb-pair",
    "dephasing-xyz-n4",
])
def test_product_state_and_residual_match_the_oracle(name: str) -> None:
    """ρ₀ = ⊗ local steady states (each from its own local Liouvillian, drive and dephasing
    included), and the closed-form residual ‖L[ρ₀]‖_F/‖ρ₀‖_F, against the dense oracle."""
    case = ALL_CASES[name]
    net = network(case)
    model = dense_model(case)
    rho0 = model.product_state()
    assert max_diff(dense(ss.product_state(net)), rho0) < 1e-12
    want = np.linalg.norm(model.rhs(rho0)) / np.linalg.norm(rho0)
    assert abs(ss.product_residual(net) - want) <= 1e-10 * max(want, 1e-3)


@pytest.mark.parametrize("name", ["zero-interior-xxz-n5", "spin1-gd-zero-interior-n3"])
def test_no_product_state_without_local_dissipation(name: str) -> None:
    net = network(ALL_CASES[name])
    assert ss.product_state(net) is None
    assert solve(net).method != "analytic"


# ------------------------------------------------------------------ random models (hypothesis)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_qubit_cases())
def test_random_models_are_physical_and_match_qutip(case: dict) -> None:
    """Invariants on random small models: Tr ρ = 1, ρ = ρ†, ρ ⪰ 0, agreement with QuTiP and
    the detected symmetry. Models whose steady state is not unique are skipped (decided by
    the dense oracle's kernel, D ≤ 8, so 64 × 64)."""
    model = dense_model(case)
    assume(model.kernel_dimension() == 1)
    res = solve(network(case))
    rho = dense(res.state)
    assert_physical(rho)
    assert res.symmetry == expected_symmetry(case)
    assert max_diff(rho, reference(case)) < AGREE
