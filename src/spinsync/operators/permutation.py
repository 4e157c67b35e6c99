"""The product of the Dicke representations of a network's parts, and its steady sector.

A network split into parts (groups of interchangeable qubits and single sites,
:mod:`spinsync.model.groups`) has steady states that commute with the permutations inside
every part. Such an operator is ⊕ over spin tuples (j_p)_p of X ⊗ (⊗_p 1_{K_{j_p}}/d_{j_p}),
and X is indexed by one representative entry of every part (:mod:`spinsync.operators.dicke`):
an entry of the product space is a tuple (e_0, …, e_{P−1}), e_p ∈ [0, Σ_j (2j+1)²) for part p.

Symmetry sector. With K the number of qubits down, the *charge* of an entry is
K(bra) − K(ket) = Σ_p (c_p − a_p). The model's symmetry (:mod:`spinsync.operators.symmetry`)
restricts the unique steady state to charge 0 (``"u1"``), even charge (``"parity"``) or
nothing (``"none"``). :func:`sector_size` counts the sector from the parts' sizes alone
(exact integers, before anything is built); :class:`PartSpace` enumerates it.

Entries are numbered by the mixed-radix *key* Σ_p e_p · stride_p (part 0 most significant);
the sector keeps them sorted by key, so images are found by binary search.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError
from .dicke import DickeSpace

__all__ = ["PartSpace", "sector_size", "charge_sizes", "charge_counts"]

_SYMMETRIES = ("u1", "parity", "none")


def charge_counts(m: int) -> dict[int, int]:
    """How many representative entries of a group of m qubits have each charge c − a."""
    out: dict[int, int] = {}
    for j2 in range(m, -1, -2):  # 2j
        n = j2 + 1
        for q in range(-(n - 1), n):
            out[q] = out.get(q, 0) + n - abs(q)
    return out


def sector_size(sizes: Sequence[int], symmetry: str) -> int:
    """Entries of the steady sector for parts of ``sizes`` qubits (exact, nothing built)."""
    return sum(charge_sizes(sizes, symmetry))


def charge_sizes(sizes: Sequence[int], symmetry: str) -> list[int]:
    """Entries of each total charge in the steady sector (increasing charge; exact)."""
    if symmetry not in _SYMMETRIES:
        raise ModelError(f"symmetry = {symmetry!r}: expected one of {', '.join(_SYMMETRIES)}")
    total = {0: 1}
    for m in sizes:
        counts = charge_counts(int(m))
        nxt: dict[int, int] = {}
        for q1, c1 in total.items():
            for q2, c2 in counts.items():
                nxt[q1 + q2] = nxt.get(q1 + q2, 0) + c1 * c2
        total = nxt
    if symmetry == "u1":
        return [total.get(0, 0)]
    keep = sorted(q for q in total if symmetry == "none" or q % 2 == 0)
    return [total[q] for q in keep]


@dataclass(frozen=True, eq=False)
class PartSpace:
    """The steady sector of a partition: its entries, sorted keys and block structure.

    Attributes
    ----------
    parts
        Site tuples of the parts (part p has ``len(parts[p])`` qubits).
    spaces
        The :class:`DickeSpace` of every part.
    symmetry
        ``"u1"``, ``"parity"`` or ``"none"``.
    entries
        (n, P) array: the entry of every part, rows sorted by :attr:`keys`.
    keys
        Sorted mixed-radix keys of the rows.
    """

    parts: tuple[tuple[int, ...], ...]
    spaces: tuple[DickeSpace, ...]
    symmetry: str
    entries: NDArray[np.int64]
    keys: NDArray[np.int64]

    @classmethod
    def build(cls, parts: Sequence[Sequence[int]], symmetry: str) -> "PartSpace":
        """Enumerate the sector (memory: 8·(P + 1) bytes per entry; check it before)."""
        parts_t = tuple(tuple(int(s) for s in p) for p in parts)
        spaces = tuple(DickeSpace(len(p)) for p in parts_t)
        entries = _enumerate(spaces, symmetry)
        strides = _strides(spaces)
        keys = entries @ strides
        order = np.argsort(keys, kind="stable")
        return cls(parts_t, spaces, symmetry, entries[order], keys[order])

    # ------------------------------------------------------------------ sizes and lookup
    @property
    def n_parts(self) -> int:
        return len(self.parts)

    @property
    def n_sites(self) -> int:
        return sum(len(p) for p in self.parts)

    @property
    def dim(self) -> int:
        """Entries of the sector (the unknowns of the steady state)."""
        return int(self.keys.size)

    @cached_property
    def strides(self) -> NDArray[np.int64]:
        return _strides(self.spaces)

    def locate(self, keys: NDArray[np.int64]) -> NDArray[np.int64]:
        """Row of each key in the sector, −1 where it is not there."""
        pos = np.searchsorted(self.keys, keys)
        pos_c = np.minimum(pos, self.dim - 1)
        return np.where(self.keys[pos_c] == keys, pos_c, -1)

    # ------------------------------------------------------------------ structure
    def part_field(self, name: str) -> NDArray[np.int64]:
        """(n, P) per-part entry attribute: ``block``, ``a`` (ket) or ``c`` (bra)."""
        cols = [getattr(sp, f"entry_{name}")[self.entries[:, p]] for p, sp in enumerate(self.spaces)]
        return np.stack(cols, axis=1)

    @cached_property
    def diagonal(self) -> NDArray[np.bool_]:
        """Rows whose ket equals their bra in every part (they carry the trace)."""
        return np.all(self.part_field("a") == self.part_field("c"), axis=1)

    def charge(self) -> NDArray[np.int64]:
        """Total charge Σ_p (c_p − a_p) of every row."""
        return sum(sp.entry_down_shift()[self.entries[:, p]] for p, sp in enumerate(self.spaces))

    def trace_vector(self) -> NDArray[np.float64]:
        """t with tᵀx = Tr ρ = Σ_b Tr X_b."""
        return self.diagonal.astype(float)

    @cached_property
    def partner(self) -> NDArray[np.int64]:
        """Row of the Hermitian-conjugate entry (ket and bra exchanged) of every row."""
        swapped = np.stack([sp.entry(sp.entry_block[self.entries[:, p]], sp.entry_c[self.entries[:, p]],
                                     sp.entry_a[self.entries[:, p]])
                            for p, sp in enumerate(self.spaces)], axis=1)
        rows = self.locate(swapped @ self.strides)
        if np.any(rows < 0):
            raise ModelError("internal: the sector is not closed under Hermitian conjugation")
        return rows

    @cached_property
    def blocks(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """Block structure of the representative matrices.

        Returns (block id, ket position, bra position) per row: rows of one block id form a
        square matrix X_b[ket, bra] over the multi-states (a_p)_p of one spin tuple (j_p)_p
        (and, under U(1), one down count).
        """
        blk = self.part_field("block")
        a, c = self.part_field("a"), self.part_field("c")
        spin_key = _row_key(blk)
        if self.symmetry == "u1":
            down = sum(sp.entry_ket_down()[self.entries[:, p]] for p, sp in enumerate(self.spaces))
            group_key = np.stack([spin_key, down], axis=1)
        elif self.symmetry == "parity":
            down = sum(sp.entry_ket_down()[self.entries[:, p]] for p, sp in enumerate(self.spaces))
            group_key = np.stack([spin_key, down % 2], axis=1)
        else:
            group_key = spin_key[:, None]
        _, gid = np.unique(group_key, axis=0, return_inverse=True)
        gid = gid.ravel()
        # Multi-states (block, a_0, a_1, …) labelled jointly for kets and bras, in
        # lexicographic order, so the states of one block are consecutive labels.
        both = np.concatenate([np.concatenate([gid[:, None], a], axis=1),
                               np.concatenate([gid[:, None], c], axis=1)])
        inverse = _row_key(both)
        ket_state, bra_state = inverse[: self.dim], inverse[self.dim:]
        first = np.full(gid.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, gid, np.minimum(ket_state, bra_state))
        return gid, ket_state - first[gid], bra_state - first[gid]

    def block_weights(self) -> NDArray[np.float64]:
        """ln Π_p d_{j_p} of every row's spin tuple (multiplicity of its eigenvalues)."""
        blk = self.part_field("block")
        return sum(sp.log_multiplicity[blk[:, p]] for p, sp in enumerate(self.spaces))


