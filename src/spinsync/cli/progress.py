"""A rich progress display for iterative solvers (on stderr, so --json stays clean)."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

ProgressCallback = Callable[[int, float], None]


@contextlib.contextmanager
def solver_progress(enabled: bool = True, label: str = "solving") -> Iterator[ProgressCallback | None]:
    """Yield a ``callback(iteration, residual)`` that updates a live status line.

    Yields None when disabled or when stderr is not a terminal (nothing to animate).
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def callback(iteration: int, residual: float) -> None:
            progress.update(task, description=f"{label}: iteration {iteration}, residual {residual:.2e}")

        yield callback
