"""Measures against dense numpy: reduced density matrices, ⟨σᵅσᵝ⟩, connected correlations,
the supplement's C_αβ (Eqs. S6–S15), Uhlmann fidelity (scipy sqrtm and QuTiP)."""

from __future__ import annotations

from functools import reduce
from itertools import combinations

import numpy as np
import pytest
import qutip as qt

from spinsync import ModelError
from spinsync.operators.basis import BlockBasis
from spinsync.measures import (
    bloch_vectors,
    connected_correlation,
    correlation_sums,
    fidelity,
    flipflop_matrix,
    local_expectation,
    magnetizations,
    max_connected_correlation,
    pair_expectation,
    reduced_density_matrix,
)
from spinsync.states import BlockState, ProductState, product_of_bloch

from tests.oracles import OPS, SX, SY, SZ, embed, partial_trace, random_density_matrix, sqrtm_fidelity

# Entries of density matrices are ≤ 1; sums over ≤ 2⁵ terms round at ~1e-15. 1e-13
# tolerates rounding only.
ATOL = 1e-13


def _bloch(rng, n: int) -> np.ndarray:
    """n random Bloch vectors of length in (0, 0.95)."""
    r = rng.normal(size=(n, 3))
    return r * rng.uniform(0.05, 0.95, (n, 1)) / np.linalg.norm(r, axis=1, keepdims=True)


def _block_diagonal_state(rng, n: int, kind: str) -> tuple[BlockState, np.ndarray]:
    """Random density matrix that is block diagonal in ``kind`` blocks, both forms."""
    basis = BlockBasis.build(n, kind)
    weights = rng.dirichlet(np.ones(basis.num_blocks))
    blocks, dense = {}, np.zeros((2**n, 2**n), complex)
    for b, states in enumerate(basis.states):
        m = weights[b] * random_density_matrix(rng, states.size)
        blocks[(b, b)] = m
        dense[np.ix_(states, states)] = m
    return BlockState(basis, blocks), dense


def _states(seed: int, n: int):
    """(label, QubitState, dense) for the representations the solvers produce."""
    rng = np.random.default_rng(seed)
    out = []
    full = random_density_matrix(rng, 2**n)
    out.append(("full-one-block", BlockState.from_dense(full), full))
    out.append(("full-in-magnetization-blocks", BlockState.from_dense(full, BlockBasis.build(n, "magnetization")), full))
    for kind in ("magnetization", "parity"):
        st, dense = _block_diagonal_state(rng, n, kind)
        out.append((f"block-diagonal-{kind}", st, dense))
    r = _bloch(rng, n)
    prod = product_of_bloch(r)
    out.append(("product", prod, reduce(np.kron, [(np.eye(2) + x * SX + y * SY + z * SZ) / 2 for x, y, z in r])))
    return out


SUBSETS = [[0], [3], [2, 0], [1, 3], [3, 1], [0, 2, 4], [4, 1, 2], [2, 4, 0]]


@pytest.mark.parametrize("label,state,dense", _states(1, 5), ids=lambda v: v if isinstance(v, str) else "")
def test_reduced_density_matrix_is_partial_trace(label, state, dense) -> None:
    for qubits in SUBSETS:
        got = reduced_density_matrix(state, qubits)
        assert np.max(np.abs(got - partial_trace(dense, qubits, 5))) < ATOL, qubits
    assert np.max(np.abs(state.reduced(range(5)) - dense)) < ATOL
    assert np.max(np.abs(state.to_dense() - dense)) < ATOL


def test_block_state_roundtrip_and_bookkeeping() -> None:
    rng = np.random.default_rng(4)
    st, dense = _block_diagonal_state(rng, 4, "magnetization")
    assert st.is_block_diagonal
    assert abs(st.trace() - 1) < ATOL
    assert st.frobenius_norm() == pytest.approx(np.linalg.norm(dense), rel=1e-13)
    assert st.hermiticity_error() < ATOL
    assert np.allclose(st.eigenvalues(), np.linalg.eigvalsh(dense), atol=ATOL)
    assert np.allclose(st.diagonal(), np.diag(dense).real, atol=ATOL)
    # A non-Hermitian perturbation is seen by hermiticity_error and removed by hermitized().
    bad = BlockState(st.basis, {k: v.copy() for k, v in st.blocks.items()})
    bad.blocks[(2, 2)][0, 1] += 1e-3
    assert bad.hermiticity_error() == pytest.approx(1e-3, rel=1e-6)
    assert bad.hermitized().hermiticity_error() < ATOL


def test_reduced_rejects_bad_subsets() -> None:
    st = BlockState.from_dense(np.eye(8) / 8)
    with pytest.raises(ModelError, match="repeated"):
        st.reduced([1, 1])
    with pytest.raises(ModelError, match="qubit 3 out of range"):
        st.reduced([0, 3])


