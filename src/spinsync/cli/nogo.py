"""``spinsync nogo MODEL.toml``: does the no-go theorem apply, and which bonds break it?"""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app, console, handle_errors, print_json

#: Bonds listed in the human-readable table (largest residual first).
MAX_BONDS_SHOWN = 20

#: ``spinsync.theory.uniqueness.MAX_KERNEL_QUBITS``, repeated here so that ``--help``
#: does not import the theory package (tests/cli/test_help.py keeps them equal).
MAX_KERNEL_QUBITS = 6


@app.command()
@handle_errors
def nogo(
    model: Path = typer.Argument(..., help="TOML model file (see examples/)."),
    kernel: bool = typer.Option(
        False, "--kernel",
        help=f"Also check numerically that ker L is one-dimensional (N ≤ {MAX_KERNEL_QUBITS}).",
    ),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Check the theorem's conditions and split L[ρ₀] per bond into its M and U terms (Eq. 5)."""
    from rich.table import Table

    from ..io import load_model
    from ..theory.diagnostics import diagnose
    from ..theory.uniqueness import liouvillian_kernel

    network = load_model(model)
    diag = diagnose(network)
    uniq = liouvillian_kernel(network) if kernel else None
    if json_out:
        payload = diag.to_dict()
        if uniq is not None:
            payload["uniqueness"] = uniq.to_dict()
        print_json(payload)
        return
    out = console()
    head = Table(title=f"No-go diagnosis of {model}", show_header=False)
    head.add_row("qubits", str(diag.n))
    head.add_row("conditions hold", "yes" if diag.conditions_hold else "no")
    head.add_row("ρ₀ is steady (L[ρ₀] = 0)", "yes" if diag.product_is_steady else "no")
    head.add_row("all m = 0 with XYZ (special case)", "yes" if diag.all_m_zero_xyz else "no")
    head.add_row("residual ‖L[ρ₀]‖/‖ρ₀‖", f"{diag.residual:.3e}")
    if uniq is not None:
        head.add_row("dim ker L (numerical)", str(uniq.kernel_dimension))
        head.add_row("singular gap / spectral gap", f"{uniq.singular_gap:.3e} / {uniq.spectral_gap:.3e}")
    out.print(head)
    if not diag.product_state_defined:
        out.print(diag.note)
        return
    breaking = diag.breaking_bonds
    if not breaking:
        if diag.product_is_steady:
            out.print("No bond breaks the theorem: the product state ρ₀ is the unique steady state.")
        else:
            out.print("No bond breaks it alone; collective channels do: "
                          + ", ".join(c.label for c in diag.channels if c.breaks))
        return
    table = Table(title=f"Bonds that break it ({len(breaking)} of {len(diag.bonds)}, largest first)")
    for col in ("j", "k", "m_j", "m_k", "‖M‖", "‖U‖", "why"):
        table.add_column(col, justify="left" if col == "why" else "right")
    for b in breaking[:MAX_BONDS_SHOWN]:
        table.add_row(str(b.j), str(b.k), f"{b.m_j:+.4f}", f"{b.m_k:+.4f}", f"{b.m_norm:.3e}",
                      f"{b.u_norm:.3e}", ", ".join(b.causes))
    out.print(table)
    out.print("unequal m: M term (m_j − m_k)(Uˣ + Uʸ) ≠ 0; Ux != Uy: U term (m_j + m_k)(Uˣ − Uʸ) ≠ 0 "
                  "(use --json for the full reasons)")
