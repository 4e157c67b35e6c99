"""Benchmark: the QuTiP drop-ins against QuTiP itself, same process, same Qobj inputs (issue 12).

* ``spinsync.interop.qutip.steadystate`` vs ``qutip.steadystate`` (QuTiP's default: direct)
  for N = 4 … 8 on two models built in QuTiP:

  - **U(1)**: all-to-all XXZ (σˣσˣ + σʸσʸ + 0.5 σᶻσᶻ), ω_j uniform in [−1, 1], gain, damping
    and dephasing rates uniform (seeded by N), collapse operators √(γ/2)·σ⁺, σ⁻, σᶻ;
  - **none**: the dissipative transverse-field Ising chain below.

  QuTiP runs where it finishes in reasonable time here (U(1): N ≤ 7; the Ising chain:
  N ≤ 6 — at N = 7 it had not finished after 10 minutes).

* ``spinsync.interop.qutip.mesolve`` vs ``qutip.mesolve`` on the dissipative
  transverse-field Ising chain H = Σ σᶻ_jσᶻ_{j+1} + Σ σˣ_j, c_j = √0.5 σ⁻_j, from all up,
  t ∈ [0, 10], 100 outputs, e_ops = σᶻ_j, rtol 1e-6 and QuTiP's default atol 1e-8 on both
  sides, N = 6 … 10. Errors are also given against a tight reference (spinsync's Taylor
  propagator at rtol 1e-12, which agrees with DOP853 at rtol 1e-12 to ~3e-13).

Both sides run single-threaded (BLAS and numba: the comparison is per core; QuTiP's
mesolve uses one core). The numba kernels are compiled before any timing (warm-up);
times are the best of the repeats; the load average is recorded with every row because
the machine may be shared.

Run ``python benchmarks/bench_qutip.py [--quick]``; ``run()`` returns the markdown section
that ``benchmarks/run.py`` assembles into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    # A process of its own starts its pools with one thread; inside benchmarks/run.py the
    # other suites may have started numba's already, where changing NUMBA_NUM_THREADS makes
    # the next compilation fail — run() limits both pools at run time instead.
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

#: Largest N at which qutip.steadystate is run, per model (see the module docstring).
QUTIP_STEADY_MAX_N = {"u1": 7, "none": 6}
RTOL, ATOL = 1e-6, 1e-8
TIMES = np.linspace(0.0, 10.0, 100)


def _log(message: str) -> None:
    print(f"[bench_qutip] {message}", file=sys.stderr, flush=True)


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _site(op, j: int, n: int):
    import qutip as qt

    return qt.tensor([op if i == j else qt.qeye(2) for i in range(n)])


def ising(n: int):
    """(H, c_ops, |↑…↑⟩, e_ops) of the dissipative transverse-field Ising chain."""
    import qutip as qt

    h = sum(_site(qt.sigmaz(), j, n) * _site(qt.sigmaz(), j + 1, n) for j in range(n - 1))
    h = h + sum(_site(qt.sigmax(), j, n) for j in range(n))
    c_ops = [np.sqrt(0.5) * _site(qt.sigmam(), j, n) for j in range(n)]
    psi = qt.tensor([qt.basis(2, 0)] * n)
    return h, c_ops, psi, [_site(qt.sigmaz(), j, n) for j in range(n)]


def xxz_all_to_all(n: int):
    """(H, c_ops) of the U(1) model: all-to-all XXZ with gain, damping and dephasing."""
    import qutip as qt

    rng = np.random.default_rng(n)
    omega, gain = rng.uniform(-1, 1, n), rng.uniform(0.2, 2, n)
    damping, dephasing = rng.uniform(0.2, 2, n), rng.uniform(0.0, 0.5, n)
    sx, sy, sz = qt.sigmax(), qt.sigmay(), qt.sigmaz()
    h = sum(omega[j] / 2 * _site(sz, j, n) for j in range(n))
    for j in range(n):
        for k in range(j + 1, n):
            h = h + (_site(sx, j, n) * _site(sx, k, n) + _site(sy, j, n) * _site(sy, k, n)
                     + 0.5 * _site(sz, j, n) * _site(sz, k, n))
    c_ops = [np.sqrt(gain[j] / 2) * _site(qt.sigmap(), j, n) for j in range(n)]
    c_ops += [np.sqrt(damping[j] / 2) * _site(qt.sigmam(), j, n) for j in range(n)]
    c_ops += [np.sqrt(dephasing[j] / 2) * _site(sz, j, n) for j in range(n)]
    return h, c_ops


def _best(fn, repeats: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _warm_up() -> None:
    from spinsync.interop.qutip import mesolve

    h, c, psi, e = ising(6)  # D = 64: the compiled full-space kernels run
    mesolve(h, psi, TIMES[:3], c, e_ops=e)


# --------------------------------------------------------------------------- steady states
def steady_row(n: int, model: str, repeats: int) -> dict:
    import qutip as qt

    from spinsync.interop.qutip import steadystate

    h, c = xxz_all_to_all(n) if model == "u1" else ising(n)[:2]
    load = _load()
    t_ours, (rho, info) = _best(lambda: steadystate(h, c, return_info=True), repeats)
    row = {"n": n, "model": model, "t_ours": t_ours, "method": info["method"],
           "symmetry": info["symmetry"], "residual": info["residual"], "load": load,
           "t_qutip": None, "diff": None}
    if n <= QUTIP_STEADY_MAX_N[model]:
        t_q, ref = _best(lambda: qt.steadystate(h, c), 1 if n >= 6 else repeats)
        row.update(t_qutip=t_q, diff=float(np.max(np.abs(ref.full() - rho.full()))))
    row["load_after"] = _load()
    return row


# --------------------------------------------------------------------------- dynamics
def mesolve_row(n: int, repeats: int, qutip_repeats: int) -> dict:
    import qutip as qt

    from spinsync.dynamics.options import Taylor
    from spinsync.interop.qutip import mesolve

    h, c, psi, e = ising(n)
    opts = {"rtol": RTOL, "atol": ATOL}
    load = _load()
    t_ours, ours = _best(lambda: mesolve(h, psi, TIMES, c, e_ops=e, options=opts), repeats)
    load_q = _load()
    t_q, ref = _best(lambda: qt.mesolve(h, psi, TIMES, c, e_ops=e, options=opts), qutip_repeats)
    tight = mesolve(h, psi, TIMES, c, e_ops=e, options=Taylor(rtol=1e-12, atol=1e-14, degree=24))
    a, b, t = (np.array(x.expect) for x in (ours, ref, tight))
    return {
        "n": n, "t_ours": t_ours, "t_qutip": t_q, "load": load, "load_qutip": load_q,
        "diff": float(np.max(np.abs(a - b))), "err_ours": float(np.max(np.abs(a - t))),
        "err_qutip": float(np.max(np.abs(b - t))), "nfev": sum(ours.info["nfev"].values()),
        "operator": ours.info["method"], "integrator": ours.info["integrator"],
    }


def run(quick: bool = False) -> str:
    """Markdown section with both tables (``quick``: N ≤ 6 steady, N = 6, 7 dynamics), with
    one BLAS and one numba thread (the comparison is per core)."""
    import numba

    from spinsync.blas_threads import limit_blas_threads

    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        with limit_blas_threads(1):
            return _run(quick)
    finally:
        numba.set_num_threads(previous)


def _run(quick: bool) -> str:
    import qutip

    import spinsync

    _warm_up()
    steady_sizes = range(4, 7) if quick else range(4, 9)
    steady = []
    for model in ("u1", "none"):
        for n in steady_sizes:
            steady.append(steady_row(n, model, 3))
            r = steady[-1]
            _log(f"steady {model} N={n}: spinsync {r['t_ours']:.3f} s, qutip {r['t_qutip']}")
    dyn_sizes = (6, 7) if quick else (6, 7, 8, 9, 10)
    dynamics = []
    for n in dyn_sizes:
        dynamics.append(mesolve_row(n, 3 if n <= 8 else 2, 3 if n <= 7 else 1))
        r = dynamics[-1]
        _log(f"mesolve N={n}: spinsync {r['t_ours']:.2f} s, qutip {r['t_qutip']:.1f} s")

    lines = [
        "## QuTiP drop-ins (`spinsync.steadystate`, `spinsync.mesolve` vs QuTiP)",
        "",
        f"QuTiP {qutip.__version__}, spinsync {spinsync.__version__}; same process, the same "
        "Qobj inputs on both sides, one thread each (BLAS and numba). Best of 3 runs "
        "(QuTiP's slow cases once); load averages (1/5/15 min) on "
        f"{os.cpu_count()} cores are recorded before each measurement.",
        "",
        "### Steady states",
        "",
        "U(1): all-to-all XXZ (σˣσˣ + σʸσʸ + 0.5σᶻσᶻ) with gain, damping and dephasing on every "
        "site; none: the dissipative Ising chain below. QuTiP: `qutip.steadystate(H, c_ops)` "
        "(default direct solve), run up to N = 7 (U(1)) and N = 6 (Ising; N = 7 did not finish "
        "in 10 min). *max abs Δρ*: largest entry-wise difference of the two states.",
        "",
        "| model | N | spinsync method | spinsync (s) | residual | qutip (s) | speed-up | max abs Δρ | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in steady:
        q = "—" if r["t_qutip"] is None else f"{r['t_qutip']:.3f}"
        ratio = "—" if r["t_qutip"] is None else f"{r['t_qutip'] / r['t_ours']:.0f}×"
        diff = "—" if r["diff"] is None else f"{r['diff']:.1e}"
        lines.append(f"| {r['model']} | {r['n']} | {r['method']} ({r['symmetry']}) | "
                     f"{r['t_ours']:.3f} | {r['residual']:.1e} | {q} | {ratio} | {diff} | {r['load']} |")
    lines += [
        "",
        "### Dynamics",
        "",
        "H = Σ σᶻ_jσᶻ_{j+1} + Σ σˣ_j, c_j = √0.5 σ⁻_j, from |↑…↑⟩, t ∈ [0, 10], 100 outputs, "
        f"e_ops σᶻ_j, rtol {RTOL:g} and atol {ATOL:g} on both sides (QuTiP: zvode Adams; "
        "spinsync: the Taylor propagator on the compiled full-space operator — no symmetry). "
        "*Δ vs QuTiP*: max |⟨σᶻ_j⟩ difference| over all outputs; the error columns compare "
        "each side with a tight reference (spinsync Taylor at rtol 1e-12). *L·v*: "
        "applications of the Liouvillian by spinsync.",
        "",
        "| N | spinsync (s) | qutip (s) | speed-up | Δ vs QuTiP | spinsync error | QuTiP error | L·v | load (spinsync / qutip) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in dynamics:
        lines.append(
            f"| {r['n']} | {r['t_ours']:.2f} | {r['t_qutip']:.1f} | {r['t_qutip'] / r['t_ours']:.1f}× | "
            f"{r['diff']:.1e} | {r['err_ours']:.1e} | {r['err_qutip']:.1e} | {r['nfev']} | "
            f"{r['load']} / {r['load_qutip']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(run(quick=args.quick))
