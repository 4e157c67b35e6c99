"""Steady-state benchmark: spinsync (``method="auto"``) against QuTiP's default
``qutip.steadystate`` on the same networks, side by side in one process per case.

Networks (issue 3): all-to-all with Uˣ = Uʸ = 2, Uᶻ = 1 ("U=2") and the strong case
Uˣ = Uʸ = 80, Uᶻ = 1 ("U=80"); XYZ all-to-all with Uˣ = 2, Uʸ = 0.5, Uᶻ = 1. Frequencies
ω_j uniform in [−1, 1], rates Γᵍ_j, Γᵈ_j uniform in [0.2, 2], seeded by N (distinct
ratios, so the steady state is correlated and the no-go shortcut does not apply).

General-model rows (issue 10): "spin1-RB" — spin-1 sites in the Roulet–Bruder scheme
(J⁺Jᶻ, J⁻Jᶻ), all-to-all XXZ Uˣ = Uʸ = 1, Uᶻ = 0.5, γᵍ_j, γᵈ_j ∈ [0.5, 2], ω_j ∈ [−1, 1];
"driven" — the U=2 qubit network with a drive Ω = 0.5 on qubit 0 (no symmetry: the full
space); "chain" — the boundary-driven XXZ chain of Prosen (σ⁺ on site 0 and σ⁻ on the
last at Γ = 4, nothing in between, Uˣ = Uʸ = 1, Uᶻ = 0.5). The chain is certified
irreducible (spinsync.steady.irreducibility: one GMRES solve); the Roulet–Bruder scheme is
not (J±Jᶻ annihilate m = 0), so spinsync solves twice there (the second-start check).

Each case runs in a fresh subprocess so that its peak resident memory (``VmHWM``, which —
unlike tracemalloc — counts BLAS/LAPACK work arrays, and unlike ``ru_maxrss`` does not
inherit the parent's peak: ``peak_memory.py``) belongs to that case alone:
spinsync runs first and its peak is read before QuTiP starts. QuTiP runs only where it
finishes on the 2-core machine (N ≤ 7); N = 8 did not finish in 10 minutes.

Usage::

    python benchmarks/bench_steady.py            # N = 4…12 and XYZ N = 8, 10 (~10 min)
    python benchmarks/bench_steady.py --quick    # N = 4…7 (~1 min)
    python benchmarks/bench_steady.py --big      # adds N = 13 (~10–15 min more)
    python benchmarks/bench_steady.py --probe 14 3 --restart 20
        # setup + 3 GMRES iterations only: per-iteration cost and memory at N = 14
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
#: QuTiP's default solver is run up to this N (N = 8 does not finish in 10 min here).
QUTIP_MAX_N = 7
#: … and per family where it differs (4 spin-1 sites: Liouvillian of dimension 6561).
QUTIP_MAX = {"spin1-RB": 4}
#: Wall-clock limit of one case (s).
CASE_TIMEOUT = 3600


@dataclass(frozen=True)
class Case:
    n: int
    family: str  # "U=2", "U=80", "XYZ", "spin1-RB", "driven" or "chain"

    @property
    def label(self) -> str:
        return {
            "U=2": "all-to-all Uˣ=Uʸ=2, Uᶻ=1",
            "U=80": "all-to-all Uˣ=Uʸ=80, Uᶻ=1",
            "XYZ": "all-to-all XYZ Uˣ=2, Uʸ=0.5, Uᶻ=1",
            "spin1-RB": "spin 1, Roulet–Bruder, all-to-all XXZ",
            "driven": "qubits U=2 + drive on qubit 0 (no symmetry)",
            "chain": "boundary-driven XXZ chain",
        }[self.family]

    @property
    def qutip_max(self) -> int:
        return QUTIP_MAX.get(self.family, QUTIP_MAX_N)


def cases(quick: bool = False, big: bool = False) -> list[Case]:
    """The benchmark grid (``big``: the long rows of issue 15, N = 13 and 14)."""
    sizes = range(4, 8) if quick else range(4, 13)
    out = [Case(n, fam) for n in sizes for fam in ("U=2", "U=80")]
    out += [Case(6, "XYZ")] if quick else [Case(6, "XYZ"), Case(8, "XYZ"), Case(10, "XYZ"),
                                           Case(11, "XYZ")]
    out += [Case(n, "spin1-RB") for n in (range(4, 6) if quick else range(4, 9))]
    out += [Case(n, "driven") for n in ((6, 7) if quick else (7, 8, 9, 10))]
    out += [Case(n, "chain") for n in ((6, 7) if quick else (6, 7, 8, 10, 12))]
    if big and not quick:
        out += [Case(13, "U=2"), Case(14, "U=2")]
    return out


# --------------------------------------------------------------------------- one case
def build_network(n: int, family: str):  # -> spinsync.Network
    import numpy as np

    from spinsync.model import Network, all_to_all_bonds, chain_bonds

    rng = np.random.default_rng(n)
    if family == "spin1-RB":
        return Network.spins(1, rng.uniform(0.5, 2, n), rng.uniform(0.5, 2, n),
                             scheme="roulet-bruder", omega=rng.uniform(-1, 1, n),
                             bonds=[(j, k, 1.0, 1.0, 0.5) for j, k in all_to_all_bonds(n)])
    if family == "chain":
        gain, damping = np.zeros(n), np.zeros(n)
        gain[0] = damping[-1] = 4.0
        return Network(gain, damping, bonds=[(j, k, 1.0, 1.0, 0.5) for j, k in chain_bonds(n)])
    ux, uy, uz = {"U=2": (2.0, 2.0, 1.0), "U=80": (80.0, 80.0, 1.0), "XYZ": (2.0, 0.5, 1.0),
                  "driven": (2.0, 2.0, 1.0)}[family]
    drive = np.zeros(n)
    if family == "driven":
        drive[0] = 0.5
    return Network(
        gain=rng.uniform(0.2, 2, n),
        damping=rng.uniform(0.2, 2, n),
        omega=rng.uniform(-1, 1, n),
        bonds=[(j, k, ux, uy, uz) for j, k in all_to_all_bonds(n)],
        drive=drive,
    )


def qutip_steady(network):  # -> dense ndarray
    """QuTiP's default steadystate on the same master equation, built from the model's
    parameters with QuTiP's own operators (docs/conventions.md: qubit basis (|↑⟩, |↓⟩) =
    qutip's (basis(2,0), basis(2,1)), spin basis m = s … −s = qutip's jmat order; collapse
    operators √(Γ/2)·A; qubits: (ω/2)σᶻ, (Ω/2)(cos φ σˣ + sin φ σʸ), Uσσ; spins: (ω/2)Jᶻ,
    UJJ, Roulet–Bruder A± = J±Jᶻ)."""
    import numpy as np
    import qutip

    n = network.n
    dims = network.dims

    def site(op, j):
        return qutip.tensor([op if k == j else qutip.qeye(dims[k]) for k in range(n)])

    if network.is_qubits:
        x, y, z, up, down = (qutip.sigmax(), qutip.sigmay(), qutip.sigmaz(), qutip.sigmap(),
                             qutip.sigmam())
        half = 0.5  # the qubit drive is (Ω/2)(cos φ σˣ + sin φ σʸ)
    else:
        s = (dims[0] - 1) / 2
        x, y, z = qutip.jmat(s, "x"), qutip.jmat(s, "y"), qutip.jmat(s, "z")
        jp, jm = qutip.jmat(s, "+"), qutip.jmat(s, "-")
        up, down = (jp * z, jm * z) if network.scheme == "roulet-bruder" else (jp, jm)
        half = 1.0  # the spin drive is Ω(cos φ Jˣ + sin φ Jʸ)
    h = 0
    for j in range(n):
        h = h + (network.omega[j] / 2 + network.field) * site(z, j)
        if network.drive[j]:
            phase = network.drive_phase[j]
            h = h + half * network.drive[j] * (np.cos(phase) * site(x, j) + np.sin(phase) * site(y, j))
    for j, k, ux, uy, uz in network.bonds:
        for u, op in ((ux, x), (uy, y), (uz, z)):
            if u:
                h = h + u * site(op, j) * site(op, k)
    c_ops = []
    for j in range(n):
        if network.gain[j] > 0:
            c_ops.append(np.sqrt(network.gain[j] / 2) * site(up, j))
        if network.damping[j] > 0:
            c_ops.append(np.sqrt(network.damping[j] / 2) * site(down, j))
    return qutip.steadystate(h, c_ops).full()


def _peak_rss_bytes() -> int:
    from peak_memory import peak_rss_bytes  # benchmarks/peak_memory.py: VmHWM, not ru_maxrss

    return peak_rss_bytes()


def run_case(n: int, family: str) -> dict:
    """Run one case in this process; spinsync first, then (N ≤ 7) QuTiP."""
    import numpy as np

    from spinsync.steady import steady_state

    net = build_network(n, family)
    rss0 = _peak_rss_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    res = steady_state(net, method="auto")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    row = {
        "n": n,
        "family": family,
        "method": res.method,
        "symmetry": res.symmetry,
        "sector_dim": res.info.get("sector_dim"),
        "time": wall,
        "cpu_time": cpu,
        "residual": res.residual,
        "iterations": res.info.get("iterations"),
        "peak_rss": _peak_rss_bytes(),
        "baseline_rss": rss0,
        "qutip_time": None,
        "max_diff": None,
    }
    if n <= Case(n, family).qutip_max:
        t0 = time.perf_counter()
        rho_q = qutip_steady(net)
        row["qutip_time"] = time.perf_counter() - t0
        row["max_diff"] = float(np.max(np.abs(rho_q - res.state.to_dense())))
    return row


def probe(n: int, iterations: int, restart: int | None = None) -> dict:
    """Setup and the first ``iterations`` GMRES steps of the U=2 network at size ``n``,
    to measure the cost per iteration and the memory where a full solve is too long."""
    from spinsync.errors import ConvergenceError
    from spinsync.steady.gmres import solve_gmres

    net = build_network(n, "U=2")
    stamps: list[float] = []
    t0 = time.perf_counter()
    try:
        res = solve_gmres(net, maxiter=iterations, restart=restart,
                          callback=lambda i, r: stamps.append(time.perf_counter()))
        outcome = f"converged, residual {res.residual:.1e}"
    except ConvergenceError as exc:
        outcome = f"stopped by maxiter: {str(exc)[:80]}…"
    total = time.perf_counter() - t0
    per_it = (stamps[-1] - stamps[0]) / (len(stamps) - 1) if len(stamps) > 1 else None
    return {
        "n": n, "iterations": len(stamps), "total_time": total,
        "setup_and_first_iteration": stamps[0] - t0 if stamps else None,
        "time_per_iteration": per_it, "peak_rss": _peak_rss_bytes(), "outcome": outcome,
    }


def _run_in_subprocess(case: Case) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", str(case.n), case.family]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=CASE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"n": case.n, "family": case.family, "error": f"timeout after {CASE_TIMEOUT} s"}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"n": case.n, "family": case.family, "error": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report
def _fmt_time(t: float | None) -> str:
    if t is None:
        return "—"
    return f"{t:.3f}" if t < 10 else f"{t:.1f}"


def _fmt_bytes(b: float) -> str:
    return f"{b / 2**30:.2f} GiB" if b >= 2**30 else f"{b / 2**20:.0f} MiB"


def table(rows: list[dict]) -> str:
    head = (
        "| N | network | symmetry | sector dim | method | spinsync time (s) | CPU time (s) "
        "| QuTiP time (s) | ratio | residual ‖L[ρ]‖/‖ρ‖ | iterations | peak memory "
        "| max\\|ρ−ρ_QuTiP\\| |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in rows:
        label = Case(r["n"], r["family"]).label
        if "error" in r:
            lines.append(f"| {r['n']} | {label} | | | failed: {r['error']} | | | | | | | | |")
            continue
        ratio = f"{r['qutip_time'] / r['time']:.0f}×" if r["qutip_time"] else "—"
        diff = f"{r['max_diff']:.1e}" if r["max_diff"] is not None else "—"
        lines.append(
            f"| {r['n']} | {label} | {r.get('symmetry', '')} | {r['sector_dim']} | {r['method']} "
            f"| {_fmt_time(r['time'])} "
            f"| {_fmt_time(r['cpu_time'])} | {_fmt_time(r['qutip_time'])} | {ratio} "
            f"| {r['residual']:.1e} | {r['iterations'] if r['iterations'] is not None else '—'} "
            f"| {_fmt_bytes(r['peak_rss'])} | {diff} |"
        )
    return head + "\n".join(lines) + "\n"


def _machine() -> str:
    import numpy as np
    import psutil

    try:
        import qutip

        qv = qutip.__version__
    except ImportError:
        qv = "not installed"
    return (
        f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
        f"{platform.python_implementation()} {platform.python_version()}, numpy {np.__version__}, "
        f"qutip {qv}"
    )


def run(quick: bool = False, big: bool = False) -> str:
    """Run the grid; return a markdown section (nothing is written to disk)."""
    load0 = os.getloadavg()
    start = time.perf_counter()
    rows = [_run_in_subprocess(c) for c in cases(quick, big)]
    load1 = os.getloadavg()
    cmd = "python benchmarks/bench_steady.py" + (" --quick" if quick else "") + (" --big" if big else "")
    return (
        "## Steady states: spinsync vs QuTiP\n\n"
        f"Command: `{cmd}` (or `make bench`). Machine: {_machine()}. "
        f"Load average (1 min) {load0[0]:.1f} at start, {load1[0]:.1f} at end; the machine is "
        "shared, so wall times can be inflated — CPU time (both BLAS threads) is given too. "
        f"Total {time.perf_counter() - start:.0f} s.\n\n"
        "spinsync uses `steady_state(network, method=\"auto\")` (analytic → sector direct "
        "for sector dim ≤ 1000 → matrix-free GMRES with the no-jump preconditioner). QuTiP "
        "uses `qutip.steadystate(H, c_ops)` with its defaults, in the same process, only for "
        f"N ≤ {QUTIP_MAX_N}. Ratio = QuTiP time / spinsync time. Peak memory is the process's "
        "maximum resident set after the spinsync solve (interpreter and imports included). "
        "Networks: ω ∈ [−1, 1], Γᵍ, Γᵈ ∈ [0.2, 2], NumPy seed = N.\n\n" + table(rows)
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--case"]:
        sys.path.insert(0, str(SRC))
        print(json.dumps(run_case(int(argv[1]), argv[2])))
        return
    if argv[:1] == ["--probe"]:
        sys.path.insert(0, str(SRC))
        restart = int(argv[argv.index("--restart") + 1]) if "--restart" in argv else None
        print(json.dumps(probe(int(argv[1]), int(argv[2]), restart)))
        return
    print(run(quick="--quick" in argv, big="--big" in argv))


if __name__ == "__main__":
    main(sys.argv[1:])
