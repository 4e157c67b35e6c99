"""measures/observables.py: every ready-made observable recorded by ``evolve`` equals the
independent measure (QuTiP's entropy_vn, entropy_mutual, concurrence, negativity, and the
test's own S-function quadrature with QuTiP's Q) of QuTiP's mesolve state at that time."""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss
from spinsync.measures.observables import OBSERVABLES, observable

from tests.theory.qutip_oracle import qutip_operators

qt = pytest.importorskip("qutip")


def test_observable_names_and_site_counts() -> None:
    assert str(observable("relative_entropy", 0, 1)) == "relative_entropy(0, 1)"
    assert observable("concurrence", 0, 1).description.startswith("Wootters")
    with pytest.raises(ss.ModelError, match="expected one of"):
        observable("entanglement", 0, 1)
    with pytest.raises(ss.ModelError, match="takes 2 sites, got 1"):
        observable("concurrence", 0)
    with pytest.raises(ss.ModelError, match="one site or more"):
        observable("l1_coherence")
    with pytest.raises(ss.ModelError, match="distinct"):
        observable("mutual_information", 1, 1)


def _qutip_measures(rho: "qt.Qobj") -> dict[str, float]:
    """The same quantities from QuTiP's state with QuTiP's functions (or a dense formula)."""
    pair = rho.ptrace([0, 1])
    diag = qt.Qobj(np.diag(np.diag(pair.full())), dims=pair.dims)
    one = rho.ptrace(0)
    x, w = np.polynomial.legendre.leggauss(40)
    theta = (x + 1) * np.pi / 2
    phi = np.linspace(-np.pi, np.pi, 2001)
    q, _, _ = qt.spin_q_function(one, theta, phi)
    s = (q * 2 / (4 * np.pi)) @ (w * np.pi / 2 * np.sin(theta)) - 1 / (2 * np.pi)
    dense = pair.full()
    return {"relative_entropy": qt.entropy_vn(diag) - qt.entropy_vn(pair),
            "mutual_information": qt.entropy_mutual(pair, 0, 1),
            "concurrence": qt.concurrence(pair),
            "log_negativity": qt.negativity(pair, 1, method="eigenvalues", logarithmic=True),
            "l1_coherence": float(np.abs(dense).sum() - np.trace(np.abs(dense))),
            "site_sync_max": float(s.max()), "site_locked_phase": float(phi[np.argmax(s)])}


def test_evolve_records_every_observable_as_qutip_computes_it() -> None:
    """Three qubits, qubit 0 driven (full space, no symmetry), from a random mixed state."""
    net = ss.Network([1.0, 0.3, 0.5], [0.4, 1.0, 0.2], omega=[0.2, -0.1, 0.0],
                     bonds=[(0, 1, 1.0, 0.8, 0.3), (1, 2, 0.5, 0.5, 0.0)], drive=[0.9, 0, 0],
                     drive_phase=[0.7, 0, 0])
    rho0 = ss.states.initial_state("random-mixed", net.dims, seed=4)
    times = np.array([0.0, 0.7, 2.0])
    specs = {"relative_entropy": (0, 1), "mutual_information": (0, 1), "concurrence": (0, 1),
             "log_negativity": (0, 1), "l1_coherence": (0, 1), "site_sync_max": (0,),
             "site_locked_phase": (0,), "pair_sync_max": (0, 1), "sync_total": ()}
    assert set(specs) == set(OBSERVABLES)
    result = ss.evolve(net, rho0, times, rtol=1e-10, store_states=True,
                       observables={name: observable(name, *sites) for name, sites in specs.items()})
    h, c_ops = qutip_operators(net)
    start = qt.Qobj(ss.states.as_block_state(rho0).to_dense(), dims=[[2] * 3, [2] * 3])
    states = qt.mesolve(h, start, times, c_ops, options={"atol": 1e-12, "rtol": 1e-10}).states
    for i, rho in enumerate(states):
        want = _qutip_measures(rho)
        for name, value in want.items():
            # mesolve and evolve agree to ~1e-9 in ρ; the S maximum on a 2001-point grid is
            # within ½|S″|h² ≲ 1e-7 of the true one, its argmax within h/2 = 1.6e-3
            tol = 2e-3 if name == "site_locked_phase" else 1e-6
            assert result.observables[name][i] == pytest.approx(value, abs=tol), (name, i)
        # the pair S-function and S_t: the library's own measures of the stored state
        smax = ss.sync_max_matrix(result.states[i])
        assert result.observables["pair_sync_max"][i] == pytest.approx(smax[0, 1], abs=1e-15)
        assert result.observables["sync_total"][i] == pytest.approx(result.sync_total[i], abs=1e-15)
    assert result.observables["concurrence"].shape == (3,)
    assert np.max(result.observables["relative_entropy"]) > 1e-2
