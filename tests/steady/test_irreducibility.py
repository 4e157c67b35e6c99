"""The irreducibility certificate (spinsync.steady.irreducibility) against a dense oracle.

Oracle: tests/oracles.py builds H_eff = H − (i/2)Σ c†c and the collapse operators c = √(r/2)A
from raw parameters (never from spinsync objects) and decides by brute-force closure whether
{I, H_eff, c_k} span all d×d matrices (Burnside: no common invariant subspace). The
certificate must never claim irreducibility the oracle denies; on the catalogue of general
models (d ≤ 27) it must agree exactly, both ways. The consequence the solvers rely on —
irreducible ⇒ one steady state, of full rank — is checked on the dense Liouvillian's kernel
and on QuTiP's steady state.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings

import spinsync as ss
from spinsync.model import Network, chain_bonds
from spinsync.operators.terms import Terms
from spinsync.steady import irreducibility
from spinsync.steady.irreducibility import certify_irreducible

from tests.general_cases import (
    ALL_CASES,
    cached_reference,
    dense,
    dense_model,
    dimension,
    network,
    random_qubit_cases,
)
from tests.oracles import unital_algebra_is_full

#: The dense closure spans d² = 729 dimensions at d = 27: a fraction of a second per case.
ORACLE_MAX_DIM = 27
SMALL = sorted(name for name, case in ALL_CASES.items() if dimension(case) <= ORACLE_MAX_DIM)


@lru_cache(maxsize=None)
def oracle_irreducible(name: str) -> bool:
    return dense_model(ALL_CASES[name]).irreducible()


def prosen_chain(n: int, rate: float = 4.0) -> Network:
    """Gain on site 0, damping on the last, nothing inside; XXZ bonds Δ = 0.5."""
    gain, damping = np.zeros(n), np.zeros(n)
    gain[0] = damping[-1] = rate
    return Network(gain, damping, bonds=[(j, k, 1.0, 1.0, 0.5) for j, k in chain_bonds(n)])


# ------------------------------------------------------------------ against the oracle
@pytest.mark.parametrize("name", SMALL)
def test_certificate_agrees_with_the_dense_closure(name: str) -> None:
    case = ALL_CASES[name]
    report = certify_irreducible(network(case).terms)
    assert report.irreducible is oracle_irreducible(name), report.reason


def test_catalogue_has_both_outcomes() -> None:
    """The agreement above is not vacuous: some small cases are reducible (Roulet–Bruder
    spin-1: J±Jᶻ annihilate m = 0), most are not."""
    outcomes = {oracle_irreducible(name) for name in SMALL}
    assert outcomes == {True, False}


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_certified_models_have_one_full_rank_steady_state(name: str) -> None:
    """The theorem used by GMRES: irreducible ⇒ unique and faithful. Kernel of the dense
    Liouvillian (d ≤ 27) and λ_min of QuTiP's steady state (> 1e-8: the smallest eigenvalue of
    these states is ≥ 1e-4, measured, while rounding is ~1e-15)."""
    case = ALL_CASES[name]
    if not certify_irreducible(network(case).terms).irreducible:
        pytest.skip("not certified")
    if dimension(case) <= ORACLE_MAX_DIM:
        assert dense_model(case).kernel_dimension() == 1
    assert np.linalg.eigvalsh(cached_reference(name)).min() > 1e-8


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_qubit_cases(any_rates=True))
def test_never_certifies_what_the_oracle_denies(case: dict) -> None:
    """Soundness on random 2–3-qubit models with any rates, zeros included (so reducible
    models occur: a dark state, a site no dissipation reaches)."""
    model = dense_model(case)
    report = certify_irreducible(network(case).terms)
    if report.irreducible:
        assert model.irreducible()
        assert model.kernel_dimension() == 1


# ------------------------------------------------------------------ reducible models
def test_damping_only_qubits_are_not_certified() -> None:
    """All spins down is dark (no jump leaves it): an invariant subspace. Still unique."""
    net = Network(np.zeros(3), [0.5, 1.0, 1.5], bonds=[(0, 1, 1, 1, 0.3), (1, 2, 1, 1, 0.3)])
    assert certify_irreducible(net.terms).irreducible is False


def test_dephasing_only_is_not_certified() -> None:
    """σᶻ jumps and an XXZ Hamiltonian keep every magnetization sector: reducible."""
    net = Network(np.zeros(3), np.zeros(3), dephasing=[0.4, 0.7, 1.0],
                  bonds=[(0, 1, 1, 1, 0.3), (1, 2, 1, 1, 0.3)])
    assert certify_irreducible(net.terms).irreducible is False


def test_three_level_examples_from_outside() -> None:
    """|0⟩⟨2| and |1⟩⟨2| (theory.uniqueness's caveat): span{|0⟩, |1⟩} is invariant. Adding
    |2⟩⟨0| + |2⟩⟨1| returns both to |2⟩: irreducible (the oracle agrees on both)."""
    h = np.diag([0.0, 0.3, 1.0]).astype(complex)
    c1, c2 = np.zeros((3, 3)), np.zeros((3, 3))
    c1[0, 2] = c2[1, 2] = 1.0
    c3 = np.zeros((3, 3))
    c3[2, 0] = c3[2, 1] = 1.0
    for jumps, expected in (([c1, c2], False), ([c1, c2, c3], True)):
        heff = h - 0.5j * sum(c.T @ c for c in jumps)
        assert unital_algebra_is_full([heff, *jumps]) is expected
        terms = Terms.from_operators([3], sp.csr_matrix(h), [sp.csr_matrix(c) for c in jumps])
        assert certify_irreducible(terms).irreducible is expected


def test_degenerate_spectrum_is_not_certified() -> None:
    """H = 0 and c = σˣ: H_eff = −(i/4)·I, so any basis "diagonalizes" Y and σˣ would connect
    the standard one — yet |±⟩ are each invariant. The gap test must refuse."""
    sx = np.array([[0.0, 1.0], [1.0, 0.0]])
    heff = -0.25j * np.eye(2)
    assert unital_algebra_is_full([heff, sx]) is False
    terms = Terms.from_operators([2], sp.csr_matrix((2, 2)), [sp.csr_matrix(sx)])
    report = certify_irreducible(terms)
    assert report.irreducible is False and "degenerate" in report.reason


# ------------------------------------------------------------------ the chain, in the solver
@pytest.mark.parametrize("n", [3, 4, 6, 8])
def test_boundary_driven_chain_is_certified(n: int) -> None:
    report = certify_irreducible(prosen_chain(n).terms)
    assert report.irreducible is True, report.reason
    assert report.components == 1


def test_chain_is_solved_once_and_agrees_with_direct() -> None:
    """No second start when certified, and the state is the direct solve's (1e-9: GMRES to
    tol 1e-12 on a gap-0.05 chain)."""
    net = prosen_chain(6)
    res = ss.steady_state(net, method="gmres", tol=1e-12)
    assert res.info["uniqueness"] == "certified"
    assert res.info["uniqueness_certificate"] == "irreducible"
    assert res.info["total_iterations"] == res.info["iterations"]
    assert "uniqueness_difference" not in res.info
    ref = dense(ss.steady_state(net, method="direct").state)
    assert np.abs(dense(res.state) - ref).max() < 1e-9


def test_undecided_falls_back_to_the_second_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the work limit the certificate is not attempted and GMRES checks instead."""
    monkeypatch.setattr(irreducibility, "MAX_EIG_WORK", 10.0)
    net = prosen_chain(5)
    report = certify_irreducible(net.terms)
    assert report.irreducible is None and "not attempted" in report.reason
    res = ss.steady_state(net, method="gmres")
    assert res.info["uniqueness"] == "checked"
    assert res.info["uniqueness_certificate"] is None
    assert res.info["uniqueness_difference"] < 1e-6
    assert res.info["total_iterations"] > res.info["iterations"]


def test_per_site_certificate_skips_the_global_test() -> None:
    """Gain and damping on every site: certified by the sites' own jumps, nothing else runs."""
    net = Network([0.5, 1.0, 0.7], [1.0, 0.4, 0.9], bonds=[(0, 1, 1, 1, 0.3), (1, 2, 1, 1, 0.3)])
    res = ss.steady_state(net, method="gmres")
    assert res.info["uniqueness_certificate"] == "local jumps"
    assert "irreducibility" not in res.info
