"""Array backends for the matrix-free solvers: NumPy (default) or CuPy (optional GPU).

The matrix-free Liouvillian and the no-jump preconditioner only need dense matrix
products, elementwise arithmetic and fancy indexing, which NumPy and CuPy share. A
backend is picked by name:

* ``"numpy"`` — CPU; dense products run on all cores through BLAS.
* ``"cupy"`` — GPU, only when CuPy imports and sees a device.
* ``"auto"`` — CuPy when available, else NumPy.

The default everywhere is ``"numpy"``: results must not depend on what happens to be
installed, and the tests run on the CPU. Eigendecompositions are always done on the
CPU (CuPy has no general non-Hermitian ``eig``) and moved to the device once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

import numpy as np

from .errors import ModelError

__all__ = ["Backend", "get_backend", "gpu_available", "BackendName"]

BackendName = Literal["numpy", "cupy", "auto"]


@dataclass(frozen=True)
class Backend:
    """An array module and how to move arrays to and from it.

    Attributes
    ----------
    name
        ``"numpy"`` or ``"cupy"``.
    xp
        The array module (``numpy`` or ``cupy``).
    """

    name: str
    xp: ModuleType

    @property
    def is_gpu(self) -> bool:
        return self.name != "numpy"

    def asarray(self, a: Any, dtype: Any = None) -> Any:
        """Move a host array to the backend (no copy for NumPy when possible)."""
        return self.xp.asarray(a, dtype=dtype)

    def to_host(self, a: Any) -> np.ndarray:
        """Back to a NumPy array."""
        if self.name == "numpy":
            return np.asarray(a)
        return self.xp.asnumpy(a)


def _cupy() -> ModuleType | None:
    try:
        import cupy  # type: ignore[import-not-found]

        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        return cupy
    except Exception:  # ImportError, or a CUDA runtime error without a device
        return None


def gpu_available() -> bool:
    """True when CuPy imports and sees at least one GPU."""
    return _cupy() is not None


def get_backend(name: BackendName | Backend | None = "numpy") -> Backend:
    """The backend called ``name`` (``None`` means ``"numpy"``).

    Raises
    ------
    ModelError
        Unknown name, or ``"cupy"`` requested without a working CuPy/GPU.
    """
    if isinstance(name, Backend):
        return name
    if name is None or name == "numpy":
        return Backend("numpy", np)
    if name in ("cupy", "auto"):
        cp = _cupy()
        if cp is not None:
            return Backend("cupy", cp)
        if name == "auto":
            return Backend("numpy", np)
        raise ModelError("backend = 'cupy': CuPy is not installed or no GPU is visible")
    raise ModelError(f"backend = {name!r}: expected 'numpy', 'cupy' or 'auto'")
