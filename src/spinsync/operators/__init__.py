"""The operator layer: the model compiled into terms, their symmetry, and block matrices.

Data flow: :class:`~spinsync.model.Network` → :class:`Terms` (products of local operators,
:mod:`.terms`) → the symmetry they keep (:mod:`.symmetry`) → the basis blocks of that
symmetry (:mod:`.basis`, on the mixed-radix :mod:`.space`) → H_b, Γ_b and jump maps per block
(:mod:`.blocks`), which the Liouvillian forms and solvers use.
"""

from .basis import BLOCK_KINDS, BlockBasis, bit_of, down_bits
from .blocks import BlockOperators, DecayBlock, JumpBlock, block_basis, block_operators
from .local import PAULI, SpinMatrices, pauli, shift_components, spin_matrices
from .space import Space
from .symmetry import SYMMETRIES, block_kind, detect
from .terms import BondGroup, Channel, Jump, Operator, Product, Terms, compile_network

__all__ = [
    "Space", "BlockBasis", "BLOCK_KINDS", "bit_of", "down_bits",
    "PAULI", "pauli", "SpinMatrices", "spin_matrices", "shift_components",
    "Product", "Operator", "Jump", "BondGroup", "Channel", "Terms", "compile_network",
    "SYMMETRIES", "detect", "block_kind",
    "BlockOperators", "JumpBlock", "DecayBlock", "block_basis", "block_operators",
]
