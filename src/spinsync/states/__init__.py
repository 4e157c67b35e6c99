"""States in the representations the solvers produce: symmetry blocks, products, Dicke-basis
representatives (permutation method), moments (cumulant expansion), initial states."""

from .block import BlockState, QubitState, State, check_sites
from .initial import (
    INITIAL_STATE_NAMES,
    STATE_TOLERANCE,
    all_down,
    all_up,
    as_block_state,
    bloch_product,
    from_array,
    ghz_state,
    haar_random_pure,
    initial_state,
    random_mixed,
    validate_state,
)
from .layout import BlockLayout
from .moments import MomentState
from .permutation import PermutationState
from .product import ProductState, product_of_bloch

__all__ = [
    "State", "QubitState", "BlockState", "ProductState", "PermutationState", "MomentState", "product_of_bloch", "BlockLayout",
    "check_sites", "STATE_TOLERANCE", "INITIAL_STATE_NAMES", "ghz_state", "all_up", "all_down",
    "bloch_product", "haar_random_pure", "random_mixed", "from_array", "as_block_state",
    "validate_state", "initial_state",
]
