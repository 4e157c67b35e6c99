"""Temporarily limit the OpenBLAS thread pool (what ``threadpoolctl`` does, for one library).

Why: SciPy's Runge–Kutta steps combine the stage vectors with ``np.dot`` (BLAS gemv).
For vectors of 10³–10⁵ entries a threaded gemv gains nothing, and when the machine's
cores are oversubscribed it stalls: on a loaded 2-core machine a 25 740 × 12 gemv took
7 ms threaded and 0.1 ms single-threaded, making the whole N = 8 evolution 3.5× slower.

The limit applies to the OpenBLAS copies loaded in this process and is restored on exit.
If no OpenBLAS with a known entry point is loaded (MKL, Accelerate, another build), the
context manager does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
from functools import lru_cache
from typing import Iterator

__all__ = ["limit_blas_threads"]

_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GETTERS = tuple(name.replace("set_", "get_") for name in _SETTERS)


@lru_cache(maxsize=1)
def _openblas_handles() -> tuple[tuple[ctypes._CFuncPtr, ctypes._CFuncPtr], ...]:
    """(getter, setter) pairs of every OpenBLAS mapped into this process (Linux only)."""
    import numpy  # noqa: F401  (make sure NumPy's BLAS is loaded)

    paths: set[str] = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                path = line.rsplit(maxsplit=1)[-1]
                if "openblas" in path.lower() and path.startswith("/"):
                    paths.add(path)
    except OSError:
        return ()
    handles = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in zip(_GETTERS, _SETTERS):
            if hasattr(lib, get_name) and hasattr(lib, set_name):
                getter, setter = getattr(lib, get_name), getattr(lib, set_name)
                getter.restype = ctypes.c_int
                setter.argtypes = [ctypes.c_int]
                handles.append((getter, setter))
                break
    return tuple(handles)


@contextlib.contextmanager
def limit_blas_threads(threads: int | None) -> Iterator[None]:
    """Run the body with at most ``threads`` OpenBLAS threads (None: no change)."""
    if threads is None:
        yield
        return
    handles = _openblas_handles()
    previous = [getter() for getter, _ in handles]
    try:
        for (_, setter), old in zip(handles, previous):
            setter(min(int(threads), old) if old > 0 else int(threads))
        yield
    finally:
        for (_, setter), old in zip(handles, previous):
            setter(old)
