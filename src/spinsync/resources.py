"""The machine's resources: memory accounting (refuse heavy work before allocating what the
machine lacks) and the CPUs this process may use."""

from __future__ import annotations

import os

import psutil

from .errors import MemoryLimitError

__all__ = ["available_memory", "check_memory", "format_bytes", "usable_cpus"]

#: Fraction of the currently available memory a single allocation plan may use.
MEMORY_FRACTION = 0.8


def available_memory() -> int:
    """Bytes of memory available now (psutil's ``available``)."""
    return int(psutil.virtual_memory().available)


def usable_cpus() -> int:
    """CPUs this process may use (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def format_bytes(nbytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(nbytes) < 1024 or unit == "PiB":
            return f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.1f} PiB"


def check_memory(nbytes: float, *, what: str, alternatives: str = "") -> None:
    """Raise :class:`MemoryLimitError` if ``nbytes`` exceeds the usable memory.

    Parameters
    ----------
    nbytes
        Estimated peak memory of the planned work.
    what
        Human description of the work, used in the message.
    alternatives
        What the user can do instead (another method, a smaller system).
    """
    limit = MEMORY_FRACTION * available_memory()
    if nbytes > limit:
        msg = (
            f"{what} needs about {format_bytes(nbytes)}, more than the "
            f"{format_bytes(limit)} usable on this machine "
            f"({int(MEMORY_FRACTION * 100)}% of available memory)"
        )
        if alternatives:
            msg += f"; {alternatives}"
        raise MemoryLimitError(msg)
