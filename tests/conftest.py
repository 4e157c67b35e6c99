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


import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def unwritable_dir(tmp_path: Path):
    """A folder this process cannot create files in (read-only mode; for root, which
    ignores modes, a read-only system folder such as /sys), or skip."""
    if os.geteuid() != 0:
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)
        return
    for candidate in (Path("/sys"), Path("/proc")):
        try:
            fd, probe = tempfile.mkstemp(dir=candidate)
        except OSError:
            yield candidate
            return
        os.close(fd)
        os.unlink(probe)
    pytest.skip("no unwritable folder available to root here")
