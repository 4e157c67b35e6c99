"""The Typer application and the shared error → exit-code policy.

This module and the command modules import only the standard library and typer at
import time: ``spinsync --help`` must not pay for numpy, scipy, xarray or rich. Each
command imports what it needs inside its function body.
"""

from __future__ import annotations

import contextlib
import functools
import json
import signal
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

import typer

from ..errors import MemoryLimitError, ModelError, NumericalError, SpinsyncError

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="spinsync",
    help="Steady states, dynamics and quantum synchronization of dissipative qubit networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (click) help: flags are listed as flags (typer's rich panels print every
    # boolean flag as `--json <bool>`, although `--json true` is refused), and the help
    # needs no rich import.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_INVALID = 2
EXIT_NUMERICAL = 1
#: After Ctrl-C (SIGINT) and after ``kill`` (SIGTERM): 128 + the signal's number.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> None:
    """One line on stderr, then exit with ``code``."""
    sys.stderr.write("spinsync: error: " + " ".join(str(message).split()) + "\n")
    raise typer.Exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so that both stop a command alike."""


#: The interrupts (Ctrl-C, SIGTERM) received while the current command runs, in order.
_RECEIVED: list[KeyboardInterrupt] = []


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While the CLI runs, SIGTERM raises :class:`Terminated` in the main thread, and both
    it and Ctrl-C are recorded (:func:`received_interrupt`).

    The first SIGTERM starts the same orderly stop as Ctrl-C (a sweep stops its workers;
    finished chunks are already saved); further ones are ignored until that completes.
    """

    def on_term(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        exc = Terminated()
        _RECEIVED.append(exc)
        raise exc

    def on_int(signum: int, frame: object) -> None:
        exc = KeyboardInterrupt()
        _RECEIVED.append(exc)
        raise exc

    previous_term = signal.signal(signal.SIGTERM, on_term)
    previous_int = signal.signal(signal.SIGINT, on_int)
    _RECEIVED.clear()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
        _RECEIVED.clear()  # nothing carries over to a later command in the same process


def received_interrupt() -> KeyboardInterrupt | None:
    """The first interrupt received during this command, or None.

    Needed because the KeyboardInterrupt a signal raises can be replaced on its way up: when
    it lands inside NumPy's C code (dtype promotion in ``np.unique``, measured), NumPy
    reports a TypeError instead. An error that follows an interrupt is that interrupt.
    """
    return _RECEIVED[0] if _RECEIVED else None


def interrupted(exc: KeyboardInterrupt) -> tuple[str, int]:
    """("terminated", 143) for SIGTERM, ("interrupted", 130) for Ctrl-C."""
    if isinstance(exc, Terminated):
        return "terminated", EXIT_TERMINATED
    return "interrupted", EXIT_INTERRUPTED


def as_interrupt(exc: BaseException) -> KeyboardInterrupt | None:
    """``exc`` itself if it is an interrupt, the interrupt it replaced if one was received
    (:func:`received_interrupt`), else None. CLI exits (``typer.Exit``) are never one."""
    if isinstance(exc, KeyboardInterrupt):
        return exc
    if isinstance(exc, (typer.Exit, SystemExit)):
        return None
    return received_interrupt()


def handle_errors(fn: F) -> F:
    """Map spinsync's exceptions to the CLI's exit codes, without tracebacks."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:
            stop = as_interrupt(exc)
            if stop is not None:
                fail(*interrupted(stop))
            if isinstance(exc, (ModelError, MemoryLimitError)):
                fail(str(exc), EXIT_INVALID)
            if isinstance(exc, NumericalError):
                fail(f"numerical failure: {exc}", EXIT_NUMERICAL)
            if isinstance(exc, SpinsyncError):
                fail(str(exc), EXIT_NUMERICAL)
            raise

    return wrapper  # type: ignore[return-value]


#: Width of the console when stdout is a pipe or a file. Rich then assumes 80 columns
#: (or $COLUMNS) and squeezes wide tables until numbers lose their exponents
#: ("+1.708e-…"); tables are only as wide as their content, so a wide console adds
#: no padding.
PIPE_WIDTH = 1000


def console() -> "Console":
    """A rich console for stdout; on a pipe or file, one wide enough that nothing is cut."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    return Console(width=PIPE_WIDTH)


def to_jsonable(obj: Any) -> Any:
    """numpy scalars/arrays → Python types, recursively."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if type(obj).__module__ != "numpy":
        return obj
    import numpy as np

    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def print_json(payload: dict[str, Any]) -> None:
    """Exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(payload)) + "\n")


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"spinsync {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Steady states, dynamics and quantum synchronization of dissipative qubit networks."""
