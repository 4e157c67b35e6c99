"""The matrix-free Liouvillian equals the sparse sector Liouvillian (the reference)."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync.operators.basis import BlockBasis
from spinsync.liouvillian import OperatorSector, full_liouvillian, sector_liouvillian
from spinsync.liouvillian.hermitian import to_complex as real_to_hermitian
from spinsync.liouvillian.hermitian import to_real as hermitian_to_real
from spinsync.liouvillian.matrixfree import BlockLiouvillian, HermitianBlockLiouvillian
from spinsync.model import Network, all_to_all_bonds, chain_bonds

#: Both sides sum the same O(N²) terms of size ≲ max|U|·‖x‖ in a different order, so
#: they agree to a few ulps times that scale; 1e-12 relative leaves a 100× margin.
RTOL = 1e-12


def _network(n: int, ux: float, uy: float, uz: float, seed: int, bonds: str = "all") -> Network:
    rng = np.random.default_rng(seed)
    sites = all_to_all_bonds(n) if bonds == "all" else chain_bonds(n)
    # Bond-dependent couplings so that no symmetry beyond the intended one survives.
    scale = rng.uniform(0.5, 1.5, len(sites))
    return Network(
        gain=rng.uniform(0.2, 2, n),
        damping=rng.uniform(0.2, 2, n),
        omega=rng.uniform(-1, 1, n),
        bonds=[(j, k, ux * s, uy * s, uz * s) for (j, k), s in zip(sites, scale)],
        field=0.3,
    )


def _random(dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=dim) + 1j * rng.normal(size=dim)


def _assert_matches(net: Network, sector: OperatorSector, dense: bool | None = None) -> None:
    ref = sector_liouvillian(net, sector)
    op = BlockLiouvillian(net, sector, dense=dense)
    assert op.dim == sector.dim == ref.shape[0]
    for seed in range(2):
        x = _random(sector.dim, seed)
        expected = ref @ x
        got = op.matvec(x)
        assert np.linalg.norm(got - expected) <= RTOL * np.linalg.norm(expected)


@pytest.mark.parametrize("q", [0, 1, -2, 3])
@pytest.mark.parametrize("dense", [None, True, False])
def test_magnetization_sectors(q: int, dense: bool | None) -> None:
    net = _network(5, 1.3, 1.3, 0.7, seed=1)
    basis = BlockBasis.build(5, "magnetization")
    sector = OperatorSector.steady(basis) if q == 0 else OperatorSector.coherence(basis, q)
    _assert_matches(net, sector, dense)


@pytest.mark.parametrize("q", [0, 1])
def test_parity_sectors_xyz(q: int) -> None:
    net = _network(4, 2.0, 0.5, 0.9, seed=2)
    basis = BlockBasis.build(4, "parity")
    sector = OperatorSector.steady(basis) if q == 0 else OperatorSector.coherence(basis, q)
    _assert_matches(net, sector)


@pytest.mark.parametrize("dense", [True, False])
def test_chain_sparse_blocks_full_liouvillian(dense: bool) -> None:
    """Full basis, one block: the matrix-free operator is the whole 4ᴺ Liouvillian, with the
    Hamiltonian block stored dense or (forced) sparse — both branches of the products."""
    net = _network(4, 0.8, 0.8, -0.4, seed=3, bonds="chain")
    ref = full_liouvillian(net)
    op = BlockLiouvillian(net, OperatorSector.steady(BlockBasis.build(4, "full")), dense=dense)
    assert op.storage == {"dense": int(dense), "sparse": int(not dense)}
    x = _random(op.dim, 5)
    np.testing.assert_allclose(op.matvec(x), ref @ x, rtol=0, atol=RTOL * np.linalg.norm(ref @ x))


@pytest.mark.parametrize("dense", [True, False])
def test_hermitian_form_with_sparse_blocks(dense: bool) -> None:
    """The real Hermitian operator with dense or sparse blocks equals the sparse reference."""
    net = _network(5, 1.5, 1.5, 0.5, seed=8, bonds="chain")
    sector = OperatorSector.steady(BlockBasis.build(5, "magnetization"))
    op = HermitianBlockLiouvillian(net, sector, dense=dense)
    assert op.storage["sparse"] == (0 if dense else sector.basis.num_blocks)
    x = _random_hermitian(sector, 3)
    got = real_to_hermitian(sector, op.matvec(hermitian_to_real(sector, x)))
    ref = sector_liouvillian(net, sector) @ x
    np.testing.assert_allclose(got, ref, rtol=0, atol=RTOL * np.linalg.norm(ref))


def test_linear_operator() -> None:
    net = _network(4, 1.0, 1.0, 0.0, seed=4)
    sector = OperatorSector.coherence(BlockBasis.build(4, "magnetization"), 1)
    lin = BlockLiouvillian(net, sector).as_linear_operator()
    x = _random(sector.dim, 0)
    assert lin.shape == (sector.dim, sector.dim)
    ref = sector_liouvillian(net, sector) @ x
    assert np.linalg.norm(lin @ x - ref) <= RTOL * np.linalg.norm(ref)


def test_trace_preserved() -> None:
    """Tr L[X] = 0 for every X: a physics check independent of the sparse builder."""
    net = _network(5, 2.0, 0.5, 1.0, seed=6)
    sector = OperatorSector.steady(BlockBasis.build(5, "parity"))
    x = _random(sector.dim, 1)
    y = BlockLiouvillian(net, sector).matvec(x)
    assert abs(sector.trace_vector() @ y) <= RTOL * np.linalg.norm(y) * np.sqrt(2**5)


def _random_hermitian(sector: OperatorSector, seed: int) -> np.ndarray:
    blocks = {}
    rng = np.random.default_rng(seed)
    for b, _ in sector.pairs:
        n = sector.basis.sizes[b]
        m = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        blocks[(b, b)] = m + m.conj().T
    return sector.join(blocks)


@pytest.mark.parametrize("kind,couplings", [("magnetization", (1.5, 1.5, 0.5)), ("parity", (2.0, 0.5, 1.0))])
def test_hermitian_real_form(kind: str, couplings: tuple[float, float, float]) -> None:
    net = _network(5, *couplings, seed=7)
    sector = OperatorSector.steady(BlockBasis.build(5, kind))  # type: ignore[arg-type]
    x = _random_hermitian(sector, 3)
    y = hermitian_to_real(sector, x)
    assert y.dtype == np.float64
    np.testing.assert_allclose(real_to_hermitian(sector, y), x, rtol=0, atol=1e-14 * np.abs(x).max())
    assert np.linalg.norm(y) == pytest.approx(np.linalg.norm(x), rel=1e-14)
    op = HermitianBlockLiouvillian(net, sector)
    expected = sector_liouvillian(net, sector) @ x
    got = real_to_hermitian(sector, op.matvec(y))
    assert np.linalg.norm(got - expected) <= RTOL * np.linalg.norm(expected)


def test_hermitian_needs_diagonal_sector() -> None:
    net = _network(3, 1.0, 1.0, 0.0, seed=0)
    with pytest.raises(ValueError, match="diagonal pairs"):
        HermitianBlockLiouvillian(net, OperatorSector.coherence(BlockBasis.build(3, "magnetization"), 1))


def test_wrong_length() -> None:
    net = _network(3, 1.0, 1.0, 0.0, seed=0)
    op = BlockLiouvillian(net, OperatorSector.steady(BlockBasis.build(3, "magnetization")))
    with pytest.raises(ValueError, match="sector dimension"):
        op.matvec(np.zeros(op.dim + 1))


@pytest.mark.parametrize("route", ["kernel", "matrix"])
@pytest.mark.parametrize("model", ["qubits", "spin3/2"])
@pytest.mark.parametrize("q", [0, 1])
def test_monomial_jump_routes(monkeypatch: pytest.MonkeyPatch, route: str, model: str, q: int) -> None:
    """The compiled gather–scatter (CPU) and the sparse jump matrix (the GPU's route) both
    equal the reference: σ± (one weight per jump) and spin-3/2 J± (weights √3, 2, √3 per
    state), complex (q = 1) and real Hermitian (q = 0) vectors."""
    from spinsync.liouvillian import matrixfree

    # The kernel serves sectors of ≥ 2²⁰ entries; lower the threshold to test it here.
    monkeypatch.setattr(matrixfree, "KERNEL_MIN_DIM", 0 if route == "kernel" else 2**62)
    if model == "qubits":
        net = _network(5, 1.3, 1.3, 0.7, seed=4)
    else:
        rng = np.random.default_rng(5)
        net = Network.spins(1.5, rng.uniform(0.5, 2, 3), rng.uniform(0.5, 2, 3), scheme="gain-damping",
                            omega=rng.uniform(-1, 1, 3), bonds=[(0, 1, 1.0, 1.0, 0.4), (1, 2, 0.7, 0.7, 0.2)])
    basis = BlockBasis.build(net.terms.space, "magnetization")
    sector = OperatorSector.steady(basis) if q == 0 else OperatorSector.coherence(basis, q)
    op = BlockLiouvillian(net, sector)
    assert (op._data.jump_kernel is not None) == (route == "kernel")
    assert (op._data.jump_matrix is not None) == (route == "matrix")
    _assert_matches(net, sector)
    if q == 0:
        x = _random_hermitian(sector, 2)
        got = real_to_hermitian(sector, HermitianBlockLiouvillian(net, sector).matvec(hermitian_to_real(sector, x)))
        expected = sector_liouvillian(net, sector) @ x
        assert np.linalg.norm(got - expected) <= RTOL * np.linalg.norm(expected)


@pytest.mark.parametrize("q", [0, 1])
def test_complex_weighted_jumps_through_the_kernel(monkeypatch: pytest.MonkeyPatch, q: int) -> None:
    """A monomial jump from outside with complex, state-dependent weights,
    e^{0.7i} σ⁻₀ ⊗ diag(1, 2i)₁ ⊗ I, runs through the compiled kernel in complex arithmetic."""
    import scipy.sparse as sp

    from spinsync.liouvillian import matrixfree
    from spinsync.operators.blocks import block_operators
    from spinsync.operators.terms import Terms

    monkeypatch.setattr(matrixfree, "KERNEL_MIN_DIM", 0)

    net = _network(4, 1.0, 1.0, 0.5, seed=8)
    h = block_operators(net.terms, "full").hamiltonian(0)
    eye = sp.identity(2, format="csr")
    sm = sp.csr_matrix(([1.0], ([1], [0])), shape=(2, 2))  # σ⁻ = |↓⟩⟨↑| in (|↑⟩, |↓⟩)
    c0 = np.exp(0.7j) * sp.kron(sp.kron(sm, sp.diags([1.0, 2.0j])), sp.kron(eye, eye))
    c3 = 0.8 * sp.kron(sp.kron(eye, eye), sp.kron(eye, sm.T))
    terms = Terms.from_operators([2] * 4, h, [sp.csr_matrix(c0), sp.csr_matrix(c3)])
    basis = BlockBasis.build(terms.space, "magnetization")
    sector = OperatorSector.steady(basis) if q == 0 else OperatorSector.coherence(basis, q)
    op = BlockLiouvillian(terms, sector)
    assert op._data.jump_kernel is not None and np.iscomplexobj(op._data.jump_kernel[3])
    ref = sector_liouvillian(terms, sector)
    x = _random(sector.dim, 5)
    expected = ref @ x
    assert np.linalg.norm(op.matvec(x) - expected) <= RTOL * np.linalg.norm(expected)


def test_small_sectors_keep_the_sparse_jump_matrix() -> None:
    """No numba below KERNEL_MIN_DIM (start-up cost), the kernel above it."""
    from spinsync.backend import get_backend
    from spinsync.liouvillian.matrixfree import KERNEL_MIN_DIM, uses_kernels

    cpu = get_backend("numpy")
    assert not uses_kernels(cpu, KERNEL_MIN_DIM - 1)
    assert uses_kernels(cpu, KERNEL_MIN_DIM)
    op = BlockLiouvillian(_network(5, 1.3, 1.3, 0.7, seed=1), OperatorSector.steady(BlockBasis.build(5, "magnetization")))
    assert op._data.jump_matrix is not None and op._data.jump_kernel is None


@pytest.mark.parametrize("model", ["all-to-all", "dephasing+collective"])
def test_compiled_block_kernel_equals_the_reference(monkeypatch: pytest.MonkeyPatch, model: str) -> None:
    """The threaded commutator-and-decay kernel (sparse real H blocks, diagonal Γ; sectors of
    ≥ KERNEL_MIN_DIM entries, lowered here) gives the reference L in real coordinates, on
    blocks of 1–35 states (chunks of 16 rows, partial last chunk); blocks with a collective
    Γ (not diagonal) keep the NumPy route beside it."""
    import spinsync as ss
    from spinsync.liouvillian import matrixfree
    from spinsync.liouvillian.hermitian import real_operator

    monkeypatch.setattr(matrixfree, "KERNEL_MIN_DIM", 0)
    extra = {} if model == "all-to-all" else {
        "dephasing": [0.3, 0.0, 0.5, 0.2, 0.1, 0.4, 0.0],
        "collective": [ss.Collective(sites=[0, 1, 2], operator="lowering", rate=0.4)]}
    rng = np.random.default_rng(9)
    net = Network(gain=rng.uniform(0.2, 2, 7), damping=rng.uniform(0.2, 2, 7),
                  omega=rng.uniform(-1, 1, 7), field=0.3,
                  bonds=[(j, k, 1.3, 1.3, 0.7) for j, k in all_to_all_bonds(7)], **extra)
    sector = OperatorSector.steady(BlockBasis.build(7, "magnetization"))
    op = HermitianBlockLiouvillian(net, sector, dense=False)
    compiled = len(op._compiled_blocks)
    if model == "all-to-all":
        assert compiled == len(sector.pairs)
    else:  # Γ is diagonal only on the one-state blocks (all up, all down)
        assert 0 < compiled < len(sector.pairs)
    ref = real_operator(sector_liouvillian(net, sector), sector)
    y = np.random.default_rng(3).normal(size=sector.dim)
    expected = ref @ y
    assert np.linalg.norm(op.matvec(y) - expected) <= RTOL * np.linalg.norm(expected)
