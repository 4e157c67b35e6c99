"""Uniqueness of the steady state: numerically (ker L) and algebraically (S.M. I).

How this relates to the solvers' own uniqueness logic (:mod:`spinsync.steady.uniqueness`)
    The solvers never compute ker L. Before solving they *refuse* a model with a site that
    no dissipation reaches (no rate, no collective channel, no flip bond to a dissipated
    site), and they *certify* uniqueness when each site's jumps alone generate all of its
    matrices under products (Nigro, J. Stat. Mech. 2019, 043202; a non-unital closure,
    :func:`spinsync.steady.uniqueness.algebra_dimension`). Otherwise they solve and refuse
    when they meet a second zero mode. This module is the slow, explicit check behind those
    shortcuts: it counts the zero modes of L directly, and states the Evans–Frigerio
    criterion of the supplement with the same closure core (unital, with adjoints).

Numerical check
    :func:`liouvillian_kernel` splits the Liouvillian into the invariant operator sectors of
    the symmetry its compiled terms keep (``terms.symmetry``): fixed q = bra − ket down
    count for U(1) models (XXZ bonds, σ±/J±/J±Jᶻ jumps, dephasing, collective lowering),
    fixed relative parity for parity models (XYZ bonds), the whole operator space for models
    without symmetry (drives) — together they cover all D² operators. It takes the dense
    singular values and eigenvalues of each sector and counts the singular values below a
    relative tolerance; the steady state is unique iff that count is 1. Any model the
    engine takes works: qubits, spins of any size, collective channels, operators from
    outside (:meth:`spinsync.operators.Terms.from_operators`);
    :func:`kernel_dimension_dense` does the same for a Lindbladian given as one matrix.

Algebraic criterion (Evans 1977, Frigerio 1978; paper S.M. I)
    If the operators {H, c_k, c_k†} generate the full matrix algebra — equivalently their
    commutant is ℂ·I (double-commutant theorem) — and a *faithful* (full-rank) steady
    state exists, the steady state is unique. :func:`generated_algebra_dimension` computes
    the dimension of the generated unital *-algebra by closure under products,
    :func:`commutant_dimension` the dimension of its commutant; the algebra is full iff the
    former is d² and iff the latter is 1. :func:`network_generators` reads the jump
    operators (local and collective) and H from the compiled terms.

    Caveat (documented because the supplement omits it): without the faithfulness
    hypothesis a full algebra does not imply uniqueness. Example: a three-level system
    with jumps |0⟩⟨2| and |1⟩⟨2| generates all 3×3 matrices, yet |0⟩ and |1⟩ are both
    dark and every state on span{|0⟩, |1⟩} is steady (kernel dimension 4). The tests
    check this. Conversely a collective channel alone (two qubits, ½γ D[σ⁻₁ + σ⁻₂]) leaves
    the singlet dark: the algebra is not full and ker L is four-dimensional.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..errors import ModelError
from ..liouvillian import OperatorSector, sector_liouvillian, terms_of
from ..model import Network
from ..operators.blocks import block_basis, block_operators
from ..operators.symmetry import block_kind
from ..operators.terms import Terms
from ..resources import check_memory
from ..steady.uniqueness import algebra_dimension

__all__ = [
    "KernelReport",
    "liouvillian_kernel",
    "kernel_dimension_dense",
    "network_generators",
    "generated_algebra_dimension",
    "commutant_dimension",
    "commutant_basis",
    "bicommutant_dimension",
    "algebraic_criterion",
    "MAX_KERNEL_QUBITS",
    "MAX_KERNEL_SECTOR_DIM",
]

Matrix = NDArray[np.complex128]

#: Singular values below KERNEL_RTOL · ‖L‖₂ count as zero. A dense SVD is backward stable
#: with error ~ ε·‖L‖·√dim ≈ 1e-14 relative at these sizes; 1e-9 leaves five orders of
#: margin while staying far below the gaps of any model with rates within ~1e6 of each other.
KERNEL_RTOL = 1e-9

#: Qubit networks up to this N always fit the dense per-sector check (their largest sector,
#: parity with XYZ bonds, has 4ᴺ/2 = 2048 entries at N = 6).
MAX_KERNEL_QUBITS = 6

#: Largest operator sector the dense check takes (a dense SVD and eigendecomposition of a
#: 2048×2048 complex matrix: 64 MB and a few seconds). Spin-1 pairs (81), three spin-1 sites
#: with U(1) (largest sector 141) or a driven 5-qubit network (full space, 1024) fit.
MAX_KERNEL_SECTOR_DIM = 4**MAX_KERNEL_QUBITS // 2

#: Relative tolerance for linear independence in the algebra closure (vectors are
#: normalized; products of O(1) matrices lose a few digits at most).
ALGEBRA_RTOL = 1e-10

#: Largest Hilbert-space dimension for the product-closure algorithm under ``auto``.
MAX_CLOSURE_DIM = 8


@dataclass(frozen=True)
class KernelReport:
    """Smallest singular values of L and the resulting kernel dimension.

    Attributes
    ----------
    kernel_dimension
        Number of singular values ≤ ``tolerance`` (1 ⟺ unique steady state).
    smallest_singular_values
        The few smallest singular values over all sectors (rate unit), ascending.
    singular_gap
        Smallest singular value above the kernel (rate unit); how far L is from having a
        second steady state.
    relative_gap
        ``singular_gap`` / ‖L‖₂.
    spectral_gap
        min(−Re λ) over eigenvalues λ outside the kernel: the slowest relaxation rate.
    norm
        ‖L‖₂ (largest singular value).
    tolerance
        Absolute threshold used (KERNEL_RTOL · ‖L‖₂).
    sectors
        ``{label: dimension}`` of the sectors examined (their dimensions sum to D², D = Π_j d_j).
    """

    kernel_dimension: int
    smallest_singular_values: tuple[float, ...]
    singular_gap: float
    relative_gap: float
    spectral_gap: float
    norm: float
    tolerance: float
    sectors: dict[str, int]

    @property
    def unique(self) -> bool:
        return self.kernel_dimension == 1

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["smallest_singular_values"] = list(self.smallest_singular_values)
        out["unique"] = self.unique
        return out


def _sector_dims(sizes: list[int], kind: str) -> dict[str, int]:
    """{label: number of operators} of every sector, from the block sizes alone."""
    if kind == "magnetization":
        top = len(sizes) - 1
        return {f"q={q}": sum(sizes[k] * sizes[k + q] for k in range(max(0, -q), min(top, top - q) + 1))
                for q in range(-top, top + 1)}
    if kind == "parity":
        even, odd = (sizes + [0])[:2]
        return {"parity=0": even * even + odd * odd, "parity=1": 2 * even * odd}
    return {"full": sizes[0] ** 2}


def _sectors(terms: Terms) -> list[tuple[str, OperatorSector]]:
    """The invariant operator sectors of the symmetry the terms keep (they cover all operators)."""
    basis = block_basis(terms, block_kind(terms.symmetry))
    if basis.kind == "magnetization":
        top = basis.num_blocks - 1
        return [(f"q={q}", OperatorSector.coherence(basis, q)) for q in range(-top, top + 1)]
    if basis.kind == "parity":
        if basis.num_blocks == 1:  # no state of odd down count: the odd sector is empty
            return [("parity=0", OperatorSector.coherence(basis, 0)),
                    ("parity=1", OperatorSector.from_pairs(basis, []))]
        return [("parity=0", OperatorSector.coherence(basis, 0)),
                ("parity=1", OperatorSector.coherence(basis, 1))]
    return [("full", OperatorSector.steady(basis))]


def _summarize(
    svals: list[NDArray[np.float64]], evals: list[NDArray[np.complex128]], labels: dict[str, int],
    keep: int,
) -> KernelReport:
    s = np.sort(np.concatenate(svals))
    norm = float(s[-1]) if s.size else 0.0
    tol = KERNEL_RTOL * norm
    kdim = int(np.sum(s <= tol))
    gap = float(s[kdim]) if kdim < s.size else float("inf")
    ev = np.concatenate(evals)
    # The kernel's eigenvalues are the kdim of smallest modulus.
    order = np.argsort(np.abs(ev))
    rest = ev[order[kdim:]]
    spectral = float(np.min(-rest.real)) if rest.size else float("inf")
    return KernelReport(
        kernel_dimension=kdim,
        smallest_singular_values=tuple(float(x) for x in s[:keep]),
        singular_gap=gap,
        relative_gap=gap / norm if norm else float("inf"),
        spectral_gap=spectral,
        norm=norm,
        tolerance=tol,
        sectors=labels,
    )


def liouvillian_kernel(model: Network | Terms, keep: int = 4) -> KernelReport:
    """Numerical dimension of ker L for a small model, sector by sector.

    Parameters
    ----------
    model
        A :class:`~spinsync.model.Network` (qubits or spins, with any of its terms) or
        compiled :class:`~spinsync.operators.Terms` (also operators from outside). Its
        largest operator sector must have at most :data:`MAX_KERNEL_SECTOR_DIM` entries
        (qubits: N ≤ :data:`MAX_KERNEL_QUBITS` always fits).
    keep
        How many of the smallest singular values to report.

    Raises
    ------
    ModelError
        If the model is too large for dense per-sector linear algebra (decided from the
        block sizes, before anything is built).
    """
    terms = terms_of(model)
    kind = block_kind(terms.symmetry)
    dims = _sector_dims(terms.space.block_sizes(kind), kind)
    largest = max(dims.values())
    if largest > MAX_KERNEL_SECTOR_DIM:
        raise ModelError(
            f"uniqueness check: N = {terms.n} sites with local dimensions up to "
            f"{max(terms.space.dims)} (symmetry {terms.symmetry}) give an operator sector of "
            f"dimension {largest} > {MAX_KERNEL_SECTOR_DIM} (dense SVD per sector); use a "
            "smaller model"
        )
    check_memory(16 * largest**2 * 3, what=f"a dense Liouvillian sector of dim {largest}")
    svals, evals, labels = [], [], {}
    for label, sector in _sectors(terms):
        labels[label] = sector.dim
        if sector.dim == 0:
            continue
        dense = sector_liouvillian(terms, sector).toarray()
        svals.append(np.linalg.svd(dense, compute_uv=False))
        evals.append(np.linalg.eigvals(dense))
    assert labels == dims and sum(labels.values()) == terms.space.dim**2, \
        "sectors must cover all operators"
    return _summarize(svals, evals, labels, keep)


def kernel_dimension_dense(liouv: Matrix | sp.spmatrix, keep: int = 4) -> KernelReport:
    """:class:`KernelReport` of a Lindbladian given as one (dense or sparse) D²×D² matrix.

    For superoperators built elsewhere (e.g. QuTiP's ``liouvillian(H, c_ops).full()``; any
    vectorization: the singular values do not depend on it). For operators given as
    matrices prefer ``liouvillian_kernel(Terms.from_operators(dims, H, c_ops))``, which
    splits them into the sectors of the symmetry they keep.
    """
    liouv = liouv.toarray() if sp.issparse(liouv) else np.asarray(liouv, dtype=complex)
    if liouv.ndim != 2 or liouv.shape[0] != liouv.shape[1]:
        raise ModelError(f"Lindbladian: shape {liouv.shape}, expected a square matrix")
    check_memory(16 * liouv.shape[0] ** 2 * 3, what=f"a dense {liouv.shape[0]}² Lindbladian")
    return _summarize(
        [np.linalg.svd(liouv, compute_uv=False)], [np.linalg.eigvals(liouv)],
        {"full": liouv.shape[0]}, keep,
    )


# ------------------------------------------------------------------ algebraic criterion
def network_generators(model: Network | Terms, include_hamiltonian: bool = False) -> list[Matrix]:
    """The compiled jump operators c_k (local and collective) as dense D×D matrices,
    their adjoints, and optionally H.

    Read from the model's terms (``terms.jumps``, ``terms.hamiltonian``), so every kind of
    jump counts: σ±/J±, J±Jᶻ, dephasing, collective channels, operators from outside.
    Rates are kept (they do not change the generated algebra).
    """
    terms = terms_of(model)
    dim = terms.space.dim
    check_memory(16 * dim**2 * (2 * len(terms.jumps) + 1), what=f"dense {dim}×{dim} generators")
    ops_full = block_operators(terms, "full")
    ops = [jb.as_matrix(dim, dim).toarray().astype(complex) for jb in ops_full.jumps_from(0)]
    ops += [o.conj().T for o in ops]
    if include_hamiltonian:
        ops.append(ops_full.hamiltonian(0).toarray().astype(complex))
    return ops


def _check_ops(operators: Sequence[Matrix]) -> tuple[list[Matrix], int]:
    ops = [np.asarray(o, dtype=complex) for o in operators]
    if not ops:
        raise ModelError("need at least one operator")
    d = ops[0].shape[0]
    if any(o.shape != (d, d) for o in ops):
        raise ModelError("operators must all be d×d")
    return ops, d


def generated_algebra_dimension(
    operators: Sequence[Matrix], self_adjoint: bool = True, method: str = "auto"
) -> int:
    """Dimension of the unital algebra generated by ``operators`` (and their adjoints).

    ``method="closure"``: span{I, A_k, A_k†} closed under products — the closure core the
    solvers' certificate uses too (:func:`spinsync.steady.uniqueness.algebra_dimension`,
    there non-unital and without adjoints). The result is d² iff the algebra is all of
    M_d(ℂ). ``"bicommutant"``: :func:`bicommutant_dimension` (needs ``self_adjoint``).
    ``"auto"``: closure up to d = :data:`MAX_CLOSURE_DIM`, else the bicommutant (the
    closure's SVDs of d² × (generators·d²) candidates get slow).
    """
    ops, d = _check_ops(operators)
    if method == "auto":
        method = "closure" if d <= MAX_CLOSURE_DIM or not self_adjoint else "bicommutant"
    if method == "bicommutant":
        return bicommutant_dimension(ops)
    if method != "closure":
        raise ModelError(f"method = {method!r}: expected auto, closure or bicommutant")
    gens = ops + ([o.conj().T for o in ops] if self_adjoint else [])
    return algebra_dimension(gens, unital=True)


def commutant_basis(operators: Sequence[Matrix], self_adjoint: bool = True) -> list[Matrix]:
    """An orthonormal basis of {X : [X, A] = 0 for every generator A (and A†)}.

    The null space of Σ_A K_Aᴴ K_A with K_A = A ⊗ I − I ⊗ Aᵀ (row-major vec of [A, X]);
    the Gram matrix is assembled from Kronecker products without forming any K_A.
    """
    ops, d = _check_ops(operators)
    gens = ops + ([o.conj().T for o in ops] if self_adjoint else [])
    eye = np.eye(d, dtype=complex)
    check_memory(16 * d**4 * 4, what=f"the {d * d}×{d * d} commutant Gram matrix")
    gram = np.zeros((d * d, d * d), dtype=complex)
    for g in gens:
        norm = np.linalg.norm(g)
        if norm == 0:
            continue
        g = g / norm
        gh = g.conj().T
        # KᴴK = AᴴA⊗I − Aᴴ⊗Aᵀ − A⊗Ā + I⊗(A Aᴴ)ᵀ
        gram += np.kron(gh @ g, eye) - np.kron(gh, g.T) - np.kron(g, g.conj()) + np.kron(eye, (g @ gh).T)
    vals, vecs = np.linalg.eigh(gram)
    null = vecs[:, vals <= ALGEBRA_RTOL * max(1.0, float(vals[-1]))]
    return [null[:, i].reshape(d, d) for i in range(null.shape[1])]


def commutant_dimension(operators: Sequence[Matrix], self_adjoint: bool = True) -> int:
    """dim{X : [X, A] = 0 for every generator A (and A†)}: 1 iff the algebra is full."""
    return len(commutant_basis(operators, self_adjoint))


def bicommutant_dimension(operators: Sequence[Matrix]) -> int:
    """Dimension of the *-algebra generated by ``operators`` via the double commutant.

    For a unital *-algebra A ⊂ M_d, A = A″ (von Neumann's bicommutant theorem), so
    dim A = dim (A′)′. Cost ~ d⁶ like the closure, but in two dense Hermitian
    eigenproblems instead of many SVDs; used for d > :data:`MAX_CLOSURE_DIM`.
    """
    return len(commutant_basis(commutant_basis(operators)))


def algebraic_criterion(
    network_or_operators: Network | Terms | Sequence[Matrix], include_hamiltonian: bool = False
) -> dict[str, Any]:
    """The Evans–Frigerio condition of S.M. I: do {H?, c_k, c_k†} generate all of M_d?

    Returns ``{"dimension": d, "algebra_dimension": …, "commutant_dimension": …,
    "full": bool}``; ``full`` needs both computations to agree (they are independent).
    """
    if isinstance(network_or_operators, (Network, Terms)):
        ops = network_generators(network_or_operators, include_hamiltonian)
    else:
        ops = list(network_or_operators)
    ops, d = _check_ops(ops)
    alg = generated_algebra_dimension(ops)
    com = commutant_dimension(ops)
    return {"dimension": d, "algebra_dimension": alg, "commutant_dimension": com,
            "full": alg == d * d and com == 1}
