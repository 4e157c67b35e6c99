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
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator, Sequence, TypeVar

from threadpoolctl import threadpool_limits

__all__ = ["limit_blas_threads", "map_blocks"]

_T = TypeVar("_T")
_R = TypeVar("_R")


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


def map_blocks(fn: Callable[[_T], _R], items: Sequence[_T], sizes: Sequence[int],
               min_size: int) -> list[_R]:
    """``[fn(item) for item in items]``, run one block per core with one BLAS thread each
    once the largest ``size`` reaches ``min_size`` (largest first, so the pool stays busy).

    For dense per-block LAPACK work (eig, eigvalsh): its Hessenberg or tridiagonal reduction
    is level-2 and gains little from a second BLAS thread — two 1716×1716 ``eig`` took 10.2 s
    one after the other with two threads and 7.9 s side by side with one each (measured).
    LAPACK releases the GIL, so threads suffice. Results keep the order of ``items``.
    """
    from .resources import usable_cpus

    workers = min(len(items), usable_cpus())
    if workers < 2 or max(sizes, default=0) < min_size:
        return [fn(item) for item in items]
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    with limit_blas_threads(1), ThreadPoolExecutor(workers) as pool:
        done = dict(zip(order, pool.map(lambda i: fn(items[i]), order)))
    return [done[i] for i in range(len(items))]
