"""The steady sector of a partition: counts, enumeration, Hermitian partners, blocks."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync.operators.permutation import PartSpace, charge_sizes, sector_size


@pytest.mark.parametrize("sizes", [(1, 3), (5,), (2, 2, 1), (1, 12), (4, 3)])
@pytest.mark.parametrize("symmetry", ["u1", "parity", "none"])
def test_counts_match_enumeration(sizes, symmetry) -> None:
    parts = []
    start = 0
    for s in sizes:
        parts.append(tuple(range(start, start + s)))
        start += s
    space = PartSpace.build(parts, symmetry)
    assert space.dim == sector_size(sizes, symmetry)
    assert np.all(np.diff(space.keys) > 0)
    charge = space.charge()
    counts = np.unique(charge, return_counts=True)[1]
    assert list(counts) == charge_sizes(sizes, symmetry)
    if symmetry == "u1":
        assert np.all(charge == 0)
    elif symmetry == "parity":
        assert np.all(charge % 2 == 0)
    # Hermitian partner is an involution that fixes exactly the diagonal-in-every-part rows
    partner = space.partner
    assert np.array_equal(partner[partner], np.arange(space.dim))
    fixed = partner == np.arange(space.dim)
    assert np.array_equal(fixed & space.diagonal, space.diagonal)


def test_sector_sizes_of_the_motivating_cases() -> None:
    # memory qubit + 50 identical qubits, U(1); one group of 100: Σ_j (2j + 1) = 51²
    assert sector_size((1, 50), "u1") == 2652
    assert sector_size((100,), "u1") == 51**2
    assert sector_size((100,), "none") == sum((2 * j + 1) ** 2 for j in range(51))


def test_blocks_are_square_and_cover_the_sector() -> None:
    space = PartSpace.build([(0,), (1, 2, 3, 4)], "u1")
    gid, ket, bra = space.blocks
    for g in np.unique(gid):
        sel = gid == g
        size = ket[sel].max() + 1
        assert sel.sum() == size * size  # every (ket, bra) pair of the block is a row
        assert set(ket[sel]) == set(bra[sel]) == set(range(size))
