"""What a solve will work on, decided from the terms alone before anything large is built.

A :class:`Plan` fixes the symmetry (detected from the terms, or a weaker one requested), its
block kind, and the dimension of the steady-state sector Σ_b n_b², counted exactly from the
local dimensions (:meth:`~spinsync.operators.space.Space.block_sizes`) — so a method's memory
is known from N and the symmetry alone, and a model that cannot fit is refused in
milliseconds, before any basis state is enumerated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ModelError
from ..liouvillian.sector import OperatorSector
from ..operators.basis import BlockBasis
from ..operators.blocks import block_basis
from ..operators.symmetry import SYMMETRIES, block_kind, weaker_or_equal
from ..operators.terms import Terms

__all__ = ["Plan", "make_plan", "terms_of"]


def terms_of(model: Any) -> Terms:
    """The compiled terms of a network, or the Terms object itself."""
    return model if isinstance(model, Terms) else model.terms


@dataclass(frozen=True, eq=False)
class Plan:
    """The symmetry and sizes of one steady-state solve.

    Attributes
    ----------
    model
        What was passed: a :class:`~spinsync.model.Network` or compiled terms.
    terms
        The compiled model.
    symmetry
        ``"u1"``, ``"parity"`` or ``"none"`` — the one used.
    detected
        The strongest symmetry the terms keep.
    kind
        The block kind of ``symmetry`` (``magnetization``, ``parity``, ``full``).
    block_sizes
        Exact sizes of the blocks (Python ints).
    """

    model: Any
    terms: Terms
    symmetry: str
    detected: str
    kind: str
    block_sizes: tuple[int, ...]

    @property
    def sector_dim(self) -> int:
        """Complex entries of the steady sector, Σ_b n_b² (exact)."""
        return sum(s * s for s in self.block_sizes)

    @property
    def largest_block(self) -> int:
        return max(self.block_sizes)

    @property
    def n(self) -> int:
        return self.terms.n

    def nnz_per_row(self) -> int:
        """Upper bound of the sector Liouvillian's nonzeros per row."""
        flips = sum(1 for p in self.terms.hamiltonian.products if p.shift != 0 or
                    any(d != 0 for d in p.shifts))
        if self.terms.hamiltonian.matrix is not None:
            flips += 8  # unknown structure: a generous guess, refined by the actual build
        jumps = 0
        for jump in self.terms.jumps:
            count = len(jump.operator.products) if jump.operator.matrix is None else 4
            jumps += count * count
        return 1 + 2 * flips + jumps

    def basis(self) -> BlockBasis:
        """The block basis (built on first use: memory 72 bytes per basis state, checked)."""
        return block_basis(self.terms, self.kind)

    def sector(self) -> OperatorSector:
        return OperatorSector.steady(self.basis())


def make_plan(model: Any, symmetry: str = "auto") -> Plan:
    """The plan for ``model`` with ``symmetry`` ``"auto"`` (detected) or a weaker one.

    Raises
    ------
    ModelError
        An unknown symmetry, or one stronger than the terms keep.
    """
    terms = terms_of(model)
    detected = terms.symmetry
    if symmetry in (None, "auto"):
        use = detected
    elif symmetry not in SYMMETRIES:
        raise ModelError(f"symmetry = {symmetry!r}: expected auto, {', '.join(SYMMETRIES)}")
    elif not weaker_or_equal(symmetry, detected):
        raise ModelError(
            f"symmetry = {symmetry!r}: the model's terms do not keep it (they keep "
            f"{detected!r}; a weaker one — {', '.join(SYMMETRIES[SYMMETRIES.index(detected):])} — "
            "may be requested)"
        )
    else:
        use = symmetry
    kind = block_kind(use)
    return Plan(model, terms, use, detected, kind, tuple(terms.space.block_sizes(kind)))
