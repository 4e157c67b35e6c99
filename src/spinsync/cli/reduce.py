"""``spinsync reduce MODEL.toml --hub 0``: the network against its one-to-all reduction."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, console, handle_errors, print_json


@app.command()
@handle_errors
def reduce(
    model: Path = typer.Argument(..., help="TOML model file (see examples/)."),
    hub: int = typer.Option(0, "--hub", help="Qubit whose bonds are kept (the memory qubit)."),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Compare S_t and the steady state of MODEL with those of its one-to-all reduction."""
    from rich.table import Table

    from ..io import load_model
    from ..theory.reduction import compare_reduction

    report = compare_reduction(load_model(model), hub)
    if json_out:
        print_json(report.to_dict())
        return
    table = Table(title=f"{model}: all bonds vs only qubit {hub}'s bonds", show_header=False)
    table.add_row("bonds (full → reduced)", f"{report.bonds_full} → {report.bonds_reduced}")
    table.add_row("S_t full", f"{report.sync_total_full:.6e}")
    table.add_row("S_t reduced", f"{report.sync_total_reduced:.6e}")
    table.add_row("difference (reduced − full)", f"{report.difference:+.3e}")
    table.add_row("relative difference", f"{report.relative_difference:.3e}")
    table.add_row(f"Σ_k Sᵐᵃˣ_{hub}k full / reduced",
                  f"{report.hub_sync_full:.6e} / {report.hub_sync_reduced:.6e}")
    table.add_row("fidelity F(ρ_full, ρ_reduced)", f"{report.fidelity:.12f}")
    console().print(table)
