"""Run every benchmark (spinsync beside QuTiP in one process) and write BENCHMARKS.md.

Usage::

    python benchmarks/run.py [--quick | --big] [--only steady,dynamics] [--write BENCHMARKS.md]

Each ``benchmarks/bench_<name>.py`` module exposes ``run(quick: bool) -> str`` returning a
markdown section; this script concatenates them under a header that records the command,
the date and the machine. Not part of ``make test``: timings are not assertions.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

SUITES = ("steady", "dynamics", "qutip", "beyond_exact")


def _machine() -> str:
    import numpy as np
    import psutil
    import scipy

    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB; "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--big", action="store_true",
                        help="add the long rows (steady N = 13, 14: about 20 min more)")
    parser.add_argument("--only", default=",".join(SUITES), help="comma-separated suites")
    parser.add_argument("--write", type=Path, help="write the markdown to this file")
    args = parser.parse_args(argv)

    from spinsync.io import atomic_write_bytes

    # Each finished suite is kept in <write>.partial until all are done: a failure in a later
    # suite (or Ctrl-C) loses none of the hours already measured.
    partial = args.write.with_name(args.write.name + ".partial") if args.write else None
    sections = []
    for name in [s.strip() for s in args.only.split(",") if s.strip()]:
        module = importlib.import_module(f"bench_{name}")
        start = time.perf_counter()
        kwargs = {"big": True} if args.big and "big" in inspect.signature(module.run).parameters else {}
        sections.append(module.run(quick=args.quick, **kwargs))
        print(f"[{name}] done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        if partial is not None:
            atomic_write_bytes(partial, ("\n\n".join(sections) + "\n").encode())

    command = ("python benchmarks/run.py --quick" if args.quick else
               "make bench-big" if args.big else "make bench")
    header = (
        "# Benchmarks\n\n"
        f"Made by `{command}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.\n"
        f"Machine: {_machine()}.\n\n"
        "spinsync and QuTiP run side by side in the same process on the same networks; "
        "ratios are QuTiP time / spinsync time.\n"
    )
    text = header + "\n" + "\n\n".join(sections) + "\n"
    if args.write:
        atomic_write_bytes(args.write, text.encode())
        if partial is not None:
            partial.unlink(missing_ok=True)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