@pytest.mark.parametrize("label,state,dense", _states(2, 4), ids=lambda v: v if isinstance(v, str) else "")
def test_pair_and_local_expectations(label, state, dense) -> None:
    n = 4
    for j, k in [(0, 1), (3, 0), (1, 2), (2, 3)]:
        for a in "xyz+-":
            exp_a = np.trace(dense @ embed(OPS[a], j, n))
            assert abs(local_expectation(state, j, a) - exp_a) < ATOL
            for b in "xyz+-":
                joint = np.trace(dense @ embed(OPS[a], j, n) @ embed(OPS[b], k, n))
                assert abs(pair_expectation(state, j, k, a, b) - joint) < ATOL
                exp_b = np.trace(dense @ embed(OPS[b], k, n))
                assert abs(connected_correlation(state, j, k, a, b) - (joint - exp_a * exp_b)) < ATOL
    with pytest.raises(ModelError, match="j = k = 2"):
        pair_expectation(state, 2, 2, "x", "x")
    with pytest.raises(ModelError, match="'q'"):
        pair_expectation(state, 0, 1, "q", "x")


@pytest.mark.parametrize("label,state,dense", _states(3, 4), ids=lambda v: v if isinstance(v, str) else "")
def test_vector_measures(label, state, dense) -> None:
    n = 4
    bloch = np.array([[np.trace(dense @ embed(s, j, n)).real for s in (SX, SY, SZ)] for j in range(n)])
    assert np.allclose(bloch_vectors(state), bloch, atol=ATOL)
    assert np.allclose(magnetizations(state), bloch[:, 2], atol=ATOL)
    ff = np.array([[np.trace(dense @ (embed(OPS["+"], j, n) @ embed(OPS["-"], k, n))) for k in range(n)]
                   for j in range(n)])
    assert np.allclose(flipflop_matrix(state), ff, atol=ATOL)  # diagonal: ⟨σ⁺σ⁻⟩ = P(up)
    worst = max(
        abs(np.trace(dense @ embed(OPS[a], j, n) @ embed(OPS[b], k, n)).real - bloch[j, "xyz".index(a)] * bloch[k, "xyz".index(b)])
        for j, k in combinations(range(n), 2) for a in "xyz" for b in "xyz"
    )
    assert max_connected_correlation(state) == pytest.approx(worst, abs=ATOL)
    if label == "product":
        assert worst < ATOL


@pytest.mark.parametrize("label,state,dense", _states(5, 4), ids=lambda v: v if isinstance(v, str) else "")
def test_correlation_sums_definition_and_relations(label, state, dense) -> None:
    """Eq. S6: C_αβ = Σ_{j<k} Tr[ρ_jk σᵅ_j σᵝ_k]; then the relations S8–S15."""
    n = 4
    c = correlation_sums(state)
    for kind, value in c.items():
        a, b = kind
        expected = sum(np.trace(dense @ embed(OPS[a], j, n) @ embed(OPS[b], k, n))
                       for j, k in combinations(range(n), 2))
        assert abs(value - expected) < ATOL, kind
    s, r = c["+-"], c["++"]  # S9, S10 (summed over pairs)
    assert abs(c["-+"] - np.conj(s)) < ATOL  # S8
    assert abs(c["--"] - np.conj(r)) < ATOL  # S11
    assert abs(c["xx"] - 2 * (s.real + r.real)) < ATOL  # S12
    assert abs(c["yy"] - 2 * (s.real - r.real)) < ATOL  # S13
    assert abs(c["xy"] - 2 * (r.imag - s.imag)) < ATOL  # S14
    assert abs(c["yx"] - 2 * (r.imag + s.imag)) < ATOL  # S15


def test_s7_matrix_entries_for_two_qubits() -> None:
    """S8–S10 with ρ_jk written as in Eq. S7: C₊₋ = s = ρ[2, 1], C₊₊ = r = ρ[3, 0]."""
    rho = random_density_matrix(np.random.default_rng(9), 4)
    c = correlation_sums(BlockState.from_dense(rho), kinds=("+-", "++", "-+", "--"))
    assert abs(c["+-"] - rho[2, 1]) < ATOL and abs(c["++"] - rho[3, 0]) < ATOL
    assert abs(c["-+"] - rho[1, 2]) < ATOL and abs(c["--"] - rho[0, 3]) < ATOL
    with pytest.raises(ModelError, match="'xyz'"):
        correlation_sums(BlockState.from_dense(rho), kinds=("xyz",))


# ------------------------------------------------------------------ fidelity
# sqrtm-based reference: accurate to ~1e-12 for full-rank states of dimension ≤ 32.
FID_ATOL = 1e-10


