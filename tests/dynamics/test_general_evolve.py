"""ss.evolve for the general model (issue 10 §4) against qutip.mesolve.

The library integrates with rtol = 1e-10; QuTiP with atol = rtol = 1e-12; both from the
same dense ρ(0). Over t ≤ 1 (a few inverse rates) the accumulated error of either stays
below ~1e-9 in every entry (entries are ≤ 1, the integrators control relative error per
step), so states are compared at 1e-8. The mesolve reference itself is checked against
the exact exp(Lt) in tests/test_oracles.py::test_mesolve_equals_dense_exponential.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip as qt

import spinsync as ss

from tests.general_cases import ALL_CASES, assert_physical, dense, dimension, max_diff, network, qutip_ops
from tests.oracles import random_density_matrix

TIMES = [0.0, 0.05, 0.2, 0.5, 1.0]
STATE_TOL = 1e-8
LIB_RTOL = 1e-10


def _mesolve(case: dict, rho0: np.ndarray, times) -> list[np.ndarray]:
    h, c_ops = qutip_ops(case)
    res = qt.mesolve(h, qt.Qobj(rho0, dims=h.dims), times, c_ops,
                     options={"atol": 1e-12, "rtol": 1e-12, "nsteps": 100000})
    return [s.full() for s in res.states]


@pytest.mark.parametrize("name", [
    "drive-phases-mixed-n4",        # driven qubits: no symmetry
    "combined-u1-n6",               # dephasing + collective channels + a zero-rate site, U(1)
    "collective-lowering-all-n4",
    "spin1-rb-drive-dephasing-n3",  # driven spin-1 (Roulet–Bruder)
    "spin1-gd-xxz-n3",              # spin-1, U(1): ρ(0) with coherences between sectors
    "mixed-half-one-n3",
])
def test_evolve_matches_mesolve(name: str) -> None:
    case = ALL_CASES[name]
    d = dimension(case)
    rho0 = random_density_matrix(np.random.default_rng(len(name)), d)  # full rank, all coherences
    res = ss.evolve(network(case), rho0, TIMES, store_states=True, rtol=LIB_RTOL)
    ref = _mesolve(case, rho0, TIMES)
    assert len(res.states) == len(TIMES)
    assert max_diff(dense(res.states[0]), rho0) < 1e-14  # t = 0 is ρ(0) itself
    for t, state, want in zip(TIMES, res.states, ref):
        rho = dense(state)
        assert rho.shape == (d, d)
        assert max_diff(rho, want) < STATE_TOL, t
        assert_physical(rho, tol=1e-9)
    assert np.max(np.abs(np.asarray(res.trace) - 1)) < 1e-9


def test_driven_qubit_from_the_ground_state_builds_coherence() -> None:
    """A single resonantly driven, damped qubit from |↓⟩: ⟨σ⁺⟩(t) ≠ 0 and equals QuTiP."""
    case = dict(kind="qubit", gain=[0.0], damping=[1.0], drive=[2.0], drive_phase=[0.7])
    rho0 = np.diag([0.0, 1.0]).astype(complex)
    res = ss.evolve(network(case), rho0, TIMES, store_states=True, rtol=LIB_RTOL)
    ref = _mesolve(case, rho0, TIMES)
    for state, want in zip(res.states, ref):
        assert max_diff(dense(state), want) < STATE_TOL
    assert abs(dense(res.states[-1])[1, 0]) > 0.05  # ⟨σ⁺⟩ = ρ_{↓↑}


def test_evolve_reaches_the_steady_state() -> None:
    """Long-time limit of a driven spin-1 pair equals ss.steady_state (and QuTiP): the
    dynamics and the steady-state solver read the same model."""
    case = ALL_CASES["spin1-gd-drive-n2"]
    net = network(case)
    rho0 = np.zeros((9, 9), dtype=complex)
    rho0[0, 0] = 1.0
    res = ss.evolve(net, rho0, [0.0, 60.0], store_states=True, rtol=LIB_RTOL)
    steady = dense(ss.steady_state(net, method="direct").state)
    # gap ≈ 0.7 (tests/general_cases.py): e^{−0.7·60} ~ 1e-18, so only integration error remains
    assert max_diff(dense(res.states[-1]), steady) < 1e-7
