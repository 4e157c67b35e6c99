"""measures/entanglement.py and measures/coherence.py: concurrence, logarithmic negativity and
the l1-norm of coherence against QuTiP (``concurrence``, ``negativity``, ``ptrace``) and dense
formulas, on random states of several sites given as block states, on known states (Bell,
Werner, product) and on steady states spinsync returns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spinsync as ss
from spinsync.measures.coherence import l1_coherence
from spinsync.measures.entanglement import concurrence, log_negativity, wootters_concurrence
from spinsync.states import BlockState

from tests.oracles import SP, partial_trace, qutip_steady, random_density_matrix

qt = pytest.importorskip("qutip")

#: Eigenvalue-based measures of O(1) values: rounding ~1e-15. Where ρ is rank deficient the
#: concurrence takes square roots of eigenvalues that are zero up to ~1e-16, which both
#: routes (ours: √(√ρ ρ̃ √ρ); QuTiP: eigenvalues of the non-Hermitian ρρ̃) turn into ~1e-8:
#: 1e-7 there. QuTiP's default negativity takes sqrtm of ρ^T†ρ^T, with the same effect for
#: rank-deficient ρ; its method="eigenvalues" (Σ|λ|, as ours) is the oracle used.
TOL = 1e-10


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_concurrence_against_qutip_on_random_pairs(seed: int, rank: int) -> None:
    rho = random_density_matrix(np.random.default_rng(seed), 4, rank)
    want = qt.concurrence(qt.Qobj(rho, dims=[[2, 2], [2, 2]]))
    tol = TOL if rank == 4 else 1e-7
    assert wootters_concurrence(rho) == pytest.approx(want, abs=tol)


def test_concurrence_of_known_states() -> None:
    bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    assert wootters_concurrence(np.outer(bell, bell)) == pytest.approx(1.0, abs=1e-7)
    # Werner state p|Φ⁺⟩⟨Φ⁺| + (1 − p)I/4: C = max(0, (3p − 1)/2)
    for p in (0.2, 1 / 3, 0.6, 0.9):
        w = p * np.outer(bell, bell) + (1 - p) * np.eye(4) / 4
        assert wootters_concurrence(w) == pytest.approx(max(0.0, (3 * p - 1) / 2), abs=1e-12)
    a, b = random_density_matrix(np.random.default_rng(0), 2), random_density_matrix(np.random.default_rng(1), 2)
    assert wootters_concurrence(np.kron(a, b)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_pair_measures_of_a_block_state_of_four_qubits(seed: int) -> None:
    """Reduced pairs of a 4-qubit random state (BlockState over U(1) blocks: the off-block
    entries are moved, not densified) against QuTiP on the dense matrix."""
    rng = np.random.default_rng(seed)
    rho = random_density_matrix(rng, 16, rank=2)
    state = ss.states.as_block_state(rho)
    q = qt.Qobj(rho, dims=[[2] * 4, [2] * 4])
    for j, k in [(0, 1), (2, 3), (3, 0)]:
        pair = q.ptrace(sorted([j, k]))
        if j > k:
            pair = pair.permute([1, 0])
        assert concurrence(state, j, k) == pytest.approx(qt.concurrence(pair), abs=TOL)
        assert log_negativity(state, j, k) == pytest.approx(qt.negativity(pair, 1, method="eigenvalues", logarithmic=True), abs=TOL)
        dense = pair.full()
        by_hand = sum(abs(dense[a, b]) for a in range(4) for b in range(4) if a != b)
        assert l1_coherence(state, [j, k]) == pytest.approx(by_hand, abs=1e-14)


def test_log_negativity_any_dimensions_against_qutip() -> None:
    for dims in ([2, 3], [3, 3], [3, 2]):
        rho = random_density_matrix(np.random.default_rng(sum(dims)), dims[0] * dims[1], rank=1)
        state = BlockState.from_dense(rho, dims=dims)
        want = qt.negativity(qt.Qobj(rho, dims=[dims, dims]), 1, method="eigenvalues", logarithmic=True)
        assert log_negativity(state, 0, 1) == pytest.approx(want, abs=TOL)
        assert want > 0.1
    bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    assert log_negativity(BlockState.from_dense(np.outer(bell, bell)), 0, 1) == pytest.approx(1.0, abs=1e-14)
    assert log_negativity(BlockState.from_dense(np.eye(4) / 4), 0, 1) == 0.0


def test_l1_coherence_of_one_qubit_is_twice_the_coherence() -> None:
    """C_l1 = 2|⟨σ⁺⟩| (independent: the Pauli expectation by hand)."""
    rho = random_density_matrix(np.random.default_rng(3), 2)
    assert l1_coherence(BlockState.from_dense(rho), 0) == pytest.approx(2 * abs(np.trace(rho @ SP)), abs=1e-15)
    psi = np.ones(3) / np.sqrt(3)  # maximally coherent qutrit: C_l1 = d − 1 = 2
    assert l1_coherence(BlockState.from_dense(np.outer(psi, psi), dims=[3]), 0) == pytest.approx(2.0, abs=1e-14)


def test_measures_of_a_steady_state_against_qutip() -> None:
    """The correlated Fig. 1c example (6 qubits, U(1) blocks) against QuTiP's steady state."""
    net = ss.load_model(Path(__file__).parents[2] / "examples" / "fig1c.toml")
    state = ss.steady_state(net).state
    rho = qutip_steady(net)
    for j, k in [(0, 1), (2, 4)]:
        pair = qt.Qobj(partial_trace(rho, [j, k], 6), dims=[[2, 2], [2, 2]])
        # steady states agree to ~1e-13; the concurrence's square roots amplify that to ≲ 1e-7
        assert concurrence(state, j, k) == pytest.approx(qt.concurrence(pair), abs=1e-7)
        assert log_negativity(state, j, k) == pytest.approx(qt.negativity(pair, 1, method="eigenvalues", logarithmic=True), abs=1e-9)
        assert l1_coherence(state, [j, k]) == pytest.approx(np.abs(pair.full()).sum() - np.trace(np.abs(pair.full())), abs=1e-9)


def test_input_errors() -> None:
    state = BlockState.from_dense(np.eye(6) / 6, dims=[2, 3])
    with pytest.raises(ss.ModelError, match="two qubits"):
        concurrence(state, 0, 1)
    with pytest.raises(ss.ModelError, match="two different sites"):
        log_negativity(state, 1, 1)
    with pytest.raises(ss.ModelError, match="4×4"):
        wootters_concurrence(np.eye(2) / 2)
