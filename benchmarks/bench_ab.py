"""The paper's rows against an earlier checkout of spinsync, in one run (issue 10: "no slower").

Each tree is timed in its own subprocess (``PYTHONPATH`` = that tree's ``src``) on the
all-to-all networks of ``bench_steady.py`` (each tree's own ``build_network``: same seeds and
parameter ranges, checked by the equal residual scale and method in the table), the two
trees alternating case by case so that a change in the machine's load hits both alike.
In each process one solve of the same network warms the imports and the first touch of
memory; the figure is the best of three further ``steady_state`` calls.

Usage::

    python benchmarks/bench_ab.py --base ../spinsync-old [--sizes 4,5,6,7,8,9,10]

Not part of ``make bench`` (it needs a second checkout); its output is pasted into
BENCHMARKS.md with the base commit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
from bench_steady import build_network
from spinsync import steady_state
n, family = {n}, {family!r}
net = build_network(n, family)
res = steady_state(net)  # warm-up: imports, kernels, first touch of the work arrays
times = []
for _ in range(3):
    t = time.perf_counter(); res = steady_state(net); times.append(time.perf_counter() - t)
print(json.dumps({{"time": min(times), "method": res.method, "residual": res.residual}}))
"""


def time_case(tree: Path, n: int, family: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    # each tree builds the network with its own bench_steady.build_network (same seeds and
    # ranges; the model API differs between versions)
    code = _CHILD.format(bench=str(tree / "benchmarks"), n=n, family=family)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the earlier checkout")
    parser.add_argument("--sizes", default="4,5,6,7,8,9,10")
    args = parser.parse_args(argv)
    base = subprocess.run(["git", "-C", str(args.base), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    here = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    load0 = os.getloadavg()
    lines = [f"| N | network | {base} (s) | {here} (s) | ratio this/base | method |",
             "|---|---|---|---|---|---|"]
    for n in (int(s) for s in args.sizes.split(",")):
        for family in ("U=2", "U=80"):
            old = time_case(args.base.resolve(), n, family)
            new = time_case(HERE.parent, n, family)
            lines.append(f"| {n} | all-to-all {family} | {old['time']:.4f} | {new['time']:.4f} | "
                         f"{new['time'] / old['time']:.2f} | {new['method']} |")
    load1 = os.getloadavg()
    print(f"Command: `python benchmarks/bench_ab.py --base <checkout of {base}> "
          f"--sizes {args.sizes}`; load average (1 min) {load0[0]:.1f} at start, "
          f"{load1[0]:.1f} at end.\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
