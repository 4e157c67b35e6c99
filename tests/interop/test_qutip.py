"""QuTiP in, QuTiP out (issue 12): round trips, drop-in steadystate/mesolve, refusals.

Tolerances. Steady states: QuTiP's direct LU and spinsync's sector LU (or GMRES at
tol 1e-12) are accurate to ~1e-13 on these well-conditioned models (gaps ≥ ~0.01, entries
O(1/D)), so the issue's 1e-10 (models from spinsync) and 1e-9 (operators built in QuTiP)
leave orders of margin and still catch any wrong factor, sign or missing term (those move
entries by ≥ 1e-4). Dynamics: see each test.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import qutip as qt
import scipy.sparse as sp

import spinsync as ss
from spinsync.errors import ModelError
from spinsync.interop.qutip import mesolve, steadystate, terms_from_qutip, to_qutip
from spinsync.states import ProductState, ghz_state

from tests.general_cases import ALL_CASES, GMRES_TOL, network, qutip_ops

ROUND_TRIP = 1e-10
QUTIP_BUILT = 1e-9


def _op(o: qt.Qobj, j: int, dims: list[int]) -> qt.Qobj:
    return qt.tensor([o if i == j else qt.qeye(d) for i, d in enumerate(dims)])


def _max(a, b) -> float:
    a = a.full() if isinstance(a, qt.Qobj) else np.asarray(a)
    b = b.full() if isinstance(b, qt.Qobj) else np.asarray(b)
    assert a.shape == b.shape
    return float(np.max(np.abs(a - b)))


def test_import_spinsync_does_not_import_qutip() -> None:
    code = ("import sys, spinsync; spinsync.steadystate; spinsync.mesolve; spinsync.to_qutip; "
            "spinsync.Gmres; spinsync.Taylor; assert 'qutip' not in sys.modules, 'qutip imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- spinsync → QuTiP
@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_model_round_trip_through_qutip_steadystate(name: str) -> None:
    """Every term kind (fields, drives with phases, XXZ/XYZ bonds, dephasing, collective
    channels, zero-rate sites; qubits, spin 1, 3/2, mixed): qutip.steadystate(*to_qutip(net))
    is spinsync's steady state, and to_qutip's Liouvillian is the independent oracle's."""
    case = ALL_CASES[name]
    net = network(case)
    h, c_ops = to_qutip(net)
    assert h.dims == [list(net.dims), list(net.dims)]
    h_ref, c_ref = qutip_ops(case)  # built literally from the conventions' text
    assert _max(qt.liouvillian(h, c_ops), qt.liouvillian(h_ref, c_ref)) < 1e-13
    ours = ss.steady_state(net, tol=GMRES_TOL).state.to_dense()
    assert _max(qt.steadystate(h, c_ops, method="direct"), ours) < ROUND_TRIP


def test_states_to_qutip_for_every_state_type() -> None:
    net = network(ALL_CASES["spin1-rb-xxz-n3"])
    res = ss.steady_state(net)
    for obj in (res, res.state, res.state.to_dense()):
        q = to_qutip(obj, dims=net.dims) if isinstance(obj, np.ndarray) else to_qutip(obj)
        assert q.dims == [[3, 3, 3], [3, 3, 3]]
        assert _max(q, res.state.to_dense()) == 0.0
    prod = ProductState([np.diag([0.7, 0.3]), np.array([[0.5, 0.1j], [-0.1j, 0.5]])])
    assert _max(to_qutip(prod), np.kron(*prod.factors)) == 0.0
    assert to_qutip(np.eye(4) / 4).dims == [[2, 2], [2, 2]]  # a bare matrix: qubits


def test_qobj_state_in_evolve_and_qobj_out() -> None:
    net = network(ALL_CASES["drive-phases-mixed-n4"])
    psi = qt.tensor(qt.basis(2, 0), qt.basis(2, 1), (qt.basis(2, 0) + qt.basis(2, 1)).unit(),
                    qt.basis(2, 1))
    times = [0.0, 0.3, 1.0]
    a = ss.evolve(net, psi, times, store_states=True, rtol=1e-10)  # a ket
    b = ss.evolve(net, psi * psi.dag(), times, store_states=True, rtol=1e-10)
    c = ss.evolve(net, (psi * psi.dag()).full(), times, store_states=True, rtol=1e-10)
    out = [to_qutip(s) for s in a.states]
    assert out[0].dims == psi.dims[:1] * 2 and _max(out[0], psi * psi.dag()) < 1e-15
    for x, y, z in zip(a.states, b.states, c.states):
        assert _max(x.to_dense(), y.to_dense()) == 0.0 and _max(y.to_dense(), z.to_dense()) == 0.0


