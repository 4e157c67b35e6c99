"""The symmetry a model keeps, detected from its terms (not inferred from "Uˣ = Uʸ").

Let K be the down count (total Jᶻ = Σ s_j − K). Then

* ``"u1"`` — every Hamiltonian term conserves K and every jump operator shifts it by one
  fixed amount q (its terms may differ, but not their shift): XXZ bonds, z fields, σ±/J±,
  J±Jᶻ, dephasing, collective lowering/raising/dephasing. The Liouvillian then commutes
  with ρ ↦ e^{iθK} ρ e^{−iθK}: it maps the block pair (K, K′) to (K + q, K′ + q), and the
  unique steady state is block diagonal in K.
* ``"parity"`` — every Hamiltonian term changes K by an even amount and every jump by
  amounts of one parity (any XYZ Hamiltonian without drives).
* ``"none"`` — otherwise (a drive mixes K with K ± 1): the full space, no blocks.

A term counts when any of its coefficients is non-zero, however small (a 1e-12 drive breaks
U(1)): the solvers' block structure must be exact, not approximate.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .terms import Terms

__all__ = ["Symmetry", "SYMMETRIES", "detect", "term_shifts", "block_kind", "weaker_or_equal"]

Symmetry = Literal["u1", "parity", "none"]

#: From strongest to weakest; each one's blocks are unions of the previous one's.
SYMMETRIES: tuple[str, ...] = ("u1", "parity", "none")

_BLOCK_KIND = {"u1": "magnetization", "parity": "parity", "none": "full"}


def _shifts(matrix) -> set[int]:
    rows, cols = np.nonzero(matrix)
    return set(np.unique(rows - cols).tolist())


def term_shifts(terms: Terms) -> tuple[set[int], list[set[int]]]:
    """The down-count shifts of the Hamiltonian's terms and of each jump operator.

    Read from the structured terms (local matrices, bond ladder products, channels), so
    this costs O(sites + bonds) with no expansion into products; operators given as
    matrices are read entry by entry.
    """
    if terms.is_external:
        space = terms.space
        return (set(terms.hamiltonian.shifts(space)),
                [set(j.operator.shifts(space)) for j in terms.jumps])
    h_shifts: set[int] = set()
    for h in terms.local_hamiltonian:
        h_shifts |= _shifts(h)
    for group in terms.bonds:
        used = np.any(group.coefficients != 0, axis=0)
        for p in np.flatnonzero(used):
            h_shifts |= {a + b for a in _shifts(group.left[p]) for b in _shifts(group.right[p])}
    jump_shifts = [_shifts(m) for jumps in terms.local_jumps for _, _, m in jumps]
    for ch in terms.channels:
        jump_shifts.append(set().union(*(_shifts(m) for m in ch.matrices)))
    return h_shifts, jump_shifts


def detect(terms: Terms) -> str:
    """The strongest symmetry every term of ``terms`` keeps."""
    h_shifts, jump_shifts = term_shifts(terms)
    if h_shifts <= {0} and all(len(s) <= 1 for s in jump_shifts):
        return "u1"
    if all(q % 2 == 0 for q in h_shifts) and all(len({q % 2 for q in s}) <= 1 for s in jump_shifts):
        return "parity"
    return "none"


def block_kind(symmetry: str) -> str:
    """The :class:`~spinsync.operators.basis.BlockBasis` kind of a symmetry label."""
    try:
        return _BLOCK_KIND[symmetry]
    except KeyError:
        from ..errors import ModelError

        raise ModelError(f"symmetry = {symmetry!r}: expected auto, u1, parity or none") from None


def weaker_or_equal(requested: str, detected: str) -> bool:
    """Whether ``requested`` may be used for a model whose terms keep ``detected``."""
    return SYMMETRIES.index(requested) >= SYMMETRIES.index(detected)