def _strides(spaces: Sequence[DickeSpace]) -> NDArray[np.int64]:
    sizes = [sp.n_entries for sp in spaces]
    total = 1
    for s in sizes:
        total *= s
    if total >= 2**62:
        raise ModelError(f"the product of the parts' Dicke spaces ({total:.3g} entries) is too "
                         "large to index")
    out = np.ones(len(sizes), dtype=np.int64)
    for p in range(len(sizes) - 2, -1, -1):
        out[p] = out[p + 1] * sizes[p + 1]
    return out


def _row_key(rows: NDArray[np.int64]) -> NDArray[np.int64]:
    """A dense integer label per distinct row."""
    _, inv = np.unique(rows, axis=0, return_inverse=True)
    return inv.ravel().astype(np.int64)


def _enumerate(spaces: Sequence[DickeSpace], symmetry: str) -> NDArray[np.int64]:
    """All entry tuples of the sector (part by part, grouped by charge)."""
    if symmetry not in _SYMMETRIES:
        raise ModelError(f"symmetry = {symmetry!r}: expected one of {', '.join(_SYMMETRIES)}")
    rows = np.zeros((1, 0), dtype=np.int64)
    charge = np.zeros(1, dtype=np.int64)
    reach = [int(sum(sp.m for sp in spaces[p + 1:])) for p in range(len(spaces))]
    for p, sp in enumerate(spaces):
        q = sp.entry_down_shift()
        ent = np.arange(sp.n_entries, dtype=np.int64)
        pieces, charges = [], []
        cur_vals = np.unique(charge)
        new_vals = np.unique(q)
        for vc in cur_vals:
            ci = np.flatnonzero(charge == vc)
            for vn in new_vals:
                total = int(vc + vn)
                if symmetry == "u1" and abs(total) > reach[p]:
                    continue  # the remaining parts cannot bring the charge back to 0
                ni = ent[q == vn]
                left = np.repeat(ci, ni.size)
                right = np.tile(ni, ci.size)
                pieces.append(np.concatenate([rows[left], right[:, None]], axis=1))
                charges.append(np.full(left.size, total, dtype=np.int64))
        rows = np.concatenate(pieces, axis=0)
        charge = np.concatenate(charges)
    if symmetry == "u1":
        keep = charge == 0
    elif symmetry == "parity":
        keep = charge % 2 == 0
    else:
        keep = np.ones(charge.size, dtype=bool)
    return rows[keep]
