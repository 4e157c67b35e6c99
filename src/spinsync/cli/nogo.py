"""``spinsync nogo MODEL.toml``: does the no-go theorem apply, and which bonds break it?"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..io import load_model
from ..theory.diagnostics import diagnose
from ._app import app, handle_errors, print_json

#: Bonds listed in the human-readable table (largest residual first).
MAX_BONDS_SHOWN = 20


@app.command()
@handle_errors
def nogo(
    model: Path = typer.Argument(..., help="TOML model file (see examples/)."),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Check the theorem's conditions and split L[ρ₀] per bond into its M and U terms (Eq. 5)."""
    diag = diagnose(load_model(model))
    if json_out:
        print_json(diag.to_dict())
        return
    console = Console()
    head = Table(title=f"No-go diagnosis of {model}", show_header=False)
    head.add_row("qubits", str(diag.n))
    head.add_row("conditions hold", "yes" if diag.conditions_hold else "no")
    head.add_row("ρ₀ is steady (L[ρ₀] = 0)", "yes" if diag.product_is_steady else "no")
    head.add_row("all m = 0 with XYZ (special case)", "yes" if diag.all_m_zero_xyz else "no")
    head.add_row("residual ‖L[ρ₀]‖/‖ρ₀‖", f"{diag.residual:.3e}")
    console.print(head)
    breaking = diag.breaking_bonds
    if not breaking:
        console.print("No bond breaks the theorem: the product state ρ₀ is the unique steady state.")
        return
    table = Table(title=f"Bonds that break it ({len(breaking)} of {len(diag.bonds)}, largest first)")
    for col in ("j", "k", "m_j", "m_k", "‖M‖", "‖U‖", "why"):
        table.add_column(col, justify="left" if col == "why" else "right")
    for b in breaking[:MAX_BONDS_SHOWN]:
        table.add_row(str(b.j), str(b.k), f"{b.m_j:+.4f}", f"{b.m_k:+.4f}", f"{b.m_norm:.3e}",
                      f"{b.u_norm:.3e}", ", ".join(b.causes))
    console.print(table)
    console.print("unequal m: M term (m_j − m_k)(Uˣ + Uʸ) ≠ 0; Ux != Uy: U term (m_j + m_k)(Uˣ − Uʸ) ≠ 0 "
                  "(use --json for the full reasons)")
