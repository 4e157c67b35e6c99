"""Zero-rate sites (issue 10 §1): the boundary-driven XXZ chain of Prosen, chains with
undissipated interiors, and the refusal of sites the dissipation cannot reach.

Prosen, PRL 107, 137201 (2011), mapped to our conventions (derived and checked in
tests/test_oracles.py::test_prosen_n2_current): his 2LρL† − {L†L, ρ} with L₁ = √ε σ⁺₁,
L₂ = √ε σ⁻ₙ is our ½Γ D[σ] with Γ = 4ε, i.e. gain[0] = 4ε, damping[n−1] = 4ε, every other
rate 0; his H = Σ (σˣσˣ + σʸσʸ + Δσᶻσᶻ) is bonds (j, j+1, 1, 1, Δ). The n = 2 current
⟨i(σ⁺₁σ⁻₂ − σ⁻₁σ⁺₂)⟩ = 2ε/(4 + ε²), independent of Δ.

Tolerances: states at AGREE = 1e-10 (tests/general_cases.py); the current is a sum of two
entries of ρ, so it inherits 2·AGREE.
"""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss

from tests.general_cases import AGREE, assert_physical, dense, dense_model, max_diff, network, reference, solve
from tests.oracles import (
    prosen_current_dense,
    prosen_current_n2,
    prosen_our_parameters,
    prosen_qutip_model,
    qutip_steady_state,
)


def _prosen_case(n: int, eps: float, delta: float) -> dict:
    return dict(kind="qubit", **prosen_our_parameters(n, eps, delta))


@pytest.mark.parametrize("eps", [0.2, 1.0, 3.0])
@pytest.mark.parametrize("delta", [0.0, 0.5, 2.0])
def test_prosen_n2_current_from_spinsync(eps: float, delta: float) -> None:
    net = network(_prosen_case(2, eps, delta))
    rho = dense(solve(net).state)
    current = np.trace(prosen_current_dense(2) @ rho)
    assert abs(current - prosen_current_n2(eps)) < 2 * AGREE
    # and the state is Prosen's, built in his own conventions
    assert max_diff(rho, qutip_steady_state(*prosen_qutip_model(2, eps, delta))) < AGREE


@pytest.mark.parametrize("n,eps,delta", [(3, 0.5, 1.0), (4, 1.0, 0.5), (5, 2.0, 1.5), (6, 0.8, 1.0)])
@pytest.mark.parametrize("method", ["direct", "gmres"])
def test_prosen_chain_matches_qutip(n: int, eps: float, delta: float, method: str) -> None:
    """Interior sites without any dissipation; the XX part of the bonds connects them."""
    net = network(_prosen_case(n, eps, delta))
    res = solve(net, method)
    assert res.symmetry == "u1"
    rho = dense(res.state)
    assert_physical(rho)
    assert max_diff(rho, qutip_steady_state(*prosen_qutip_model(n, eps, delta))) < AGREE
    # continuity: the same current on every bond
    currents = [np.trace(prosen_current_dense(n, j) @ rho).real for j in range(n - 1)]
    assert np.ptp(currents) < 1e-9


def test_prosen_chain_full_space_equals_sector() -> None:
    net = network(_prosen_case(4, 1.3, 0.7))
    a = dense(solve(net, "direct").state)
    b = dense(solve(net, "gmres", symmetry="none").state)
    assert max_diff(a, b) < AGREE


def test_prosen_chain_is_not_a_product_state() -> None:
    net = network(_prosen_case(3, 1.0, 1.0))
    assert ss.product_state(net) is None  # interior sites have no local steady state
    assert solve(net).method != "analytic"


def test_undissipated_interior_xyz_chain_is_accepted() -> None:
    """Ends with gain and damping, two interior sites with no rates, XYZ bonds, a field."""
    case = dict(kind="qubit", gain=[0.7, 0.0, 0.0, 0.4], damping=[0.3, 0.0, 0.0, 1.1],
                omega=[0.2, -0.5, 0.3, 0.0], bonds=[(0, 1, 1.0, 0.3, 0.2), (1, 2, 0.2, 0.9, 0.0),
                                                    (2, 3, 1.0, 1.0, 0.5)], field=0.15)
    res = solve(network(case))
    assert res.symmetry == "parity"
    assert max_diff(dense(res.state), reference(case)) < AGREE


