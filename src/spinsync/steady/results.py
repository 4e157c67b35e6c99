"""Result objects returned by the solvers (nothing is printed by the library)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Network
from ..states import BlockState, ProductState
from ..states.moments import MomentState
from ..states.permutation import PermutationState

__all__ = ["StateChecks", "SteadyStateResult"]


@dataclass(frozen=True)
class StateChecks:
    """Physical checks of a computed density matrix.

    ``trace_error`` = |Tr ρ − 1|, ``hermiticity_error`` = max|ρ − ρ†|,
    ``min_eigenvalue`` of the Hermitian part; ``tolerance`` is what they were held to.
    """

    trace_error: float
    hermiticity_error: float
    min_eigenvalue: float
    tolerance: float

    @property
    def passed(self) -> bool:
        t = self.tolerance
        return (
            self.trace_error <= t
            and self.hermiticity_error <= t
            and self.min_eigenvalue >= -t
        )


@dataclass
class SteadyStateResult:
    """A steady state with its provenance.

    Attributes
    ----------
    state
        The steady state (:class:`BlockState`; for the analytic no-go solution
        :class:`ProductState`; for ``permutation`` a
        :class:`~spinsync.states.permutation.PermutationState`; for ``cumulant`` a
        :class:`~spinsync.states.moments.MomentState` of one- and two-site moments).
    network
        The model it solves.
    method
        ``"analytic"``, ``"direct"``, ``"gmres"``, ``"permutation"`` or ``"cumulant"``.
    residual
        ‖L[ρ]‖_F / ‖ρ‖_F.
    checks
        Trace, Hermiticity and positivity checks (they passed, or the solver raised).
    nogo
        Whether the no-go theorem's conditions hold for ``network``.
    info
        Method details: sector dimension, time in seconds, iterations, residual history…
    symmetry
        The symmetry the solve used: ``"u1"`` (total Jᶻ), ``"parity"`` or ``"none"``
        (detected from the model's terms unless a weaker one was requested).
    approximate
        True for approximations of the master equation (``cumulant``): ``residual`` is then
        that of the approximate equations, and ``checks`` report — rather than enforce —
        the physical domain (``info["domain"]``).
    """

    state: BlockState | ProductState | PermutationState | MomentState
    network: Network
    method: str
    residual: float
    checks: StateChecks
    nogo: bool
    info: dict[str, Any] = field(default_factory=dict)
    symmetry: str = "none"
    approximate: bool = False
