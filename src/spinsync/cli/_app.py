"""The Typer application and the shared error → exit-code policy."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable, TypeVar

import numpy as np
import typer

from ..errors import MemoryLimitError, ModelError, NumericalError, SpinsyncError

app = typer.Typer(
    name="spinsync",
    help="Steady states, dynamics and quantum synchronization of dissipative qubit networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INVALID = 2
EXIT_NUMERICAL = 1

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> None:
    """One line on stderr, then exit with ``code``."""
    sys.stderr.write("spinsync: error: " + " ".join(str(message).split()) + "\n")
    raise typer.Exit(code)


def handle_errors(fn: F) -> F:
    """Map spinsync's exceptions to the CLI's exit codes, without tracebacks."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ModelError, MemoryLimitError) as exc:
            fail(str(exc), EXIT_INVALID)
        except NumericalError as exc:
            fail(f"numerical failure: {exc}", EXIT_NUMERICAL)
        except SpinsyncError as exc:
            fail(str(exc), EXIT_NUMERICAL)

    return wrapper  # type: ignore[return-value]


def to_jsonable(obj: Any) -> Any:
    """numpy scalars/arrays → Python types, recursively."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.bool_,)):
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
