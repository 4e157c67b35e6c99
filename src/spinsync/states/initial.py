"""Initial density matrices for time evolution, and validation of user-supplied ones.

Every constructor returns a :class:`~spinsync.states.BlockState` over a
:class:`~spinsync.operators.basis.BlockBasis` (default: magnetization blocks, which represent
any matrix exactly — a state with coherences between blocks simply has off-diagonal block
pairs). Sparse states stay sparse: the GHZ state of N qubits is four 1×1 blocks, never a
2ᴺ×2ᴺ array.

The size argument ``n`` is a number of qubits, or the local dimensions of the sites (a
sequence or a :class:`~spinsync.operators.space.Space`) for spin networks.

Conventions (docs/conventions.md): local basis |s, s⟩ … |s, −s⟩ (qubits |↑⟩, |↓⟩), site 0
the leftmost tensor factor. So |↑…↑⟩ (every site at m = s) is s = 0 and |↓…↓⟩ (m = −s)
is s = D − 1.

Validation (:func:`validate_state`) checks shape, finiteness, trace 1, Hermiticity and
positivity within :data:`STATE_TOLERANCE`, and raises :class:`~spinsync.errors.ModelError`
naming the failed property and its size.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from ..errors import ModelError
from ..operators.basis import BlockBasis
from ..operators.space import Space
from ..resources import check_memory
from .block import BlockState
from .layout import BlockLayout
from .product import ProductState, product_of_bloch

__all__ = [
    "STATE_TOLERANCE",
    "INITIAL_STATE_NAMES",
    "ghz_state",
    "all_up",
    "all_down",
    "bloch_product",
    "haar_random_pure",
    "random_mixed",
    "from_array",
    "as_block_state",
    "validate_state",
    "initial_state",
]

#: Absolute tolerance on |Tr ρ − 1|, max|ρ − ρ†| and −λ_min. A state typed or saved with
#: ~15 significant digits, or produced by an integrator at rtol ~1e-10, passes; a state
#: that is wrong (unnormalized, not Hermitian, negative) fails by many orders more.
STATE_TOLERANCE = 1e-8

#: Names accepted by :func:`initial_state` (and ``spinsync evolve --initial``).
INITIAL_STATE_NAMES = ("ghz", "up", "down", "random", "random-mixed")

SizeLike = "int | Sequence[int] | Space"


def _default_basis(space: Space | int, basis: BlockBasis | None) -> BlockBasis:
    space = Space.of(space)
    if basis is None:
        return BlockBasis.build(space, "magnetization")
    if basis.space != space:
        raise ModelError(
            f"density matrix: the state has local dimensions {space.dims}, expected {basis.dims}"
        )
    return basis


def _check_n(n: object) -> Space:
    """A number of qubits (≥ 1) or the sites' local dimensions, as an enumerable Space.

    Raises MemoryLimitError (before anything of size D is built) when the space is too
    large to index its basis states at all (e.g. 1000 qubits).
    """
    if isinstance(n, Space):
        space = n
    elif isinstance(n, (list, tuple, np.ndarray)):
        dims = [int(d) for d in n]
        if not dims or any(d < 2 for d in dims):
            raise ModelError(f"dims = {list(n)!r}: local dimensions must be integers ≥ 2")
        space = Space(tuple(dims))
    elif isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ModelError(f"n = {n!r}: number of qubits must be an integer ≥ 1")
    else:
        space = Space.qubits(int(n))
    space.require_enumerable("an initial state")
    return space


def _from_entries(
    n: Space | int,
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    values: NDArray[np.complex128],
    basis: BlockBasis | None,
) -> BlockState:
    """BlockState from global entries ρ[rows, cols] = values (duplicates are summed)."""
    basis = _default_basis(n, basis)
    sizes = basis.sizes
    b_row, b_col = basis.block_of[rows], basis.block_of[cols]
    p_row, p_col = basis.position[rows], basis.position[cols]
    blocks: dict[tuple[int, int], NDArray[np.complex128]] = {}
    # One group per block pair present; the number of pairs is ≤ (N+1)², not per state.
    keys = b_row * basis.num_blocks + b_col
    for key in np.unique(keys):
        sel = keys == key
        b, c = divmod(int(key), basis.num_blocks)
        block = np.zeros((sizes[b], sizes[c]), dtype=complex)
        np.add.at(block, (p_row[sel], p_col[sel]), values[sel])
        blocks[(b, c)] = block
    return BlockState(basis, blocks)


# --------------------------------------------------------------------------- named states
def ghz_state(n: object, basis: BlockBasis | None = None) -> BlockState:
    """GHZ state (|↑…↑⟩ + |↓…↓⟩)/√2 as a density matrix (four nonzero entries of ½).

    For spins: (|s…s⟩ + |−s…−s⟩)/√2, every site at its top and bottom state.
    """
    n = _check_n(n)
    top = n.dim - 1
    rows = np.array([0, 0, top, top], dtype=np.int64)
    cols = np.array([0, top, 0, top], dtype=np.int64)
    return _from_entries(n, rows, cols, np.full(4, 0.5, dtype=complex), basis)


def all_up(n: object, basis: BlockBasis | None = None) -> BlockState:
    """|↑…↑⟩⟨↑…↑| (every ⟨σᶻ_j⟩ = +1; spins: every m_j = s_j)."""
    n = _check_n(n)
    zero = np.zeros(1, dtype=np.int64)
    return _from_entries(n, zero, zero, np.ones(1, dtype=complex), basis)


def all_down(n: object, basis: BlockBasis | None = None) -> BlockState:
    """|↓…↓⟩⟨↓…↓| (every ⟨σᶻ_j⟩ = −1; spins: every m_j = −s_j)."""
    n = _check_n(n)
    top = np.full(1, n.dim - 1, dtype=np.int64)
    return _from_entries(n, top, top, np.ones(1, dtype=complex), basis)


def bloch_product(vectors: ArrayLike, basis: BlockBasis | None = None) -> BlockState:
    """⊗_j (I + r_j·σ)/2 for Bloch vectors r_j (shape (N, 3), |r_j| ≤ 1).

    Builds the dense 2ᴺ×2ᴺ matrix (memory 16·4ᴺ bytes, checked) and splits it into blocks;
    use :func:`spinsync.states.product_of_bloch` for a factorized form.
    """
    product = product_of_bloch(np.asarray(vectors, dtype=float))
    dim = product.dim
    check_memory(16 * dim * dim, what=f"a dense {dim}×{dim} product state")
    return BlockState.from_dense(product.to_dense(), _default_basis(Space(product.dims), basis))


def _rng(seed: int | None) -> np.random.Generator:
    if seed is not None and (isinstance(seed, bool) or int(seed) != seed or seed < 0):
        raise ModelError(f"seed = {seed!r}: must be a non-negative integer")
    return np.random.default_rng(None if seed is None else int(seed))


def haar_random_pure(n: object, seed: int | None = None, basis: BlockBasis | None = None) -> BlockState:
    """|ψ⟩⟨ψ| with |ψ⟩ Haar-distributed on the unit sphere of the D-dimensional space.

    A vector of i.i.d. complex Gaussians, normalized, is Haar-distributed (unitary
    invariance of the Gaussian measure). The same ``seed`` gives the same state on every
    platform (NumPy's PCG64 stream). Memory 16·4ᴺ bytes (checked).
    """
    n = _check_n(n)
    dim = n.dim
    check_memory(32 * dim * dim, what=f"a dense {dim}×{dim} random pure state")
    rng = _rng(seed)
    psi = rng.standard_normal(dim) + 1j * rng.standard_normal(dim)
    psi /= np.linalg.norm(psi)
    return BlockState.from_dense(np.outer(psi, psi.conj()), _default_basis(n, basis))


def random_mixed(
    n: object, seed: int | None = None, rank: int | None = None, basis: BlockBasis | None = None
) -> BlockState:
    """Random mixed state from the Hilbert–Schmidt (Ginibre) ensemble: ρ = GG†/Tr(GG†).

    Parameters
    ----------
    rank
        Number of columns of the complex Gaussian matrix G (default D: full rank,
        the Hilbert–Schmidt measure). ``rank=1`` gives a Haar-random pure state.
    """
    n = _check_n(n)
    dim = n.dim
    r = dim if rank is None else rank
    if isinstance(r, bool) or int(r) != r or not 1 <= r <= dim:
        raise ModelError(f"rank = {rank!r}: must be an integer in [1, {dim}]")
    check_memory(16 * dim * (2 * dim + int(r)), what=f"a dense {dim}×{dim} random mixed state")
    rng = _rng(seed)
    g = rng.standard_normal((dim, int(r))) + 1j * rng.standard_normal((dim, int(r)))
    rho = g @ g.conj().T
    rho /= np.trace(rho).real
    return BlockState.from_dense(rho, _default_basis(n, basis))


def from_array(rho: ArrayLike, basis: BlockBasis | None = None) -> BlockState:
    """A user-supplied dense D×D density matrix, validated (see :func:`validate_state`)."""
    state = as_block_state(rho, basis)
    validate_state(state)
    return state


# --------------------------------------------------------------------------- conversion
def _space_from_dim(dim: int, shape: tuple[int, ...], basis: BlockBasis | None) -> Space:
    """The space of a dense or sparse matrix: the basis's, or qubits when none is given."""
    if basis is not None:
        if dim != basis.dim and basis.space.is_qubits and dim > 1 and dim & (dim - 1) == 0:
            raise ModelError(f"density matrix: the state describes {dim.bit_length() - 1} qubits, "
                             f"expected {basis.n}")
        if dim != basis.dim:
            raise ModelError(
                f"density matrix: shape {shape} does not match the model's dimension "
                f"{basis.dim} (local dimensions {basis.dims})"
            )
        return basis.space
    n = int(round(np.log2(dim))) if dim > 0 else -1
    if dim < 2 or 2**n != dim:
        raise ModelError(
            f"density matrix: shape {shape} is not 2ᴺ×2ᴺ for an integer N ≥ 1"
        )
    return Space.qubits(n)


def as_block_state(state: object, basis: BlockBasis | None = None) -> BlockState:
    """Convert a density matrix in any supported form to a :class:`BlockState` over ``basis``.

    Accepts a dense ``(D, D)`` array, a SciPy sparse matrix, a :class:`BlockState`
    (over any basis: entries are moved, never densified), a :class:`ProductState`
    (block form when its factors respect the blocks, else densified with its memory
    checked) or a ``qutip.Qobj`` density matrix or ket (its dims must be the basis's local
    dimensions). ``basis`` defaults to the magnetization blocks of qubits (of the Qobj's
    dims for a Qobj). Only the shape and finiteness are checked here; :func:`validate_state`
    checks the physics.
    """
    from ..interop import is_qobj

    if is_qobj(state):  # QuTiP is imported only when a Qobj is passed
        from ..interop.qutip import qobj_density

        mat, space = qobj_density(state, "density matrix")
        if basis is not None and space.dims != basis.dims:
            raise ModelError(f"density matrix: Qobj dims {state.dims}, the model's local "
                             f"dimensions are {list(basis.dims)}")
        return as_block_state(mat, _default_basis(space, basis))
    if isinstance(state, BlockState):
        n = state.basis.space
        if basis is not None and basis is state.basis:
            return state
        if basis is not None and basis.space != n:
            raise ModelError(f"density matrix: the state has local dimensions {n.dims}, "
                             f"the model {basis.dims}")
        rows, cols, vals = [], [], []
        for (b, c), m in state.blocks.items():
            m = np.asarray(m)
            nz_r, nz_c = np.nonzero(m)
            rows.append(state.basis.states[b][nz_r])
            cols.append(state.basis.states[c][nz_c])
            vals.append(m[nz_r, nz_c].astype(complex))
        if not rows:
            raise ModelError("density matrix: the state has no entries (zero matrix)")
        out = _from_entries(n, np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), basis)
        _check_finite(out)
        return out
    if isinstance(state, ProductState):
        target = _default_basis(Space(state.dims), basis)
        if state.respects(target.kind):
            # E.g. the no-go ρ₀ under magnetization blocks: diagonal blocks, no D×D array.
            return state.to_blocks(target)
        dim = state.dim
        check_memory(16 * dim * dim, what=f"a dense {dim}×{dim} product state")
        return as_block_state(state.to_dense(), target)
    if sp.issparse(state):
        coo = sp.coo_matrix(state)
        if coo.ndim != 2 or coo.shape[0] != coo.shape[1]:
            raise ModelError(f"density matrix: expected a square matrix, got shape {coo.shape}")
        n = _space_from_dim(coo.shape[0], coo.shape, basis)
        out = _from_entries(
            n, coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(complex), basis
        )
        _check_finite(out)
        return out
    try:
        arr = np.asarray(state, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"density matrix: not a numeric array ({exc})") from exc
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ModelError(f"density matrix: expected a square 2-D array, got shape {arr.shape}")
    n = _space_from_dim(arr.shape[0], arr.shape, basis)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ModelError(f"density matrix: entry {tuple(int(i) for i in bad)} is not finite")
    return BlockState.from_dense(arr, _default_basis(n, basis))