def test_measures_accept_qobj_states() -> None:
    net = network(ALL_CASES["dephasing-xxz-n4"])
    rho = ss.steady_state(net).state
    q = to_qutip(rho)
    assert ss.fidelity(q, rho) == pytest.approx(1.0, abs=1e-7)
    np.testing.assert_allclose(ss.reduced_density_matrix(q, [1, 2]),
                               ss.reduced_density_matrix(rho, [1, 2]), atol=1e-15)
    assert ss.mutual_information(q, 0, 2) == pytest.approx(ss.mutual_information(rho, 0, 2), abs=1e-12)
    np.testing.assert_allclose(ss.magnetizations(q), ss.magnetizations(rho), atol=1e-15)


def test_dims_mismatch_names_both() -> None:
    net = network(ALL_CASES["drive-one-site-n5"])
    two = qt.tensor(qt.basis(2, 0), qt.basis(2, 0))
    with pytest.raises(ModelError, match=r"Qobj dims \[\[2, 2\], \[1.*\]\].*\[2, 2, 2, 2, 2\]"):
        ss.evolve(net, two, [0.0, 1.0])
    with pytest.raises(ModelError, match="2 and 5 qubits"):
        ss.fidelity(two * two.dag(), ghz_state(5))
    with pytest.raises(ModelError, match=r"e_ops\[0\].*Qobj dims \[\[2\], \[2\]\].*\[2, 2\]"):
        mesolve(_op(qt.sigmaz(), 0, [2, 2]), two, [0.0, 1.0], [], e_ops=[qt.sigmaz()])


# --------------------------------------------------------------------------- QuTiP → spinsync
def _xxz_dephasing(n: int = 5) -> tuple[qt.Qobj, list[qt.Qobj]]:
    dims = [2] * n
    h = sum(0.3 * (j - 2) * _op(qt.sigmaz(), j, dims) for j in range(n))
    for j in range(n - 1):
        h += (_op(qt.sigmax(), j, dims) * _op(qt.sigmax(), j + 1, dims)
              + _op(qt.sigmay(), j, dims) * _op(qt.sigmay(), j + 1, dims)
              + 0.5 * _op(qt.sigmaz(), j, dims) * _op(qt.sigmaz(), j + 1, dims))
    c = [np.sqrt(0.2 + 0.1 * j) * _op(qt.sigmam(), j, dims) for j in range(n)]
    c += [np.sqrt(0.1) * _op(qt.sigmap(), j, dims) for j in range(n)]
    c += [np.sqrt(0.05 * (j + 1)) * _op(qt.sigmaz(), j, dims) for j in range(n)]
    return h, c


def _xyz(n: int = 4) -> tuple[qt.Qobj, list[qt.Qobj]]:
    dims = [2] * n
    h = sum(0.2 * j * _op(qt.sigmaz(), j, dims) for j in range(n))
    for j in range(n):
        for k in range(j + 1, n):
            h += (1.0 * _op(qt.sigmax(), j, dims) * _op(qt.sigmax(), k, dims)
                  + 0.4 * _op(qt.sigmay(), j, dims) * _op(qt.sigmay(), k, dims)
                  + 0.7 * _op(qt.sigmaz(), j, dims) * _op(qt.sigmaz(), k, dims))
    c = [np.sqrt(0.5) * _op(qt.sigmam(), j, dims) for j in range(n)]
    c += [np.sqrt(0.3) * _op(qt.sigmap(), j, dims) for j in range(n)]
    return h, c


def _tfim(n: int = 5) -> tuple[qt.Qobj, list[qt.Qobj]]:
    dims = [2] * n
    h = sum(_op(qt.sigmaz(), j, dims) * _op(qt.sigmaz(), j + 1, dims) for j in range(n - 1))
    h += sum(_op(qt.sigmax(), j, dims) for j in range(n))
    return h, [np.sqrt(0.5) * _op(qt.sigmam(), j, dims) for j in range(n)]


def _spin1_roulet_bruder() -> tuple[qt.Qobj, list[qt.Qobj]]:
    """Two spin 1 with Roulet–Bruder gain and damping J±Jᶻ, XXZ coupling, detuned."""
    dims = [3, 3]
    jx, jy, jz = (qt.jmat(1, a) for a in "xyz")
    jp, jm = qt.jmat(1, "+"), qt.jmat(1, "-")
    h = 0.4 * _op(jz, 0, dims) - 0.3 * _op(jz, 1, dims)
    h += 1.0 * (_op(jx, 0, dims) * _op(jx, 1, dims) + _op(jy, 0, dims) * _op(jy, 1, dims))
    h += 0.2 * _op(jz, 0, dims) * _op(jz, 1, dims)
    c = [np.sqrt(0.6 / 2) * _op(jp * jz, 0, dims), np.sqrt(1.0 / 2) * _op(jm * jz, 0, dims),
         np.sqrt(0.3 / 2) * _op(jp * jz, 1, dims), np.sqrt(0.8 / 2) * _op(jm * jz, 1, dims)]
    return h, c


