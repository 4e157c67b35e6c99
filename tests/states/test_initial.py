"""Initial states: exact matrices, seeding, conversion between block layouts, validation."""

from __future__ import annotations

from functools import reduce

import numpy as np
import pytest
import scipy.sparse as sp

from spinsync.operators.basis import BlockBasis
from spinsync.errors import ModelError
from spinsync.states import (
    INITIAL_STATE_NAMES,
    all_down,
    all_up,
    as_block_state,
    bloch_product,
    from_array,
    ghz_state,
    haar_random_pure,
    initial_state,
    random_mixed,
    validate_state,
)
from spinsync.states import BlockState, product_of_bloch

UP = np.array([1.0, 0.0])
DOWN = np.array([0.0, 1.0])


def _ket(*spins: np.ndarray) -> np.ndarray:
    return reduce(np.kron, spins)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_ghz_is_the_textbook_state(n: int) -> None:
    psi = (_ket(*[UP] * n) + _ket(*[DOWN] * n)) / np.sqrt(2)
    state = ghz_state(n)
    np.testing.assert_allclose(state.to_dense(), np.outer(psi, psi), atol=1e-15)
    # Four nonzero entries, whatever N: never a dense 2ᴺ×2ᴺ block.
    assert sum(np.count_nonzero(m) for m in state.blocks.values()) == 4
    assert sum(m.size for m in state.blocks.values()) == 4


def test_ghz_of_many_qubits_is_cheap_and_valid() -> None:
    state = ghz_state(16)  # 2¹⁶-dimensional Hilbert space; only 1×1 blocks are stored
    validate_state(state)
    assert set(state.blocks) == {(0, 0), (0, 16), (16, 0), (16, 16)}


def test_all_up_and_down() -> None:
    up, down = all_up(3), all_down(3)
    np.testing.assert_allclose(np.diag(up.to_dense()), np.eye(8)[0])
    np.testing.assert_allclose(np.diag(down.to_dense()), np.eye(8)[7])


def test_bloch_product_matches_kron() -> None:
    r = np.array([[0.3, -0.2, 0.5], [0.0, 0.0, -1.0], [0.6, 0.8, 0.0]])
    sigma = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1, -1])]
    factors = [(np.eye(2) + sum(v * s for v, s in zip(rj, sigma))) / 2 for rj in r]
    np.testing.assert_allclose(bloch_product(r).to_dense(), reduce(np.kron, factors), atol=1e-15)


def test_bloch_product_rejects_long_vectors() -> None:
    with pytest.raises(ModelError, match="length must be ≤ 1"):
        bloch_product([[1.0, 0.5, 0.0]])


def test_haar_state_is_pure_seeded_and_spread() -> None:
    a, b, c = haar_random_pure(3, seed=7), haar_random_pure(3, seed=7), haar_random_pure(3, seed=8)
    rho = a.to_dense()
    np.testing.assert_array_equal(rho, b.to_dense())
    assert not np.allclose(rho, c.to_dense())
    assert np.trace(rho @ rho).real == pytest.approx(1.0, abs=1e-14)
    validate_state(a)
    # Haar average of |⟨s|ψ⟩|² is 1/d: the mean population over many seeds approaches it.
    pops = np.mean([np.diag(haar_random_pure(2, seed=s).to_dense()).real for s in range(400)], axis=0)
    np.testing.assert_allclose(pops, 0.25, atol=0.03)


def test_random_mixed_is_full_rank_and_seeded() -> None:
    rho = random_mixed(3, seed=1).to_dense()
    np.testing.assert_array_equal(rho, random_mixed(3, seed=1).to_dense())
    vals = np.linalg.eigvalsh(rho)
    assert vals.min() > 1e-6
    assert np.trace(rho).real == pytest.approx(1.0, abs=1e-14)
    low = random_mixed(3, seed=1, rank=2).to_dense()
    assert np.sum(np.linalg.eigvalsh(low) > 1e-12) == 2


