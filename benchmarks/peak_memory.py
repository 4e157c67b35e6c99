"""Peak resident memory of this process, for the benchmark tables.

``getrusage(RUSAGE_SELF).ru_maxrss`` is the wrong number for a benchmark case run in a
subprocess: Linux carries it over fork and exec, so a case launched by a parent that once
held 1 GiB reports at least 1 GiB (measured here: a child of a 1 GiB parent read 1.03 GiB
from ``ru_maxrss`` and 13 MiB from ``VmHWM``). ``VmHWM`` in ``/proc/self/status`` is the
high-water mark of this process's own address space, which starts afresh at exec.
"""

from __future__ import annotations

import resource


def peak_rss_bytes() -> int:
    """The process's peak resident set in bytes (``VmHWM``; ``ru_maxrss`` where /proc is absent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