def _collective_decay(n: int = 5) -> tuple[qt.Qobj, list[qt.Qobj]]:
    """Dicke-type: one collective √γ Σσ⁻ channel, local pumping, detuned qubits."""
    dims = [2] * n
    h = sum(0.5 * (0.2 * j - 0.4) * _op(qt.sigmaz(), j, dims) for j in range(n))
    coll = np.sqrt(0.7) * sum(_op(qt.sigmam(), j, dims) for j in range(n))
    return h, [coll] + [np.sqrt(0.2 + 0.05 * j) * _op(qt.sigmap(), j, dims) for j in range(n)]


@pytest.mark.parametrize("build, symmetry", [
    (_xxz_dephasing, "u1"),
    (_xyz, "parity"),
    (_tfim, "none"),
    (_spin1_roulet_bruder, "u1"),
    (_collective_decay, "u1"),
])
def test_steadystate_of_qutip_built_operators_equals_qutip(build, symmetry: str) -> None:
    h, c = build()
    rho, info = steadystate(h, c, return_info=True, tol=1e-12)
    assert info["symmetry"] == symmetry
    assert rho.dims == h.dims
    assert _max(rho, qt.steadystate(h, c, method="direct")) < QUTIP_BUILT
    assert info["checks_passed"] and info["residual"] < 1e-11
    assert info["trace_error"] < 1e-12 and info["hermiticity_error"] < 1e-12
    assert info["min_eigenvalue"] > -1e-12 and info["residual_norm"] == info["residual"]
    assert isinstance(steadystate(h, c), qt.Qobj)  # without the side channel: the Qobj alone


def test_a_tiny_term_still_breaks_the_symmetry_but_rounding_does_not() -> None:
    h, c = _xxz_dephasing(4)
    kick = _op(qt.sigmax(), 0, [2] * 4)
    assert terms_from_qutip(h + 1e-12 * kick, c).symmetry == "none"  # H shifts K by ±1
    c_broken = [c[0] + 1e-12 * _op(qt.sigmap(), 0, [2] * 4)] + c[1:]  # σ⁻ + 1e-12 σ⁺
    assert terms_from_qutip(h, c_broken).symmetry == "parity"  # shifts ±1: no single q
    rho, info = steadystate(h + 1e-12 * kick, c, return_info=True)
    assert info["symmetry"] == "none" and info["dropped_entries"] == 0
    assert _max(rho, qt.steadystate(h + 1e-12 * kick, c, method="direct")) < QUTIP_BUILT
    # The same 1e-12 on a Hamiltonian of order 1e3 is 1e-15 of its largest entry, below the
    # rounding of its own entries (ulp(1e3) ≈ 1e-13): dropped and reported. (QuTiP itself
    # already drops entries below 1e-14 absolute.)
    big = 1e3 * h
    rho, info = steadystate(big + 1e-12 * kick, c, return_info=True)
    assert info["symmetry"] == "u1" and info["dropped_entries"] == 16
    assert _max(rho, qt.steadystate(big, c, method="direct")) < QUTIP_BUILT


def test_number_operator_is_a_spin_operator_and_passes() -> None:
    dims = [4, 2]
    h = _op(qt.num(4), 0, dims) + 0.5 * (_op(qt.jmat(1.5, "+"), 0, dims) * _op(qt.sigmam(), 1, dims)
                                         + _op(qt.jmat(1.5, "-"), 0, dims) * _op(qt.sigmap(), 1, dims))
    c = [np.sqrt(0.5) * _op(qt.jmat(1.5, "-"), 0, dims), np.sqrt(0.3) * _op(qt.sigmap(), 1, dims)]
    assert _max(steadystate(h, c), qt.steadystate(h, c, method="direct")) < QUTIP_BUILT


