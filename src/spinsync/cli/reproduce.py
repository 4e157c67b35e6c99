"""``spinsync reproduce [NAME ...|all] --out DIR``: the paper's figures as PNG, PDF and NetCDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ._app import app, handle_errors, print_json


@app.command()
@handle_errors
def reproduce(
    names: Optional[List[str]] = typer.Argument(
        None, metavar="[NAME ...|all]",
        help="Figures: fig1b fig1c figS1 fig2a fig2b fig3 fig3_scaled spin1 arnold_spin1 "
             "blockade_spin1 pair_spin1, or all (default)."),
    out: Path = typer.Option(..., "--out", "-o", metavar="DIR", help="Output folder (created if missing)."),
    quick: bool = typer.Option(False, "--quick", help="Coarse grids and short times (seconds)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Local worker processes for sweeps (default: usable CPUs)."),
    progress: bool = typer.Option(False, "--progress/--no-progress", help="Sweep progress bars on stderr."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary on stdout."),
) -> None:
    """Reproduce the paper's figures into the --out folder: NAME.png, NAME.pdf and NAME.nc each."""
    from ..figures import Options, reproduce as run, resolve_names
    from ..io.atomic import check_output_dir

    names = resolve_names(list(names or ["all"]))
    check_output_dir(out, label="--out")

    summary = []

    def done(result, seconds: float) -> None:
        sys.stderr.write(f"{result.name}: {seconds:.1f} s -> "
                         + ", ".join(p.name for p in result.files) + "\n")
        summary.append({"name": result.name, "seconds": seconds,
                        "files": [str(p) for p in result.files], "checks": result.checks})

    run(names, out, Options(quick=quick, workers=workers, progress=progress), on_done=done)
    if json_out:
        print_json({"out": str(out), "figures": summary})
