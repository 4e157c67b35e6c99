"""The Dicke-basis representation of one group against brute force on 2ᴹ-dimensional matrices."""

from __future__ import annotations

from functools import reduce

import numpy as np
import pytest

from spinsync.errors import ModelError
from spinsync.operators.dicke import SCHUR_MAX_QUBITS, DickeSpace, clebsch_half

from tests.oracles import OPS

# Everything here is exact algebra on matrices of size ≤ 32 with O(1) entries: rounding
# leaves ~1e-15; 1e-12 catches any wrong coefficient (they differ by O(0.1–1)).
ATOL = 1e-12


def _embed(op: np.ndarray, i: int, m: int) -> np.ndarray:
    return reduce(np.kron, [op if q == i else np.eye(2) for q in range(m)])


def _units(space: DickeSpace) -> np.ndarray:
    """E_e = Σ_k |j, a, k⟩⟨j, c, k| / d_j for every representative entry e, from the Schur basis."""
    u = space.schur_basis()
    dim = 2**space.m
    out = np.zeros((space.n_entries, dim, dim), dtype=complex)
    col = 0
    for b in range(space.n_blocks):
        d, n = space.multiplicity(b), int(space.sizes[b])
        w = u[:, col:col + n * d].reshape(dim, n, d)
        col += n * d
        for a in range(n):
            for c in range(n):
                out[space.entry(np.array(b), np.array(a), np.array(c))] = w[:, a] @ w[:, c].conj().T / d
    return out


def _representative(units: np.ndarray, rho: np.ndarray, space: DickeSpace) -> np.ndarray:
    """x_e = Tr[ρ Σ_k |j, c, k⟩⟨j, a, k|] (the entries of X_j)."""
    d = np.array([space.multiplicity(b) for b in space.entry_block])
    swap = space.entry(space.entry_block, space.entry_c, space.entry_a)
    return np.einsum("exy,yx->e", units[swap], rho) * d


def test_clebsch_matches_qutip() -> None:
    import qutip as qt

    for j1 in (0.5, 1.0, 1.5, 3.0):
        for big in (j1 - 0.5, j1 + 0.5):
            for m1 in np.arange(-j1, j1 + 0.5):
                for s in (0.5, -0.5):
                    if abs(m1 + s) > big or big < 0:
                        continue
                    want = qt.clebsch(j1, 0.5, big, m1, s, m1 + s)
                    assert abs(clebsch_half(j1, m1, s, big) - want) < ATOL


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5])
def test_multiplicities_and_schur_basis(m: int) -> None:
    space = DickeSpace(m)
    assert sum(space.multiplicity(b) * int(space.sizes[b]) for b in range(space.n_blocks)) == 2**m
    u = space.schur_basis()
    assert np.allclose(u.conj().T @ u, np.eye(2**m), atol=ATOL)
    jz = sum(_embed(OPS["z"], i, m) for i in range(m)) / 2
    # Columns are Jᶻ eigenvectors with m = j − a.
    diag = np.real(np.einsum("xi,xy,yi->i", u.conj(), jz, u))
    want = np.concatenate([np.repeat(space.j[b] - np.arange(space.sizes[b]), space.multiplicity(b))
                           for b in range(space.n_blocks)])
    assert np.allclose(diag, want, atol=ATOL)
    assert np.isclose(np.exp(space.log_multiplicity), [space.multiplicity(b) for b in range(space.n_blocks)]).all()


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5])
def test_sandwich_equals_sum_over_sites(m: int) -> None:
    """Σ_i A_i ρ B_i† of a random permutation-invariant ρ, for A, B ∈ {σ⁺, σ⁻, σᶻ}."""
    space = DickeSpace(m)
    units = _units(space)
    rng = np.random.default_rng(m)
    x = rng.normal(size=space.n_entries) + 1j * rng.normal(size=space.n_entries)
    rho = np.einsum("e,exy->xy", x, units)
    assert np.allclose(_representative(units, rho, space), x, atol=ATOL)
    for a in "+-z":
        for b in "+-z":
            full = sum(_embed(OPS[a], i, m) @ rho @ _embed(OPS[b], i, m).conj().T for i in range(m))
            got = space.sandwich(OPS[a], OPS[b]).to_sparse() @ x
            assert np.allclose(got, _representative(units, full, space), atol=ATOL), (a, b)


@pytest.mark.parametrize("m", [2, 4, 5])
def test_collective_products_and_adjoint(m: int) -> None:
    space = DickeSpace(m)
    units = _units(space)
    rng = np.random.default_rng(10 + m)
    x = rng.normal(size=space.n_entries) + 1j * rng.normal(size=space.n_entries)
    rho = np.einsum("e,exy->xy", x, units)
    jp_full = sum(_embed(OPS["+"], i, m) for i in range(m))
    jz_full = sum(_embed(OPS["z"], i, m) for i in range(m)) / 2
    pairs = [(space.jplus(), jp_full), (space.jminus(), jp_full.conj().T), (space.jz(), jz_full),
             (space.jplus() @ space.jminus(), jp_full @ jp_full.conj().T),
             ((space.jz() @ space.jplus()).adjoint(), (jz_full @ jp_full).conj().T),
             (space.identity() * 2.5, 2.5 * np.eye(2**m))]
    for left, lf in pairs:
        for right, rf in pairs[:3]:
            got = space.both(left, right).to_sparse() @ x
            assert np.allclose(got, _representative(units, lf @ rho @ rf, space), atol=ATOL)
    # Σ_i u_i for a general single-qubit matrix
    u = np.array([[0.3, 1.0 - 2j], [0.5j, -1.1]])
    full = sum(_embed(u, i, m) for i in range(m))
    got = sum(space.both(lad, space.identity()).to_sparse() @ x for lad in space.collective(u))
    assert np.allclose(got, _representative(units, full @ rho, space), atol=ATOL)


def test_sandwich_trace_and_identity() -> None:
    """Σ_i 1·ρ·1 = Mρ; Tr Σ_i σ⁻ρσ⁺ = Tr[(Jᶻ + M/2)ρ] (checked at M = 40, beyond brute force)."""
    space = DickeSpace(40)
    rng = np.random.default_rng(0)
    x = rng.normal(size=space.n_entries)
    ident = space.sandwich(np.eye(2), np.eye(2)).to_sparse() @ x
    assert np.allclose(ident, 40 * x, atol=1e-10)
    diag = space.entry_a == space.entry_c
    y = space.sandwich(OPS["-"], OPS["-"]).to_sparse() @ x
    jz = space.j[space.entry_block] - space.entry_a
    assert np.isclose(np.sum(y[diag]), np.sum(((jz + 20) * x)[diag]), rtol=1e-12)


def test_refusals() -> None:
    with pytest.raises(ModelError, match="at least one qubit"):
        DickeSpace(0)
    with pytest.raises(ModelError, match="homogeneous"):
        DickeSpace(3).sandwich(OPS["x"], OPS["x"])
    with pytest.raises(ModelError, match="Schur basis"):
        DickeSpace(SCHUR_MAX_QUBITS + 1).schur_basis()
