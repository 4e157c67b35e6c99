"""Physical checks every steady state passes before it is returned (trace, Hermiticity, positivity)."""

from __future__ import annotations

from ..errors import NumericalError
from ..states import BlockState, ProductState
from .results import StateChecks, SteadyStateResult

__all__ = ["CHECK_TOLERANCE", "check_state", "checked"]

#: Tolerance of the trace / Hermiticity / positivity checks. A direct solve reaches
#: ~1e-13; eigenvalues of a state with tiny populations can dip to −1e-12 by rounding.
CHECK_TOLERANCE = 1e-8


def check_state(state: BlockState | ProductState, tolerance: float = CHECK_TOLERANCE) -> StateChecks:
    """Trace, Hermiticity and positivity of ``state``."""
    return StateChecks(
        trace_error=abs(state.trace() - 1.0),
        hermiticity_error=state.hermiticity_error(),
        min_eigenvalue=state.min_eigenvalue(),
        tolerance=tolerance,
    )


def checked(result: SteadyStateResult) -> SteadyStateResult:
    """``result`` if its checks passed, else NumericalError with the numbers.

    Approximate results (``result.approximate``) are returned as they are: their checks
    and ``info["domain"]`` report whether the approximation left the physical domain.
    """
    if not result.checks.passed and not result.approximate:
        c = result.checks
        raise NumericalError(
            f"steady state from method {result.method!r} failed its checks "
            f"(|Tr ρ − 1| = {c.trace_error:.2e}, max|ρ − ρ†| = {c.hermiticity_error:.2e}, "
            f"min eigenvalue = {c.min_eigenvalue:.2e}, tolerance {c.tolerance:.0e}; "
            f"residual {result.residual:.2e})"
        )
    return result
