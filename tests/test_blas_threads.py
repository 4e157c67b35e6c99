"""The BLAS thread limiter used by evolve() restores the previous setting."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

from spinsync.blas_threads import limit_blas_threads


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_limit_and_restore() -> None:
    before = _blas_threads()
    if not before:
        pytest.skip("no BLAS thread pool visible to threadpoolctl")
    with limit_blas_threads(1):
        assert all(t == 1 for t in _blas_threads())
    assert _blas_threads() == before


def test_restores_after_an_exception() -> None:
    before = _blas_threads()
    with pytest.raises(RuntimeError):
        with limit_blas_threads(1):
            raise RuntimeError("boom")
    assert _blas_threads() == before
