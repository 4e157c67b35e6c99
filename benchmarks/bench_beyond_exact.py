"""Beyond the exact engine: the cumulant expansion's error, and the timings of both methods.

Accuracy (in one process): all-to-all networks of N = 4 … 12 qubits with Γᵍ_j + Γᵈ_j = Γ = 1
and magnetizations m_j drawn uniformly from [−0.9, 0.9] (NumPy seed N, so the ratios differ and
the steady state is correlated), ω_j = 0, Uˣ = Uʸ = U, Uᶻ = U/2, U/Γ ∈ {0.01, 0.03, 0.1, 0.3,
1, 3, 10} (the issue's range 0.1 … 10 and two weak couplings that show the (U/Γ)² scaling).
The exact steady state (``method="auto"``: direct for N ≤ 6, GMRES above) against the pair
cumulants (``method="cumulant"``, order 2) and mean field (order 1): the largest error of ⟨σᶻ_j⟩,
of ⟨σ⁺_jσ⁻_k⟩ (relative to the largest exact |⟨σ⁺_jσ⁻_k⟩|) and of S_t.

Timings (each case in a fresh subprocess, so its ``VmHWM`` is that case's peak memory; the
load average ``os.getloadavg()`` is recorded before and after, because the machine is shared):

* cumulant, N = 1000, all-to-all with distinct rates (Γᵍ_j, Γᵈ_j uniform in [0.2, 2], seed
  1000), collective coupling N·U = 2 and 10 (Uˣ = Uʸ = U, Uᶻ = U/2);
* permutation: the scaled Fig. 3 network (memory qubit 0 with m₁ = 0.9, M identical qubits
  with m₂ = −0.9, all-to-all Uˣ = Uʸ = 2, Uᶻ = 1) at M = 10, 30, 50; the pumped ensemble with
  collective decay (superradiant laser: Γᵍ = 1, Γᵠ = 0.05, collective lowering 0.2) at N = 100,
  with and without a drive Ω = 0.5 (the drive breaks U(1): GMRES on the charge blocks).

Usage::

    python benchmarks/bench_beyond_exact.py            # full (~10 min: N = 12 exact solves)
    python benchmarks/bench_beyond_exact.py --quick    # N = 4, 6, 8; fewer timing cases
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
COUPLINGS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
CASE_TIMEOUT = 1800


# --------------------------------------------------------------------------- networks
def accuracy_network(n: int, u: float):
    import numpy as np

    from spinsync.model import Network
    from spinsync.model.topology import topology_bonds

    rng = np.random.default_rng(n)
    m = rng.uniform(-0.9, 0.9, n)
    return Network((1 + m) / 2, (1 - m) / 2, bonds=topology_bonds("all-to-all", n, u, u, u / 2))


def timing_network(kind: str, size: int, extra: float):
    import numpy as np

    from spinsync.model import Collective, Network
    from spinsync.model.topology import topology_bonds

    if kind == "cumulant":
        rng = np.random.default_rng(size)
        u = extra / size
        return Network(rng.uniform(0.2, 2, size), rng.uniform(0.2, 2, size),
                       bonds=topology_bonds("all-to-all", size, u, u, u / 2))
    if kind == "fig3":
        from spinsync.figures.fig3_scaled import scaled_network

        return scaled_network(size, "all-to-all")
    return Network([1.0] * size, [0.0] * size, dephasing=[0.05] * size, drive=[extra] * size,
                   collective=[Collective("all", "lowering", 0.2)])


# --------------------------------------------------------------------------- accuracy
def accuracy_rows(sizes) -> list[dict]:
    import numpy as np

    from spinsync import SpinsyncError, flipflop_matrix, magnetizations, steady_state, sync_total

    rows = []
    for n in sizes:
        for u in COUPLINGS:
            net = accuracy_network(n, u)
            t0 = time.perf_counter()
            ref = steady_state(net)
            t_exact = time.perf_counter() - t0
            t0 = time.perf_counter()
            try:
                cum = steady_state(net, method="cumulant")
            except SpinsyncError as exc:  # recorded, not hidden
                rows.append({"n": n, "u": u, "error": str(exc).split(";")[0]})
                continue
            t_cum = time.perf_counter() - t0
            mf = steady_state(net, method="cumulant", order=1)
            iu = np.triu_indices(n, 1)
            ff_ref, ff_cum = flipflop_matrix(ref)[iu], flipflop_matrix(cum)[iu]
            st_ref, st_cum = sync_total(ref), sync_total(cum)
            rows.append({
                "n": n, "u": u, "exact_method": ref.method, "t_exact": t_exact, "t_cum": t_cum,
                "st_exact": st_ref, "st_cum": st_cum, "st_rel": st_cum / st_ref - 1,
                "dz_cum": float(np.max(np.abs(magnetizations(cum) - magnetizations(ref)))),
                "dz_mf": float(np.max(np.abs(magnetizations(mf) - magnetizations(ref)))),
                "dff_rel": float(np.max(np.abs(ff_cum - ff_ref)) / np.max(np.abs(ff_ref))),
                "physical": bool(cum.info["physical"]),
            })
    return rows


def accuracy_table(rows: list[dict]) -> str:
    head = ("| N | U/Γ | exact S_t | cumulant S_t | S_t error | max\\|Δ⟨σᶻ⟩\\| pair cumulants | "
            "max\\|Δ⟨σᶻ⟩\\| mean field | max\\|Δ⟨σ⁺σ⁻⟩\\| / max\\|⟨σ⁺σ⁻⟩\\| | physical | exact (s) | cumulant (s) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n']} | {r['u']:g} | — | {r['error']} | | | | | | | |")
            continue
        lines.append(
            f"| {r['n']} | {r['u']:g} | {r['st_exact']:.4g} | {r['st_cum']:.4g} | {100 * r['st_rel']:+.1f} % | "
            f"{r['dz_cum']:.2e} | {r['dz_mf']:.2e} | {r['dff_rel']:.2f} | {'yes' if r['physical'] else 'no'} | "
            f"{r['t_exact']:.2f} ({r['exact_method']}) | {r['t_cum']:.2f} |")
    return head + "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- timings
def run_case(kind: str, size: int, extra: float) -> dict:
    from peak_memory import peak_rss_bytes  # VmHWM: ru_maxrss would carry the parent's peak

    from spinsync import steady_state, sync_total

    load0 = os.getloadavg()[0]
    net = timing_network(kind, size, extra)
    method = "cumulant" if kind == "cumulant" else "permutation"
    t0, c0 = time.perf_counter(), time.process_time()
    res = steady_state(net, method=method)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = {"kind": kind, "size": size, "extra": extra, "n": net.n, "method": method,
           "wall": wall, "cpu": cpu, "residual": res.residual,
           "peak_rss": peak_rss_bytes(),
           "sync_total": sync_total(res), "load_before": load0, "load_after": os.getloadavg()[0]}
    info = res.info
    if method == "cumulant":
        out.update(unknowns=info["unknowns"], steps=info["steps"], evaluations=info["evaluations"],
                   physical=info["physical"])
    else:
        out.update(sector_dim=info["sector_dim"], solver=info["solver"], sector=info["sector"],
                   iterations=info.get("iterations"))
    return out


def _subprocess(kind: str, size: int, extra: float) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", kind, str(size), str(extra)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=CASE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "size": size, "extra": extra, "error": f"timeout after {CASE_TIMEOUT} s"}
    if proc.returncode != 0:
        return {"kind": kind, "size": size, "extra": extra,
                "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timing_cases(quick: bool) -> list[tuple[str, int, float]]:
    if quick:
        return [("cumulant", 300, 2.0), ("fig3", 10, 0.0), ("fig3", 50, 0.0), ("laser", 100, 0.0)]
    return [("cumulant", 1000, 2.0), ("cumulant", 1000, 10.0), ("fig3", 10, 0.0), ("fig3", 30, 0.0),
            ("fig3", 50, 0.0), ("laser", 100, 0.0), ("laser", 100, 0.5)]


def _label(r: dict) -> str:
    if r["kind"] == "cumulant":
        return f"all-to-all, distinct rates, N·U = {r['extra']:g}"
    if r["kind"] == "fig3":
        return f"scaled Fig. 3 (a): memory qubit + M = {r['size']} identical, all-to-all"
    return "superradiant laser" + (f", drive Ω = {r['extra']:g}" if r["extra"] else "")


def timing_table(rows: list[dict]) -> str:
    head = ("| case | N | method | unknowns / sector | wall (s) | CPU (s) | peak memory | residual | "
            "details | load (1 min) before → after |\n|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['kind']} {r['size']} | — | — | — | — | — | — | — | {r['error']} | — |")
            continue
        if r["method"] == "cumulant":
            size, detail = r["unknowns"], f"{r['steps']} steps, {r['evaluations']} evaluations"
        else:
            size = f"{r['sector_dim']} ({r['sector']})"
            detail = r["solver"] + (f", {r['iterations']} iterations" if r.get("iterations") else "")
        mem = r["peak_rss"] / 2**30
        lines.append(f"| {_label(r)} | {r['n']} | {r['method']} | {size} | {r['wall']:.2f} | "
                     f"{r['cpu']:.2f} | {mem:.2f} GiB | {r['residual']:.1e} | {detail} | "
                     f"{r['load_before']:.1f} → {r['load_after']:.1f} |")
    return head + "\n".join(lines) + "\n"


def run(quick: bool = False) -> str:
    """The markdown section (``benchmarks/run.py`` concatenates it into BENCHMARKS.md)."""
    sys.path.insert(0, str(SRC))
    start, load0 = time.perf_counter(), os.getloadavg()
    sizes = (4, 6, 8) if quick else (4, 6, 8, 10, 12)
    acc = accuracy_rows(sizes)
    timings = [_subprocess(*c) for c in timing_cases(quick)]
    load1 = os.getloadavg()
    return (
        "## Beyond the exact engine: permutation method and cumulant expansion\n\n"
        f"Command: `python benchmarks/bench_beyond_exact.py{' --quick' if quick else ''}`. Machine: "
        f"{os.cpu_count()} cores; load average (1, 5, 15 min) {load0[0]:.1f}, {load0[1]:.1f}, "
        f"{load0[2]:.1f} at start, {load1[0]:.1f}, {load1[1]:.1f}, {load1[2]:.1f} at end — the "
        f"machine is shared, so wall times can be inflated (CPU times given beside). Total "
        f"{time.perf_counter() - start:.0f} s.\n\n"
        "### Accuracy of the pair cumulants against the exact steady state\n\n"
        "All-to-all, Γᵍ_j + Γᵈ_j = Γ = 1, m_j uniform in [−0.9, 0.9] (seed N), Uˣ = Uʸ = U, "
        "Uᶻ = U/2, ω = 0 (all qubits resonant: coherences decay at Γ/4 and the flip-flop term is "
        "2U, so U/Γ = 0.1 is already a strong coupling). *S_t error* is S_t(cumulant)/S_t(exact) − 1; the ⟨σ⁺σ⁻⟩ error is the "
        "largest pair's, relative to the largest exact |⟨σ⁺_jσ⁻_k⟩|. Mean field (order 1) has "
        "⟨σ⁺_jσ⁻_k⟩ = 0 and S_t = 0 here (no drive), so only its ⟨σᶻ⟩ error is listed. *physical*: "
        "every reconstructed pair matrix positive and |⟨σ⟩| ≤ 1.\n\n"
        + accuracy_table(acc)
        + "\n### Timings\n\n"
        "Each case in a fresh subprocess (peak memory = its maximum resident set, interpreter and "
        "imports included). Cumulant residual: max|dx/dt| / rate scale of the closed equations; "
        "permutation residual: ‖𝓛x‖/‖x‖ in the Dicke representation.\n\n"
        + timing_table(timings)
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--case"]:
        sys.path.insert(0, str(SRC))
        print(json.dumps(run_case(argv[1], int(argv[2]), float(argv[3]))))
        return
    print(run(quick="--quick" in argv))


if __name__ == "__main__":
    main(sys.argv[1:])