@pytest.mark.parametrize("make, message", [
    (lambda: (_op(qt.num(5), 0, [5, 2]), [_op(qt.destroy(5), 0, [5, 2])]),
     r"c_ops\[0\] acts on factor 0 \(dimension 5\) as a harmonic-oscillator ladder.*not truncated oscillators"),
    (lambda: (_op(qt.destroy(3) + qt.create(3), 1, [2, 3]), []),
     "H acts on factor 1 .dimension 3. as a harmonic-oscillator ladder"),
    (lambda: (qt.liouvillian(qt.sigmaz(), [qt.sigmam()]), []), "H is a superoperator"),
    (lambda: (qt.basis(4, 0), []), "H is a ket"),
    (lambda: (_op(qt.sigmaz(), 0, [2, 2]), [qt.sigmam()]), r"c_ops\[0\]: dims \[\[2\], \[2\]\] differ from H's"),
    (lambda: (qt.QobjEvo([qt.sigmaz(), [qt.sigmax(), lambda t: t]]), []), "time-dependent"),
    (lambda: (qt.Qobj(np.eye(2), dims=[[2, 1], [2, 1]]), []), "factor of dimension 1"),
    (lambda: (np.eye(2), []), "expected a qutip.Qobj"),
])
def test_refusals_say_what_is_wrong(make, message: str) -> None:
    h, c = make()
    with pytest.raises(ModelError, match=message):
        steadystate(h, c)


def test_mesolve_equals_qutip_mesolve() -> None:
    h, c = _tfim(4)
    dims = h.dims[0]
    psi = qt.tensor([qt.basis(2, 0)] * 4)
    e_ops = [_op(qt.sigmaz(), j, dims) for j in range(4)] + [_op(qt.sigmap(), 0, dims)]
    times = np.linspace(0, 3, 31)
    tight = {"rtol": 1e-11, "atol": 1e-13}
    ours = mesolve(h, psi, times, c, e_ops=e_ops, options=tight)
    ref = qt.mesolve(h, psi, times, c, e_ops=e_ops, options={**tight, "nsteps": 10**6})
    assert ours.times == list(times) and len(ours.expect) == 5
    # Both integrators hold ~1e-11 per step; their values agree to ~1e-10 after t = 3.
    for a, b in zip(ours.expect, ref.expect):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    assert np.isrealobj(ours.expect[0]) and np.iscomplexobj(ours.expect[4])  # as QuTiP
    # QuTiP's default tolerances on both sides: the 1e-6 agreement.
    loose, loose_ref = mesolve(h, psi, times, c, e_ops=e_ops), qt.mesolve(h, psi, times, c, e_ops=e_ops)
    assert max(np.max(np.abs(a - b)) for a, b in zip(loose.expect, loose_ref.expect)) < 1e-6
    assert loose.info["integrator"] == "taylor" and loose.info["symmetry"] == "none"


def test_mesolve_result_conventions() -> None:
    h, c = _xxz_dephasing(3)
    rho0 = qt.tensor(qt.basis(2, 0), qt.basis(2, 1), qt.basis(2, 0))
    times = [0.0, 0.5, 1.0]
    seen: list[tuple[float, list]] = []
    res = mesolve(h, rho0, times, c, e_ops={"z": _op(qt.sigmaz(), 0, [2] * 3),
                                           "f": lambda t, s: seen.append((t, s.dims)) or t})
    assert res.info["symmetry"] == "u1" and set(res.e_data) == {"z", "f"}
    assert [t for t, _ in seen] == times and seen[0][1] == h.dims
    np.testing.assert_array_equal(res.e_data["f"], times)
    assert res.states == [] and res.final_state is None  # e_ops given: states not stored
    stored = mesolve(h, rho0, times, c)  # no e_ops: states stored, as QuTiP
    assert len(stored.states) == 3 and stored.final_state is stored.states[-1]
    ref = qt.mesolve(h, rho0, times, c, options={"rtol": 1e-10, "atol": 1e-12})
    assert _max(stored.states[-1], ref.states[-1]) < 1e-6
    final = mesolve(h, rho0, times, c, e_ops=[h], options={"store_final_state": True})
    assert final.states == [] and _max(final.final_state, stored.final_state) == 0.0


@pytest.mark.parametrize("kwargs, message", [
    (dict(options={"method": "adams"}), "method = 'adams'.*'taylor'"),
    (dict(options={"progress_bar": "text"}), "progress_bar = 'text'"),
    (dict(options={"foo": 1}), "mesolve options 'foo': not supported"),
    (dict(options={"rtol": -1}), "rtol = -1"),
    (dict(args={"w": 1.0}), "args are for time-dependent coefficients"),
])
def test_mesolve_refusals(kwargs, message: str) -> None:
    h, c = _tfim(2)
    with pytest.raises(ModelError, match=message):
        mesolve(h, qt.tensor(qt.basis(2, 0), qt.basis(2, 0)), [0.0, 1.0], c, **kwargs)


def test_spinsync_aliases_are_the_interop_functions() -> None:
    assert ss.steadystate is steadystate and ss.mesolve is mesolve and ss.to_qutip is to_qutip
    h, c = _collective_decay(3)
    assert sp.issparse(terms_from_qutip(h, c).external_jumps[0][1])
