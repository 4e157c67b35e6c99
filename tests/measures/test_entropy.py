"""measures/entropy.py: the relative entropy of synchronization and the mutual information,
against QuTiP (``entropy_vn``, ``entropy_mutual``, ``ptrace``) on random states of mixed
local dimensions, given as block states, and on steady states spinsync returns (U(1) block
states, full-space states with drives) against QuTiP's own steady states."""

from __future__ import annotations

import numpy as np
import pytest

import spinsync as ss
from spinsync.measures.entropy import (
    mutual_information,
    relative_entropy_of_sync,
    shannon_entropy,
    von_neumann_entropy,
)
from spinsync.states import BlockState

from tests.oracles import qutip_spin_model, qutip_steady_state, random_density_matrix

qt = pytest.importorskip("qutip")

DIMS = [2, 3, 2]

#: Entropies of O(1) from eigenvalues: rounding ~1e-15; 1e-12 is generous, and any wrong
#: basis, reduction or log base changes Ω by ≥ 1e-3 on these random states.
TOL = 1e-12


def _omega_qutip(rho: "qt.Qobj") -> float:
    """S(ρ_diag) − S(ρ) with QuTiP's entropy_vn (natural log) on the dephased matrix."""
    diag = qt.Qobj(np.diag(np.diag(rho.full())), dims=rho.dims)
    return qt.entropy_vn(diag) - qt.entropy_vn(rho)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("sites", [[0], [1], [2], [0, 1], [1, 2], [2, 0]])
def test_relative_entropy_of_sync_against_qutip(seed: int, sites: list[int]) -> None:
    rng = np.random.default_rng(seed)
    rho = random_density_matrix(rng, int(np.prod(DIMS)), rank=1 + seed)
    state = BlockState.from_dense(rho, dims=DIMS)
    q = qt.Qobj(rho, dims=[DIMS, DIMS])
    reduced = q.ptrace(sites)  # QuTiP orders the kept sites increasingly
    if sites != sorted(sites):
        reduced = reduced.permute(np.argsort(np.argsort(sites)).tolist())
    want = _omega_qutip(reduced)
    assert relative_entropy_of_sync(state, sites) == pytest.approx(want, abs=TOL)
    assert want > 1e-3
    if len(sites) == 1:
        assert relative_entropy_of_sync(state, sites[0]) == relative_entropy_of_sync(state, sites)


def test_relative_entropy_of_sync_limits() -> None:
    """Zero for diagonal states; ln d for the maximally coherent pure state |+⟩ of dimension d
    (S(ρ_diag) = ln d, S(ρ) = 0): an exact independent value."""
    assert relative_entropy_of_sync(BlockState.from_dense(np.diag([0.2, 0.5, 0.3]), dims=[3]), 0) == 0
    for d in (2, 3, 5):
        psi = np.ones(d) / np.sqrt(d)
        state = BlockState.from_dense(np.outer(psi, psi), dims=[d])
        assert relative_entropy_of_sync(state, 0) == pytest.approx(np.log(d), abs=1e-13)
    with pytest.raises(ss.ModelError, match="one site or more"):
        relative_entropy_of_sync(state, [])


def test_shannon_entropy_by_hand() -> None:
    assert shannon_entropy([0.5, 0.25, 0.25, 0.0]) == pytest.approx(1.5 * np.log(2), abs=1e-15)


@pytest.mark.parametrize("seed", range(3))
def test_mutual_information_against_qutip(seed: int) -> None:
    rho = random_density_matrix(np.random.default_rng(10 + seed), 12)
    q = qt.Qobj(rho, dims=[DIMS, DIMS])
    state = BlockState.from_dense(rho, dims=DIMS)
    for j, k in [(0, 1), (1, 2), (0, 2)]:
        want = qt.entropy_mutual(q.ptrace([j, k]), 0, 1)
        assert mutual_information(state, j, k) == pytest.approx(want, abs=TOL)
        assert want > 1e-3


def test_entropy_measures_of_returned_steady_states_against_qutip() -> None:
    """A U(1) spin chain (block state, no 4ᴺ matrix) and the same chain driven (full space)."""
    for drive in ([0.0, 0.0, 0.0], [0.6, 0.0, 0.0]):
        case = dict(s=1, gain=[1.0, 0.4, 0.7], damping=[0.3, 1.0, 0.6], scheme="roulet-bruder",
                    omega=[0.3, 0.0, -0.2], drive=drive, drive_phase=[0.5, 0, 0],
                    bonds=[(0, 1, 0.8, 0.8, 0.3), (1, 2, 0.6, 0.6, 0.0)])
        net = ss.Network.spins(1, case["gain"], case["damping"], scheme="roulet-bruder",
                               omega=case["omega"], drive=drive, drive_phase=case["drive_phase"],
                               bonds=case["bonds"])
        state = ss.steady_state(net).state
        if drive[0] == 0:
            assert len(state.blocks) > 1  # block form, not one dense block
        q = qt.Qobj(qutip_steady_state(*qutip_spin_model(**case)), dims=[[3] * 3, [3] * 3])
        for sites in ([0], [1], [0, 1], [1, 2]):
            # steady states agree to ~1e-13 (tests/steady); entropies are Lipschitz away from 0
            assert relative_entropy_of_sync(state, sites) == pytest.approx(_omega_qutip(q.ptrace(sites)), abs=1e-9)
        assert mutual_information(state, 0, 1) == pytest.approx(qt.entropy_mutual(q.ptrace([0, 1]), 0, 1), abs=1e-9)
        one_site = relative_entropy_of_sync(state, 0)
        assert (one_site < 1e-12) if drive[0] == 0 else (one_site > 1e-3)  # U(1): no local coherence
    assert von_neumann_entropy(np.eye(4) / 4) == pytest.approx(np.log(4), abs=1e-15)
