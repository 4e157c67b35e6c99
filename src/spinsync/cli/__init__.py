"""Command-line interface: a thin layer over the library (``spinsync --help``).

Each subcommand lives in its own module and registers itself on :data:`app`.
Exit codes: 0 success, 2 invalid input (one line on stderr, no traceback),
1 numerical failure or unreachable scheduler (with the reason), 130 after Ctrl-C and
143 after SIGTERM (one line).
"""

from __future__ import annotations

from ._app import app, sigterm_as_interrupt

# Subcommand modules register themselves on import.
from . import design, evolve, nogo, reduce, reproduce, steady, sweep  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point (also ``python -m spinsync``); SIGTERM acts like Ctrl-C."""
    with sigterm_as_interrupt():
        app(prog_name="spinsync")