def _check_finite(state: BlockState) -> None:
    for pair, m in state.blocks.items():
        if not np.all(np.isfinite(m)):
            raise ModelError(f"density matrix: block {pair} has non-finite entries")


def validate_state(state: BlockState, tolerance: float = STATE_TOLERANCE) -> None:
    """Raise :class:`ModelError` unless ``state`` is a density matrix within ``tolerance``.

    Checks |Tr ρ − 1|, max|ρ − ρ†| and the smallest eigenvalue, which is computed per
    connected group of blocks (see :class:`~spinsync.states.layout.BlockLayout`), so a
    GHZ state of many qubits needs 2×2 eigenproblems, not a 2ᴺ×2ᴺ one.
    """
    _check_finite(state)
    tr = state.trace()
    if abs(tr - 1.0) > tolerance:
        raise ModelError(
            f"density matrix: trace is {tr.real:.12g}{tr.imag:+.3g}j, expected 1 "
            f"(tolerance {tolerance:.0e})"
        )
    herm = state.hermiticity_error()
    if herm > tolerance:
        raise ModelError(
            f"density matrix: not Hermitian, max|ρ − ρ†| = {herm:.3e} (tolerance {tolerance:.0e})"
        )
    layout = BlockLayout.from_pairs(state.basis, state.blocks.keys())
    lam = layout.min_eigenvalue(state.blocks)
    if lam < -tolerance:
        raise ModelError(
            f"density matrix: not positive semidefinite, smallest eigenvalue {lam:.3e} "
            f"(tolerance {tolerance:.0e})"
        )


# --------------------------------------------------------------------------- by name
def initial_state(
    name: str, n: object, seed: int | None = None, basis: BlockBasis | None = None
) -> BlockState:
    """The initial state called ``name`` (one of :data:`INITIAL_STATE_NAMES`).

    ``random`` is a Haar-random pure state and ``random-mixed`` a Hilbert–Schmidt
    random mixed state, both from ``seed``.
    """
    key = name.lower().replace("_", "-")
    if key == "ghz":
        return ghz_state(n, basis)
    if key == "up":
        return all_up(n, basis)
    if key == "down":
        return all_down(n, basis)
    if key in ("random", "random-pure", "haar"):
        return haar_random_pure(n, seed, basis)
    if key in ("random-mixed", "mixed"):
        return random_mixed(n, seed, basis=basis)
    raise ModelError(f"initial = {name!r}: expected one of {', '.join(INITIAL_STATE_NAMES)}")
