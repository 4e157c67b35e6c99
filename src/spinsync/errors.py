"""Exception hierarchy of spinsync.

Every error a user can trigger derives from :class:`SpinsyncError`, so callers
(the CLI in particular) can tell expected failures from programming bugs.
"""

from __future__ import annotations


class SpinsyncError(Exception):
    """Base class of all spinsync errors."""


class ModelError(SpinsyncError, ValueError):
    """Invalid model parameters: the message names the field and the offending value."""


class ModelFileError(ModelError):
    """A model or sweep file that cannot be read or fails validation."""


class MemoryLimitError(SpinsyncError, MemoryError):
    """A method would need more memory than the machine has; raised before allocation."""


class NumericalError(SpinsyncError, ArithmeticError):
    """A numerical result failed its checks (trace, Hermiticity, positivity, residual)."""


class ConvergenceError(NumericalError):
    """An iterative method did not converge within its budget."""
