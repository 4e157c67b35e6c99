"""``spinsync steady MODEL.toml``: the exact steady state and its measures."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._app import app, console, handle_errors, print_json

#: Pairs shown in the human-readable table (largest Sᵐᵃˣ, or |⟨J⁺_jJ⁻_k⟩| for spins, first).
MAX_PAIRS_SHOWN = 15

#: Values of ``--symmetry`` (``spinsync.operators.symmetry.SYMMETRIES`` and ``auto``).
SYMMETRY_CHOICES = ("auto", "u1", "parity", "none")

#: The solver flags; a method takes those its options class has (steady/options.py).
_SOLVER_FLAGS = ("tol", "maxiter", "restart", "preconditioner")

#: Below this modulus a coherence ⟨σ⁺_j⟩ (⟨J⁺_j⟩) counts as zero in the table (rounding).
_SHOWN_ZERO = 1e-13


@app.command()
@handle_errors
def steady(
    model: Path = typer.Argument(..., help="TOML model file (see examples/ and docs/model.md)."),
    method: str = typer.Option(
        "auto", "--method", "-m",
        help="auto | analytic | direct | gmres | permutation (exact, groups of identical qubits) "
             "| cumulant (approximate, pair cumulants)"),
    symmetry: str = typer.Option(
        "auto", "--symmetry",
        help="auto (detected from the terms) | u1 | parity | none: a weaker one solves on a larger "
             "sector (cross-checks)."),
    tol: Optional[float] = typer.Option(
        None, "--tol", help="gmres: target ‖L[ρ]‖/‖ρ‖ (default 1e-10); permutation: its GMRES "
                            "target (1e-13); cumulant: max|dx/dt|/rate (closed equations)."),
    maxiter: Optional[int] = typer.Option(
        None, "--maxiter", help="gmres, permutation: most iterations, all restart cycles together "
                                "(gmres default 500)."),
    restart: Optional[int] = typer.Option(
        None, "--restart", help="gmres: Krylov vectors per cycle (default 80, lowered to fit "
                                "memory); cumulant: per Newton step."),
    preconditioner: Optional[str] = typer.Option(
        None, "--preconditioner",
        help="gmres: auto (default) | gauss-seidel (no-jump inverse plus the jumps into later "
             "blocks: fewer iterations) | no-jump (block Jacobi)."),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Compute the steady state of MODEL and report magnetizations, correlations, synchronization.

    ``--method cumulant`` is approximate (the output says so); ``permutation`` is exact for
    networks with groups of identical qubits and reaches tens to hundreds of qubits.
    """
    from ..errors import ModelError
    from ..io import load_model
    from ..steady import choose_method, steady_state
    from ..steady.summary import steady_summary
    from .progress import solver_progress

    if symmetry not in SYMMETRY_CHOICES:
        raise ModelError(f"--symmetry = {symmetry!r}: expected one of {', '.join(SYMMETRY_CHOICES)}")
    solver_options = _solver_options(tol, maxiter, restart, preconditioner)
    network = load_model(model)
    chosen = choose_method(network, symmetry) if method == "auto" else method
    takes = _flags_taken()
    refused = sorted(set(solver_options) - takes.get(chosen, set()))
    if refused:
        flags = ", ".join(f"--{name}" for name in refused)
        how = f"auto chose {chosen!r} for this model" if method == "auto" else f"--method is {chosen!r}"
        users = [m for m, taken in takes.items() if set(refused) <= taken]
        which = f"the {users[0]} method" if len(users) == 1 else f"the {' and '.join(users)} methods"
        raise ModelError(f"{flags}: only for {which} ({how}); pass --method {users[0]} to use it")
    with solver_progress(enabled=not json_out) as callback:
        # Only iterative methods report progress; the others take no callback.
        options = dict(solver_options)
        if callback is not None and chosen == "gmres":
            options["callback"] = callback
        result = steady_state(network, method=chosen, symmetry=symmetry, **options)
    summary = steady_summary(result)
    if json_out:
        print_json(summary)
        return
    _print_summary(model, result, summary)


def _flags_taken() -> dict[str, set[str]]:
    """Method → the solver flags it takes (cumulant's step budget is max_steps: no --maxiter)."""
    from dataclasses import fields

    from ..steady.options import OPTION_CLASSES

    takes = {name: {f.name for f in fields(cls)} & set(_SOLVER_FLAGS)
             for name, cls in OPTION_CLASSES.items()}
    return {name: taken for name, taken in takes.items() if taken}


def _solver_options(tol: Optional[float], maxiter: Optional[int], restart: Optional[int],
                    preconditioner: Optional[str] = None) -> dict:
    """The solver flags that were given, checked (ModelError: one line naming the flag)."""
    import math

    from ..errors import ModelError
    from ..steady.options import PRECONDITIONERS

    options: dict = {}
    if tol is not None:
        if not math.isfinite(tol) or not 0 < tol < 1:
            raise ModelError(f"--tol = {tol!r}: must be a relative residual in (0, 1), e.g. 1e-10")
        options["tol"] = tol
    for name, value in (("maxiter", maxiter), ("restart", restart)):
        if value is not None:
            if value < 1:
                raise ModelError(f"--{name} = {value!r}: must be an integer ≥ 1")
            options[name] = value
    if preconditioner is not None:
        if preconditioner not in PRECONDITIONERS:
            raise ModelError(f"--preconditioner = {preconditioner!r}: expected one of "
                             f"{', '.join(PRECONDITIONERS)}")
        options["preconditioner"] = preconditioner
    return options


