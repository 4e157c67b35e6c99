"""The OpenBLAS thread limiter restores the previous setting."""

from __future__ import annotations

import pytest

from spinsync.blas_threads import _openblas_handles, limit_blas_threads


def test_limit_and_restore() -> None:
    handles = _openblas_handles()
    if not handles:
        pytest.skip("no OpenBLAS with a known entry point in this process")
    getter, _ = handles[0]
    before = getter()
    with limit_blas_threads(1):
        assert getter() == 1
    assert getter() == before
    with limit_blas_threads(None):
        assert getter() == before


def test_restores_after_an_exception() -> None:
    handles = _openblas_handles()
    if not handles:
        pytest.skip("no OpenBLAS with a known entry point in this process")
    getter, _ = handles[0]
    before = getter()
    with pytest.raises(RuntimeError):
        with limit_blas_threads(1):
            raise RuntimeError("boom")
    assert getter() == before
