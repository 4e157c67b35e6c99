"""Command-line interface: a thin layer over the library (``spinsync --help``).

Each subcommand lives in its own module and registers itself on :data:`app`.
Exit codes: 0 success, 2 invalid input (one line on stderr, no traceback),
1 numerical failure (with the reason).
"""

from __future__ import annotations

from ._app import app

# Subcommand modules register themselves on import.
from . import design, evolve, nogo, reduce, reproduce, steady, sweep  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
