"""The BLAS thread limiter used by evolve() limits the pool and restores the previous setting.

tests/conftest.py already runs every test with one BLAS thread, so each test first raises the
pool to two threads: otherwise a limiter that did nothing would pass.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import numpy  # noqa: F401  (loads the BLAS library, so threadpoolctl can see its pool)
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from spinsync.blas_threads import limit_blas_threads


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@contextlib.contextmanager
def _two_threads() -> Iterator[list[int]]:
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()
        if not before or max(before) < 2:
            pytest.skip("no BLAS pool that can run two threads")
        yield before


def test_limit_and_restore() -> None:
    with _two_threads() as before:
        with limit_blas_threads(1):
            assert all(t == 1 for t in _blas_threads())
        assert _blas_threads() == before


def test_restores_after_an_exception() -> None:
    with _two_threads() as before:
        with pytest.raises(RuntimeError):
            with limit_blas_threads(1):
                raise RuntimeError("boom")
        assert _blas_threads() == before


def test_none_leaves_the_pool_alone_and_bad_counts_are_refused() -> None:
    with _two_threads() as before:
        with limit_blas_threads(None):
            assert _blas_threads() == before
    with pytest.raises(ValueError, match="threads = 0"):
        with limit_blas_threads(0):
            pass
