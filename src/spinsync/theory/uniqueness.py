"""Uniqueness of the steady state: numerically (ker L) and algebraically (S.M. I).

Numerical check
    :func:`liouvillian_kernel` splits the Liouvillian into its invariant operator sectors
    (fixed difference q of ket and bra down-spin counts for XXZ networks, fixed relative
    parity for XYZ ones; together they cover all 4ᴺ operators), takes the dense singular
    values and eigenvalues of each sector, and counts the singular values below a
    relative tolerance. The steady state is unique iff that count is 1.

Algebraic criterion (Evans 1977, Frigerio 1978; paper S.M. I)
    If the operators {H, c_k, c_k†} generate the full matrix algebra — equivalently their
    commutant is ℂ·I (double-commutant theorem) — and a *faithful* (full-rank) steady
    state exists, the steady state is unique. :func:`generated_algebra_dimension` computes
    the dimension of the generated unital *-algebra by closure under products,
    :func:`commutant_dimension` the dimension of its commutant; the algebra is full iff the
    former is d² and iff the latter is 1.

    Caveat (documented because the supplement omits it): without the faithfulness
    hypothesis a full algebra does not imply uniqueness. Example: a three-level system
    with jumps |0⟩⟨2| and |1⟩⟨2| generates all 3×3 matrices, yet |0⟩ and |1⟩ are both
    dark and every state on span{|0⟩, |1⟩} is steady (kernel dimension 4). The tests
    check this. For qubit networks the criterion always holds (σ⁺_j and σ⁻_j = (σ⁺_j)†
    are both present as soon as one rate of qubit j is non-zero), and the numerical
    check confirms uniqueness directly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from ..operators.basis import BlockBasis
from ..errors import ModelError
from ..liouvillian import OperatorSector, sector_liouvillian
from ..model import Network
from ..operators.blocks import block_operators
from ..resources import check_memory
from .diagnostics import embed

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
]

Matrix = NDArray[np.complex128]

#: Singular values below KERNEL_RTOL · ‖L‖₂ count as zero. A dense SVD is backward stable
#: with error ~ ε·‖L‖·√dim ≈ 1e-14 relative at these sizes; 1e-9 leaves five orders of
#: margin while staying far below the gaps of any model with rates within ~1e6 of each other.
KERNEL_RTOL = 1e-9

#: Largest N for the dense per-sector check (the parity sectors have 4ᴺ/2 entries).
MAX_KERNEL_QUBITS = 6

#: Relative tolerance for linear independence in the algebra closure (vectors are
#: normalized; products of O(1) matrices lose a few digits at most).
ALGEBRA_RTOL = 1e-10

#: Largest Hilbert-space dimension for the product-closure algorithm under ``auto``.
MAX_CLOSURE_DIM = 8

_SP = np.array([[0, 1], [0, 0]], dtype=complex)


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
        ``{label: dimension}`` of the sectors examined (their dimensions sum to 4ᴺ).
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


def _sectors(network: Network) -> list[tuple[str, OperatorSector]]:
    """The invariant operator sectors of the symmetry the model's terms keep (they cover all
    operators)."""
    from ..operators.blocks import block_basis
    from ..operators.symmetry import block_kind

    terms = network.terms
    basis = block_basis(terms, block_kind(terms.symmetry))
    if basis.kind == "magnetization":
        top = terms.space.max_down
        return [(f"q={q}", OperatorSector.coherence(basis, q)) for q in range(-top, top + 1)]
    if basis.kind == "parity":
        if basis.num_blocks == 1:  # one block only
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


def liouvillian_kernel(network: Network, keep: int = 4) -> KernelReport:
    """Numerical dimension of ker L for a small qubit network.

    Parameters
    ----------
    network
        At most :data:`MAX_KERNEL_QUBITS` qubits.
    keep
        How many of the smallest singular values to report.

    Raises
    ------
    ModelError
        If the network is too large for dense per-sector linear algebra.
    """
    if network.n > MAX_KERNEL_QUBITS:
        raise ModelError(
            f"uniqueness check: N = {network.n} > {MAX_KERNEL_QUBITS} (dense SVD of the "
            "Liouvillian sectors); use a smaller network"
        )
    svals, evals, labels = [], [], {}
    for label, sector in _sectors(network):
        labels[label] = sector.dim
        if sector.dim == 0:
            continue
        check_memory(16 * sector.dim**2 * 3, what=f"a dense Liouvillian sector of dim {sector.dim}")
        dense = sector_liouvillian(network, sector).toarray()
        svals.append(np.linalg.svd(dense, compute_uv=False))
        evals.append(np.linalg.eigvals(dense))
    assert sum(labels.values()) == network.dim**2, "sectors must cover all operators"
    return _summarize(svals, evals, labels, keep)


def kernel_dimension_dense(liouv: Matrix, keep: int = 4) -> KernelReport:
    """:class:`KernelReport` of any dense Lindbladian (e.g. from :mod:`.lindblad`)."""
    liouv = np.asarray(liouv, dtype=complex)
    return _summarize(
        [np.linalg.svd(liouv, compute_uv=False)], [np.linalg.eigvals(liouv)],
        {"full": liouv.shape[0]}, keep,
    )


# ------------------------------------------------------------------ algebraic criterion
def network_generators(network: Network, include_hamiltonian: bool = False) -> list[Matrix]:
    """Jump operators σ⁺_j (Γᵍ_j > 0), σ⁻_j (Γᵈ_j > 0), their adjoints, and optionally H.

    Dense 2ᴺ×2ᴺ; rates are dropped (they do not change the generated algebra).
    """
    ops: list[Matrix] = []
    for j in range(network.n):
        if network.gain[j] > 0:
            ops.append(embed(network.n, {j: _SP}))
        if network.damping[j] > 0:
            ops.append(embed(network.n, {j: _SP.T.copy()}))
    ops += [o.conj().T for o in ops]
    if include_hamiltonian:
        ops.append(block_operators(network.terms, "full").hamiltonian(0).toarray().astype(complex))
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

    ``method="closure"``: start from span{I, A_k, A_k†} and left-multiply new basis
    elements by the generators until the span stops growing. The result is d² iff the
    algebra is all of M_d(ℂ). ``"bicommutant"``: :func:`bicommutant_dimension` (needs
    ``self_adjoint``). ``"auto"``: closure up to d = :data:`MAX_CLOSURE_DIM`, else the
    bicommutant (the closure's SVDs of d² × (generators·d²) candidates get slow).
    """
    ops, d = _check_ops(operators)
    if method == "auto":
        method = "closure" if d <= MAX_CLOSURE_DIM or not self_adjoint else "bicommutant"
    if method == "bicommutant":
        return bicommutant_dimension(ops)
    if method != "closure":
        raise ModelError(f"method = {method!r}: expected auto, closure or bicommutant")
    gens = ops + ([o.conj().T for o in ops] if self_adjoint else [])
    gens = [g / max(np.linalg.norm(g), 1e-300) for g in gens if np.linalg.norm(g) > 0]

    def orthonormal_new(cands: NDArray[np.complex128], basis: NDArray[np.complex128]) -> NDArray[np.complex128]:
        if basis.shape[1]:
            cands = cands - basis @ (basis.conj().T @ cands)
            cands = cands - basis @ (basis.conj().T @ cands)  # re-orthogonalize
        if cands.shape[1] == 0:
            return cands
        u, s, _ = np.linalg.svd(cands, full_matrices=False)
        return u[:, s > ALGEBRA_RTOL]

    basis = orthonormal_new(np.eye(d, dtype=complex).reshape(d * d, 1) / np.sqrt(d),
                            np.zeros((d * d, 0), complex))
    start = np.stack([g.ravel() for g in gens], axis=1)
    new = orthonormal_new(start, basis)
    basis = np.concatenate([basis, new], axis=1)
    while new.shape[1] and basis.shape[1] < d * d:
        mats = new.T.reshape(-1, d, d)
        cands = np.concatenate(
            [np.einsum("ab,nbc->nac", g, mats).reshape(-1, d * d).T for g in gens], axis=1
        )
        new = orthonormal_new(cands, basis)
        basis = np.concatenate([basis, new], axis=1)
    return int(basis.shape[1])


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
    network_or_operators: Network | Sequence[Matrix], include_hamiltonian: bool = False
) -> dict[str, Any]:
    """The Evans–Frigerio condition of S.M. I: do {H?, c_k, c_k†} generate all of M_d?

    Returns ``{"dimension": d, "algebra_dimension": …, "commutant_dimension": …,
    "full": bool}``; ``full`` needs both computations to agree (they are independent).
    """
    if isinstance(network_or_operators, Network):
        ops = network_generators(network_or_operators, include_hamiltonian)
    else:
        ops = list(network_or_operators)
    ops, d = _check_ops(ops)
    alg = generated_algebra_dimension(ops)
    com = commutant_dimension(ops)
    return {"dimension": d, "algebra_dimension": alg, "commutant_dimension": com,
            "full": alg == d * d and com == 1}
