"""The compiled full-space Liouvillian equals the sparse reference on every kind of term."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from spinsync.liouvillian import full_liouvillian
from spinsync.liouvillian.hermitian import real_operator
from spinsync.liouvillian.hermitian import to_complex as real_to_hermitian
from spinsync.liouvillian.tensor import TensorLiouvillian, single_factor
from spinsync.operators.space import Space
from spinsync.operators.terms import Terms

from tests.general_cases import ALL_CASES, network

#: Both sides sum the same O(N + jumps) terms of size ≲ max|L entry|·‖y‖∞ in a different
#: order (the kernels may reassociate a row's sum); a few ulps of that scale. 1e-13
#: relative to max|L y| leaves a wide margin and still catches any wrong sign or factor
#: (those change entries by O(1) relative).
RTOL = 1e-13


def _check(model, seed: int = 0) -> TensorLiouvillian:
    op = TensorLiouvillian(model, threads=1)
    ref = real_operator(full_liouvillian(model), op.sector)  # sparse, real coordinates
    y = np.random.default_rng(seed).standard_normal(op.dim)
    want = ref @ y
    got = op.matvec(y)
    assert np.max(np.abs(got - want)) <= RTOL * np.max(np.abs(want))
    return op


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_matches_the_sparse_liouvillian_for_every_case(name: str) -> None:
    _check(network(ALL_CASES[name]), seed=len(name))


def test_jump_kinds_are_sorted_as_documented() -> None:
    op = _check(network(ALL_CASES["collective-subset-n5"]))
    # 5 gain + 5 damping local; collective dephasing diagonal; two collective ladders general.
    assert op.kinds == {"local": 10, "diagonal": 1, "general": 2}


def _tfim_terms(n: int, extra: float = 0.0) -> Terms:
    """H = Σ σᶻσᶻ + Σ σˣ (+ extra·σʸ_0, complex), c_j = √0.5 σ⁻_j, σʸ_1 jump (phase-real)."""
    sx = sp.csr_matrix([[0, 1], [1, 0]], dtype=complex)
    sy = sp.csr_matrix([[0, -1j], [1j, 0]])
    sz = sp.csr_matrix([[1, 0], [0, -1]], dtype=complex)
    sm = sp.csr_matrix([[0, 0], [1, 0]], dtype=complex)

    def op(a, j):
        out = sp.identity(1, format="csr")
        for i in range(n):
            out = sp.kron(out, a if i == j else sp.identity(2), format="csr")
        return out

    h = sum(op(sz, j) @ op(sz, j + 1) for j in range(n - 1)) + sum(op(sx, j) for j in range(n))
    h = h + extra * op(sy, 0)
    c = [np.sqrt(0.5) * op(sm, j) for j in range(n)] + [0.3 * op(sy, 1)]
    return Terms.from_operators([2] * n, h, c)


def test_external_operators_complex_hamiltonian_and_threads() -> None:
    terms = _tfim_terms(5, extra=0.4)
    op = _check(terms)
    assert op.kinds["local"] == 6  # σʸ is real up to a phase: a local jump
    y = np.random.default_rng(3).standard_normal(op.dim)
    two = TensorLiouvillian(terms, threads=2).matvec(y)
    assert np.max(np.abs(two - op.matvec(y))) <= RTOL * np.max(np.abs(two))


def test_to_complex_matches_the_hermitian_coordinates() -> None:
    op = TensorLiouvillian(_tfim_terms(4), threads=1)
    y = np.random.default_rng(1).standard_normal(op.dim)
    np.testing.assert_array_equal(op.to_complex(y), real_to_hermitian(op.sector, y))
    np.testing.assert_allclose(op.to_real(op.to_complex(y)), y, rtol=0, atol=1e-15)


def test_single_factor_recognizes_one_site_operators_only() -> None:
    space = Space((2, 3, 2))
    a = np.array([[0.2, 1.0, 0.0], [0.0, 0.0, 2.0], [0.5, 0.0, -1.0]])
    embedded = sp.kron(sp.kron(sp.identity(2), sp.csr_matrix(a)), sp.identity(2))
    site, local = single_factor(embedded, space)
    assert site == 1
    np.testing.assert_allclose(local, a, atol=1e-15)
    two_site = sp.kron(sp.kron(sp.csr_matrix([[0, 1], [0, 0]]), sp.csr_matrix(a)), sp.identity(2))
    assert single_factor(two_site, space) is None
    # A projector on another site makes the operator depend on two digits.
    proj = sp.kron(sp.kron(sp.diags([1.0, 0.0]), sp.csr_matrix(a)), sp.identity(2))
    assert single_factor(proj, space) is None
    diag = sp.kron(sp.kron(sp.identity(2), sp.identity(3)), sp.diags([1.0, -1.0]))
    assert single_factor(diag, space)[0] == 2