@pytest.mark.parametrize("seed", range(4))
def test_fidelity_dense_against_sqrtm_and_qutip(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dim = 2 ** (1 + seed % 3)
    rho, sigma = random_density_matrix(rng, dim), random_density_matrix(rng, dim)
    f = fidelity(rho, sigma)
    assert f == pytest.approx(sqrtm_fidelity(rho, sigma), abs=FID_ATOL)
    assert f == pytest.approx(qt.fidelity(qt.Qobj(rho), qt.Qobj(sigma)), abs=FID_ATOL)
    assert fidelity(sigma, rho) == pytest.approx(f, abs=FID_ATOL)
    assert fidelity(rho, rho) == pytest.approx(1.0, abs=FID_ATOL)
    assert 0 < f < 1


def test_fidelity_of_orthogonal_pure_states_is_zero_and_not_squared() -> None:
    up, down = np.diag([1.0, 0.0]).astype(complex), np.diag([0.0, 1.0]).astype(complex)
    assert fidelity(up, down) == pytest.approx(0.0, abs=1e-15)
    # F(|↑⟩⟨↑|, I/2) = √(1/2) for Uhlmann's unsquared fidelity (squared would be 1/2).
    assert fidelity(up, np.eye(2) / 2) == pytest.approx(np.sqrt(0.5), abs=1e-14)


@pytest.mark.parametrize("kind", ["magnetization", "parity", "full"])
def test_fidelity_block_state_vs_diagonal_product(kind: str) -> None:
    """The block-by-block path (block-diagonal ρ vs diagonal ρ₀) against dense sqrtm."""
    rng = np.random.default_rng(12)
    n = 4
    st, dense = _block_diagonal_state(rng, n, kind)
    prod = product_of_bloch(np.column_stack([np.zeros(n), np.zeros(n), rng.uniform(-0.9, 0.9, n)]))
    ref = sqrtm_fidelity(dense, prod.to_dense())
    assert fidelity(st, prod) == pytest.approx(ref, abs=FID_ATOL)
    assert fidelity(prod, st) == pytest.approx(ref, abs=FID_ATOL)
    assert fidelity(prod, prod) == pytest.approx(1.0, abs=1e-14)


def test_fidelity_product_vs_product_with_coherences() -> None:
    rng = np.random.default_rng(13)
    a, b = product_of_bloch(_bloch(rng, 3)), product_of_bloch(_bloch(rng, 3))
    ref = sqrtm_fidelity(a.to_dense(), b.to_dense())
    assert fidelity(a, b) == pytest.approx(ref, abs=FID_ATOL)
    # mixed representations take the dense path
    assert fidelity(BlockState.from_dense(a.to_dense()), b) == pytest.approx(ref, abs=FID_ATOL)
    assert fidelity(a.to_dense(), b) == pytest.approx(ref, abs=FID_ATOL)


def test_fidelity_shape_mismatch() -> None:
    with pytest.raises(ModelError, match="differ"):
        fidelity(np.eye(2) / 2, np.eye(4) / 4)
    with pytest.raises(ModelError, match="2 and 3 qubits"):
        fidelity(product_of_bloch(np.zeros((2, 3))), product_of_bloch(np.zeros((3, 3))))


def test_product_state_bookkeeping() -> None:
    rng = np.random.default_rng(14)
    r = _bloch(rng, 3)
    prod = product_of_bloch(r)
    dense = reduce(np.kron, [(np.eye(2) + x * SX + y * SY + z * SZ) / 2 for x, y, z in r])
    assert np.allclose(prod.to_dense(), dense, atol=ATOL)
    assert prod.frobenius_norm() == pytest.approx(np.linalg.norm(dense), rel=1e-13)
    assert prod.min_eigenvalue() == pytest.approx(np.linalg.eigvalsh(dense)[0], abs=ATOL)
    assert abs(prod.trace() - 1) < ATOL
    with pytest.raises(ModelError, match="length must be ≤ 1"):
        product_of_bloch([[0.0, 0.0, 1.5]])


def test_pair_measures_never_build_the_dense_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 2 §5: with the state in blocks, every reported measure (the whole JSON summary,
    fidelity to ρ₀ included) works while a dense 2ᴺ×2ᴺ matrix (64 KiB at N = 6) is refused."""
    import spinsync.resources
    from spinsync import MemoryLimitError, Network, steady_state
    from spinsync.steady.summary import steady_summary

    net = Network.with_topology([1, 0.2, 20, 2, 2.5, 0.3], [0.5, 4, 80, 1, 0.5, 0.2],
                                "all-to-all", 80, 80, 1)
    result = steady_state(net)
    dense = result.state.to_dense()
    expected_ff = np.array([[np.trace(dense @ embed(OPS["+"], j, 6) @ embed(OPS["-"], k, 6))
                             for k in range(6)] for j in range(6)])
    monkeypatch.setattr(spinsync.resources, "available_memory", lambda: 40_000)
    with pytest.raises(MemoryLimitError):
        result.state.to_dense()  # the guard is active ...
    summary = steady_summary(result)  # ... and the measures do not need it
    got_ff = np.array(summary["flipflop_re"]) + 1j * np.array(summary["flipflop_im"])
    assert np.allclose(got_ff, expected_ff, atol=ATOL)
    assert 0 < summary["fidelity_product"] < 1
