"""The README's performance numbers are the ones in BENCHMARKS.md.

Parses the steady-state table of BENCHMARKS.md and checks the README quotes its N = 7 QuTiP
ratios, the N = 12 time and memory, the N = 13 and 14 runs, the GMRES iteration range and its
largest residual, as they are there (so regenerating BENCHMARKS.md without updating the README fails here).
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


def test_n7_qutip_ratio() -> None:
    ratios = [int(r["ratio"].rstrip("×")) for r in _steady_rows()
              if r["N"] == "7" and r["network"].startswith("all-to-all Uˣ=Uʸ")]
    assert ratios
    assert f"{min(ratios)}–{max(ratios)}× faster than QuTiP" in README


def test_n12_n13_n14() -> None:
    flat = " ".join(README.split())
    rows = _steady_rows()
    slowest = max((r for r in rows if r["N"] == "12" and r["network"].startswith("all-to-all Uˣ=Uʸ")),
                  key=lambda r: float(r["spinsync time (s)"]))
    assert f"N = 12 takes {slowest['spinsync time (s)']} s ({slowest['peak memory']} peak)" in flat
    for n in ("13", "14"):
        row = [r for r in rows if r["N"] == n][0]
        assert f"N = {n} {row['spinsync time (s)']} s" in flat, n
        assert row["peak memory"] in flat, n


def test_gmres_iteration_range() -> None:
    """The range quoted for the all-to-all qubit networks (U(1) and XYZ)."""
    rows = [r for r in _steady_rows()
            if r["method"] == "gmres" and r["network"].startswith("all-to-all")]
    its = [int(r["iterations"]) for r in rows]
    ns = [int(r["N"]) for r in rows]
    assert f"{min(its)}–{max(its)} iterations for N = {min(ns)}–{max(ns)}" in README


def test_gmres_largest_residual() -> None:
    rows = [r for r in _steady_rows() if r["method"] == "gmres"]
    largest = max(float(r["residual ‖L[ρ]‖/‖ρ‖"]) for r in rows)
    assert f"at most {largest:.1e} in `BENCHMARKS.md`" in " ".join(README.split())


def test_no_stale_round_numbers() -> None:
    flat = " ".join(README.split())
    for stale in ("about 170×", "N = 1000 takes milliseconds", "about 50 s", "about 9 min"):
        assert stale not in flat, stale
