"""Operator observables of evolve (e_ops style) against dense traces of the stored states."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import spinsync as ss
from spinsync.dynamics.observables import site_operator
from spinsync.errors import ModelError
from spinsync.operators.space import Space
from spinsync.states import ghz_state, haar_random_pure

from tests.general_cases import ALL_CASES, network
from tests.oracles import OPS, embed, spin_matrices

TIMES = np.linspace(0, 1.5, 7)


def _dense_expect(result, op: np.ndarray) -> np.ndarray:
    return np.array([np.trace(s.to_dense() @ op) for s in result.states])


@pytest.mark.parametrize("name, initial", [
    ("combined-u1-n6", "ghz"),           # mirrored coherence sectors (q = ±6)
    ("combined-parity-n5", "random"),    # parity blocks, both sectors
    ("drive-phases-mixed-n4", "random"),  # the whole space
])
def test_operator_observables_equal_dense_traces(name: str, initial: str) -> None:
    net = network(ALL_CASES[name])
    n = net.n
    rho0 = ghz_state(n) if initial == "ghz" else haar_random_pure(n, seed=2)
    ghz_coherence = embed(OPS["+"], 0, n)
    for j in range(1, n):
        ghz_coherence = ghz_coherence @ embed(OPS["+"], j, n)  # σ⁺…σ⁺ reads ρ[↓…↓, ↑…↑]
    ops = {
        "z1": embed(OPS["z"], 1, n),
        "+0 -2": embed(OPS["+"], 0, n) @ embed(OPS["-"], 2, n),
        "x0 y1": embed(OPS["x"], 0, n) @ embed(OPS["y"], 1, n),
        "ghz": ghz_coherence,
    }
    obs = {"z1": "z1", "+0 -2": "+0 -2", "x0 y1": sp.csr_matrix(ops["x0 y1"]), "ghz": ops["ghz"]}
    res = ss.evolve(net, rho0, TIMES, observables=obs, store_states=True, rtol=1e-10)
    for key, op in ops.items():
        want = _dense_expect(res, op)
        got = res.observables[key]
        # The same state entries, summed in another order: rounding only.
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-13)
    assert np.isrealobj(res.observables["z1"]) and np.isrealobj(res.observables["x0 y1"])
    assert np.iscomplexobj(res.observables["+0 -2"])  # σ⁺σ⁻ is not Hermitian
    if initial == "ghz":
        assert abs(res.observables["ghz"][0] - 0.5) < 1e-14


def test_factors_on_one_site_multiply_left_to_right() -> None:
    space = Space((2, 2))
    xy = site_operator("x0 y0", space).toarray()  # σˣσʸ = iσᶻ
    np.testing.assert_allclose(xy, 1j * site_operator("z0", space).toarray(), atol=0)


def test_spin_specs_use_the_spin_operators() -> None:
    case = ALL_CASES["spin1-gd-xxz-n3"]
    net = network(case)
    j = spin_matrices(1.0)
    want = np.kron(np.kron(j["+"], np.eye(3)), j["-"])
    np.testing.assert_allclose(site_operator("+0 -2", Space(net.dims), "spins").toarray(), want)


@pytest.mark.parametrize("obs, message", [
    (["w0"], "factor 'w0'"),
    (["z7"], "site 7 out of range"),
    ([np.eye(4)], r"shape \(4, 4\), the model's space has dimension 8"),
    ([3.0], "expected an operator"),
])
def test_invalid_observables_name_the_problem(obs, message: str) -> None:
    net = ss.Network.with_topology([0.5, 0.3, 0.8], [1.0, 0.6, 0.4], "chain", ux=1, uy=1, uz=0.5)
    with pytest.raises(ModelError, match=message):
        ss.evolve(net, ghz_state(3), [0.0, 1.0], observables=obs)
