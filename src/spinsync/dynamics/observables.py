"""Operators as observables of :func:`~spinsync.dynamics.evolve` (QuTiP's ``e_ops`` style).

An observable is a function of the state (as before), or an operator O, recorded as
Tr[ρ(t) O] at each output time:

* a ``qutip.Qobj`` whose dims are the model's;
* a dense or SciPy sparse D×D matrix in the model's basis (:mod:`spinsync.operators.space`);
* a site-operator spec: space-separated factors ``<letter><site>`` with letters ``x``, ``y``,
  ``z``, ``+``, ``-`` — ``"z3"``, ``"+0 -1"``, ``"x0 x1"``. The letters are the model's
  local operators: Pauli σ for qubit networks, spin J for spin networks; for operators that
  came from outside (QuTiP), σ on two-level sites and J on the others.

Values are real for a Hermitian O (as QuTiP returns them), complex otherwise. They are read
from the flat sector vectors through precomputed gathers, like the built-in pair
observables (:class:`~spinsync.dynamics.sectors.ProductExpectations`): memory O(nnz(O)),
no reduced density matrix and no D×D state.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..errors import ModelError
from ..operators.local import PAULI, spin_matrices
from ..operators.space import Space
from .sectors import ProductExpectations, SectorSet

__all__ = ["operator_matrix", "site_operator", "MatrixExpectations", "is_operator"]

_TOKEN = re.compile(r"^([xyz+\-])(\d+)$")


def is_operator(obj: object) -> bool:
    """Whether ``obj`` is recorded as Tr[ρ O] (not called as a function of the state)."""
    from ..interop import is_qobj

    return isinstance(obj, (str, np.ndarray)) or sp.issparse(obj) or is_qobj(obj)


def _local(letter: str, d: int, pauli: bool) -> NDArray[np.complex128]:
    if pauli and d == 2:
        return PAULI[letter]
    return spin_matrices((d - 1) / 2)[letter]


def site_operator(spec: str, space: Space, convention: str = "qubits") -> sp.csr_matrix:
    """The D×D matrix of a spec such as ``"z3"`` or ``"+0 -1"`` (module docstring)."""
    tokens = spec.split()
    if not tokens:
        raise ModelError(f"observable {spec!r}: empty operator spec")
    factors: dict[int, NDArray[np.complex128]] = {}
    pauli = convention != "spins"
    for tok in tokens:
        m = _TOKEN.match(tok)
        if m is None:
            raise ModelError(f"observable {spec!r}: factor {tok!r} is not <x|y|z|+|-><site> "
                             "(e.g. 'z0', '+1 -2')")
        letter, site = m.group(1), int(m.group(2))
        if not 0 <= site < space.n:
            raise ModelError(f"observable {spec!r}: site {site} out of range [0, {space.n - 1}]")
        local = _local(letter, space.dims[site], pauli)
        factors[site] = factors[site] @ local if site in factors else local  # left to right
    out = sp.identity(1, dtype=complex, format="csr")
    for j, d in enumerate(space.dims):
        local = sp.csr_matrix(factors[j]) if j in factors else sp.identity(d)
        out = sp.kron(out, local, format="csr")
    return out


def operator_matrix(obj: Any, space: Space, convention: str = "qubits",
                    what: str = "observable") -> sp.csr_matrix:
    """An operator observable as a CSR matrix on the model's space (shape and dims checked)."""
    from ..interop import is_qobj

    if is_qobj(obj):
        from ..interop.qutip import qobj_matrix

        return qobj_matrix(obj, space, what)
    if isinstance(obj, str):
        return site_operator(obj, space, convention)
    mat = sp.csr_matrix(obj, dtype=complex) if sp.issparse(obj) else None
    if mat is None:
        arr = np.asarray(obj)
        if arr.ndim != 2:
            raise ModelError(f"{what}: expected a square matrix, got shape {arr.shape}")
        mat = sp.csr_matrix(arr.astype(complex))
    if mat.shape != (space.dim, space.dim):
        raise ModelError(f"{what}: shape {mat.shape}, the model's space has dimension "
                         f"{space.dim} (local dimensions {space.dims})")
    return mat


class MatrixExpectations(ProductExpectations):
    """Tr[ρ O_i] for sparse D×D matrices O_i, read from the sector vectors.

    Entry O[i, j] pairs with ρ[j, i] (ket j, bra i): it is gathered from the stored sector
    of its block pair, or conjugated from the mirrored pair, or is zero when neither is
    stored. Evaluation is :meth:`ProductExpectations.__call__`.
    """

    def __init__(self, sset: SectorSet, matrices: Sequence[sp.spmatrix]) -> None:  # noqa: D107
        basis = sset.basis
        sizes = np.asarray(basis.sizes, dtype=np.int64)
        nb = basis.num_blocks
        self.size = len(matrices)
        # Flat offset of every stored block pair (b, c) in its sector, −1 elsewhere.
        where = np.full((nb, nb), -1, dtype=np.int64)
        sector_of = np.full((nb, nb), 0, dtype=np.int64)
        for q, sector in sset.sectors.items():
            for p, (b, c) in enumerate(sector.pairs):
                where[b, c] = int(sector.offsets[p])
                sector_of[b, c] = q
        parts: dict[tuple[int, bool], list[tuple[NDArray, NDArray, NDArray]]] = {}
        for i, mat in enumerate(matrices):
            coo = sp.coo_matrix(mat)
            keep = coo.data != 0
            bra, ket = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)
            w = coo.data[keep]
            bk, bb = basis.block_of[ket], basis.block_of[bra]
            pk, pb = basis.position[ket], basis.position[bra]
            direct = where[bk, bb] >= 0
            mirror = ~direct & (where[bb, bk] >= 0) if sset.mirrored else np.zeros_like(direct)
            for sel, conj in ((direct, False), (mirror, True)):
                if not sel.any():
                    continue
                if conj:  # ρ[ket, bra] = conj ρ[bra, ket], stored in pair (bb, bk)
                    idx = where[bb[sel], bk[sel]] + pb[sel] * sizes[bk[sel]] + pk[sel]
                    qs = sector_of[bb[sel], bk[sel]]
                else:
                    idx = where[bk[sel], bb[sel]] + pk[sel] * sizes[bb[sel]] + pb[sel]
                    qs = sector_of[bk[sel], bb[sel]]
                for q in np.unique(qs):
                    m = qs == q
                    parts.setdefault((int(q), conj), []).append(
                        (idx[m], w[sel][m].astype(complex), np.full(int(m.sum()), i)))
        self._plans = [
            (q, conj, np.concatenate([x[0] for x in lst]), np.concatenate([x[1] for x in lst]),
             np.concatenate([x[2] for x in lst]))
            for (q, conj), lst in parts.items()
        ]
