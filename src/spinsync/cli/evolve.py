"""``spinsync evolve MODEL.toml``: ρ(t) from a named initial state, with fidelity and C_αβ."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import typer

from ._app import app, console, handle_errors, print_json

if TYPE_CHECKING:
    from ..dynamics import Callback, EvolutionResult

#: Rows of the human-readable time table (evenly subsampled).
MAX_ROWS_SHOWN = 11

#: ``spinsync.states.INITIAL_STATE_NAMES`` and ``spinsync.dynamics.DEFAULT_RTOL``,
#: repeated so that ``--help`` imports neither module (tests/cli/test_help.py keeps them equal).
INITIAL_STATE_NAMES = ("ghz", "up", "down", "random", "random-mixed")
DEFAULT_RTOL = 1e-8

#: Initial-state names (after lower-casing, ``_`` → ``-``) that draw from ``--seed``; as
#: ``spinsync.states.initial_state`` spells them (tests/cli/test_evolve_output.py).
RANDOM_INITIAL_STATES = frozenset({"random", "random-pure", "haar", "random-mixed", "mixed"})

#: Extensions of ``--out`` (NetCDF-4) and ``--plot`` (formats matplotlib writes).
NETCDF_SUFFIXES = (".nc",)
PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".eps", ".ps", ".jpg", ".jpeg", ".tif", ".tiff", ".webp")


@contextlib.contextmanager
def _progress_bar(total: int, enabled: bool) -> Iterator["Callback | None"]:
    """A bar over output times on stderr (transient); None when off or not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

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
    seed: Optional[int] = typer.Option(
        None, "--seed", min=0, help="Seed of the random initial states (default: a fresh one, reported)."),
    t_max: float = typer.Option(..., "--t-max", help="Last output time (model's inverse rate unit)."),
    points: int = typer.Option(101, "--points", help="Output times, evenly spaced in [0, t-max]."),
    method: str = typer.Option("auto", "--method", "-m", help="auto | sparse | matrix-free"),
    rtol: float = typer.Option(DEFAULT_RTOL, "--rtol", help="DOP853 relative tolerance."),
    atol: Optional[float] = typer.Option(None, "--atol", help="Absolute tolerance (default rtol·2⁻ᴺ)."),
    json_out: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FILE.nc",
                                       help="Write a NetCDF file (written atomically)."),
    plot: Optional[Path] = typer.Option(None, "--plot", metavar="FILE.png",
                                        help="Write a figure: .png, .pdf, .svg, .eps, .jpg, .tif, .webp."),
    force: bool = typer.Option(False, "--force", help="Replace existing --out and --plot files."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
) -> None:
    """Evolve MODEL's master equation from an initial state; report F[ρ(t), ρ₀], C_αβ, ⟨σᶻ_j⟩ (spins: ⟨Jᶻ_j⟩)."""
    import numpy as np

    from ..dynamics import evolve
    from ..errors import ModelError
    from ..states import initial_state
    from ..io import load_model

    if not np.isfinite(t_max) or t_max <= 0:
        raise ModelError(f"--t-max = {t_max!r}: must be finite and > 0")
    if points < 2:
        raise ModelError(f"--points = {points!r}: need at least 2 output times")
    _check_outputs(out, plot, force)
    network = load_model(model)
    seed = _seed_used(initial, seed)
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

        print_json({**evolution_summary(result), "initial": initial, "seed": seed})
        return
    _print_summary(model, initial, seed, result)


def _seed_used(initial: str, seed: Optional[int]) -> Optional[int]:
    """The seed a random initial state is drawn from: ``--seed``, or a fresh one (so that
    the run can be repeated); None for the deterministic states, which use no seed."""
    if initial.lower().replace("_", "-") not in RANDOM_INITIAL_STATES:
        return None
    if seed is None:
        import secrets

        seed = secrets.randbelow(2**32)
    return seed


def _check_outputs(out: Optional[Path], plot: Optional[Path], force: bool) -> None:
    """Both output paths, before any work (so a bad --plot cannot follow a written --out)."""
    from ..io.atomic import check_output_file

    hint = "pass --force to replace it"
    if out is not None:
        check_output_file(out, suffixes=NETCDF_SUFFIXES, overwrite=force, label="--out", exists_hint=hint)
    if plot is not None:
        check_output_file(plot, suffixes=PLOT_SUFFIXES, overwrite=force, label="--plot", exists_hint=hint)


def _print_summary(model: Path, initial: str, seed: Optional[int], result: "EvolutionResult") -> None:
    import numpy as np
    from rich.table import Table

    screen = console()
    info = result.info
    qubits = result.network.is_qubits
    head = Table(title=f"Evolution of {model} from {initial}", show_header=False)
    head.add_row("qubits" if qubits else "spins", str(result.network.n))
    if seed is not None:
        head.add_row("seed", f"{seed} (repeat with --seed {seed})")
    head.add_row("method", f"{info['method']} + {info['integrator']} (rtol {info['rtol']:.0e}, atol {info['atol']:.1e})")
    head.add_row("symmetry", str(info.get("symmetry", "")))
    head.add_row("sectors (q: dimension)", ", ".join(f"{q}: {d}" for q, d in info["sector_dims"].items()))
    head.add_row("time", f"{info['time']:.2f} s")
    screen.print(head)
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
    screen.print(table)
    if np.all(np.isnan(result.fidelity_product)):
        screen.print("F[ρ(t), ρ₀]: undefined, ρ₀ does not exist (a site has no unique local steady state)")
