"""Which objects the measures take as states, and a clear error for anything else."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from ..states import BlockState, ProductState
from ..states.moments import MomentState
from ..states.permutation import PermutationState

__all__ = ["as_state", "STATE_TYPES", "STATE_CLASSES"]

#: What every measure accepts as a state.
STATE_TYPES = ("a BlockState, a ProductState, a PermutationState, a MomentState, a steady-state "
               "result, a dense or sparse density matrix, or a qutip.Qobj")

#: The state classes the measures read directly (all give ``reduced(sites)``).
STATE_CLASSES = (BlockState, ProductState, PermutationState, MomentState)


def as_state(obj: Any, what: str = "state") -> BlockState | ProductState | PermutationState | MomentState:
    """``obj`` as one of :data:`STATE_CLASSES`.

    Dense or sparse D×D arrays (qubits: D = 2ᴺ) and ``qutip.Qobj`` density matrices or kets
    (any spin dims) become block states after shape and finiteness checks; a
    :class:`~spinsync.steady.SteadyStateResult` gives its state.

    Raises
    ------
    TypeError
        For anything else (an Sᵐᵃˣ matrix passed where a state belongs is caught by the
        measure that takes both).
    """
    if isinstance(obj, STATE_CLASSES):
        return obj
    state = getattr(obj, "state", None)
    if isinstance(state, STATE_CLASSES):
        return state
    from ..interop import is_qobj

    if isinstance(obj, np.ndarray) or sp.issparse(obj) or is_qobj(obj):
        from ..states import as_block_state

        return as_block_state(obj)
    raise TypeError(f"{what}: expected {STATE_TYPES}, got {type(obj).__name__}")
