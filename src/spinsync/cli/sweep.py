"""``spinsync sweep SWEEP.toml --out FILE.nc``: a parameter sweep to NetCDF, resumable."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ._app import app, fail, handle_errors, print_json

EXIT_INTERRUPTED = 130


@app.command()
@handle_errors
def sweep(
    sweep_file: Path = typer.Argument(..., metavar="SWEEP.toml", help="Sweep file (see examples/sweeps/)."),
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE.nc", help="Output NetCDF file (.nc)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Local worker processes (default: usable CPUs)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Address of a running dask.distributed scheduler."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
    json_out: bool = typer.Option(False, "--json", help="Print a one-object JSON summary on stdout."),
) -> None:
    """Run SWEEP over its grid and write FILE.nc.

    Finished chunks are saved in .sweep-FILE.nc/ beside the output as they complete;
    re-running the same command after a crash or kill computes only the missing points.
    An existing FILE.nc is replaced only with --force.
    """
    from ..io.atomic import check_output_file

    check_output_file(out, suffixes=(".nc",), overwrite=force, label="--out",
                      exists_hint="pass --force to replace it")
    from ..sweeps import checkpoint_dir, load_sweep, run_sweep

    spec = load_sweep(sweep_file)
    try:
        report = run_sweep(spec, out, workers=workers, scheduler=scheduler, progress=progress,
                           overwrite=force)
    except KeyboardInterrupt:
        if checkpoint_dir(out).exists():
            fail(f"interrupted; finished chunks are saved in {checkpoint_dir(out)}/, "
                 "re-run the same command to resume", EXIT_INTERRUPTED)
        fail("interrupted before any chunk finished; nothing was saved", EXIT_INTERRUPTED)
        return
    except OSError as exc:
        fail(f"{exc}", 1)
        return
    for note in report.notes:
        sys.stderr.write(f"spinsync: note: {note}\n")
    if json_out:
        print_json(report.as_dict())
    else:
        sys.stderr.write(
            f"wrote {out} ({report.points} points, {report.chunks_computed} of {report.chunks} chunks "
            f"computed, {report.chunks_resumed} resumed, {report.seconds:.1f} s, {report.mode})\n")