def _print_summary(model: Path, result, summary: dict) -> None:
    import numpy as np
    from rich.table import Table

    out = console()
    net = result.network
    qubits = summary["kind"] == "qubits"
    n = summary["n"]
    head = Table(title=f"Steady state of {model}", show_header=False)
    if qubits:
        head.add_row("qubits", str(n))
    else:
        sizes = sorted(set(float(s) for s in net.spin))
        head.add_row("spins", f"{n} (s = {', '.join(_spin_label(s) for s in sizes)}; scheme {net.scheme})")
    head.add_row("method", result.method)
    head.add_row("symmetry", summary["symmetry"])
    head.add_row("no-go conditions hold", "yes" if summary["nogo"] else "no")
    label = ("residual max|dx/dt|/rate (closed equations)" if summary["approximate"]
             else "residual ‖L[ρ]‖/‖ρ‖")
    head.add_row(label, f"{summary['residual']:.2e}")
    if summary["approximate"]:
        head.add_row("approximate", f"yes — {summary['domain']}")
    fid = summary["fidelity_product"]
    head.add_row("fidelity to ρ₀", f"{fid:.12f}" if fid is not None else _no_fidelity(result))
    head.add_row("max connected correlation", f"{summary['connected_max']:.3e}")
    if summary["sync_total"] is not None:
        head.add_row("S_t", f"{summary['sync_total']:.6e}")
    if "time" in result.info:
        head.add_row("time", f"{result.info['time']:.2f} s")
    out.print(head)

    coherence = np.asarray(summary["coherence_re"]) + 1j * np.asarray(summary["coherence_im"])
    show_coherence = bool(np.any(np.abs(coherence) > _SHOWN_ZERO))
    if n <= 64:
        sites = Table(title="Qubits" if qubits else "Sites")
        if qubits:
            cols = ["j", "Γᵍ", "Γᵈ", "m_j (limit cycle)", "⟨σᶻ_j⟩"] + (["⟨σ⁺_j⟩"] if show_coherence else [])
        else:
            cols = ["j", "s", "γᵍ", "γᵈ", "⟨Jᶻ_j⟩"] + (["⟨J⁺_j⟩"] if show_coherence else [])
        for col in cols:
            sites.add_column(col, justify="right")
        for j in range(n):
            row = [str(j)]
            if qubits:
                m = net.magnetization[j]
                row += [f"{net.gain[j]:.4g}", f"{net.damping[j]:.4g}",
                        "—" if not np.isfinite(m) else f"{m:+.6f}"]
            else:
                row += [_spin_label(float(net.spin[j])), f"{net.gain[j]:.4g}", f"{net.damping[j]:.4g}"]
            row.append(f"{summary['magnetization'][j]:+.6f}")
            if show_coherence:
                row.append(f"{coherence[j].real:+.4e}{coherence[j].imag:+.4e}i")
            sites.add_row(*row)
        out.print(sites)

    ff = np.asarray(summary["flipflop_re"]) + 1j * np.asarray(summary["flipflop_im"])
    j_idx, k_idx = np.triu_indices(n, 1)
    if qubits:
        weight = np.asarray(summary["sync_max"])[j_idx, k_idx]
        title, pair = "Pairs (largest Sᵐᵃˣ first)", "|⟨σ⁺_jσ⁻_k⟩|"
    else:
        weight = np.abs(ff[j_idx, k_idx])
        title, pair = "Pairs (largest |⟨J⁺_jJ⁻_k⟩| first)", "|⟨J⁺_jJ⁻_k⟩|"
    if j_idx.size and np.max(weight) > 0:
        order = np.argsort(-weight)[:MAX_PAIRS_SHOWN]
        pairs = Table(title=title)
        for col in ("j", "k", pair, "φ⁽⁰⁾ (rad)") + (("Sᵐᵃˣ_jk",) if qubits else ()):
            pairs.add_column(col, justify="right")
        for idx in order:
            j, k = int(j_idx[idx]), int(k_idx[idx])
            row = [str(j), str(k), f"{abs(ff[j, k]):.4e}", f"{np.angle(ff[j, k]):+.4f}"]
            if qubits:
                row.append(f"{weight[idx]:.4e}")
            pairs.add_row(*row)
        out.print(pairs)


def _no_fidelity(result) -> str:
    """Why the table has no F(ρ_ss, ρ₀)."""
    if result.approximate:
        return "— (a cumulant result keeps only ⟨σ⟩ and pair correlations)"
    from ..steady import product_state

    if product_state(result.network) is None:
        return "undefined (a site has no unique local steady state)"
    return "— (not determined by this representation)"


def _spin_label(s: float) -> str:
    """½-integers as fractions (1/2, 3/2), integers as integers."""
    return str(int(s)) if float(s).is_integer() else f"{int(round(2 * s))}/2"
