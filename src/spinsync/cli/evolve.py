"""``spinsync evolve MODEL.toml``: ρ(t) from a named initial state, with fidelity and C_αβ."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Iterator, Optional

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from ..dynamics import DEFAULT_RTOL, Callback, EvolutionResult, evolve
from ..errors import ModelError
from ..states import INITIAL_STATE_NAMES, initial_state
from ..io import load_model
from ._app import app, handle_errors, print_json

#: Rows of the human-readable time table (evenly subsampled).
MAX_ROWS_SHOWN = 11


@contextlib.contextmanager
def _progress_bar(total: int, enabled: bool) -> Iterator[Callback | None]:
    """A bar over output times on stderr (transient); None when off or not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn("evolving"), BarColumn(), TextColumn("t = {task.fields[t]:.4g}"),
        TimeElapsedColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    ) as progress:
        task = progress.add_task("evolve", total=total, t=0.0)

        def callback(i: int, t: float) -> None:
            progress.update(task, completed=i + 1, t=t)

        yield callback


# Registered as "evolve"; the function name avoids shadowing the library's evolve().
@app.command("evolve")
@handle_errors
def evolve_command(
    model: Path = typer.Argument(..., help="TOML model file (see examples/)."),
    initial: str = typer.Option("ghz", "--initial", "-i", help=" | ".join(INITIAL_STATE_NAMES)),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the random initial states."),
    t_max: float = typer.Option(..., "--t-max", help="Last output time (model's inverse rate unit)."),
    points: int = typer.Option(101, "--points", help="Output times, evenly spaced in [0, t-max]."),
    method: str = typer.Option("auto", "--method", "-m", help="auto | sparse | matrix-free"),
    rtol: float = typer.Option(DEFAULT_RTOL, "--rtol", help="DOP853 relative tolerance."),
    atol: Optional[float] = typer.Option(None, "--atol", help="Absolute tolerance (default rtol·2⁻ᴺ)."),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write a NetCDF file (written atomically)."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write a figure (PNG, PDF, SVG)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
) -> None:
    """Evolve MODEL's master equation from an initial state; report F[ρ(t), ρ₀], C_αβ, ⟨σᶻ_j⟩ (spins: ⟨Jᶻ_j⟩)."""
    if not np.isfinite(t_max) or t_max <= 0:
        raise ModelError(f"--t-max = {t_max!r}: must be finite and > 0")
    if points < 2:
        raise ModelError(f"--points = {points!r}: need at least 2 output times")
    network = load_model(model)
    # The local dimensions, so spin networks get their GHZ (|s…s⟩ + |−s…−s⟩)/√2, up, … too.
    rho0 = initial_state(initial, network.dims, seed=seed)
    times = np.linspace(0.0, t_max, points)
    with _progress_bar(points, progress) as callback:
        result = evolve(network, rho0, times, method=method, rtol=rtol, atol=atol, callback=callback)
    attrs = {"model_file": str(model), "initial": initial, "seed": seed}
    if out is not None:
        from ..dynamics.output import write_dataset

        write_dataset(result, out, attrs)
    if plot is not None:
        from ..dynamics.output import plot_evolution

        plot_evolution(result, plot, title=f"{model.name}, initial {initial}")
    if json_out:
        from ..dynamics.output import evolution_summary

        print_json(evolution_summary(result))
        return
    _print_summary(model, initial, result)


def _print_summary(model: Path, initial: str, result: EvolutionResult) -> None:
    console = Console()
    info = result.info
    qubits = result.network.is_qubits
    head = Table(title=f"Evolution of {model} from {initial}", show_header=False)
    head.add_row("qubits" if qubits else "spins", str(result.network.n))
    head.add_row("method", f"{info['method']} + {info['integrator']} (rtol {info['rtol']:.0e}, atol {info['atol']:.1e})")
    head.add_row("symmetry", str(info.get("symmetry", "")))
    head.add_row("sectors (q: dimension)", ", ".join(f"{q}: {d}" for q, d in info["sector_dims"].items()))
    head.add_row("time", f"{info['time']:.2f} s")
    console.print(head)
    if qubits:
        title = "Observables (C_αβ of supplement Eq. S6)"
        cols = ("t", "F[ρ(t), ρ₀]", "Re C₊₋", "Im C₊₋", "|C₊₊|", "S_t", "Σ⟨σᶻ_j⟩")
    else:
        title = "Observables (C_αβ = Σ_{j<k} ⟨Jᵅ_j Jᵝ_k⟩)"
        cols = ("t", "F[ρ(t), ρ₀]", "Re C₊₋", "Im C₊₋", "|C₊₊|", "Σ⟨Jᶻ_j⟩")
    table = Table(title=title)
    for col in cols:
        table.add_column(col, justify="right")
    k = result.times.size
    rows = np.unique(np.linspace(0, k - 1, min(k, MAX_ROWS_SHOWN)).round().astype(int))
    for i in rows:
        fid = result.fidelity_product[i]
        row = [
            f"{result.times[i]:.4g}",
            "—" if np.isnan(fid) else f"{fid:.8f}",
            f"{result.c_pm[i].real:+.3e}",
            f"{result.c_pm[i].imag:+.3e}",
            f"{abs(result.c_pp[i]):.3e}",
        ]
        if qubits:
            row.append(f"{result.sync_total[i]:.4e}")
        row.append(f"{result.magnetization[i].sum():+.6f}")
        table.add_row(*row)
    console.print(table)
    if np.all(np.isnan(result.fidelity_product)):
        console.print("F[ρ(t), ρ₀]: undefined, ρ₀ does not exist (a site has no unique local steady state)")
