"""``spinsync steady MODEL.toml``: the exact steady state and its measures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from ..io import load_model
from ..steady.summary import steady_summary
from ..steady import choose_method, steady_state
from ._app import app, handle_errors, print_json
from .progress import solver_progress

#: Pairs shown in the human-readable table (largest Sᵐᵃˣ first).
MAX_PAIRS_SHOWN = 15


@app.command()
@handle_errors
def steady(
    model: Path = typer.Argument(..., help="TOML model file (see examples/)."),
    method: str = typer.Option(
        "auto", "--method", "-m",
        help="auto | analytic | direct | gmres | permutation (exact, groups of identical qubits) "
             "| cumulant (approximate, pair cumulants)"),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Compute the steady state of MODEL and report magnetizations, correlations, synchronization.

    ``--method cumulant`` is approximate (the output says so); ``permutation`` is exact for
    networks with groups of identical qubits and reaches tens to hundreds of qubits.
    """
    network = load_model(model)
    chosen = choose_method(network) if method == "auto" else method
    with solver_progress(enabled=not json_out) as callback:
        # Only iterative methods report progress; the others take no callback.
        options = {"callback": callback} if callback is not None and chosen == "gmres" else {}
        result = steady_state(network, method=chosen, **options)
    summary = steady_summary(result)
    if json_out:
        print_json(summary)
        return
    _print_summary(model, result, summary)


def _print_summary(model: Path, result, summary: dict) -> None:
    console = Console()
    head = Table(title=f"Steady state of {model}", show_header=False)
    head.add_row("qubits", str(summary["n"]))
    head.add_row("method", result.method)
    head.add_row("no-go conditions hold", "yes" if summary["nogo"] else "no")
    label = ("residual max|dx/dt|/rate (closed equations)" if summary["approximate"]
             else "residual ‖L[ρ]‖/‖ρ‖")
    head.add_row(label, f"{summary['residual']:.2e}")
    if summary["approximate"]:
        head.add_row("approximate", f"yes — {summary['domain']}")
    fid = summary["fidelity_product"]
    head.add_row("fidelity to ρ₀", "— (not kept by this method)" if fid is None else f"{fid:.12f}")
    head.add_row("max connected correlation", f"{summary['connected_max']:.3e}")
    head.add_row("S_t", f"{summary['sync_total']:.6e}")
    if "time" in result.info:
        head.add_row("time", f"{result.info['time']:.2f} s")
    console.print(head)

    n = summary["n"]
    if n <= 64:
        qubits = Table(title="Qubits")
        for col in ("j", "Γᵍ", "Γᵈ", "m_j (limit cycle)", "⟨σᶻ_j⟩"):
            qubits.add_column(col, justify="right")
        net = result.network
        for j in range(n):
            qubits.add_row(
                str(j), f"{net.gain[j]:.4g}", f"{net.damping[j]:.4g}",
                f"{net.magnetization[j]:+.6f}", f"{summary['magnetization'][j]:+.6f}",
            )
        console.print(qubits)
    smax = np.asarray(summary["sync_max"])
    ff = np.asarray(summary["flipflop_re"]) + 1j * np.asarray(summary["flipflop_im"])
    j_idx, k_idx = np.triu_indices(n, 1)
    if j_idx.size and np.max(smax[j_idx, k_idx]) > 0:
        order = np.argsort(-smax[j_idx, k_idx])[:MAX_PAIRS_SHOWN]
        pairs = Table(title="Pairs (largest Sᵐᵃˣ first)")
        for col in ("j", "k", "|⟨σ⁺_jσ⁻_k⟩|", "φ⁽⁰⁾ (rad)", "Sᵐᵃˣ_jk"):
            pairs.add_column(col, justify="right")
        for idx in order:
            j, k = int(j_idx[idx]), int(k_idx[idx])
            pairs.add_row(str(j), str(k), f"{abs(ff[j, k]):.4e}", f"{np.angle(ff[j, k]):+.4f}",
                          f"{smax[j, k]:.4e}")
        console.print(pairs)
