"""Liouvillian forms on operator sectors: sparse matrices, matrix-free operators (complex and
real Hermitian coordinates), the exact inverse of the no-jump part and the block Gauss–Seidel
sweep built on it (the preconditioners).

All of them read the block operators of :mod:`spinsync.operators` and share one
vectorization (:mod:`.sector`).
"""

from .gauss_seidel import BlockGaussSeidel
from .hermitian import embedding, real_operator, to_complex, to_real, transpose_index
from .matrixfree import DENSE_FILL, BlockLiouvillian, HermitianBlockLiouvillian
from .nojump import COND_LIMIT, NoJumpInverse
from .sector import OperatorSector
from .sparse import full_liouvillian, sector_liouvillian, terms_of

__all__ = [
    "OperatorSector",
    "sector_liouvillian",
    "full_liouvillian",
    "terms_of",
    "BlockLiouvillian",
    "HermitianBlockLiouvillian",
    "DENSE_FILL",
    "NoJumpInverse",
    "COND_LIMIT",
    "BlockGaussSeidel",
    "to_real",
    "to_complex",
    "transpose_index",
    "embedding",
    "real_operator",
]
