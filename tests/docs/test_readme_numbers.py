"""The README's performance numbers are the ones in BENCHMARKS.md.

Parses the steady-state table of BENCHMARKS.md and checks the README quotes its N = 7 QuTiP
ratios, the N = 12 time and memory, the N = 13 run, and the GMRES iteration range, as they
are there (so regenerating BENCHMARKS.md without updating the README fails here).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BENCH = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")


def _steady_rows() -> list[dict[str, str]]:
    section = BENCH.split("## Steady states", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in ln.strip("|").split("|")))) for ln in lines[2:]]


def _big_rows() -> list[dict[str, str]]:
    section = BENCH.split("## Larger steady states", 1)[1]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in ln.strip("|").split("|")))) for ln in lines[2:]]


def test_n7_qutip_ratio() -> None:
    ratios = [int(r["ratio"].rstrip("×")) for r in _steady_rows() if r["N"] == "7"]
    assert ratios
    assert f"{min(ratios)}–{max(ratios)}× faster than QuTiP" in README


def test_n12_and_n13() -> None:
    flat = " ".join(README.split())
    slowest = max((r for r in _steady_rows() if r["N"] == "12"), key=lambda r: float(r["spinsync time (s)"]))
    assert f"N = 12 takes {slowest['spinsync time (s)']} s ({slowest['peak memory']} peak)" in flat
    n13 = [r for r in _big_rows() if r["N"] == "13"][0]
    seconds = n13["time"].split()[0]
    assert f"N = 13 {seconds} s" in flat
    assert n13["peak memory"] in flat


def test_gmres_iteration_range() -> None:
    rows = [r for r in _steady_rows() if r["method"] == "gmres"]
    rows += [r for r in _big_rows() if r["method"] == "gmres" and r["iterations"] not in ("—", "")]
    its = [int(r["iterations"]) for r in rows]
    ns = [int(r["N"]) for r in rows]
    assert f"{min(its)}–{max(its)} iterations for N = {min(ns)}–{max(ns)}" in README


def test_no_stale_round_numbers() -> None:
    flat = " ".join(README.split())
    for stale in ("about 170×", "N = 1000 takes milliseconds", "about 50 s", "about 9 min"):
        assert stale not in flat, stale
