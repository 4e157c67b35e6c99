"""Temporarily limit the BLAS thread pool (through ``threadpoolctl``).

Why: many of spinsync's inner loops make small or memory-bound BLAS calls — SciPy's
Runge–Kutta stage combinations (gemv on 10³–10⁵ entries), SuperLU's supernode updates,
stacked solves of 6–600-dimensional sector systems in sweeps. A threaded BLAS gains
nothing there, and when cores are oversubscribed it stalls: on a loaded 2-core machine a
25 740 × 12 gemv took 7 ms threaded and 0.1 ms single-threaded (N = 8 evolution 3.5×
slower), and a 252 × 252 solve 200 ms instead of 0.95 ms.

The limit applies to every BLAS library loaded in the process (OpenBLAS, MKL, BLIS…)
and is restored on exit.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

from threadpoolctl import threadpool_limits

__all__ = ["limit_blas_threads"]


@contextlib.contextmanager
def limit_blas_threads(threads: int | None) -> Iterator[None]:
    """Run the block with at most ``threads`` BLAS threads (``None``: leave unchanged)."""
    if threads is None:
        yield
        return
    if threads < 1:
        raise ValueError(f"threads = {threads}: must be ≥ 1")
    with threadpool_limits(limits=threads, user_api="blas"):
        yield