@pytest.mark.parametrize("rank", [0, 9, 2.5])
def test_random_mixed_rejects_bad_rank(rank: float) -> None:
    with pytest.raises(ModelError, match="rank"):
        random_mixed(3, seed=0, rank=rank)  # type: ignore[arg-type]


def test_bad_seed() -> None:
    with pytest.raises(ModelError, match="seed"):
        haar_random_pure(2, seed=-1)


@pytest.mark.parametrize("kind", ["magnetization", "parity", "full"])
def test_conversion_round_trips(kind: str) -> None:
    rho = random_mixed(3, seed=3).to_dense()
    basis = BlockBasis.build(3, kind)  # type: ignore[arg-type]
    blocked = as_block_state(rho, basis)
    np.testing.assert_array_equal(blocked.to_dense(), rho)
    # Between bases and from sparse input, entries move without change.
    other = as_block_state(blocked, BlockBasis.build(3, "magnetization"))
    np.testing.assert_array_equal(other.to_dense(), rho)
    np.testing.assert_array_equal(as_block_state(sp.csr_matrix(rho), basis).to_dense(), rho)


def test_product_state_input_with_diagonal_factors_stays_blocked() -> None:
    prod = product_of_bloch(np.array([[0, 0, 0.2], [0, 0, -0.4]]))
    blocked = as_block_state(prod)
    assert blocked.is_block_diagonal
    np.testing.assert_allclose(blocked.to_dense(), prod.to_dense(), atol=1e-16)


@pytest.mark.parametrize(
    "rho, message",
    [
        (np.ones((2, 3)), "square"),
        (np.eye(3) / 3, "2ᴺ×2ᴺ"),
        (np.eye(1), "2ᴺ×2ᴺ"),
        (np.eye(2), "trace is 2"),
        (np.array([[0.5, 0.1], [0.3, 0.5]]), "not Hermitian"),
        (np.diag([1.5, -0.5]), "not positive semidefinite"),
        (np.array([[0.5, 0.6], [0.6, 0.5]]), "not positive semidefinite"),
        (np.array([[np.nan, 0], [0, 1]]), "not finite"),
        ("abc", "not a numeric array"),
    ],
)
def test_from_array_rejects_non_states(rho: object, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        from_array(rho)


def test_from_array_accepts_a_valid_state() -> None:
    rho = np.array([[0.7, 0.2 - 0.1j], [0.2 + 0.1j, 0.3]])
    np.testing.assert_array_equal(from_array(rho).to_dense(), rho)


def test_validate_finds_negativity_in_a_coherence() -> None:
    # Populations fine, but a coherence between the all-up and all-down states larger
    # than allowed: the negative eigenvalue sits in the {0, N} component.
    state = ghz_state(4)
    state.blocks[(0, 4)] = state.blocks[(0, 4)] * 1.5
    state.blocks[(4, 0)] = state.blocks[(4, 0)] * 1.5
    with pytest.raises(ModelError, match="smallest eigenvalue -2.5"):
        validate_state(state)


def test_validate_counts_zeros_of_untouched_blocks() -> None:
    # A "state" with a negative population in one block only is caught even though other
    # blocks are absent.
    basis = BlockBasis.build(2, "magnetization")
    state = BlockState(basis, {(0, 0): np.array([[1.2]]), (1, 1): np.diag([-0.1, -0.1]).astype(complex)})
    with pytest.raises(ModelError, match="positive"):
        validate_state(state)


def test_initial_state_by_name() -> None:
    assert set(INITIAL_STATE_NAMES) == {"ghz", "up", "down", "random", "random-mixed"}
    for name in INITIAL_STATE_NAMES:
        validate_state(initial_state(name, 3, seed=5))
    np.testing.assert_array_equal(
        initial_state("random", 3, seed=5).to_dense(), haar_random_pure(3, seed=5).to_dense()
    )
    with pytest.raises(ModelError, match="initial = 'bell'"):
        initial_state("bell", 3)