def test_site_dissipated_only_by_a_collective_channel_is_accepted() -> None:
    """Site 1 has no local rate but is in a collective channel with site 0, and bonded to
    it: unique (checked on the oracle's kernel), so accepted."""
    case = dict(kind="qubit", gain=[0.3, 0.0], damping=[0.8, 0.0], omega=[0.4, -0.3],
                bonds=[(0, 1, 0.7, 0.7, 0.0)], collective=[("all", "lowering", 0.6)])
    assert dense_model(case).kernel_dimension() == 1
    assert max_diff(dense(solve(network(case)).state), reference(case)) < AGREE


# ------------------------------------------------------------------ refusals
def _refuse(case: dict, site: int) -> None:
    """Refused at construction or at solve time, with a ModelError naming the site."""
    with pytest.raises(ss.ModelError, match=rf"\bsite {site}\b"):
        net = network(case)
        solve(net)


def test_disconnected_undissipated_site_is_refused() -> None:
    case = dict(kind="qubit", gain=[1.0, 0.5, 0.2, 0.0], damping=[0.3, 0.5, 1.0, 0.0],
                bonds=[(0, 1, 1.0, 1.0, 0.0), (1, 2, 1.0, 1.0, 0.3)])
    _refuse(case, 3)


def test_site_reached_only_by_ising_bonds_is_refused() -> None:
    """Uᶻ alone cannot move population: site 3's populations are conserved."""
    case = dict(kind="qubit", gain=[1.0, 0.5, 0.2, 0.0], damping=[0.3, 0.5, 1.0, 0.0],
                bonds=[(0, 1, 1.0, 1.0, 0.0), (1, 2, 1.0, 1.0, 0.3), (2, 3, 0.0, 0.0, 2.0)])
    _refuse(case, 3)


def test_ising_path_through_an_undissipated_site_is_refused() -> None:
    """0 — 1 by Uᶻ only: site 1 cannot exchange with site 0 even though 1 — 2 flips (2 is
    undissipated too)."""
    case = dict(kind="qubit", gain=[1.0, 0.0, 0.0], damping=[0.5, 0.0, 0.0],
                bonds=[(0, 1, 0.0, 0.0, 1.0), (1, 2, 1.0, 1.0, 0.0)])
    with pytest.raises(ss.ModelError, match=r"\bsite [12]\b"):
        solve(network(case))


def test_undissipated_spin_is_refused() -> None:
    case = dict(kind="spin", s=1, scheme="roulet-bruder", gain=[1.0, 0.5, 0.0], damping=[0.3, 0.5, 0.0],
                bonds=[(0, 1, 1.0, 1.0, 0.0)])
    _refuse(case, 2)


def test_isolated_site_is_refused_and_named() -> None:
    """A site with no rate of any kind, no collective channel and no bond is refused while
    every other site is dissipated (site 0 also dephases); the message names that site."""
    case = dict(kind="qubit", gain=[1.0, 0.0, 0.3], damping=[0.3, 0.0, 0.8], dephasing=[0.5, 0.0, 0.0],
                bonds=[(0, 2, 1.0, 1.0, 0.0)])
    _refuse(case, 1)


def test_collective_only_dark_state_is_not_returned_silently() -> None:
    """Two identical qubits with only collective decay: the singlet is dark (dim ker L = 4,
    tests/test_oracles.py). The rule cannot see that cheaply; the issue then requires the
    solver that meets the second zero mode to say so rather than return one of them."""
    case = dict(kind="qubit", gain=[0.0, 0.0], damping=[0.0, 0.0], collective=[("all", "lowering", 1.0)])
    for method in ("auto", "direct"):
        with pytest.raises(ss.SpinsyncError):
            solve(network(case), method)
