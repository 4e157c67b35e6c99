"""Shared test setup.

BLAS threads: the project's CI and developers share 2 cores and run ``pytest -n 2``.
OpenBLAS's default thread pool oversubscribes them, and SuperLU's dense-ish updates then
slow down 10–100× under load (measured: a 6-qubit XYZ sector solve takes 1.8 s with one
thread, 13–55 s with the default pool on a loaded 2-core machine). One thread per worker
keeps the suite fast and its timings meaningful. This must run before numpy is imported;
subprocesses started by the tests (the CLI) inherit it.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
