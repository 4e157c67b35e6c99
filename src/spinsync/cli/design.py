"""``spinsync design MODEL.toml --memory 0 --bounds LO,HI``: optimize the environment's rates."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, console, handle_errors, print_json


@app.command()
@handle_errors
def design(
    model: Path = typer.Argument(..., help="TOML model file (small N: every step is an exact steady state)."),
    memory: int = typer.Option(0, "--memory", help="Memory qubit (its rates stay fixed)."),
    bounds: str = typer.Option(..., "--bounds", help="LO,HI: allowed range of every environment rate."),
    objective: str = typer.Option("total", "--objective", help="total (S_t) | memory (Σ_k Sᵐᵃˣ_mem,k)"),
    maxiter: int = typer.Option(40, "--maxiter", help="L-BFGS-B iterations (≥ 1)."),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Choose the environment qubits' gain and damping within bounds to maximize synchronization."""
    from rich.table import Table

    from ..io import load_model
    from ..theory.design import design_dissipation, parse_bounds

    network = load_model(model)
    result = design_dissipation(network, parse_bounds(bounds), memory, objective, maxiter)
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    head = Table(title=f"Dissipation design for {model} (objective: {objective})", show_header=False)
    head.add_row("optimum", f"{result.value:.6e}")
    head.add_row("paper's heuristic (equal environment m)",
                 f"{result.heuristic.value:.6e} at m_e = {result.heuristic.magnetization:+.4f}")
    head.add_row("improvement", f"{result.improvement:+.3e}")
    head.add_row("S_t / memory's Σ Sᵐᵃˣ", f"{result.sync_total:.6e} / {result.memory_sync:.6e}")
    head.add_row("reduction error at optimum (ΔS_t, fidelity)",
                 f"{result.reduction.difference:+.3e}, {result.reduction.fidelity:.9f}")
    head.add_row("steady states solved", str(result.evaluations))
    head.add_row("time", f"{result.seconds:.1f} s")
    out.print(head)
    rates = Table(title="Optimal rates")
    for col in ("j", "Γᵍ", "Γᵈ", "m_j", ""):
        rates.add_column(col, justify="right")
    for j, (g, d, m) in enumerate(zip(result.gain, result.damping, result.magnetization)):
        rates.add_row(str(j), f"{g:.4g}", f"{d:.4g}", f"{m:+.4f}", "memory (fixed)" if j == memory else "")
    out.print(rates)
